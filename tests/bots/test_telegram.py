"""The real python-telegram-bot against a local fake Bot API server, several chats at once."""

import re

import pytest

from bots.telegram.fake_api import FakeBotAPI
from bots.telegram.format import answer_html, split_message
from tests.bots.running import running_bot


@pytest.fixture(scope="module")
def telegram(kb_container):
    with running_bot(kb_container.assistant) as (api, application):
        yield api, application


def test_start_and_help(telegram):
    api, _ = telegram
    api.push_text(101, "/start")
    reply = api.wait_for(lambda: api.messages_to(101))
    assert "/role" in reply[0]["text"] and "/bookings" in reply[0]["text"]


def test_question_gets_html_citations_and_a_sources_footer(telegram):
    api, _ = telegram
    api.push_text(102, "What does the paper propose for modern apprenticeship?")
    reply = api.wait_for(lambda: api.messages_to(102))[0]
    assert reply["parse_mode"] == "HTML"
    assert "<b>[1]</b>" in reply["text"] and "<b>Sources</b>" in reply["text"] and "peng2026#" in reply["text"]


def test_many_chats_at_once_each_get_their_own_answer(telegram):
    api, _ = telegram
    questions = {
        201: "Is there an apprenticeship in ship welding?",
        202: "实习生的工资最低是多少？",
        203: "Are there any training bases for port machinery?",
        204: "What's the weather tomorrow?",
        205: "/role enterprise",
    }
    for chat_id, text in questions.items():
        api.push_text(chat_id, text)
    replies = api.wait_for(
        lambda: all(api.messages_to(c) for c in questions) and {c: api.messages_to(c) for c in questions}
    )
    assert replies[201][0]["text"].startswith("Found")
    assert "80%" in replies[202][0]["text"]
    assert "training base" in replies[203][0]["text"]
    assert "outside what I can help with" in replies[204][0]["text"]
    assert replies[205][0]["text"] == "Role set: enterprise"


def test_one_chat_asks_searches_and_books_with_an_inline_button(telegram):
    api, _ = telegram
    chat = 301
    conversation = (
        "What does the paper propose for modern apprenticeship?",
        "Is there an apprenticeship in ship welding?",
        "I'm Tele Gram, tele.gram@example.cn",
        "I need to talk to an expert about patent licensing",
        "book the first one",
    )
    for text in conversation:
        count = len(api.messages_to(chat))
        api.push_text(chat, text)
        api.wait_for(lambda count=count: len(api.messages_to(chat)) > count)
    answers = [m["text"] for m in api.messages_to(chat)]
    assert "<b>[1]</b>" in answers[0] and answers[1].startswith("Found")
    proposal = api.messages_to(chat)[-1]
    keyboard = proposal["reply_markup"]["inline_keyboard"][0]
    assert [b["text"] for b in keyboard] == ["Confirm", "Cancel"]
    api.push_button(chat, {k: v for k, v in proposal.items() if k != "reply_markup"}, keyboard[0]["callback_data"])
    edit = api.wait_for(lambda: [e for e in api.edited if e["chat"]["id"] == chat])[0]
    assert "is booked; your reference is BK-" in edit["text"] and "your cancellation code is " in edit["text"]
    assert api.wait_for(lambda: api.answered)
    # The chat is the session: its bookings are listed without asking who is typing.
    reference = re.search(r"BK-[0-9A-F]{16}", edit["text"]).group(0)
    code = re.search(r"cancellation code is ([A-Z0-9-]{14})", edit["text"]).group(1)
    count = len(api.messages_to(chat))
    api.push_text(chat, "my bookings")
    listed = api.wait_for(lambda: len(api.messages_to(chat)) > count and api.messages_to(chat)[-1])
    assert reference in listed["text"]
    # Cancelling needs the code, in the chat that booked too, and goes through the same buttons.
    count = len(api.messages_to(chat))
    api.push_text(chat, "cancel it")
    asked = api.wait_for(lambda: len(api.messages_to(chat)) > count and api.messages_to(chat)[-1])
    assert "cancellation code" in asked["text"] and not asked.get("reply_markup")
    count = len(api.messages_to(chat))
    api.push_text(chat, f"code {code}")
    cancel = api.wait_for(lambda: len(api.messages_to(chat)) > count and api.messages_to(chat)[-1])
    button = cancel["reply_markup"]["inline_keyboard"][0][0]
    api.push_button(chat, {k: v for k, v in cancel.items() if k != "reply_markup"}, button["callback_data"])
    cancelled = api.wait_for(lambda: [e for e in api.edited if e["chat"]["id"] == chat and "cancelled" in e["text"]])
    assert "the slot is free again" in cancelled[0]["text"]


