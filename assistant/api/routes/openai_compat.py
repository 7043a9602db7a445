"""OpenAI-compatible chat: `POST /v1/chat/completions` (plain and streamed) and `GET /v1/models`.

The last user message is the question. A conversation continues only with a session id the server issued:
`session_id` in the body (`extra_body` in the official client) or the `X-Session-Id` header. Without one,
each request opens a new session, so nothing a client sends (its first words, its `user` field) can land
it in a stranger's conversation; the new id comes back in the body's `session_id` and the `X-Session-Id`
header, for clients that want to continue. Citations appear in the text as `[n]` with a sources list, and
in an extra `citations` field.

A streamed completion cannot take words back, and a model's text may be withdrawn until the turn ends (a
retry, a rejected answer): the answer's pieces are held until the turn is over, then sent as chunks.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.api.deps import ContainerDep, OwnerDep
from assistant.api.routes.chat import answer, chat_request, stream_request
from assistant.api.schemas import CONVERSATION_ERRORS, ChatIn, ChatOut, StorableStr, storable
from assistant.api.streaming import stream_turn
from assistant.text import is_reset

router = APIRouter(prefix="/v1", tags=["openai-compatible"])
MODEL_ID = "iei-assistant"
SESSION_HEADER = "X-Session-Id"
log = logging.getLogger("assistant.api")


class OpenAIMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None

    @field_validator("content", mode="before")
    @classmethod
    def _one_of_the_openai_shapes(cls, value: object) -> object:
        # Checked here so that the error names `content` once, not once per branch of the union.
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, list) and all(isinstance(part, dict) for part in value):
            return value
        raise ValueError('must be a string or a list of content parts like {"type": "text", "text": "..."}')

    @field_validator("content", mode="after")
    @classmethod
    def _storable(cls, value: str | list[dict[str, Any]] | None) -> str | list[dict[str, Any]] | None:
        storable(_text_of(value))  # the question is stored with the conversation
        return value

    def text(self) -> str:
        return _text_of(self.content)


def _text_of(content: str | list[dict[str, Any]] | None) -> str:
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if part.get("type") == "text")
    return content or ""


class CompletionIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = MODEL_ID
    messages: list[OpenAIMessage] = Field(min_length=1)
    stream: bool = False
    user: StorableStr | None = None
    session_id: StorableStr | None = Field(default=None, max_length=128)
    role: Literal["student", "enterprise", "teacher", "admin"] = "student"
    lang: Literal["auto", "en", "zh"] = "auto"


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


@router.post("/chat/completions", responses=CONVERSATION_ERRORS)
async def completions(
    body: CompletionIn,
    container: ContainerDep,
    owner: OwnerDep,
    x_session_id: Annotated[StorableStr | None, Header(max_length=128)] = None,
) -> Any:
    """A chat completion; continue a conversation with the `session_id` (or `X-Session-Id`) of an answer."""
    asked = [i for i, m in enumerate(body.messages) if m.role == "user"]
    if not asked:
        error = 'has no message with role "user": send the question as one'
        raise RequestValidationError([{"loc": ("body", "messages"), "type": "value_error", "ctx": {"error": error}}])
    question, loc = body.messages[asked[-1]].text(), ("body", "messages", asked[-1], "content")
    session_id = body.session_id or x_session_id
    completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    created = int(time.time())
    chat_in = ChatIn(message=question, session_id=session_id, role=body.role, lang=body.lang)
    if body.stream:
        if session_id is None:
            request = chat_request(chat_in, container, owner, loc)  # a bad message opens no session
            # The header goes out before the turn has run: the new session is opened first; it is the caller's.
            session_id = await run_in_threadpool(container.sessions.open, owner)
            request = replace(request, session_id=session_id)
        else:
            request = await stream_request(chat_in, container, owner, loc)
        turn = stream_turn(container.assistant, request)
        return StreamingResponse(
            _chunks(completion_id, created, turn),
            media_type="text/event-stream",
            headers={SESSION_HEADER: session_id},
        )
    out = await answer(chat_in, container, owner, loc)
    completion = {
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
    return JSONResponse(completion, headers={SESSION_HEADER: out.session_id})


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
