"""A client that leaves halfway through sending its question costs the server nothing: no error, no log."""

from __future__ import annotations

import logging
import socket
import time
from urllib.parse import urlsplit

import httpx

from assistant.api import create_app
from assistant.fakes.serving import serving


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_client_that_disconnects_mid_body_leaves_no_error(kb_container):
    errors = _Records()
    with serving(create_app(container=kb_container, rate_limit=1_000_000)) as url:
        # Attached once uvicorn has configured its loggers, which drops handlers added before.
        logging.getLogger("uvicorn.error").addHandler(errors)  # where uvicorn reports an exception in the app
        address = urlsplit(url)
        for _ in range(3):
            with socket.create_connection((address.hostname, address.port)) as raw:
                raw.sendall(
                    b"POST /v1/chat HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                    b'Content-Length: 200\r\n\r\n{"message": "What is a modern appren'
                )
        answer = httpx.post(f"{url}/v1/chat", json={"message": "What is a modern apprenticeship?"}, timeout=30)
        time.sleep(0.5)  # the server may notice the closed connections after answering the new one
    logging.getLogger("uvicorn.error").removeHandler(errors)
    assert answer.status_code == 200
    assert [r.getMessage() for r in errors.records if r.levelno >= logging.ERROR] == []
