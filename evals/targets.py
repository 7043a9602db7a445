"""Where eval cases are sent: the app in-process, or a running server, both through `POST /v1/chat`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import httpx

from evals.schema import Fixtures, SuiteError


class Target(Protocol):
    """Sends one message; returns the `/v1/chat` response body (with `retrieved` passages)."""

    description: str

    def ask(self, message: str, session_id: str | None, fixtures: Fixtures) -> dict[str, Any]: ...


def _body(message: str, session_id: str | None, fixtures: Fixtures) -> dict[str, Any]:
    if fixtures.records or fixtures.clock:
        raise SuiteError(
            "this assistant has no records store yet, so `records` and `clock` fixtures cannot be applied; "
            "remove them or run against a build that has the records tools"
        )
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


def in_process_target(container: Any = None) -> tuple[CallableTarget, Callable[[], None]]:
    """The real app in this process (same routes as a server); returns the target and a closer."""
    from fastapi.testclient import TestClient

    from assistant.api import create_app

    client = TestClient(create_app(container=container))
    client.__enter__()

    def post(body: dict[str, Any]) -> dict[str, Any]:
        response = client.post("/v1/chat", json=body)
        response.raise_for_status()
        return response.json()

    return CallableTarget(post, "in-process"), lambda: client.__exit__(None, None, None)
