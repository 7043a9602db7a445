"""A fake Telegram Bot API server on 127.0.0.1 for tests: the real python-telegram-bot talks to it.

Push updates with `push_text` / `push_button`; read what the bot did in `sent`, `edited` and `answered`.
Implements getMe, getUpdates (long polling), sendMessage, editMessageText, answerCallbackQuery,
sendChatAction, setMyCommands, setWebhook, deleteWebhook and sendDocument.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request

from assistant.fakes.serving import BackgroundServer

BOT = {"id": 4242, "is_bot": True, "first_name": "IEI assistant", "username": "iei_test_bot"}


class FakeBotAPI:
    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        self.edited: list[dict[str, Any]] = []
        self.answered: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._lock = threading.Lock()
        self.app = self._build()
        self.port = 0
        self._server: BackgroundServer | None = None

    # -- driving the bot --------------------------------------------------------------------------

    def push_text(self, chat_id: int, text: str) -> None:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "U"},
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self._push({"message": message})

    def push_button(self, chat_id: int, message: dict[str, Any], data: str) -> None:
        self._push(
            {
                "callback_query": {
                    "id": str(next(self._message_ids)),
                    "from": {"id": chat_id, "is_bot": False, "first_name": "U"},
                    "chat_instance": str(chat_id),
                    "data": data,
                    "message": message,
                }
            }
        )

    def _push(self, update: dict[str, Any]) -> None:
        with self._lock:
            self.updates.append({"update_id": next(self._update_ids), **update})

    def wait_for(self, predicate: Any, timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = predicate()
            if found:
                return found
            time.sleep(0.05)
        raise TimeoutError("the bot did not do what was expected in time")

    def messages_to(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for m in self.sent if m["chat"]["id"] == chat_id]

    # -- the API ----------------------------------------------------------------------------------

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/bot{token}/{method}")
        async def call(token: str, method: str, request: Request) -> dict[str, Any]:
            params = await _parameters(request)
            self.calls.append(method)
            return {"ok": True, "result": await self._handle(method, params)}

        return app

    async def _handle(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
            while True:
                with self._lock:
                    pending = [u for u in self.updates if u["update_id"] >= offset]
                if pending or time.monotonic() >= deadline:
                    return pending
                await asyncio.sleep(0.05)
        if method in ("sendMessage", "sendDocument"):
            message = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "from": BOT,
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "text": str(params.get("text", params.get("caption", ""))),
                "reply_markup": params.get("reply_markup"),
                "parse_mode": params.get("parse_mode"),
            }
            if method == "sendDocument":
                upload = params.get("document")
                message["document"] = upload if isinstance(upload, dict) else {"file_id": str(upload)}
            with self._lock:
                self.sent.append(message)
            hidden = ("reply_markup", "parse_mode", "document")
            reply = {k: v for k, v in message.items() if k not in hidden or (v and k != "document")}
            if method == "sendDocument":
                reply["document"] = {"file_id": f"doc-{message['message_id']}", "file_unique_id": "u"}
            return reply
        if method == "editMessageText":
            edit = {
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "message_id": int(params["message_id"]),
                "text": str(params["text"]),
                "date": int(time.time()),
                "from": BOT,
                "parse_mode": params.get("parse_mode"),
                "reply_markup": params.get("reply_markup"),
            }
            with self._lock:
                self.edited.append(edit)
            return edit
        if method == "answerCallbackQuery":
            with self._lock:
                self.answered.append(params)
            return True
        return True  # sendChatAction, setMyCommands, setWebhook, deleteWebhook, …

    # -- lifecycle --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> FakeBotAPI:
        self._server = BackgroundServer(self.app).start()
        self.port = self._server.port
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()


async def _parameters(request: Request) -> dict[str, Any]:
    """python-telegram-bot sends form fields whose values are JSON; tests may send JSON bodies."""
    body = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        return json.loads(body or b"{}")
    if request.headers.get("content-type", "").startswith("multipart/"):
        # File uploads (sendDocument): plain fields, and each file as {"filename", "content"}.
        params = {}
        async with request.form() as form:
            for key, value in form.multi_items():
                if hasattr(value, "read"):
                    params[key] = {"filename": value.filename, "content": await value.read()}
                else:
                    params[key] = value
        return params
    params: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params
