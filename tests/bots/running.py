"""The real bot, long-polling a fake Bot API server from its own event loop thread, for tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from assistant.service import Assistant
from bots.telegram.bot import build_application
from bots.telegram.fake_api import FakeBotAPI


@contextmanager
def running_bot(assistant: Assistant, **bot_data: Any) -> Iterator[tuple[FakeBotAPI, Any]]:
    api = FakeBotAPI().start()
    application = build_application("123:TEST", assistant, base_url=api.base_url)
    application.bot_data.update(bot_data)
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    async def run() -> None:
        await application.initialize()
        await application.start()
        await application.updater.start_polling(poll_interval=0.02, timeout=1)
        ready.set()

    async def stop() -> None:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(run()), loop.run_forever()), daemon=True)
    thread.start()
    try:
        assert ready.wait(30), "the bot did not start"
        yield api, application
    finally:
        asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        api.stop()
