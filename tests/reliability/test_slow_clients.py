"""Stalled and trickling clients, and forwarded addresses, against a real `assistant serve`, with raw sockets.

The deadlines are short here (2 s) so the tests are quick; the defaults (30 s) are checked in settings.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from assistant.fakes.serving import free_port
from assistant.settings import REPO_ROOT, Settings
from tests.conftest import TEST_ADMIN_TOKEN

DEADLINE_S = 2.0
RATE_LIMIT = 5


@contextmanager
def serving(data_dir: Path, **env: str) -> Iterator[str]:
    """`assistant serve` in a process of its own, on a free port; yields its base URL."""
    port = free_port()
    environment = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_ADMIN_TOKEN": TEST_ADMIN_TOKEN,
        "ASSISTANT_REQUEST_HEAD_TIMEOUT_S": str(DEADLINE_S),
        "ASSISTANT_REQUEST_BODY_TIMEOUT_S": str(DEADLINE_S),
        "ASSISTANT_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
        **env,
    }
    command = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--host", "127.0.0.1"]
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert process.poll() is None, "assistant serve exited at start-up"
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code in (200, 503):
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tmp_path_factory.mktemp("slow-clients")) as url:
        yield url


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=DEADLINE_S + 10)


def _read_until_closed(connection: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took."""
    started, received = time.monotonic(), b""
    while chunk := connection.recv(4096):
        received += chunk
    return received, time.monotonic() - started


def test_defaults_close_a_stalled_request_within_30_s():
    settings = Settings(ASSISTANT_DATA_DIR=Path("/nonexistent"))  # type: ignore[call-arg]
    assert settings.request_head_timeout_s == 30 and settings.request_body_timeout_s == 30


@pytest.mark.parametrize(
    "partial",
    [b"", b"POST /v1/ch", b"POST /v1/chat HTTP/1.1\r\nHost: x\r\nContent-Le"],
    ids=["nothing", "half-a-request-line", "half-the-headers"],
)
def test_a_connection_that_stalls_before_its_headers_end_is_closed(server, partial):
    with _connect(server) as connection:
        connection.sendall(partial)
        received, waited = _read_until_closed(connection)
    assert DEADLINE_S - 0.5 <= waited <= DEADLINE_S + 5
    assert received.startswith(b"HTTP/1.1 408") and b"send the whole request at once" in received


def test_a_trickling_body_is_cut_off_with_408(server):
    with _connect(server) as connection:
        connection.sendall(b"POST /v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
        connection.sendall(b"Content-Length: 200\r\n\r\n")
        started = time.monotonic()
        try:
            for byte in b'{"message": "How much must an intern be paid?"':
                connection.sendall(bytes([byte]))
                time.sleep(0.2)
        except OSError:
            pass  # the server may close while we still trickle
        received, _ = _read_until_closed(connection)
        waited = time.monotonic() - started
    assert received.startswith(b"HTTP/1.1 408") and b"did not arrive within 2 s" in received
    assert waited <= DEADLINE_S + 5


def test_a_keep_alive_connection_that_stalls_in_its_second_request_is_closed(server):
    with _connect(server) as connection:
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        first = connection.recv(65536)
        assert first.startswith(b"HTTP/1.1 ")
        connection.sendall(b"GET /hea")
        received, waited = _read_until_closed(connection)
    assert b"HTTP/1.1 408" in received and waited <= DEADLINE_S + 5


def test_many_stalled_connections_are_all_closed_and_the_server_keeps_answering(server):
    connections = [_connect(server) for _ in range(200)]
    for i, connection in enumerate(connections):
        connection.sendall(b"GET /health HTTP/1.1\r\nX-Slow: " + str(i).encode())
    time.sleep(DEADLINE_S + 2)
    closed = 0
    for connection in connections:
        connection.settimeout(5)
        if _read_until_closed(connection)[0].startswith(b"HTTP/1.1 408"):
            closed += 1
        connection.close()
    assert closed == len(connections)
    assert httpx.get(f"{server}/health", timeout=10).status_code in (200, 503)


def test_a_prompt_client_is_not_cut_off(server):
    # A whole request sent in pieces, each well inside the deadlines, is answered normally.
    with _connect(server) as connection:
        body = b'{"session_id": "nope", "rating": "up"}'
        head = b"POST /v1/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        connection.sendall(head)
        time.sleep(DEADLINE_S / 2)
        connection.sendall(b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n")
        time.sleep(DEADLINE_S / 2)
        connection.sendall(body)
        received, _ = _read_until_closed(connection)
    assert received.startswith(b"HTTP/1.1 404")  # the session is unknown: the request itself went through


def _feedback_statuses(url: str, addresses: list[str]) -> list[int]:
    # A session id of its own for each request, so only the address budget can answer 429.
    return [
        httpx.post(
            f"{url}/v1/feedback", json={"session_id": f"nope-{i}", "rating": "up"}, headers={"X-Forwarded-For": ip}
        ).status_code
        for i, ip in enumerate(addresses)
    ]


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_configured_proxy(server):
    # Not configured (the default): made-up addresses all count against the real peer's one budget.
    statuses = _feedback_statuses(server, [f"203.0.113.{i}" for i in range(RATE_LIMIT + 3)])
    assert statuses.count(404) <= RATE_LIMIT and statuses[-3:] == [429] * 3


def test_x_forwarded_for_is_believed_from_a_configured_proxy(tmp_path):
    with serving(tmp_path, ASSISTANT_FORWARDED_ALLOW_IPS="127.0.0.1") as url:
        spread = _feedback_statuses(url, [f"198.51.100.{i}" for i in range(RATE_LIMIT + 3)])
        same = _feedback_statuses(url, ["192.0.2.7"] * (RATE_LIMIT + 3))
    assert 429 not in spread  # each forwarded client has its own budget
    assert same.count(429) == 3
