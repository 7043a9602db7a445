"""The shipped suites, run through the real app and the gate: the project's quality bar in CI."""

import pytest

from evals.runner import run_suite
from evals.schema import all_suite_names, load_suite
from evals.targets import in_process_target


@pytest.fixture(scope="module")
def target(kb_container):
    target, close = in_process_target(kb_container)
    yield target
    close()


@pytest.mark.parametrize("name", all_suite_names())
def test_suite_passes_its_gate(target, name):
    result = run_suite(load_suite(name), target)
    assert result.gate_passed, (result.failed_thresholds, result.failed_blocking)
    assert result.metrics.get("citation_validity", 1.0) == 1.0
