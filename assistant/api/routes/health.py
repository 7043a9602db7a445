"""GET /health: is the index loaded, and on what; does the database answer."""

from __future__ import annotations

import os

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from assistant.api.deps import ContainerDep
from assistant.api.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthOut,
    responses={503: {"description": "the database does not answer: the same fields, plus `error` naming the fix"}},
)
async def health(container: ContainerDep) -> HealthOut | JSONResponse:
    """200 while the API can serve; 503 when the records database does not answer (`error` says what to check)."""
    stats = await run_in_threadpool(container.retriever.stats)
    problem = await run_in_threadpool(container.records.database_problem)  # one `SELECT 1`
    out = HealthOut(
        status="ok" if stats["chunks"] else "empty",
        index=stats,
        embedder=container.embedder.id,
        store=container.store.description,
        worker=os.getpid(),
    )
    if problem is None:
        return out
    out.status, out.database = "unavailable", problem
    error = f"the records database does not answer ({problem}); check DATABASE_URL and that the server is running"
    return JSONResponse(status_code=503, content={**out.model_dump(), "error": error})
