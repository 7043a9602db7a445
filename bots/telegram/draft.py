"""A streamed reply in Telegram: one message, edited as the answer grows, at most once per interval.

Telegram allows about one edit per second per chat, so pieces are gathered and the message is edited with
what has arrived whenever the interval has passed; the final, formatted answer replaces the draft.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from assistant.text import is_reset

CURSOR = " …"


class Draft:
    def __init__(self, bot: Any, chat_id: int, interval_s: float = 1.0) -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.interval_s = interval_s
        self.text = ""
        self.message_id: int | None = None
        self.edits = 0
        self._shown = ""
        self._last = 0.0
        self._task: asyncio.Task[None] | None = None

    def add(self, piece: str) -> None:
        """Called on the event loop for every streamed piece."""
        # A withdrawn text is replaced as the new one grows, and by the final answer in any case.
        self.text = "" if is_reset(piece) else self.text + piece
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._flush())

    async def _flush(self) -> None:
        wait = self._last + self.interval_s - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        text = self.text.strip()
        if not text or text == self._shown:
            return
        self._last = time.monotonic()
        self._shown = text
        if self.message_id is None:
            sent = await self.bot.send_message(self.chat_id, text[:4000] + CURSOR)
            self.message_id = sent.message_id
        else:
            await self.bot.edit_message_text(text[:4000] + CURSOR, chat_id=self.chat_id, message_id=self.message_id)
            self.edits += 1

    async def settle(self) -> int | None:
        """Wait for the edit in flight; the draft's message id, for the final answer to replace."""
        if self._task is not None:
            await self._task
        return self.message_id
