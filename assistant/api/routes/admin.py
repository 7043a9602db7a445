"""Administrator endpoints, behind a bearer token: feedback, bookings overview, re-ingest."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from assistant.api.deps import Container, ContainerDep, bearer_match
from assistant.api.schemas import ErrorOut
from assistant.records.actions import mask_contact
from assistant.records.models import Booking, ConsultationSlot

ADMIN_CLOSED = (
    "the admin endpoints are closed: ASSISTANT_ADMIN_TOKEN is not set (or is a placeholder or shorter than 24 "
    "characters); set it to a random value, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`, "
    "and restart the server"
)


def require_admin(container: ContainerDep, authorization: Annotated[str | None, Header()] = None) -> Container:
    if not container.settings.admin_enabled:
        # Closed, whatever is sent: a well-known default must never open them, in development either.
        raise HTTPException(status_code=403, detail=ADMIN_CLOSED)
    if bearer_match(authorization, [container.settings.admin_token]) is None:
        raise HTTPException(
            status_code=401,
            detail="admin endpoints need `Authorization: Bearer <ASSISTANT_ADMIN_TOKEN>`",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return container


AdminDep = Annotated[Container, Depends(require_admin)]
router = APIRouter(
    prefix="/v1/admin",
    tags=["admin"],
    responses={
        401: {"model": ErrorOut, "description": "no or a wrong `Authorization: Bearer <ASSISTANT_ADMIN_TOKEN>`"},
        403: {"model": ErrorOut, "description": "ASSISTANT_ADMIN_TOKEN is not set: the admin endpoints are closed"},
        408: {"model": ErrorOut, "description": "the request body did not arrive in time"},
        413: {"model": ErrorOut, "description": "the body is over 64 KiB"},
    },
)


@router.get("/feedback")
async def feedback(container: AdminDep, limit: int = 200) -> dict[str, Any]:
    """Recent feedback with the question and answer it is about."""
    items = await run_in_threadpool(container.history.feedback, min(max(limit, 1), 1000))
    return {"total": len(items), "items": items}


@router.get("/bookings")
async def bookings(container: AdminDep) -> dict[str, Any]:
    """Active bookings, contacts masked."""

    def load() -> list[dict[str, Any]]:
        with container.records.sessions() as session:
            rows = session.execute(
                select(Booking, ConsultationSlot)
                .join(ConsultationSlot, ConsultationSlot.id == Booking.slot_id)
                .where(Booking.status == "confirmed")
                .order_by(ConsultationSlot.start)
            ).all()
            return [
                {
                    "booking_ref": b.ref,
                    "slot_id": s.id,
                    "expert": s.expert,
                    "start": s.start.isoformat(),
                    "name": b.name,
                    "contact": mask_contact(b.contact),
                }
                for b, s in rows
            ]

    items = await run_in_threadpool(load)
    return {"total": len(items), "items": items}


@router.post("/ingest")
async def ingest(container: AdminDep) -> dict[str, Any]:
    """Re-index the knowledge base folder; the previous index keeps serving until the new one is complete."""
    from assistant.ingest import ingest as run_ingest

    settings = container.settings
    report = await run_in_threadpool(
        run_ingest, [settings.knowledge_dir], settings, container.store, container.embedder
    )
    container.retriever.refresh(force=True)
    return {
        "summary": report.summary(),
        "errors": [{"path": p, "error": e} for p, e in report.errors],
        "warnings": [{"path": p, "warning": w} for p, w in report.warnings],
    }


class RecordsIn(BaseModel):
    kind: Literal["offers", "platforms", "slots"]
    records: list[dict[str, Any]] = Field(min_length=1)


@router.post("/records/import", responses={422: {"description": "row-level errors; nothing imported"}})
async def import_records(body: RecordsIn, container: AdminDep) -> Any:
    """Validate and upsert records (the CSV/JSON columns as objects); any bad row imports nothing."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload-{body.kind}.json"
        # ASCII escapes: a lone surrogate in the upload reaches the row checks instead of failing the write.
        path.write_text(json.dumps(body.records, default=str), encoding="utf-8")
        report = await run_in_threadpool(container.records.import_file, path, body.kind)
    content = {
        "summary": report.summary().replace(str(path), "upload"),
        "inserted": report.inserted,
        "updated": report.updated,
        "errors": [
            {"row": e.row, "column": e.column, "message": e.message, "message_zh": e.message_zh} for e in report.errors
        ],
    }
    return JSONResponse(status_code=200 if report.ok else 422, content=content)
