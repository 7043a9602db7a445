"""A scripted OpenAI-compatible server on 127.0.0.1: `enqueue` replies, then point a client at it.

server = FakeOpenAIServer().start()
server.enqueue("An answer [1].", Scripted(tool_calls=[("search_knowledge", {"query": "x"})]), 503)
... base_url=server.base_url ...
server.stop()

A reply is a text, an HTTP error status, or a `Scripted` turn (tool calls, malformed arguments, a delay).
Requests with `"stream": true` get the same reply as Server-Sent Events chunks, tool calls included. When the
queue is empty the `responder` answers; `grounded_echo` quotes the first passage it was given, which is
what an eval run over the test server needs.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from assistant.fakes.serving import BackgroundServer


@dataclass
class Scripted:
    """One scripted model turn. Tool-call arguments given as a string are sent verbatim (malformed JSON)."""

    text: str | None = None
    tool_calls: list[tuple[str, dict[str, Any] | str]] = field(default_factory=list)
    status: int | None = None
    delay_s: float = 0.0
    #: Pause between streamed chunks, to watch a client render a reply as it grows.
    chunk_delay_s: float = 0.0


Reply = str | int | Scripted
Responder = Callable[[dict[str, Any]], Reply]
_PASSAGE = re.compile(r"^\[(\d+)\] [^\n]*\n(.+?)(?:\n|$)", re.MULTILINE)
_SENTENCE = re.compile(r"(.+?[.!?。！？])(?:\s|$)")


def no_script(body: dict[str, Any]) -> Reply:
    return "(no scripted reply)"


def grounded_echo(body: dict[str, Any]) -> Reply:
    """Answer with the first sentence of passage [1] of the prompt, cited; or decline when none was given."""
    prompt = "\n".join(str(m.get("content") or "") for m in body.get("messages", []))
    found = _PASSAGE.search(prompt)
    if not found:
        return "I can only help with industry-education integration questions."
    sentence = _SENTENCE.match(found.group(2).strip())
    quote = sentence.group(1) if sentence else found.group(2).strip()[:200]
    return f"{quote} [{found.group(1)}]"


def _as_scripted(reply: Reply) -> Scripted:
    if isinstance(reply, Scripted):
        return reply
    if isinstance(reply, int):
        return Scripted(status=reply)
    return Scripted(text=reply)


def _arguments(arguments: dict[str, Any] | str) -> str:
    return arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)


class FakeOpenAIServer:
    def __init__(self, model: str = "fake-model", responder: Responder = no_script) -> None:
        self.model = model
        self.responder = responder
        self.replies: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.app = self._build_app()
        self._server: BackgroundServer | None = None
        self.port = 0

    def enqueue(self, *replies: Reply) -> None:
        """Replies to answer with, in order: a text, an int (that HTTP error status) or a `Scripted` turn."""
        self.replies.extend(replies)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if "messages" in r]

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
            reply = _as_scripted(self.replies.popleft() if self.replies else self.responder(body))
            if reply.delay_s:
                await asyncio.sleep(reply.delay_s)
            if reply.status is not None:
                return JSONResponse(
                    status_code=reply.status, content={"error": {"message": f"scripted {reply.status}"}}
                )
            model = body.get("model", self.model)
            if body.get("stream"):
                return StreamingResponse(self._stream(reply, model), media_type="text/event-stream")
            return self._completion(reply, model)

        return app

    def _completion(self, reply: Scripted, model: str) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.text}
        if reply.tool_calls:
            message["tool_calls"] = [
                {"id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": _arguments(args)}}
                for i, (name, args) in enumerate(reply.tool_calls)
            ]
        return {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {"index": 0, "message": message, "finish_reason": "tool_calls" if reply.tool_calls else "stop"}
            ],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        }

    async def _stream(self, reply: Scripted, model: str) -> AsyncIterator[str]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            payload = {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        words = re.findall(r"\S+\s*|\s+", reply.text or "")
        for start in range(0, len(words), 3):
            yield chunk({"content": "".join(words[start : start + 3])})
            await asyncio.sleep(reply.chunk_delay_s)
        for i, (name, args) in enumerate(reply.tool_calls):
            raw = _arguments(args)
            half = len(raw) // 2
            head = {"index": i, "id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": ""}}
            yield chunk({"tool_calls": [head]})
            for part in (raw[:half], raw[half:]):
                yield chunk({"tool_calls": [{"index": i, "function": {"arguments": part}}]})
        yield chunk({}, "tool_calls" if reply.tool_calls else "stop")
        yield "data: [DONE]\n\n"

    def start(self) -> FakeOpenAIServer:
        self._server = BackgroundServer(self.app).start()
        self.port = self._server.port
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()


if __name__ == "__main__":
    import argparse

    import uvicorn

    parser = argparse.ArgumentParser(description="The scripted OpenAI-compatible test server (echoes passage [1]).")
    parser.add_argument("--port", type=int, default=8765)
    options = parser.parse_args()
    uvicorn.run(FakeOpenAIServer(responder=grounded_echo).app, host="127.0.0.1", port=options.port)
