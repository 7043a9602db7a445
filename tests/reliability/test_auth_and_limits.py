"""Admin token, webhook secret and rate limits: what tests/api and tests/bots do not check yet.

Already covered there: feedback/import/ingest without a token and feedback with a wrong one (401), the
webhook with a missing or wrong secret (403) and the right one, 429 with Retry-After on /v1/chat from one
address, /health not limited, the placeholder token refused in prod.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.api.deps import Container
from assistant.sessions import Owner
from assistant.settings import PLACEHOLDER_TOKENS, Settings
from bots.telegram.fake_api import FakeBotAPI

BUG_NON_ASCII_SECRET = (
    "app bug: secrets.compare_digest raises TypeError for a non-ASCII str, so a non-ASCII "
    "X-Telegram-Bot-Api-Secret-Token answers 500 instead of 403 (assistant/api/routes/telegram_webhook.py)"
)
BUG_BAD_UPDATE = (
    "app bug: with the right secret, a body that is not JSON or not an update raises out of the webhook "
    "(request.json() / Update.de_json) and answers 500 instead of 400"
)


def with_settings(container: Container, **updates: object) -> Container:
    """The shared container with other settings (the same index and records)."""
    return type(container)(**{**vars(container), "settings": container.settings.model_copy(update=updates)})


def admin_routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Every admin operation the app documents (FastAPI nests included routers, so ask the schema)."""
    paths = app.openapi()["paths"]
    return sorted((method.upper(), path) for path in paths if path.startswith("/v1/admin") for method in paths[path])


# -- admin token ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(kb_container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container=kb_container, rate_limit=1_000_000), raise_server_exceptions=False) as c:
        yield c


def test_every_admin_route_needs_the_bearer_token_and_nothing_else_will_do(api, kb_container):
    routes = admin_routes(create_app(container=kb_container))
    assert {path for _, path in routes} == {
        "/v1/admin/feedback",
        "/v1/admin/bookings",
        "/v1/admin/ingest",
        "/v1/admin/records/import",
    }
    token = kb_container.settings.admin_token
    attempts = [
        {},
        {"headers": {"Authorization": "Bearer not-the-token"}},
        {"headers": {"X-Admin-Token": token}},
        {"headers": {"Authorization": f"Basic {token}"}},
        {"params": {"token": token, "access_token": token}},
        {"cookies": {"token": token, "Authorization": f"Bearer {token}"}},
    ]
    for method, path in routes:
        for attempt in attempts:
            api.cookies.clear()
            api.cookies.update(attempt.get("cookies") or {})
            response = api.request(method, path, headers=attempt.get("headers"), params=attempt.get("params"))
            assert response.status_code == 401, (method, path, attempt, response.status_code)
            assert response.headers["WWW-Authenticate"] == "Bearer"
    api.cookies.clear()


def test_the_token_is_checked_before_the_body_is_validated(api):
    response = api.post("/v1/admin/records/import", json={"kind": "people", "records": "all of them"})
    assert response.status_code == 401  # an unauthenticated caller learns nothing about the schema


def test_admin_reads_answer_with_the_token(api, kb_container):
    headers = {"Authorization": f"Bearer {kb_container.settings.admin_token}"}
    for path in ("/v1/admin/feedback?limit=1", "/v1/admin/bookings"):
        response = api.get(path, headers=headers)
        assert response.status_code == 200 and set(response.json()) == {"total", "items"}


@pytest.mark.parametrize("token", [*sorted(PLACEHOLDER_TOKENS - {""}), "", "x" * 23, "Ch4nge-me-pl34se-s00n!!"])
def test_prod_refuses_placeholder_and_short_admin_tokens(token):
    with pytest.raises(ValueError, match="ASSISTANT_ADMIN_TOKEN"):
        Settings(ASSISTANT_ENV="prod", ASSISTANT_ADMIN_TOKEN=token)


def test_prod_accepts_a_random_token_of_24_characters_or_more():
    assert Settings(ASSISTANT_ENV="prod", ASSISTANT_ADMIN_TOKEN="k" * 24).env == "prod"


# -- Telegram webhook secret ------------------------------------------------------------------------------

UPDATE = {
    "update_id": 7,
    "message": {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 777, "type": "private"},
        "from": {"id": 777, "is_bot": False, "first_name": "W"},
        "text": "What is a training base?",
    },
}
SECRET = "webhook-secret-for-reliability"


@pytest.fixture(scope="module")
def bot_api() -> Iterator[FakeBotAPI]:
    api = FakeBotAPI().start()
    try:
        yield api
    finally:
        api.stop()


def webhook_client(container: Container, bot_api: FakeBotAPI, **updates: object) -> TestClient:
    settings = {"telegram_bot_token": "123:RELIABLE", "telegram_api_base_url": bot_api.base_url, **updates}
    return TestClient(
        create_app(container=with_settings(container, **settings), rate_limit=1_000_000), raise_server_exceptions=False
    )


