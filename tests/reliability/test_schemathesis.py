"""Schemathesis fuzzes every operation of the app's OpenAPI schema: no generated request gets a 5xx.

Each operation is fuzzed with schema-conforming (positive) and schema-violating (negative) requests through
the ASGI app, with schemathesis's `not_a_server_error` check. The default run sends over 1,000 requests
(about 20 s on 2 busy cores); a deeper run of about 3,500 is `@pytest.mark.slow`.

Nothing is excluded on the shared knowledge base: the admin operations that change it (ingest, records
import) are fuzzed there without the token (401), and with the token only on a throwaway container.
Admin reads get the token so their query parameters reach the handler. Nothing is steered around either:
NUL characters and over-long session ids, which once gave 500s, are sent as generated.
"""

from __future__ import annotations

import collections
import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup

from assistant.api import create_app
from assistant.api.deps import Container
from tests.conftest import TEST_ADMIN_TOKEN, make_settings

ADMIN_READS = frozenset({"GET /v1/admin/feedback", "GET /v1/admin/bookings"})
ADMIN_WRITES = frozenset({"POST /v1/admin/ingest", "POST /v1/admin/records/import"})


@dataclass
class FuzzRun:
    requests: int = 0
    statuses: collections.Counter[tuple[str, int]] = field(default_factory=collections.Counter)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def report(self) -> str:
        return "\n\n".join(self.failures[:5]) + f"\n({len(self.failures)} failures in {self.requests} requests)"


def fuzz(schema: schemathesis.BaseSchema, examples: int, *, token: str, authorized: frozenset[str]) -> FuzzRun:
    """Up to `examples` positive and as many negative requests per operation; 5xx are collected, not raised."""
    run = FuzzRun()
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        headers = {"Authorization": f"Bearer {token}"} if operation.label in authorized else None
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            with contextlib.suppress(Unsatisfiable):  # no invalid request exists for an operation without parameters
                requests_for(operation, mode, headers, examples, run)()
    run.seconds = time.monotonic() - started
    return run


def requests_for(operation, mode: GenerationMode, headers: dict[str, str] | None, examples: int, run: FuzzRun):  # type: ignore[no-untyped-def]
    """One Hypothesis test: `examples` generated requests to one operation, each checked for a 5xx."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,  # nothing written to .hypothesis/
        derandomize=True,  # the same requests every run: a failure here is reproducible
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, headers=headers))
    def send(case: schemathesis.Case) -> None:
        response = case.call()
        run.requests += 1
        run.statuses[(case.operation.label, response.status_code)] += 1
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except FailureGroup as failure:
            run.failures.append(f"{mode.value} {failure}")

    return send


@pytest.fixture(scope="module", autouse=True)
def _hypothesis_files_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Hypothesis caches what it learns in ./.hypothesis; keep the checkout clean."""
    set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    yield
    set_hypothesis_home_dir(None)


@pytest.fixture(scope="module")
def kb_schema(kb_container: Container) -> Iterator[schemathesis.BaseSchema]:
    app = create_app(container=kb_container, rate_limit=1_000_000)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    schemathesis.python.asgi.shutdown_lifespans()


@pytest.fixture(scope="module")
def throwaway_schema(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[schemathesis.BaseSchema]:  # type: ignore[no-untyped-def]
    """An empty container of its own: admin writes with the token cannot touch the shared knowledge base."""
    root = tmp_path_factory.mktemp("fuzz-admin")
    (root / "kb").mkdir()
    settings_ = make_settings(root / "data", ASSISTANT_KNOWLEDGE_DIR=root / "kb")
    app = create_app(container=Container.build(settings_, embedder=embedder), rate_limit=1_000_000)
    yield schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/v1/admin/(ingest|records/import)$")
    schemathesis.python.asgi.shutdown_lifespans()


def test_every_operation_is_in_the_fuzzed_schema(kb_schema):
    labels = {result.ok().label for result in kb_schema.get_all_operations()}
    assert {"POST /v1/chat", "POST /v1/chat/stream", "POST /v1/chat/completions", "POST /v1/feedback"} <= labels
    assert labels >= ADMIN_READS | ADMIN_WRITES and "GET /health" in labels


def test_over_a_thousand_fuzzed_requests_get_no_5xx(kb_schema, kb_container, request):
    run = fuzz(kb_schema, 60, token=kb_container.settings.admin_token, authorized=ADMIN_READS)
    request.node.user_properties += [("requests", run.requests), ("seconds", round(run.seconds, 1))]
    assert not run.failures, run.report()
    assert run.requests >= 1000, (run.requests, run.statuses)
    chat_codes = {code for (label, code) in run.statuses if label == "POST /v1/chat"}
    assert 200 in chat_codes and 422 in chat_codes  # both answered questions and rejected requests were sent
    assert any(code == 200 for (label, code) in run.statuses if label in ADMIN_READS)


def test_admin_writes_with_the_token_get_no_5xx(throwaway_schema, request):
    run = fuzz(throwaway_schema, 40, token=TEST_ADMIN_TOKEN, authorized=ADMIN_WRITES)
    request.node.user_properties.append(("requests", run.requests))
    assert not run.failures, run.report()
    assert {code for (label, code) in run.statuses if label == "POST /v1/admin/records/import"} >= {422}


@pytest.mark.slow
def test_a_deeper_fuzz_gets_no_5xx(kb_schema, kb_container, request):
    """About 3,500 requests; run it after changing request handling: `pytest -m slow tests/reliability`."""
    run = fuzz(kb_schema, 200, token=kb_container.settings.admin_token, authorized=ADMIN_READS)
    request.node.user_properties += [("requests", run.requests), ("seconds", round(run.seconds, 1))]
    assert not run.failures, run.report()
    assert run.requests >= 3000, (run.requests, run.statuses)
