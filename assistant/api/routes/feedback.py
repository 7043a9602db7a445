"""POST /v1/feedback: thumbs up or down on an answer, with an optional comment."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.deps import ContainerDep, OwnerDep
from assistant.api.schemas import CONVERSATION_ERRORS, StorableStr
from assistant.sessions import UnknownSession

router = APIRouter(prefix="/v1", tags=["feedback"])


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: StorableStr = Field(min_length=1, max_length=128)
    message_id: StorableStr | None = Field(default=None, max_length=32)
    rating: Literal["up", "down"]
    comment: StorableStr | None = Field(default=None, max_length=2000)


@router.post("/feedback", status_code=201, responses=CONVERSATION_ERRORS)
async def feedback(body: FeedbackIn, container: ContainerDep, owner: OwnerDep) -> dict[str, object]:
    """Record feedback on an answer of one of the caller's sessions."""
    if not await run_in_threadpool(container.sessions.belongs, body.session_id, owner):
        raise UnknownSession(body.session_id)
    if body.message_id is not None and not await run_in_threadpool(
        container.history.has_message, body.session_id, body.message_id
    ):
        return JSONResponse(  # type: ignore[return-value]
            status_code=404,
            content={"error": "unknown message_id: send the `message_id` of an answer in this session"},
        )
    feedback_id = await run_in_threadpool(
        container.history.add_feedback, body.session_id, body.message_id, body.rating, body.comment
    )
    return {"id": feedback_id, "status": "recorded"}