def test_the_webhook_is_closed_in_polling_mode_even_with_the_secret(kb_container, bot_api):
    with webhook_client(kb_container, bot_api, telegram_webhook_secret=SECRET) as client:  # mode stays polling
        response = client.post("/telegram/webhook", json=UPDATE, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert response.status_code == 403 and "Secret-Token" in response.json()["error"]


def test_the_webhook_is_closed_when_no_secret_is_configured(kb_container, bot_api):
    with webhook_client(kb_container, bot_api, telegram_mode="webhook") as client:
        for header in ({}, {"X-Telegram-Bot-Api-Secret-Token": ""}, {"X-Telegram-Bot-Api-Secret-Token": "None"}):
            assert client.post("/telegram/webhook", json=UPDATE, headers=header).status_code == 403
    assert not bot_api.messages_to(777)


def test_the_secret_must_match_exactly(kb_container, bot_api):
    with webhook_client(kb_container, bot_api, telegram_mode="webhook", telegram_webhook_secret=SECRET) as client:
        for near in (SECRET.upper(), SECRET + " ", SECRET[:-1], f"{SECRET},{SECRET}"):
            response = client.post("/telegram/webhook", json=UPDATE, headers={"X-Telegram-Bot-Api-Secret-Token": near})
            assert response.status_code == 403, near
        assert client.get("/telegram/webhook").status_code == 405
    assert not bot_api.messages_to(777)


def test_a_non_ascii_webhook_secret_is_403(kb_container, bot_api):
    with webhook_client(kb_container, bot_api, telegram_mode="webhook", telegram_webhook_secret=SECRET) as client:
        response = client.post("/telegram/webhook", json=UPDATE, headers={"X-Telegram-Bot-Api-Secret-Token": b"\xe9"})
        assert response.status_code == 403


@pytest.mark.parametrize("body", [b"{not json", b"[]", b"{}"])
def test_a_malformed_update_with_the_right_secret_is_400(kb_container, bot_api, body):
    with webhook_client(kb_container, bot_api, telegram_mode="webhook", telegram_webhook_secret=SECRET) as client:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "content-type": "application/json"}
        assert client.post("/telegram/webhook", content=body, headers=headers).status_code == 400


# -- rate limits ------------------------------------------------------------------------------------------
# Counters live in the session's database, keyed by limit and address: each test uses its own addresses
# and a limit no other test uses, so counts from other tests never mix in.


def fresh_window() -> None:
    """The windows are wall-clock minutes: requests that straddle a boundary would see their counts reset
    halfway, so a test starts its requests in the next minute when fewer than 15 s are left."""
    if (left := 60 - time.time() % 60) < 15:
        time.sleep(left + 0.2)


def limited(container: Container, limit: int, address: str) -> TestClient:
    app = create_app(container=container, rate_limit=limit)
    return TestClient(app, client=(address, 50000), raise_server_exceptions=False)


def test_one_session_has_one_budget_across_client_addresses(kb_container):
    session, other = (kb_container.sessions.open(Owner()) for _ in range(2))
    ask = {"message": "hi", "session_id": session}
    with limited(kb_container, 4, "198.51.100.11") as first, limited(kb_container, 4, "198.51.100.12") as second:
        fresh_window()
        codes = [first.post("/v1/chat", json=ask).status_code for _ in range(2)]
        codes += [second.post("/v1/chat", json=ask).status_code for _ in range(2)]
        assert codes == [200] * 4
        refused = second.post("/v1/chat", json=ask)  # the session's 5th request, the address's 3rd
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
        # The address still has budget for another conversation, then it is spent too.
        assert second.post("/v1/chat", json={"message": "hi", "session_id": other}).status_code == 200
        assert second.post("/v1/chat", json={"message": "hi"}).status_code == 429


def test_the_openai_user_field_is_the_per_user_key(kb_container):
    ask = {"messages": [{"role": "user", "content": "hi"}], "user": f"user-{uuid.uuid4().hex}"}
    with limited(kb_container, 5, "198.51.100.21") as first, limited(kb_container, 5, "198.51.100.22") as second:
        fresh_window()
        codes = [client.post("/v1/chat/completions", json=ask).status_code for client in (first, second) * 3]
        assert codes == [200] * 5 + [429]


def test_a_conversation_continued_by_header_has_one_budget_across_addresses(kb_container):
    session = kb_container.sessions.open(Owner())
    ask = {"messages": [{"role": "user", "content": "hi"}]}
    headers = {"X-Session-Id": session}
    with limited(kb_container, 4, "198.51.100.31") as first, limited(kb_container, 4, "198.51.100.32") as second:
        fresh_window()
        codes = [c.post("/v1/chat/completions", json=ask, headers=headers).status_code for c in (first, second) * 2]
        assert codes == [200] * 4
        assert second.post("/v1/chat/completions", json=ask, headers=headers).status_code == 429


@pytest.mark.parametrize(
    ("address", "path", "body", "ok"),
    [
        ("203.0.113.41", "/v1/chat/stream", {"message": "hi"}, 200),
        ("203.0.113.42", "/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}]}, 200),
        ("203.0.113.43", "/v1/feedback", {"session_id": "no-such-session", "rating": "up"}, 404),
        ("203.0.113.44", "/v1/actions/no-such-token/confirm", None, 404),
        ("203.0.113.45", "/v1/actions/no-such-token/dismiss", None, 404),
    ],
)
def test_every_conversation_endpoint_is_limited(kb_container, address, path, body, ok):
    with limited(kb_container, 2, address) as client:
        fresh_window()
        codes = [client.post(path, json=body).status_code for _ in range(3)]
        assert codes == [ok, ok, 429], codes
        refused = client.post(path, json=body)
        assert refused.status_code == 429 and "too many requests" in refused.json()["error"]
        assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_reads_and_admin_calls_are_not_limited(kb_container):
    headers = {"Authorization": f"Bearer {kb_container.settings.admin_token}"}
    session = kb_container.sessions.open(Owner())
    with limited(kb_container, 1, "192.0.2.31") as client:
        fresh_window()
        for _ in range(3):
            assert client.get("/health").status_code == 200
            assert client.get("/v1/models").status_code == 200
            assert client.get("/v1/admin/bookings", headers=headers).status_code == 200
            assert client.get(f"/v1/sessions/{session}/documents").status_code == 200
        assert client.post("/v1/chat", json={"message": "hi"}).status_code == 200
        assert client.post("/v1/chat", json={"message": "hi"}).status_code == 429
