"""Confirming or dropping a proposed side effect (a booking or a cancellation) by its token."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from assistant.api.deps import Container, ContainerDep, OwnerDep
from assistant.api.schemas import CONVERSATION_ERRORS, ActionOut, ErrorOut, StorableStr
from assistant.sessions import Owner

router = APIRouter(prefix="/v1/actions", tags=["actions"])
UNKNOWN_TOKEN = "no pending action with that token; ask again to get a new one"
RESPONSES = {**CONVERSATION_ERRORS, 409: {"model": ErrorOut}, 410: {"model": ErrorOut}}


def _reachable(container: Container, token: str, owner: Owner) -> bool:
    """The token names an action proposed in one of the caller's sessions (or in none, for tools)."""
    exists, session_id = container.records.action_session(token)
    return exists and (session_id is None or container.sessions.belongs(session_id, owner))


@router.post("/{token}/confirm", response_model=ActionOut, responses=RESPONSES)
async def confirm(token: StorableStr, container: ContainerDep, owner: OwnerDep) -> ActionOut | JSONResponse:
    """Carry out the action; repeating the call returns the same outcome (idempotent).

    409 when the slot was taken or has started meanwhile, 410 when the proposal expired.
    """
    if not await run_in_threadpool(_reachable, container, token, owner):
        return JSONResponse(status_code=404, content={"error": UNKNOWN_TOKEN})
    outcome = await run_in_threadpool(container.records.confirm, token)
    if outcome.status == "not_found":
        return JSONResponse(status_code=404, content={"error": outcome.message})
    if outcome.status == "expired":
        return JSONResponse(status_code=410, content={"error": outcome.message, "status": outcome.status})
    if not outcome.ok:
        return JSONResponse(status_code=409, content={"error": outcome.message, "status": outcome.status})
    return ActionOut(
        status=outcome.status,  # type: ignore[arg-type]
        booking_ref=outcome.booking_ref,
        cancellation_code=outcome.cancellation_code,
        message=outcome.message,
    )


@router.post("/{token}/dismiss", response_model=ActionOut, responses=RESPONSES)
async def dismiss(token: StorableStr, container: ContainerDep, owner: OwnerDep) -> ActionOut | JSONResponse:
    """Drop the proposal; nothing is booked or cancelled."""
    reachable = await run_in_threadpool(_reachable, container, token, owner)
    if not reachable or not await run_in_threadpool(container.records.dismiss, token):
        return JSONResponse(status_code=404, content={"error": UNKNOWN_TOKEN})
    return ActionOut(status="dismissed", message="not carried out")
