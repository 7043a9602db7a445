"""Telegram webhook mode: the route checks the secret header and only enqueues the update."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

router = APIRouter(include_in_schema=False)


@router.post("/telegram/webhook")
async def webhook(
    request: Request, x_telegram_bot_api_secret_token: Annotated[str | None, Header()] = None
) -> JSONResponse:
    bot = getattr(request.app.state, "telegram", None)
    expected = request.app.state.container.settings.telegram_webhook_secret
    given = (x_telegram_bot_api_secret_token or "").encode()
    if bot is None or not expected or not secrets.compare_digest(given, expected.encode()):
        return JSONResponse(status_code=403, content={"error": "wrong or missing X-Telegram-Bot-Api-Secret-Token"})
    from bots.telegram.bot import MalformedUpdate, enqueue_update

    try:
        enqueue_update(bot, json.loads(await request.body()))
    except (ValueError, RecursionError) as exc:  # not JSON, nested past any real update, or not an Update
        reason = str(exc) if isinstance(exc, MalformedUpdate) else "not JSON"
        return JSONResponse(status_code=400, content={"error": f"the body is not a Telegram Update object: {reason}"})
    return JSONResponse({"ok": True})


@asynccontextmanager
async def telegram_webhook_app(container: Any) -> AsyncIterator[Any]:
    """The bot application running beside the API (webhook mode), or None when not configured."""
    settings = container.settings
    if not (settings.telegram_bot_token and settings.telegram_mode == "webhook"):
        yield None
        return
    from bots.telegram.bot import build_application

    application = build_application(settings.telegram_bot_token, container.assistant, settings.telegram_api_base_url)
    await application.initialize()
    if settings.telegram_webhook_url:
        # Tell Telegram where to deliver updates, with the secret it must send back in the header.
        await application.bot.set_webhook(settings.telegram_webhook_url, secret_token=settings.telegram_webhook_secret)
    await application.start()
    try:
        yield application
    finally:
        await application.stop()
        await application.shutdown()
