"""A scripted OpenAI-compatible server on 127.0.0.1: `enqueue` replies, then point a client at it.

server = FakeOpenAIServer().start()
server.enqueue('{"faithfulness": 1, "relevance": 1}')
... base_url=server.base_url ...
server.stop()
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assistant.fakes.serving import BackgroundServer


class FakeOpenAIServer:
    def __init__(self, model: str = "fake-model") -> None:
        self.model = model
        self.replies: deque[str | int] = deque()
        self.requests: list[dict[str, Any]] = []
        self.app = self._build_app()
        self._server: BackgroundServer | None = None
        self.port = 0

    def enqueue(self, *replies: str | int) -> None:
        """Text contents to answer with, in order; an int answers with that HTTP error status."""
        self.replies.extend(replies)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/v1/models")
        async def models() -> dict[str, Any]:
            return {"object": "list", "data": [{"id": self.model, "object": "model", "owned_by": "fake"}]}

        @app.post("/v1/embeddings")
        async def embeddings(request: Request) -> dict[str, Any]:
            body = await request.json()
            texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
            self.requests.append(body)
            # Deterministic, unnormalised vectors: the client must normalise and keep the order.
            data = [
                {"object": "embedding", "index": i, "embedding": [float(len(t)), float(sum(map(ord, t)) % 97), 1.0]}
                for i, t in enumerate(texts)
            ]
            return {"object": "list", "data": list(reversed(data)), "model": body.get("model", self.model)}

        @app.post("/v1/chat/completions")
        async def completions(request: Request) -> Any:
            body = await request.json()
            self.requests.append(body)
            reply = self.replies.popleft() if self.replies else "(no scripted reply)"
            if isinstance(reply, int):
                return JSONResponse(status_code=reply, content={"error": {"message": f"scripted {reply}"}})
            return {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", self.model),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            }

        return app

    def start(self) -> FakeOpenAIServer:
        self._server = BackgroundServer(self.app).start()
        self.port = self._server.port
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
