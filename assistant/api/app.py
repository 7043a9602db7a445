"""The FastAPI application: built by `create_app`, dependencies made once in the lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from assistant.api.deps import Container
from assistant.api.errors import install_error_handlers
from assistant.api.routes import actions, chat, health
from assistant.settings import Settings, get_settings

MAX_BODY_BYTES = 64 * 1024
log = logging.getLogger("assistant.api")


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    """The app; tests pass their own settings or a ready container."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.container = container or await run_in_threadpool(Container.build, settings or get_settings())
        await run_in_threadpool(app.state.container.warm_up)
        if not app.state.container.retriever.ready:
            log.warning("the index is empty: run `assistant ingest`; /v1/chat answers 503 until then")
        yield

    app = FastAPI(
        title="Industry-education integration assistant",
        version="0.1.0",
        description="Cited answers about industry-education integration: the paper peng2026 and policies.",
        lifespan=lifespan,
    )
    install_error_handlers(app)

    @app.middleware("http")
    async def limit_body(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return JSONResponse(
                status_code=413, content={"error": f"request body over {MAX_BODY_BYTES // 1024} KiB; send less"}
            )
        return await call_next(request)

    app.include_router(chat.router)
    app.include_router(actions.router)
    app.include_router(health.router)
    return app
