"""The Telegram webhook, with the right secret, answers 400 to anything that is not an Update: never a 5xx.

Fails on the code before it: a non-integer `update_id` raised AttributeError inside python-telegram-bot's
parser and deep nesting a RecursionError, both 500.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.test_auth_and_limits import SECRET, UPDATE, bot_api, webhook_client  # noqa: F401 (fixture)

HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "content-type": "application/json"}
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
#: The fields of an Update and of its message, each given values of any JSON type.
UPDATE_SHAPED = st.fixed_dictionaries(
    {"update_id": JSON_VALUES},
    optional={
        "message": st.fixed_dictionaries(
            {},
            optional={key: JSON_VALUES for key in ("message_id", "date", "chat", "from", "text", "entities")},
        )
        | JSON_VALUES,
        "callback_query": JSON_VALUES,
        "edited_message": JSON_VALUES,
    },
)


@pytest.fixture(scope="module")
def webhook(kb_container, bot_api):  # noqa: F811 (the imported fixture)
    with webhook_client(kb_container, bot_api, telegram_mode="webhook", telegram_webhook_secret=SECRET) as client:
        yield client


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=UPDATE_SHAPED | JSON_VALUES)
def test_any_json_body_is_accepted_or_400(webhook, body):
    response = webhook.post("/telegram/webhook", content=json.dumps(body), headers=HEADERS)
    assert response.status_code in (200, 400), (body, response.text)
    if response.status_code == 400:
        assert "not a Telegram Update" in response.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({**UPDATE, "update_id": "7"}),
        json.dumps({**UPDATE, "update_id": True}),
        json.dumps({**UPDATE, "message": "hello"}),
        json.dumps({**UPDATE, "message": {**UPDATE["message"], "chat": 5}}),
        '{"update_id": 1, "message": ' + "[" * 20_000 + "]" * 20_000 + "}",
        '{"update_id": ' + "9" * 5000 + "}",
        b'{"update_id": 1, "text": "\xff"}',
    ],
    ids=["string id", "boolean id", "message not an object", "chat not an object", "deep", "huge number", "not utf-8"],
)
def test_known_malformed_updates_are_400(webhook, body):
    assert webhook.post("/telegram/webhook", content=body, headers=HEADERS).status_code == 400


def test_a_real_update_is_still_accepted(webhook):
    assert webhook.post("/telegram/webhook", json=UPDATE, headers=HEADERS).status_code == 200
