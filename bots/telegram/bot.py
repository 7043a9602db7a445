"""The only module that imports `telegram`: handlers that translate between Telegram and the assistant."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from assistant.service import Assistant, ChatRequest
from assistant.sessions import Owner
from assistant.text import detect_language
from bots.telegram.draft import Draft
from bots.telegram.format import answer_html, split_message

log = logging.getLogger("assistant.telegram")
ROLES = ("student", "enterprise", "teacher", "admin")
HELP = {
    "en": (
        "I answer questions about industry-education integration (the paper and national and Jiangsu policies) "
        "with sources, find training offers, platforms and patents, and book consultations with experts.\n\n"
        "/role student|enterprise|teacher|admin — who you are\n/lang en|zh|auto — reply language\n"
        "/bookings — your bookings\n/help — this message"
    ),
    "zh": (
        "我可以回答产教融合相关问题（论文以及国家和江苏政策）并附出处，查找培训机会、平台和专利，并预约专家咨询。\n\n"
        "/role student|enterprise|teacher|admin — 您的身份\n/lang en|zh|auto — 回复语言\n"
        "/bookings — 我的预约\n/help — 帮助"
    ),
}


def _language(context: ContextTypes.DEFAULT_TYPE, text: str = "") -> str:
    chosen = context.chat_data.get("lang", "auto") if context.chat_data is not None else "auto"
    return detect_language(text) if chosen == "auto" else chosen


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(HELP[_language(context, update.effective_message.text or "")])


async def role(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    wanted = (context.args or [""])[0].lower()
    if wanted not in ROLES:
        await update.effective_message.reply_text(f"Usage: /role {'|'.join(ROLES)}")
        return
    context.chat_data["role"] = wanted
    await update.effective_message.reply_text(f"Role set: {wanted}")


async def lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    wanted = (context.args or [""])[0].lower()
    if wanted not in ("en", "zh", "auto"):
        await update.effective_message.reply_text("Usage: /lang en|zh|auto")
        return
    context.chat_data["lang"] = wanted
    await update.effective_message.reply_text("语言已设置" if wanted == "zh" else f"Language set: {wanted}")


async def bookings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _answer(update, context, "my bookings")


async def message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _answer(update, context, update.effective_message.text or "")


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    assistant: Assistant = context.application.bot_data["assistant"]
    chat_id = update.effective_chat.id
    request = ChatRequest(
        message=text[:4000],
        # The chat is the user's one conversation, in the channel's own namespace: never reachable over HTTP.
        owner=Owner.of_channel_user("telegram", chat_id),
        role=context.chat_data.get("role", "student"),
        lang=context.chat_data.get("lang", "auto"),
    )
    await context.bot.send_chat_action(chat_id, "typing")
    draft = None
    on_delta = None
    if assistant.agent is not None:
        # A model writes for seconds: show the answer growing in one message, edited at a polite rate.
        loop = asyncio.get_running_loop()
        draft = Draft(context.bot, chat_id, context.application.bot_data.get("edit_interval_s", 1.0))

        def on_delta(piece: str) -> None:
            loop.call_soon_threadsafe(draft.add, piece)

    result = await asyncio.to_thread(assistant.chat, request, on_delta)
    draft_id = await draft.settle() if draft is not None else None
    citations = [vars(c) for c in result.citations]
    parts = split_message(answer_html(result.answer, citations, result.language))
    markup = None
    if result.pending_action:
        token = result.pending_action["token"]
        zh = result.language == "zh"
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("确认" if zh else "Confirm", callback_data=f"confirm:{token}"),
                    InlineKeyboardButton("取消" if zh else "Cancel", callback_data=f"dismiss:{token}"),
                ]
            ]
        )
    for i, part in enumerate(parts):
        part_markup = markup if i == len(parts) - 1 else None
        if i == 0 and draft_id is not None:
            await context.bot.edit_message_text(
                part, chat_id=chat_id, message_id=draft_id, parse_mode=ParseMode.HTML, reply_markup=part_markup
            )
            continue
        await context.bot.send_message(chat_id, part, parse_mode=ParseMode.HTML, reply_markup=part_markup)
    if result.document and assistant.conversation and assistant.conversation.agreements:
        # The editable Word file of a drafted agreement goes along as a document.
        found = await asyncio.to_thread(assistant.conversation.agreements.docx, result.document["id"])
        if found is not None:
            name, data = found
            await context.bot.send_document(chat_id, document=data, filename=name, caption=result.document["title"])


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm or drop a proposed booking or cancellation from its inline keyboard."""
    query = update.callback_query
    assistant: Assistant = context.application.bot_data["assistant"]
    action, _, token = (query.data or "").partition(":")
    records = assistant.conversation.records if assistant.conversation else None
    if records is None or action not in ("confirm", "dismiss"):
        await query.answer("Unknown button")
        return
    if action == "dismiss":
        await asyncio.to_thread(records.dismiss, token)
        await query.answer("OK")
        await query.edit_message_text(f"{query.message.text}\n\n✖ Not done.")
        return
    outcome = await asyncio.to_thread(records.confirm, token)
    await query.answer("Done" if outcome.ok else "Not done")
    mark = "✔" if outcome.ok else "✖"
    await query.edit_message_text(f"{query.message.text}\n\n{mark} {outcome.message}")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every failure and tell the user, instead of dropping the message."""
    log.error("telegram update failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id, "Sorry, something went wrong on my side. Please try again in a moment."
        )


def build_application(
    token: str, assistant: Assistant, base_url: str = "https://api.telegram.org/bot"
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The bot with its handlers; `base_url` may point at a self-hosted or fake Bot API server."""
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .concurrent_updates(True)  # many users at once; each chat's session lives in the database
        .post_init(_register_commands)
        .build()
    )
    application.bot_data["assistant"] = assistant
    application.add_handler(CommandHandler(["start", "help"], start))
    application.add_handler(CommandHandler("role", role))
    application.add_handler(CommandHandler("lang", lang))
    application.add_handler(CommandHandler("bookings", bookings))
    application.add_handler(CallbackQueryHandler(button))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, message))
    application.add_error_handler(on_error)
    return application


async def _register_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await application.bot.set_my_commands(
        [
            BotCommand(c, d)
            for c, d in (
                ("help", "what I can do"),
                ("role", "set your role"),
                ("lang", "reply language"),
                ("bookings", "your bookings"),
            )
        ]
    )


class MalformedUpdate(ValueError):
    """A webhook body that is not a Telegram Update."""


def enqueue_update(application: Application[Any, Any, Any, Any, Any, Any], data: object) -> None:
    """Webhook mode: hand the update to the application's queue; processing happens elsewhere.

    `MalformedUpdate` for anything Telegram would not send: the body is parsed here, before the 200.
    """
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        raise MalformedUpdate("an Update is a JSON object with an integer `update_id`")
    try:
        update = Update.de_json(data, application.bot)
    except Exception as exc:  # de_json of arbitrary input raises anything: it is the sender's fault
        raise MalformedUpdate(f"not a Telegram Update ({type(exc).__name__})") from exc
    application.update_queue.put_nowait(update)
