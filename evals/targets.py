"""Where eval cases are sent: the app in-process, or a running server, both through `POST /v1/chat`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import httpx

from evals.schema import Fixtures, SuiteError


class Target(Protocol):
    """Sends one message; returns the `/v1/chat` response body (with `retrieved` passages)."""

    description: str

    def ask(self, message: str, session_id: str | None, fixtures: Fixtures) -> dict[str, Any]: ...


def _body(message: str, session_id: str | None, fixtures: Fixtures) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "include_retrieved": True}
    if session_id:
        body["session_id"] = session_id
    if fixtures.role:
        body["role"] = fixtures.role
    if fixtures.lang:
        body["lang"] = fixtures.lang
    return body


class HttpTarget:
    """A running server, e.g. `assistant eval run --against http://127.0.0.1:8000`."""

    def __init__(self, url: str, timeout: float = 60.0) -> None:
        self.description = url
        self._client = httpx.Client(base_url=url, timeout=timeout)

    def ask(self, message: str, session_id: str | None, fixtures: Fixtures) -> dict[str, Any]:
        if fixtures.records or fixtures.clock:
            raise SuiteError(
                "`records` and `clock` fixtures change the server's data and time, so they only run in-process; "
                "load the records on the server (`assistant records import`) and drop --against for such suites"
            )
        response = self._client.post("/v1/chat", json=_body(message, session_id, fixtures))
        response.raise_for_status()
        return response.json()


class CallableTarget:
    """Any function with the contract of `/v1/chat`: the in-process app, or a scripted fake in tests."""

    def __init__(self, post: Callable[[dict[str, Any]], dict[str, Any]], description: str) -> None:
        self._post = post
        self.description = description

    def ask(self, message: str, session_id: str | None, fixtures: Fixtures) -> dict[str, Any]:
        return self._post(_body(message, session_id, fixtures))


class InProcessTarget:
    """The real app in this process, through its HTTP routes; applies `records` and `clock` fixtures."""

    description = "in-process"

    def __init__(self, container: Any) -> None:
        from fastapi.testclient import TestClient

        from assistant.api import create_app

        self.container = container
        # The harness is one client sending hundreds of questions: not what the per-client limit is for.
        self._client = TestClient(create_app(container=container, rate_limit=1_000_000))
        self._client.__enter__()
        self._real_clock = container.records.clock
        self._loaded: set[Path] = set()

    def _apply(self, fixtures: Fixtures) -> None:
        records = self.container.records
        fixed = fixtures.clock
        records.clock = (lambda: fixed) if fixed is not None else self._real_clock
        for name in fixtures.records:
            path = _resolve(name)
            if path in self._loaded:
                continue
            report = records.import_file(path)
            if not report.ok:
                raise SuiteError(
                    f"records fixture {name}: {report.summary()}; " + "; ".join(map(str, report.errors[:5]))
                )
            self._loaded.add(path)

    def ask(self, message: str, session_id: str | None, fixtures: Fixtures) -> dict[str, Any]:
        self._apply(fixtures)
        response = self._client.post("/v1/chat", json=_body(message, session_id, fixtures))
        response.raise_for_status()
        return response.json()

    def close(self) -> None:
        self.container.records.clock = self._real_clock
        self._client.__exit__(None, None, None)


def _resolve(name: str) -> Path:
    """A records fixture path: as given, or relative to the repository root."""
    from assistant.settings import REPO_ROOT

    for candidate in (Path(name), REPO_ROOT / name):
        if candidate.exists():
            return candidate.resolve()
    raise SuiteError(f"records fixture {name!r} not found (paths are relative to the repository root)")


def in_process_target(container: Any = None) -> tuple[InProcessTarget, Callable[[], None]]:
    """The real app in this process (same routes as a server); returns the target and a closer."""
    if container is None:
        from assistant.api.deps import Container
        from assistant.settings import get_settings

        container = Container.build(get_settings())
    target = InProcessTarget(container)
    return target, target.close
