"""POST /v1/chat: one turn with the assistant."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError

from assistant.api.deps import ContainerDep
from assistant.api.errors import InputTooLargeError
from assistant.api.schemas import ChatIn, ChatOut, ErrorOut
from assistant.service import ChatRequest

router = APIRouter(prefix="/v1", tags=["chat"])


@router.post(
    "/chat",
    response_model=ChatOut,
    responses={413: {"model": ErrorOut}, 422: {"model": ErrorOut}, 503: {"model": ErrorOut}},
)
async def chat(body: ChatIn, container: ContainerDep) -> ChatOut:
    """Ask a question; the answer cites `doc_id#section` passages, or declines with `refused: true`."""
    limit = container.settings.max_message_chars
    if not body.message.strip():
        raise RequestValidationError(
            [{"loc": ("body", "message"), "msg": "must not be empty: type a question", "type": "value_error"}]
        )
    if len(body.message) > limit:
        raise InputTooLargeError(
            f"`message` has {len(body.message):,} characters; the limit is {limit:,}: shorten it or ask in parts"
        )
    request = ChatRequest(message=body.message, session_id=body.session_id, role=body.role, lang=body.lang)
    result = await run_in_threadpool(container.assistant.chat, request)
    return ChatOut.from_result(result, include_retrieved=body.include_retrieved)
