"""Streaming one chat turn: pieces of the answer as they are made, then the finished turn.

The turn runs in a worker thread; its `on_delta` pieces cross to the event loop through a queue, so the
first words reach the client while the model is still writing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi.concurrency import run_in_threadpool

from assistant.api.schemas import ChatOut
from assistant.service import Assistant, ChatRequest
from assistant.text import is_reset

log = logging.getLogger("assistant.api")
_END = object()


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def stream_turn(
    assistant: Assistant, request: ChatRequest, include_retrieved: bool = False
) -> AsyncIterator[str | ChatOut]:
    """Yields answer pieces (str) as they come, then the finished `ChatOut` last; `RESET` withdraws the pieces
    before it."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue()

    def on_delta(piece: str) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, piece)

    task = asyncio.ensure_future(run_in_threadpool(assistant.chat, request, on_delta))
    # Pieces were queued by the thread before it returned, so they all come out before the end marker.
    task.add_done_callback(lambda _: queue.put_nowait(_END))
    while (item := await queue.get()) is not _END:
        yield item
    yield ChatOut.from_result(task.result(), include_retrieved=include_retrieved)


async def chat_events(
    assistant: Assistant, request: ChatRequest, include_retrieved: bool = False
) -> AsyncIterator[str]:
    """SSE: `delta` texts (a `reset` event means: discard the deltas so far), then `citations`, `tool_calls`,
    `pending_action`, `action_result`, `document`, `timings` and `done`."""
    try:
        async for item in stream_turn(assistant, request, include_retrieved):
            if isinstance(item, str) and is_reset(item):
                yield sse("reset", {})
                continue
            if isinstance(item, str):
                yield sse("delta", {"text": item})
                continue
            out = item
    except Exception:
        # The status line is already sent: report the failure in the stream instead of cutting it.
        log.exception("streamed chat turn failed")
        yield sse("error", {"error": "internal_error", "detail": "the answer failed; please ask again"})
        return
    yield sse("citations", [c.model_dump() for c in out.citations])
    if out.tool_calls:
        yield sse("tool_calls", out.tool_calls)
    if out.pending_action:
        yield sse("pending_action", out.pending_action)
    if out.action_result:
        yield sse("action_result", out.action_result)
    if out.document:
        yield sse("document", out.document)
    yield sse("timings", out.timings_ms)
    yield sse(
        "done",
        {
            "session_id": out.session_id,
            "message_id": out.message_id,
            "refused": out.refused,
            "language": out.language,
            "answer": out.answer,
            "llm": out.llm,
        },
    )
