"""Drafted agreements: `GET /v1/documents/{id}` (.docx or Markdown) and the list of a session's drafts."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from assistant.api.deps import ContainerDep, OwnerDep
from assistant.api.schemas import CONVERSATION_ERRORS, ErrorOut, StorableStr

router = APIRouter(prefix="/v1", tags=["documents"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _missing(draft_id: str) -> JSONResponse:
    return JSONResponse(
        status_code=404,
        content={"error": f"no draft {draft_id!r}: use the download_url of a drafting answer, or list the session's"},
    )


@router.get(
    "/documents/{draft_id}",
    response_class=Response,
    responses={
        200: {"content": {DOCX: {}, "text/markdown": {}}},
        401: CONVERSATION_ERRORS[401],
        404: {"model": ErrorOut},
    },
)
async def document(
    draft_id: StorableStr,
    container: ContainerDep,
    owner: OwnerDep,
    format: Literal["docx", "md"] = Query("docx", description="docx (editable Word file) or md (Markdown)"),
) -> Response:
    """Download a drafted agreement; the id (128 random bits) is in the chat answer's `document`.

    The link is a capability, like a session id: it opens a draft of the caller's own conversations only.
    """
    row = await run_in_threadpool(container.agreements.store.get, draft_id)
    if row is None or not await run_in_threadpool(container.sessions.belongs, row.session_id, owner):
        return _missing(draft_id)
    if format == "md":
        return PlainTextResponse(row.markdown, media_type="text/markdown; charset=utf-8")
    name, data = await run_in_threadpool(container.agreements.docx_of, row)
    return Response(data, media_type=DOCX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/sessions/{session_id}/documents", responses=CONVERSATION_ERRORS)
async def session_documents(session_id: StorableStr, container: ContainerDep, owner: OwnerDep) -> dict[str, Any]:
    """The drafts of one of the caller's conversations, newest first."""
    await run_in_threadpool(container.sessions.check, session_id, owner)
    drafts = await run_in_threadpool(container.agreements.store.for_session, session_id)
    return {"session_id": session_id, "documents": drafts}
