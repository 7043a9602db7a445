"""Server-Sent Events for one chat turn: text deltas, then citations, tool calls, actions, timings, done."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from assistant.api.schemas import ChatOut

_PIECE = re.compile(r"\S+\s*|\s+")


def text_pieces(text: str, words: int = 6) -> Iterator[str]:
    """The answer in small pieces, whitespace kept, so joining the deltas gives the exact answer back."""
    tokens = _PIECE.findall(text)
    for start in range(0, len(tokens), words):
        yield "".join(tokens[start : start + words])


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def chat_events(out: ChatOut) -> Iterator[str]:
    for piece in text_pieces(out.answer):
        yield sse("delta", {"text": piece})
    yield sse("citations", [c.model_dump() for c in out.citations])
    if out.tool_calls:
        yield sse("tool_calls", out.tool_calls)
    if out.pending_action:
        yield sse("pending_action", out.pending_action)
    if out.action_result:
        yield sse("action_result", out.action_result)
    yield sse("timings", out.timings_ms)
    yield sse(
        "done",
        {"session_id": out.session_id, "message_id": out.message_id, "refused": out.refused, "language": out.language},
    )
