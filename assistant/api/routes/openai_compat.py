"""OpenAI-compatible chat: `POST /v1/chat/completions` (plain and streamed) and `GET /v1/models`.

The last user message is the question. The conversation is one assistant session: `session_id` in the body
(`extra_body` in the official client), else the `user` field, else a hash of the first user message.
Citations appear in the text as `[n]` with a sources list, and in an extra `citations` field.

A streamed completion cannot take words back, and a model's text may be withdrawn until the turn ends (a
retry, a rejected answer): the answer's pieces are held until the turn is over, then sent as chunks.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.api.deps import ContainerDep
from assistant.api.routes.chat import answer, chat_request
from assistant.api.schemas import ChatIn, ChatOut, ErrorOut, StorableStr, storable
from assistant.api.streaming import stream_turn
from assistant.text import is_reset

router = APIRouter(prefix="/v1", tags=["openai-compatible"])
MODEL_ID = "iei-assistant"
log = logging.getLogger("assistant.api")


class OpenAIMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None

    @model_validator(mode="after")
    def _storable(self) -> OpenAIMessage:
        storable(self.text())  # the question is stored with the conversation
        return self

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(str(part.get("text", "")) for part in self.content if part.get("type") == "text")
        return self.content or ""


class CompletionIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = MODEL_ID
    messages: list[OpenAIMessage] = Field(min_length=1)
    stream: bool = False
    user: StorableStr | None = None
    session_id: StorableStr | None = Field(default=None, max_length=128)
    role: Literal["student", "enterprise", "teacher", "admin"] = "student"
    lang: Literal["auto", "en", "zh"] = "auto"


def _session_id(body: CompletionIn) -> str:
    if body.session_id:
        return body.session_id
    first = next((m.text() for m in body.messages if m.role == "user"), "")
    return "oai-" + hashlib.sha256(f"{body.user or ''}\0{first}".encode()).hexdigest()[:24]


def with_sources(out: ChatOut) -> str:
    if not out.citations:
        return out.answer
    sources = "\n".join(f"[{c.n}] {c.doc_id}#{c.section} — {c.title}" for c in out.citations)
    return f"{out.answer}\n\nSources:\n{sources}"


def _extras(out: ChatOut) -> dict[str, Any]:
    return {
        "citations": [c.model_dump() for c in out.citations],
        "tool_calls_made": out.tool_calls,
        "pending_action": out.pending_action,
        "session_id": out.session_id,
        "message_id": out.message_id,
        "refused": out.refused,
        "llm": out.llm,
    }


@router.get("/models")
async def models() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "iei"}]}


@router.post("/chat/completions", responses={413: {"model": ErrorOut}, 422: {"model": ErrorOut}})
async def completions(body: CompletionIn, container: ContainerDep) -> Any:
    question = next((m.text() for m in reversed(body.messages) if m.role == "user"), "")
    chat_in = ChatIn(message=question, session_id=_session_id(body), role=body.role, lang=body.lang)
    completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    created = int(time.time())
    if body.stream:
        turn = stream_turn(container.assistant, chat_request(chat_in, container))
        return StreamingResponse(_chunks(completion_id, created, turn), media_type="text/event-stream")
    out = await answer(chat_in, container)
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": MODEL_ID,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": with_sources(out)}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        **_extras(out),
    }


async def _chunks(completion_id: str, created: int, turn: AsyncIterator[str | ChatOut]) -> AsyncIterator[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        payload = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    pieces: list[str] = []
    try:
        async for item in turn:
            if isinstance(item, str):
                if is_reset(item):
                    pieces.clear()
                else:
                    pieces.append(item)
                continue
            out = item
    except Exception:
        log.exception("streamed completion failed")
        yield chunk({"content": "\n\n(The answer failed; please ask again.)"}, "stop")
        yield "data: [DONE]\n\n"
        return
    for piece in pieces:
        yield chunk({"content": piece})
    sources = with_sources(out)[len(out.answer) :]
    if sources:
        yield chunk({"content": sources})
    yield chunk({}, "stop", **_extras(out))
    yield "data: [DONE]\n\n"
