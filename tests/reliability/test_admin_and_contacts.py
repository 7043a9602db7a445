"""The admin endpoints are closed without a strong token, and administrators never read people's contacts.

Both fail on the code before them: `change-me` opened the admin endpoints in development, and
`GET /v1/admin/feedback` returned the question and answer as typed, e-mail and phone included.
"""

import logging
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.redaction import mask_contacts, redact_logs
from tests.conftest import TEST_ADMIN_TOKEN, make_settings


@pytest.mark.parametrize("token", ["", "change-me", "short-but-set"])
def test_without_a_strong_token_the_admin_endpoints_are_closed_even_in_dev(kb_container, tmp_path, token):
    settings = make_settings(tmp_path, ASSISTANT_ADMIN_TOKEN=token)
    with TestClient(create_app(container=replace(kb_container, settings=settings))) as client:
        for authorization in ("Bearer change-me", f"Bearer {token}", ""):
            response = client.get("/v1/admin/bookings", headers={"Authorization": authorization})
            assert response.status_code == 403
            assert "ASSISTANT_ADMIN_TOKEN is not set" in response.json()["error"]
        assert client.post("/v1/admin/ingest", headers={"Authorization": f"Bearer {token}"}).status_code == 403


def test_feedback_shows_administrators_the_question_with_its_contacts_masked(client):
    asked = client.post("/v1/chat", json={"message": "I'm Mei Lin, mei.lin@example.cn, 13912345678"}).json()
    feedback = {"session_id": asked["session_id"], "message_id": asked["message_id"], "rating": "down"}
    assert client.post("/v1/feedback", json={**feedback, "comment": "call me on 13912345678"}).status_code == 201
    headers = {"Authorization": f"Bearer {TEST_ADMIN_TOKEN}"}
    items = client.get("/v1/admin/feedback", headers=headers).json()["items"]
    mine = next(i for i in items if i["message_id"] == asked["message_id"])
    shown = f"{mine['message']} {mine['answer']} {mine['comment']}"
    assert "mei.lin@example.cn" not in shown and "13912345678" not in shown
    assert "me***@example.cn" in mine["message"] and "Mei Lin" in mine["message"]


@pytest.mark.parametrize(
    ("text", "hidden", "kept"),
    [
        ("Li Hua, li.hua@example.cn", "li.hua@example.cn", "Li Hua"),
        ("电话 13800001111，谢谢", "13800001111", "谢谢"),
        ("call +86 138 0000 2222 today", "138 0000 2222", "today"),
        ("office 0512-66778899", "66778899", "office"),
    ],
)
def test_contacts_are_masked_in_free_text(text, hidden, kept):
    masked = mask_contacts(text)
    assert hidden not in masked and kept in masked


@pytest.mark.parametrize("text", ["BK-1A2B3C4D5E6F7A8B on 2027-03-01", "slot CS-0012 at 14:00", "80% of 2,500 CNY"])
def test_references_dates_and_figures_are_not_taken_for_contacts(text):
    assert mask_contacts(text) == text


def test_logs_never_carry_a_full_contact(caplog):
    redact_logs()
    with caplog.at_level(logging.INFO, logger="assistant.test"):
        logging.getLogger("assistant.test").info("booking for %s at %s", "li.hua@example.cn", "13800001111")
    assert "li.hua@example.cn" not in caplog.text and "13800001111" not in caplog.text
    assert "li***@example.cn" in caplog.text
