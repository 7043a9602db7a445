"""Sessions are capabilities: only an id the server issued to the caller opens a conversation.

Each test here fails on the code before sessions were issued: it adopted any id a client sent, derived
OpenAI-compatible sessions from the first message, and let a session cancel its bookings by reference alone.
"""

import re

import openai
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.fakes.serving import serving
from assistant.service import ChatRequest
from assistant.sessions import Owner
from tests.conftest import make_settings

SLOTS_QUESTION = "Any consultation slots about technology transfer contracts?"
KEY_A, KEY_B = "a" * 12 + "-tenant-key-0001", "b" * 12 + "-tenant-key-0002"


def chat(client: TestClient, message: str, session_id: str | None = None, **headers: str) -> dict:
    body = {"message": message} | ({"session_id": session_id} if session_id else {})
    response = client.post("/v1/chat", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def book_a_slot(client: TestClient, name: str, contact: str) -> tuple[str, dict]:
    """A booking made through the confirmation step; returns the session and the confirmed result."""
    session = chat(client, f"I'm {name}, {contact}")["session_id"]
    chat(client, SLOTS_QUESTION, session)
    pending = chat(client, "book the first one", session)["pending_action"]
    assert pending and pending["kind"] == "booking"
    done = chat(client, "yes", session)["action_result"]
    assert done["status"] == "confirmed"
    return session, done


def test_the_server_issues_long_random_session_ids(client):
    ids = {chat(client, "What is a training base?")["session_id"] for _ in range(3)}
    assert len(ids) == 3
    for session_id in ids:
        # At least 128 random bits, URL-safe: 32 bytes as base64 are 43 characters.
        assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", session_id)


def test_an_id_the_server_never_issued_opens_nothing(client):
    for guess in ("a-known-session", "0" * 32, "telegram:101"):
        response = client.post("/v1/chat", json={"message": "my bookings", "session_id": guess})
        assert response.status_code == 404, guess
        body = response.json()
        assert body["code"] == "unknown_session" and "omit `session_id` to start a new conversation" in body["error"]


def test_a_telegram_chat_is_not_reachable_over_http(client, kb_container):
    telegram = Owner.of_channel_user("telegram", 7_000_001)
    kb_container.assistant.chat(ChatRequest("I'm Tian Gao, tian.gao@example.cn", owner=telegram))
    kb_container.assistant.chat(ChatRequest(SLOTS_QUESTION, owner=telegram))
    booked = kb_container.assistant.chat(ChatRequest("book the first one", owner=telegram))
    assert booked.session_id == "telegram:7000001" and booked.pending_action
    for guess in ("telegram:7000001", "tg-7000001"):
        for path, body in (
            ("/v1/chat", {"message": "yes", "session_id": guess}),
            ("/v1/chat/stream", {"message": "my bookings", "session_id": guess}),
            ("/v1/feedback", {"session_id": guess, "rating": "up"}),
        ):
            assert client.post(path, json=body).status_code == 404, (path, guess)
        assert client.get(f"/v1/sessions/{guess}/documents").status_code == 404
    assert kb_container.records.outcome(booked.pending_action["token"]) is None  # nobody said yes for them


def test_two_strangers_who_open_with_the_same_words_get_separate_conversations(kb_container):
    with serving(create_app(container=kb_container, rate_limit=1_000_000)) as url:
        api = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0)
        opening = [{"role": "user", "content": SLOTS_QUESTION}]

        def ask(history: list[dict], **extra: object):
            raw = api.chat.completions.with_raw_response.create(model="iei-assistant", messages=history, **extra)
            completion = raw.parse()
            assert raw.headers["X-Session-Id"] == completion.model_extra["session_id"]
            return completion

        alice = ask(opening, user="same-user-field")
        continued = {"extra_body": {"session_id": alice.model_extra["session_id"]}}
        ask([*opening, {"role": "user", "content": "book the first one"}], **continued)
        booking = ask([*opening, {"role": "user", "content": "Alice An, alice@example.cn"}], **continued)
        assert booking.model_extra["pending_action"]["kind"] == "booking"
        # Bob types the same opening and the same "yes", even with the same `user` field.
        bob = [*opening, {"role": "user", "content": "book the first one"}, {"role": "user", "content": "yes"}]
        reply = ask(bob, user="same-user-field")
        assert reply.model_extra["session_id"] != alice.model_extra["session_id"]
        assert (
            "alice@example.cn" not in reply.choices[0].message.content
            and "is booked" not in reply.choices[0].message.content
        )
        assert kb_container.records.outcome(booking.model_extra["pending_action"]["token"]) is None
        # Alice continues her conversation with the header alone, and her "yes" books.
        header = {"extra_headers": {"X-Session-Id": alice.model_extra["session_id"]}}
        done = ask([{"role": "user", "content": "yes"}], **header)
        assert "is booked; your reference is BK-" in done.choices[0].message.content


