"""uvicorn's HTTP protocol with a deadline for the request head: a stalled connection is closed.

uvicorn times out an idle keep-alive connection, but not one that sends part of a request line or of its
headers and then stops (nor one that connects and sends nothing): each stays open for good, and enough of
them use up the worker's file descriptors. Here the head of every request (request line and headers) must
arrive within `ASSISTANT_REQUEST_HEAD_TIMEOUT_S` of the connection opening, or of the first byte of a later
request on the connection; otherwise the client gets a 408 and the connection is closed. The body has its
own deadline, in `BodySizeLimit`, which sees it arrive.

Serve with `--http assistant.api.slow_clients:HttpProtocol` (`assistant serve` does).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from assistant.settings import get_settings

log = logging.getLogger("assistant.api")


def _timed_out_response(seconds: float) -> bytes:
    body = f"the request line and headers did not arrive within {seconds:g} s; send the whole request at once"
    return (
        b"HTTP/1.1 408 Request Timeout\r\n"
        b"content-type: text/plain; charset=utf-8\r\n"
        + f"content-length: {len(body)}\r\n".encode()
        + b"connection: close\r\n\r\n"
        + body.encode()
    )


class HeadDeadline:
    """Mixin for a uvicorn HTTP protocol class; relies on `cycle`, which uvicorn replaces once a head is parsed."""

    transport: asyncio.Transport
    cycle: Any
    client: tuple[str, int] | None
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        before = self.cycle
        super().data_received(data)  # type: ignore[misc]
        if self.cycle is not before:  # a head was parsed: its body is timed by the app's middleware
            self._disarm_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        # Unless a pipelined request's head has already been parsed, the next head is now due. An idle
        # keep-alive connection is closed sooner by uvicorn's own keep-alive timeout (5 s by default).
        if self._head_due():
            self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)  # type: ignore[misc]

    def _head_due(self) -> bool:
        return self.cycle is None or bool(self.cycle.response_complete)

    def _arm_head_timer(self) -> None:
        self._disarm_head_timer()
        seconds = get_settings().request_head_timeout_s
        self._head_timer = asyncio.get_running_loop().call_later(seconds, self._head_timed_out, seconds)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self, seconds: float) -> None:
        self._head_timer = None
        if self.transport.is_closing() or not self._head_due():
            return
        log.info("closed a connection from %s: no complete request head within %g s", self.client, seconds)
        self.transport.write(_timed_out_response(seconds))
        self.transport.close()


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is optional for uvicorn; h11 always comes with it

    class HttpProtocol(HeadDeadline, H11Protocol):
        """uvicorn's h11 protocol with the head deadline."""

else:

    class HttpProtocol(HeadDeadline, HttpToolsProtocol):  # type: ignore[no-redef]
        """uvicorn's httptools protocol (its default when installed) with the head deadline."""
