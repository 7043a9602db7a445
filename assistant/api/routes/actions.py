"""Confirming or dropping a proposed side effect (a booking or a cancellation) by its token."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from assistant.api.deps import ContainerDep
from assistant.api.schemas import ActionOut, ErrorOut, StorableStr

router = APIRouter(prefix="/v1/actions", tags=["actions"])


@router.post(
    "/{token}/confirm",
    response_model=ActionOut,
    responses={404: {"model": ErrorOut}, 409: {"model": ErrorOut}},
)
async def confirm(token: StorableStr, container: ContainerDep) -> ActionOut | JSONResponse:
    """Carry out the action; repeating the call returns the same outcome (idempotent)."""
    outcome = await run_in_threadpool(container.records.confirm, token)
    if outcome.status == "not_found":
        return JSONResponse(status_code=404, content={"error": outcome.message})
    if not outcome.ok:
        return JSONResponse(status_code=409, content={"error": outcome.message, "status": outcome.status})
    return ActionOut(
        status=outcome.status,  # type: ignore[arg-type]
        booking_ref=outcome.booking_ref,
        cancellation_code=outcome.cancellation_code,
        message=outcome.message,
    )


@router.post("/{token}/dismiss", response_model=ActionOut, responses={404: {"model": ErrorOut}})
async def dismiss(token: StorableStr, container: ContainerDep) -> ActionOut | JSONResponse:
    """Drop the proposal; nothing is booked or cancelled."""
    if not await run_in_threadpool(container.records.dismiss, token):
        return JSONResponse(status_code=404, content={"error": "no pending action with that token"})
    return ActionOut(status="dismissed", message="not carried out")
