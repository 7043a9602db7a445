"""The same conversation over SSE, the OpenAI-compatible API (official client), feedback and admin routes."""

import json
import time

import openai
import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.fakes.serving import serving
from assistant.settings import Settings
from tests.conftest import make_settings, open_session


def sse_events(text: str) -> list[tuple[str, object]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_sse_streams_deltas_then_citations_timings_and_done(client):
    question = {"message": "How should schools and enterprises share patents?"}
    plain = client.post("/v1/chat", json=question).json()
    response = client.post("/v1/chat/stream", json=question)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "delta" and names[-3:] == ["citations", "timings", "done"]
    assert "".join(data["text"] for name, data in events if name == "delta") == plain["answer"]
    citations = dict(events)["citations"]
    assert citations and citations[0]["quote"] == plain["citations"][0]["quote"]
    assert dict(events)["done"]["message_id"]


def test_sse_carries_tool_calls_and_the_pending_action(client):
    session = open_session(client)
    client.post("/v1/chat", json={"message": "I'm Amy Lu, amy.lu@example.cn", "session_id": session})
    client.post(
        "/v1/chat",
        json={"message": "Any consultation slots about technology transfer contracts?", "session_id": session},
    )
    events = dict(
        sse_events(client.post("/v1/chat/stream", json={"message": "book the first one", "session_id": session}).text)
    )
    assert events["tool_calls"][0]["name"] == "book_consultation" and events["pending_action"]["token"]


def test_bad_stream_requests_get_the_same_4xx(client):
    assert client.post("/v1/chat/stream", json={"message": ""}).status_code == 422
    assert client.post("/v1/chat/stream", json={"message": "x" * 5000}).status_code == 413


@pytest.fixture(scope="module")
def server_url(kb_container):
    with serving(create_app(container=kb_container, rate_limit=1_000_000)) as url:
        yield url


def test_official_openai_client_holds_the_whole_conversation(server_url):
    client = openai.OpenAI(base_url=f"{server_url}/v1", api_key="not-needed")
    assert [m.id for m in client.models.list().data] == ["iei-assistant"]
    history = [{"role": "user", "content": "What does the paper propose for modern apprenticeship?"}]
    first = client.chat.completions.create(model="iei-assistant", messages=history)
    session = {"session_id": first.model_extra["session_id"]}
    content = first.choices[0].message.content
    assert "[1]" in content and "Sources:\n[1] peng2026#" in content
    assert first.model_extra["citations"][0]["doc_id"] == "peng2026"
    for message in (
        "Is there an apprenticeship in ship welding?",
        "I need an expert on patent licensing",
        "book the first one",
        "Chen Bo, chenbo@example.cn",
    ):
        history.append({"role": "user", "content": message})
        reply = client.chat.completions.create(model="iei-assistant", messages=history, extra_body=session)
        history.append({"role": "assistant", "content": reply.choices[0].message.content})
    assert reply.model_extra["pending_action"]["kind"] == "booking"
    history.append({"role": "user", "content": "yes"})
    stream = client.chat.completions.create(model="iei-assistant", messages=history, extra_body=session, stream=True)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in stream)
    assert "is booked; your reference is BK-" in text


def test_openai_endpoint_validates_like_the_chat_endpoint(server_url):
    client = openai.OpenAI(base_url=f"{server_url}/v1", api_key="x", max_retries=0)
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model="iei-assistant", messages=[])


def test_follow_up_questions_are_read_with_the_previous_one(client):
    session = open_session(client)
    client.post(
        "/v1/chat",
        json={
            "message": "What tax incentive do industry-education integration enterprises get?",
            "session_id": session,
        },
    )
    body = client.post("/v1/chat", json={"message": "what about land?", "session_id": session}).json()
    assert any(c["doc_id"] == "empowerment-action-plan-2023" for c in body["citations"])


