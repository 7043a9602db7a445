"""Reliability tests: fuzzing, bad input, hostile messages, auth and limits.

`@pytest.mark.slow` tests (the long schemathesis run) run only when asked for: `pytest -m slow tests/reliability`
or `RUN_SLOW=1 pytest tests/reliability` (the skip is in tests/conftest.py).
"""
