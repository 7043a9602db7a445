"""POST /v1/chat: one turn with the assistant."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse

from assistant.api.deps import Container, ContainerDep, OwnerDep
from assistant.api.errors import InputTooLargeError, field_path
from assistant.api.schemas import CONVERSATION_ERRORS, ChatIn, ChatOut, ErrorOut
from assistant.api.streaming import chat_events
from assistant.service import ChatRequest
from assistant.sessions import Owner

router = APIRouter(prefix="/v1", tags=["chat"])
#: Where the question is in a request, for the errors about it: `message` here, a message's content elsewhere.
Loc = tuple[str | int, ...]
MESSAGE: Loc = ("body", "message")


def validate_message(body: ChatIn, limit: int, loc: Loc = MESSAGE) -> None:
    """Empty and oversized messages are the caller's to fix: 422 and 413 naming the field (`loc`) and the fix."""
    if not body.message.strip():
        error = "must not be empty: type a question"
        raise RequestValidationError([{"loc": loc, "msg": error, "type": "value_error", "ctx": {"error": error}}])
    if len(body.message) > limit:
        raise InputTooLargeError(
            f"`{field_path(loc)}` has {len(body.message):,} characters; the limit is {limit:,}: shorten it or "
            "ask in parts"
        )


def chat_request(body: ChatIn, container: Container, owner: Owner, loc: Loc = MESSAGE) -> ChatRequest:
    """The turn to run, once the message (at `loc` in the request) is valid; the turn itself refuses a session
    not issued to `owner`."""
    validate_message(body, container.settings.max_message_chars, loc)
    return ChatRequest(message=body.message, session_id=body.session_id, role=body.role, lang=body.lang, owner=owner)


async def stream_request(body: ChatIn, container: Container, owner: Owner, loc: Loc = MESSAGE) -> ChatRequest:
    """`chat_request` for a stream, whose 200 goes out before the turn runs: the session is checked first."""
    request = chat_request(body, container, owner, loc)
    if body.session_id is not None:
        await run_in_threadpool(container.sessions.check, body.session_id, owner)
    return request


async def answer(body: ChatIn, container: Container, owner: Owner, loc: Loc = MESSAGE) -> ChatOut:
    result = await run_in_threadpool(container.assistant.chat, chat_request(body, container, owner, loc))
    return ChatOut.from_result(result, include_retrieved=body.include_retrieved)


@router.post(
    "/chat/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **CONVERSATION_ERRORS},
)
async def chat_stream(body: ChatIn, container: ContainerDep, owner: OwnerDep) -> StreamingResponse:
    """The same turn as Server-Sent Events: `delta` texts, then `citations`, `tool_calls`, `pending_action`,
    `action_result`, `timings` and a final `done`."""
    events = chat_events(container.assistant, await stream_request(body, container, owner), body.include_retrieved)
    return StreamingResponse(events, media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


@router.post(
    "/chat",
    response_model=ChatOut,
    responses={**CONVERSATION_ERRORS, 503: {"model": ErrorOut}},
)
async def chat(body: ChatIn, container: ContainerDep, owner: OwnerDep) -> ChatOut:
    """Ask a question; the answer cites `doc_id#section` passages, or declines with `refused: true`.

    Without `session_id` a new conversation starts; continue it with the answer's `session_id`.
    """
    return await answer(body, container, owner)