def test_feedback_is_stored_and_visible_to_admins_only(client, kb_container):
    answer = client.post("/v1/chat", json={"message": "What is a training base?"}).json()
    sent = client.post(
        "/v1/feedback",
        json={
            "session_id": answer["session_id"],
            "message_id": answer["message_id"],
            "rating": "down",
            "comment": "too vague",
        },
    )
    assert sent.status_code == 201
    assert client.post("/v1/feedback", json={"session_id": "nope", "rating": "up"}).status_code == 404
    assert client.post("/v1/feedback", json={"session_id": "x", "rating": "meh"}).status_code == 422
    assert client.get("/v1/admin/feedback").status_code == 401
    assert client.get("/v1/admin/feedback", headers={"Authorization": "Bearer wrong"}).status_code == 401
    token = kb_container.settings.admin_token
    items = client.get("/v1/admin/feedback", headers={"Authorization": f"Bearer {token}"}).json()["items"]
    mine = next(i for i in items if i["message_id"] == answer["message_id"])
    assert mine["rating"] == "down" and mine["message"] == "What is a training base?" and mine["answer"]


def test_admin_bookings_mask_contacts(client, kb_container):
    token = kb_container.settings.admin_token
    body = client.get("/v1/admin/bookings", headers={"Authorization": f"Bearer {token}"}).json()
    assert all("*" in item["contact"] for item in body["items"])


def test_rate_limit_answers_429_with_retry_after(kb_container):
    with TestClient(create_app(container=kb_container, rate_limit=3)) as limited:
        # A frozen clock: no request comes back to the budget while the test runs, however slow the machine.
        frozen = time.time()
        limited.app.state.limiter.clock = lambda: frozen
        codes = [limited.post("/v1/chat", json={"message": "What is a training base?"}).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        refused = limited.post("/v1/chat", json={"message": "again"})
        assert int(refused.headers["Retry-After"]) >= 1 and "too many requests" in refused.json()["error"]
        assert limited.get("/health").status_code == 200  # reads are not limited


def test_placeholder_admin_token_is_refused_outside_dev(tmp_path):
    with pytest.raises(ValueError, match="ASSISTANT_ADMIN_TOKEN is a placeholder"):
        Settings(ASSISTANT_ENV="prod")
    assert Settings(ASSISTANT_ENV="prod", ASSISTANT_ADMIN_TOKEN="x" * 32).admin_token == "x" * 32


def test_cors_origins_come_from_settings(kb_container, tmp_path):
    settings = make_settings(tmp_path, ASSISTANT_CORS_ORIGINS=["https://chat.example.edu.cn"])
    with TestClient(create_app(settings=settings, container=kb_container)) as app:
        preflight = app.options(
            "/v1/chat", headers={"Origin": "https://chat.example.edu.cn", "Access-Control-Request-Method": "POST"}
        )
        assert preflight.headers["access-control-allow-origin"] == "https://chat.example.edu.cn"


def test_admin_records_import_reports_rows_and_imports_nothing_on_error(client, kb_container):
    headers = {"Authorization": f"Bearer {kb_container.settings.admin_token}"}
    row = {
        "id": "PL-X1",
        "name": "Cold-chain lab",
        "kind": "lab",
        "host": "Elsewhere College",
        "field": "logistics",
        "services": "testing",
        "region": "Wuxi",
        "status": "open",
    }
    bad = client.post(
        "/v1/admin/records/import",
        headers=headers,
        json={"kind": "platforms", "records": [row, {**row, "id": "PL-X2", "kind": "moon base"}]},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["row"] == 2 and bad.json()["inserted"] == 0
    good = client.post("/v1/admin/records/import", headers=headers, json={"kind": "platforms", "records": [row]})
    assert good.status_code == 200 and good.json()["inserted"] == 1
    assert client.post("/v1/admin/records/import", json={"kind": "platforms", "records": [row]}).status_code == 401


def test_admin_ingest_reindexes_without_interrupting_answers(client, kb_container):
    headers = {"Authorization": f"Bearer {kb_container.settings.admin_token}"}
    assert client.post("/v1/admin/ingest").status_code == 401
    body = client.post("/v1/admin/ingest", headers=headers).json()
    assert "nothing to embed" in body["summary"] and body["errors"] == []
    assert client.post("/v1/chat", json={"message": "What is a training base?"}).json()["citations"]