def test_a_streamed_completion_carries_its_new_session_id_in_a_header(kb_container):
    with TestClient(create_app(container=kb_container, rate_limit=1_000_000)) as client:
        body = {"messages": [{"role": "user", "content": "What is a training base?"}], "stream": True}
        with client.stream("POST", "/v1/chat/completions", json=body) as response:
            session_id = response.headers["X-Session-Id"]
            text = "".join(response.iter_text())
        assert f'"session_id": "{session_id}"' in text
        assert chat(client, "what about land?", session_id)["session_id"] == session_id


def test_cancelling_needs_the_code_even_in_the_session_that_booked(client):
    session, done = book_a_slot(client, "Cora Cancel", "cora.c@example.cn")
    asked = chat(client, "cancel it", session)
    assert asked["pending_action"] is None and "cancellation code" in asked["answer"]
    assert done["booking_ref"] in asked["answer"]
    proposed = chat(client, f"the code is {done['cancellation_code']}", session)
    assert proposed["pending_action"]["kind"] == "cancellation"
    assert chat(client, "yes", session)["action_result"]["status"] == "cancelled"


def test_a_confirmation_token_of_another_conversation_is_refused_with_api_keys(kb_container, tmp_path):
    settings = make_settings(tmp_path, ASSISTANT_API_KEYS=f"{KEY_A},{KEY_B}")
    app = create_app(settings=settings, container=_with_settings(kb_container, settings), rate_limit=1_000_000)
    with TestClient(app) as client:
        a, b = {"Authorization": f"Bearer {KEY_A}"}, {"Authorization": f"Bearer {KEY_B}"}
        assert client.post("/v1/chat", json={"message": "hi"}).status_code == 401
        assert (
            client.post("/v1/chat", json={"message": "hi"}, headers={"Authorization": "Bearer nope"}).status_code == 401
        )
        session = chat(client, SLOTS_QUESTION, **a)["session_id"]
        chat(client, "book the first one", session, **a)
        pending = chat(client, "Ada Key, ada.key@example.cn", session, **a)["pending_action"]
        # Key B reaches neither A's conversation, nor its drafts, nor its confirmation.
        assert client.post("/v1/chat", json={"message": "yes", "session_id": session}, headers=b).status_code == 404
        assert client.get(f"/v1/sessions/{session}/documents", headers=b).status_code == 404
        assert client.post("/v1/feedback", json={"session_id": session, "rating": "up"}, headers=b).status_code == 404
        assert client.post(f"/v1/actions/{pending['token']}/confirm", headers=b).status_code == 404
        assert client.post(f"/v1/actions/{pending['token']}/dismiss", headers=b).status_code == 404
        confirmed = client.post(f"/v1/actions/{pending['token']}/confirm", headers=a)
        assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
        assert client.get(f"/v1/sessions/{session}/documents", headers=a).status_code == 200


def test_feedback_must_name_an_answer_of_the_same_session(client):
    first = chat(client, "What is a training base?")
    other = chat(client, "What is an order-based class?")
    wrong = {"session_id": other["session_id"], "message_id": first["message_id"], "rating": "up"}
    assert client.post("/v1/feedback", json=wrong).status_code == 404
    right = {"session_id": first["session_id"], "message_id": first["message_id"], "rating": "up"}
    assert client.post("/v1/feedback", json=right).status_code == 201


def test_a_draft_is_downloaded_only_by_the_owner_of_its_conversation(kb_container, tmp_path):
    settings = make_settings(tmp_path, ASSISTANT_API_KEYS=f"{KEY_A},{KEY_B}")
    app = create_app(settings=settings, container=_with_settings(kb_container, settings), rate_limit=1_000_000)
    with TestClient(app) as client:
        a, b = {"Authorization": f"Bearer {KEY_A}"}, {"Authorization": f"Bearer {KEY_B}"}
        session = chat(client, "帮我起草一份专利许可协议", **a)["session_id"]
        document = chat(client, "直接生成", session, **a)["document"]
        assert document
        assert re.fullmatch(r"[0-9a-f]{32}", document["id"])
        assert client.get(document["download_url"], headers=a).status_code == 200
        assert client.get(document["download_url"], headers=b).status_code == 404


def _with_settings(container, settings):
    """The shared knowledge base container, seen through other settings (API keys) for one app."""
    from dataclasses import replace

    return replace(container, settings=settings)
