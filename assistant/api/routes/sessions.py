"""POST /v1/sessions: open a conversation before its first question (its id is the only handle on it)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from assistant.api.deps import ContainerDep, OwnerDep
from assistant.api.schemas import CONVERSATION_ERRORS

router = APIRouter(prefix="/v1", tags=["chat"])


class SessionOut(BaseModel):
    session_id: str = Field(description="Send it with each message of this conversation; keep it private.")


@router.post("/sessions", status_code=201, response_model=SessionOut, responses=CONVERSATION_ERRORS)
async def open_session(container: ContainerDep, owner: OwnerDep) -> SessionOut:
    """A new, empty conversation; `/v1/chat` without `session_id` opens one too, with its first answer."""
    return SessionOut(session_id=await run_in_threadpool(container.sessions.open, owner))
