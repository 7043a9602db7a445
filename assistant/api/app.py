"""The FastAPI application: built by `create_app`, dependencies made once in the lifespan."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.requests import ClientDisconnect

from assistant.api.body_limit import BodySizeLimit
from assistant.api.deps import Container
from assistant.api.errors import install_error_handlers
from assistant.api.routes import (
    actions,
    admin,
    chat,
    documents,
    feedback,
    health,
    openai_compat,
    sessions,
    telegram_webhook,
)
from assistant.api.routes.telegram_webhook import telegram_webhook_app
from assistant.api.routes.web import mount_web
from assistant.records.ratelimits import DatabaseRateLimiter
from assistant.redaction import redact_logs
from assistant.settings import Settings, get_settings

MAX_BODY_BYTES = 64 * 1024
# Conversation endpoints are rate limited per client IP; health, docs and admin reads are not.
LIMITED_PREFIXES = ("/v1/chat", "/v1/feedback", "/v1/actions", "/v1/sessions")
log = logging.getLogger("assistant.api")


async def _session_of(request: Request) -> str | None:
    """The conversation a request belongs to: the per-user key of the rate limit. The OpenAI-compatible
    endpoint also continues a conversation named in the `X-Session-Id` header."""
    if header := request.headers.get("x-session-id", "").strip():
        return header
    try:
        body = json.loads(await request.body() or b"{}")
    except (ValueError, RecursionError):  # malformed or absurdly nested JSON: the route will reject it
        return None
    return str(body.get("session_id") or body.get("user") or "") or None if isinstance(body, dict) else None


def create_app(
    settings: Settings | None = None, container: Container | None = None, rate_limit: int | None = None
) -> FastAPI:
    """The app; tests pass their own settings or a ready container, and the eval harness lifts the rate limit."""
    redact_logs()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.container = container or await run_in_threadpool(Container.build, settings or get_settings())
        # Counters live in the database, so every worker of a deployment enforces one shared limit.
        app.state.limiter = DatabaseRateLimiter(app.state.container.records.sessions, limit)
        await run_in_threadpool(app.state.container.warm_up)
        if not app.state.container.retriever.ready:
            log.warning("the index is empty: run `assistant ingest`; /v1/chat answers 503 until then")
        async with telegram_webhook_app(app.state.container) as bot:
            app.state.telegram = bot
            yield

    app = FastAPI(
        title="Industry-education integration assistant",
        version="0.1.0",
        description="Cited answers about industry-education integration: the paper peng2026 and policies.",
        lifespan=lifespan,
    )
    install_error_handlers(app)

    effective = settings or (container.settings if container else get_settings())
    limit = rate_limit or effective.rate_limit_per_minute

    @app.middleware("http")
    async def rate_limits(request: Request, call_next):  # type: ignore[no-untyped-def]
        if request.method == "POST" and request.url.path.startswith(LIMITED_PREFIXES):
            limiter = request.app.state.limiter
            client = request.client.host if request.client else "unknown"
            # The limit is part of the key: a deployment that changes it starts from fresh counters.
            wait = await run_in_threadpool(limiter.retry_after, f"{limit}:ip:{client}")
            try:
                user = await _session_of(request)
            except ClientDisconnect:  # the client left before its question arrived: nobody to answer
                log.debug("client %s disconnected while sending %s", client, request.url.path)
                return Response(status_code=400)
            if wait is None and user:
                wait = await run_in_threadpool(limiter.retry_after, f"{limit}:user:{user}")
            if wait is not None:
                return JSONResponse(
                    status_code=429,
                    headers={"Retry-After": str(wait)},
                    content={"error": f"too many requests from {client}; try again in {wait} s"},
                )
        return await call_next(request)

    # Every route, admin ones included, takes at most 64 KiB; added after the rate limit so it runs first
    # (a body is read whole only once it is known to fit), and before CORS so a 413 carries its headers.
    app.add_middleware(BodySizeLimit, limit=MAX_BODY_BYTES, deadline_s=effective.request_body_timeout_s)
    if effective.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=effective.cors_origins, allow_methods=["GET", "POST"], allow_headers=["*"]
        )
    routers = (chat, sessions, openai_compat, actions, documents, feedback, admin, health)
    for router in (module.router for module in routers):
        app.include_router(router)
    app.include_router(telegram_webhook.router)
    mount_web(app)
    return app
