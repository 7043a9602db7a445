"""The request body limits, in size and in time, for declared and chunked bodies alike: a pure ASGI middleware.

`Content-Length` alone is not enough: a chunked body declares no length. The middleware reads the body
itself, at most `limit` bytes of it, before the app runs; past the limit it answers 413 and the rest is
never read. The whole body must arrive within `deadline_s`, or the answer is 408: a body that trickles
in a byte at a time would otherwise hold a connection and a request slot for as long as the client likes.
The app then receives the buffered body as one message, and later messages (a disconnect) from the server
as before.
"""

from __future__ import annotations

import asyncio

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodySizeLimit:
    def __init__(self, app: ASGIApp, limit: int, deadline_s: float) -> None:
        self.app = app
        self.limit = limit
        self.deadline_s = deadline_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send, 413, self._too_large)
            return
        body: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.deadline_s):
                while True:
                    message = await receive()
                    if message["type"] != "http.request":
                        # The client went away mid-body: let the app see the disconnect as it would have.
                        await self.app(scope, _replay(message, receive), send)
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.limit:
                        await self._refuse(scope, receive, send, 413, self._too_large)
                        return
                    body.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            message = f"the request body did not arrive within {self.deadline_s:g} s; send it at once"
            await self._refuse(scope, receive, send, 408, message)
            return
        whole = {"type": "http.request", "body": b"".join(body), "more_body": False}
        await self.app(scope, _replay(whole, receive), send)

    @property
    def _too_large(self) -> str:
        return f"request body over {self.limit // 1024} KiB; send less"

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, error: str) -> None:
        response = JSONResponse(
            status_code=status,
            content={"error": error},
            headers={"Connection": "close"},  # the unread rest of the body must not be taken for a next request
        )
        await response(scope, receive, send)


def _replay(first: Message, receive: Receive) -> Receive:
    """A `receive` that gives `first` (the buffered body, or what ended the reading), then the server's messages."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if not given:
            given = True
            return first
        return await receive()

    return replay
