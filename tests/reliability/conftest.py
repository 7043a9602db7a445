"""Reliability tests: fuzzing, bad input, hostile messages, auth and limits.

`@pytest.mark.slow` tests (the long schemathesis run; the marker is registered in pyproject.toml) run only
when asked for: `pytest -m slow tests/reliability` or `RUN_SLOW=1 pytest tests/reliability`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "slow" in (config.option.markexpr or "") or os.environ.get("RUN_SLOW"):
        return
    skip = pytest.mark.skip(reason="slow: run with `-m slow` or RUN_SLOW=1")
    for item in items:
        if item.get_closest_marker("slow") and HERE in item.path.parents:
            item.add_marker(skip)
