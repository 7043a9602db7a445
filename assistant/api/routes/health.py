"""GET /health: is the index loaded, and on what."""

from __future__ import annotations

import os

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from assistant.api.deps import ContainerDep
from assistant.api.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut)
async def health(container: ContainerDep) -> HealthOut:
    stats = await run_in_threadpool(container.retriever.stats)
    return HealthOut(
        status="ok" if stats["chunks"] else "empty",
        index=stats,
        embedder=container.embedder.id,
        store=container.store.description,
        worker=os.getpid(),
    )