def test_errors_are_logged_and_answered_politely(telegram):
    api, application = telegram

    class Broken:
        def chat(self, request):
            raise RuntimeError("index exploded")

    real = application.bot_data["assistant"]
    application.bot_data["assistant"] = Broken()
    try:
        api.push_text(401, "hello?")
        reply = api.wait_for(lambda: api.messages_to(401))[0]
        assert reply["text"].startswith("Sorry, something went wrong")
    finally:
        application.bot_data["assistant"] = real


def test_long_replies_split_cleanly_and_html_is_escaped():
    text = "\n\n".join(f"Paragraph {i}. " + "word " * 150 for i in range(12))
    parts = split_message(text)
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert all(p.startswith("Paragraph") for p in parts)
    html = answer_html("a <b> & c [1]", [{"n": 1, "doc_id": "d", "section": "2", "title": "T & Co"}], "en")
    assert html.startswith("a &lt;b&gt; &amp; c <b>[1]</b>") and "T &amp; Co" in html


def test_webhook_checks_the_secret_and_only_enqueues(kb_container, tmp_path):
    from fastapi.testclient import TestClient

    from assistant.api import create_app

    api = FakeBotAPI().start()
    settings = kb_container.settings.model_copy(
        update={
            "telegram_bot_token": "123:HOOK",
            "telegram_mode": "webhook",
            "telegram_webhook_secret": "s3cret-value",
            "telegram_api_base_url": api.base_url,
            "telegram_webhook_url": "https://assistant.example.edu.cn/telegram/webhook",
        }
    )
    container = type(kb_container)(**{**vars(kb_container), "settings": settings})
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 501, "type": "private"},
            "from": {"id": 501, "is_bot": False, "first_name": "W"},
            "text": "Is there an apprenticeship in ship welding?",
        },
    }
    try:
        with TestClient(create_app(container=container, rate_limit=1_000_000)) as client:
            assert client.post("/telegram/webhook", json=update).status_code == 403
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "nope"}
            assert client.post("/telegram/webhook", json=update, headers=wrong).status_code == 403
            right = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-value"}
            assert client.post("/telegram/webhook", json=update, headers=right).json() == {"ok": True}
            reply = api.wait_for(lambda: api.messages_to(501))[0]
            assert reply["text"].startswith("Found")
        assert "setWebhook" in api.calls
    finally:
        api.stop()


def test_a_drafted_agreement_arrives_as_a_word_document(telegram):
    import io

    import docx

    api, _ = telegram
    api.push_text(
        601, "Draft a joint R&D agreement between Changzhou Institute of Technology and Changzhou Robotics Ltd"
    )
    api.wait_for(lambda: api.messages_to(601))
    api.push_text(601, "go ahead")
    sent = api.wait_for(lambda: [m for m in api.messages_to(601) if m.get("document")])
    upload = sent[0]["document"]
    assert upload["filename"].endswith(".docx") and sent[0]["text"] == "Joint Research and Development Agreement"
    document = docx.Document(io.BytesIO(upload["content"]))
    assert "Changzhou Robotics Ltd" in "\n".join(p.text for p in document.paragraphs)
