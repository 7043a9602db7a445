"""Bad input gets a clear 4xx with a message, never a 5xx: the cases tests/api does not cover yet.

tests/api already checks, on /v1/chat: an empty or blank message, 4,001 characters, a missing or wrongly
typed message, an unknown role or field, malformed JSON and a 70 KB body; and an empty message list on the
OpenAI-compatible endpoint, feedback for the session "nope", one bad platforms row in an admin import.

An app bug found here is pinned with `xfail(strict=True)` and a reason that starts with "app bug" until it
is fixed: the test states the intended behaviour, so it fails as XPASS once the fix lands and the marker goes.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant.api import create_app
from assistant.api.deps import Container
from assistant.ingest import ingest
from assistant.records.models import ConsultationSlot, TrainingOffer
from assistant.sessions import Owner
from tests.conftest import KNOWLEDGE_DIR, TEST_ADMIN_TOKEN, make_settings, postgres_schema
from tests.reliability.helpers import bookings, message_of, open_slot_ids


@pytest.fixture(scope="module")
def api(kb_container: Container) -> Iterator[TestClient]:
    """The shared knowledge base; a 5xx comes back as a response so the assertion shows it."""
    app = create_app(container=kb_container, rate_limit=1_000_000)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def admin(kb_container: Container) -> dict[str, str]:
    return {"Authorization": f"Bearer {kb_container.settings.admin_token}"}


def assert_clear_4xx(response, *fragments: str) -> None:  # type: ignore[no-untyped-def]
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    message = message_of(response)
    assert message, response.text[:300]
    for fragment in fragments:
        assert fragment in message, (fragment, message)


# -- sizes ------------------------------------------------------------------------------------------------


def test_a_message_of_exactly_the_limit_is_answered(api):
    response = api.post("/v1/chat", json={"message": ("产教融合 apprenticeship " * 200)[:4000]})
    assert response.status_code == 200 and response.json()["answer"]


def test_an_over_long_message_on_the_openai_endpoint_is_413(api):
    response = api.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "x" * 4001}]})
    assert response.status_code == 413 and "the limit is 4,000" in response.json()["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/chat/stream",
        "/v1/chat/completions",
        "/v1/feedback",
        "/v1/actions/some-token/confirm",
        "/v1/admin/records/import",
        "/v1/admin/ingest",
        "/telegram/webhook",
    ],
)
def test_bodies_over_64_kib_are_413_everywhere(api, admin, path):
    body = json.dumps({"message": "x" * (65 * 1024), "session_id": "s", "rating": "up"})
    response = api.post(path, content=body, headers={**admin, "content-type": "application/json"})
    assert response.status_code == 413 and "64 KiB" in response.json()["error"]


@pytest.mark.parametrize("path", ["/v1/chat", "/v1/admin/records/import"])
def test_a_chunked_body_over_64_kib_is_413(api, admin, path):
    def chunks() -> Iterator[bytes]:  # no Content-Length: sent with Transfer-Encoding: chunked
        yield b'{"message": "hi", "padding": "'  # a short message: only the body size can give 413
        for _ in range(80):
            yield b"x" * 1024
        yield b'"}'

    response = api.post(path, content=chunks(), headers={**admin, "content-type": "application/json"})
    assert response.status_code == 413 and "64 KiB" in response.json()["error"]


def test_a_chunked_body_under_the_limit_is_read_whole(api):
    def chunks() -> Iterator[bytes]:
        yield b'{"message": "What is a '
        yield b'training base?"}'

    response = api.post("/v1/chat", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 200 and response.json()["answer"]


# -- encodings and shapes ---------------------------------------------------------------------------------

POST_JSON_PATHS = ["/v1/chat", "/v1/chat/stream", "/v1/chat/completions", "/v1/feedback", "/v1/admin/records/import"]
BAD_BODIES = {
    "binary": bytes(range(256)) * 4,
    "latin-1 JSON": '{"message": "Qu\'est-ce qu\'un café-atelier ?"}'.encode("latin-1"),
    "truncated UTF-8": '{"message": "实习'.encode()[:-1] + b'"}',
    "NUL bytes": b"\x00" * 64,
    "JSON array": b'[{"message": "hi"}]',
    "JSON string": b'"What is a training base?"',
    "JSON null": b"null",
    "NaN": b'{"message": NaN}',
}


@pytest.mark.parametrize("path", POST_JSON_PATHS)
@pytest.mark.parametrize("kind", list(BAD_BODIES))
def test_binary_non_utf8_and_non_object_bodies_are_4xx(api, admin, path, kind):
    response = api.post(path, content=BAD_BODIES[kind], headers={**admin, "content-type": "application/json"})
    assert_clear_4xx(response)


def test_a_non_utf8_body_gets_the_documented_error_naming_the_fix(api):
    response = api.post("/v1/chat", content=BAD_BODIES["latin-1 JSON"], headers={"content-type": "application/json"})
    assert response.status_code == 422 and "encoded as UTF-8" in response.json()["error"]


@pytest.mark.parametrize(
    ("method", "path", "status", "fix"),
    [("GET", "/v1/no-such-endpoint", 404, "/docs"), ("DELETE", "/v1/chat", 405, "DELETE is not allowed")],
)
def test_unknown_endpoints_and_methods_get_the_documented_error(api, method, path, status, fix):
    response = api.request(method, path)
    assert response.status_code == status and fix in response.json()["error"]


@pytest.mark.parametrize("path", POST_JSON_PATHS)
def test_an_empty_body_is_422_body_is_required(api, admin, path):
    response = api.post(path, content=b"", headers={**admin, "content-type": "application/json"})
    assert response.status_code == 422
    assert_clear_4xx(response, "`body` is required")


@pytest.mark.parametrize("path", ["/v1/chat", "/v1/feedback", "/v1/chat/completions", "/v1/actions/t/confirm"])
def test_deeply_nested_json_is_4xx_saying_so(api, path):
    body = b'{"message": ' + b"[" * 5000 + b"]" * 5000 + b"}"  # 10 KB, well under the size limit
    response = api.post(path, content=body, headers={"content-type": "application/json"})
    # The confirm endpoint takes no body, and answers about its token.
    assert_clear_4xx(response, *([] if "/actions/" in path else ["nests JSON arrays or objects too deeply"]))


@pytest.mark.parametrize("path", ["/v1/chat", "/v1/feedback", "/v1/chat/completions"])
def test_a_5000_digit_number_is_4xx_naming_the_digits(api, path):
    body = b'{"message": "hi", "session_id": ' + b"7" * 5000 + b"}"
    response = api.post(path, content=body, headers={"content-type": "application/json"})
    assert_clear_4xx(response, "has more than 4,300 digits")


@pytest.mark.parametrize(
    ("content", "status", "names"),
    [
        ("", 422, "`messages[2].content` must not be empty"),
        ("x" * 4001, 413, "`messages[2].content` has 4,001 characters"),
        ("a\x00b", 422, "`messages[2].content` contains a NUL character"),
        ({"text": "hi"}, 422, "`messages[2].content` must be a string or a list of content parts"),
    ],
)
@pytest.mark.parametrize("stream", [False, True], ids=["plain", "streamed"])
def test_openai_errors_name_the_message_at_fault(api, content, status, names, stream):
    earlier = [{"role": "user", "content": "What is a training base?"}, {"role": "assistant", "content": "A base."}]
    body = {"messages": [*earlier, {"role": "user", "content": content}], "stream": stream}
    response = api.post("/v1/chat/completions", json=body)
    assert response.status_code == status
    assert_clear_4xx(response, names)


@pytest.mark.parametrize(
    ("path", "payload", "names"),
    [
        ("/v1/chat", {"message": "hi", "session_id": 123}, "`session_id`"),
        ("/v1/chat", {"message": ["What is a training base?"]}, "`message`"),
        ("/v1/chat", {"message": None}, "`message`"),
        ("/v1/chat", {"message": {"text": "hi"}}, "`message`"),
        ("/v1/chat", {"message": "hi", "lang": "fr"}, "`lang`"),
        ("/v1/chat", {"message": "hi", "include_retrieved": "maybe"}, "`include_retrieved`"),
        ("/v1/chat", {"message": "hi", "session_id": "s" * 129}, "at most 128"),
        ("/v1/chat/stream", {"message": 42}, "`message`"),
        ("/v1/chat/stream", {"message": "hi", "role": ["admin"]}, "`role`"),
        ("/v1/feedback", {"session_id": 5, "rating": "up"}, "`session_id`"),
        ("/v1/feedback", {"session_id": "", "rating": "up"}, "`session_id`"),
        ("/v1/feedback", {"session_id": "x", "rating": True}, "`rating`"),
        ("/v1/feedback", {"session_id": "x", "rating": "up", "comment": "c" * 2001}, "`comment`"),
        ("/v1/feedback", {"session_id": "x", "rating": "up", "message_id": "m" * 33}, "`message_id`"),
        ("/v1/feedback", {"session_id": "x", "rating": "up", "stars": 5}, "send only session_id, message_id, rating"),
        ("/v1/chat/completions", {"messages": "hi"}, "`messages`"),
        ("/v1/chat/completions", {"messages": [{"role": "robot", "content": "hi"}]}, "`messages[0].role`"),
        (
            "/v1/chat/completions",
            {"messages": [{"role": "user", "content": 5}]},
            "`messages[0].content` must be a string",
        ),
        ("/v1/chat/completions", {"messages": [{"role": "assistant", "content": "hi"}]}, 'no message with role "user"'),
        (
            "/v1/chat/completions",
            {"messages": [{"role": "user", "content": [{"type": "image"}]}]},
            "`messages[0].content` must not be empty",
        ),
        ("/v1/admin/records/import", {"kind": "people", "records": [{"id": "x"}]}, "`kind`"),
        ("/v1/admin/records/import", {"kind": "offers", "records": []}, "`records`"),
        ("/v1/admin/records/import", {"kind": "offers", "records": ["TO-1"]}, "`records[0]`"),
        ("/v1/admin/records/import", {"kind": "offers", "records": {"id": "TO-1"}}, "`records`"),
    ],
)
def test_wrong_json_types_are_422_naming_the_field(api, admin, path, payload, names):
    response = api.post(path, json=payload, headers=admin)
    assert response.status_code == 422
    assert_clear_4xx(response, names)


@pytest.mark.parametrize(
    ("path", "names"),
    [("/v1/admin/feedback?limit=many", "`query.limit`"), ("/v1/documents/some-draft?format=pdf", "`query.format`")],
)
def test_wrong_query_types_are_422_naming_the_parameter(api, admin, path, names):
    response = api.get(path, headers=admin)
    assert response.status_code == 422
    assert_clear_4xx(response, names)


def test_openai_session_id_over_128_characters_is_a_422(api):
    body = {"messages": [{"role": "user", "content": "What is a training base?"}], "session_id": "s" * 300}
    assert_clear_4xx(api.post("/v1/chat/completions", json=body), "session_id")


# -- unknown things: sessions, tokens, drafts -------------------------------------------------------------


def test_feedback_for_an_unknown_session_is_404_saying_so(api):
    response = api.post("/v1/feedback", json={"session_id": uuid.uuid4().hex, "rating": "down", "comment": "?"})
    assert response.status_code == 404
    assert_clear_4xx(response, "unknown session_id")


@pytest.mark.parametrize("token", ["not-a-token", "a" * 300, "确认", "..%2F..%2Fadmin", "' OR '1'='1"])
@pytest.mark.parametrize("verb", ["confirm", "dismiss"])
def test_invalid_action_tokens_are_404(api, kb_container, token, verb):
    before = bookings(kb_container)
    response = api.post(f"/v1/actions/{token}/{verb}")
    assert response.status_code == 404, response.text
    assert message_of(response)
    assert bookings(kb_container) == before


def test_a_dismissed_token_cannot_be_confirmed_or_dismissed_again(api, kb_container):
    slot = open_slot_ids(kb_container, 1)[0]
    session = kb_container.sessions.open(Owner())
    pending = kb_container.records.propose_booking(session, slot, "Dora Dismiss", "dora.d@example.cn")
    before = bookings(kb_container)
    assert api.post(f"/v1/actions/{pending.token}/dismiss").json()["status"] == "dismissed"
    again = api.post(f"/v1/actions/{pending.token}/dismiss")
    assert again.status_code == 404 and message_of(again)
    confirm = api.post(f"/v1/actions/{pending.token}/confirm")
    assert confirm.status_code == 409 and confirm.json()["status"] == "dismissed" and message_of(confirm)
    assert bookings(kb_container) == before


@pytest.mark.parametrize("path", ["/v1/documents/no-such-draft", "/v1/documents/no-such-draft?format=md"])
def test_unknown_drafts_are_404_naming_the_fix(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert_clear_4xx(response, "download_url")


# -- admin tokens -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        "",
        "Bearer",
        "Bearer ",
        "bearer TOKEN",
        "Basic dGVzdC1hZG1pbjo=",
        "Token TOKEN",
        "Bearer TOKEN-and-more",
        "Bearer change-m",
        "Bearer UPPER",
        "Bearer TOKEN, Bearer x",
        "TOKEN",  # the right token without the Bearer scheme
        " TOKEN",
    ],
)
def test_malformed_or_wrong_admin_tokens_are_401_with_the_scheme(api, authorization):
    authorization = authorization.replace("TOKEN", TEST_ADMIN_TOKEN).replace("UPPER", TEST_ADMIN_TOKEN.upper())
    response = api.get("/v1/admin/bookings", headers={"Authorization": authorization})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    assert_clear_4xx(response, "Authorization: Bearer")


@pytest.mark.parametrize("raw", [b"Bearer caf\xe9", b"Bearer \xff\xfe"])
def test_a_non_ascii_admin_token_is_401(api, raw):
    response = api.get("/v1/admin/bookings", headers={"Authorization": raw})
    assert response.status_code == 401


# -- records files through the admin import ---------------------------------------------------------------

OFFER = {
    "id": "TO-R1",
    "title": "Port crane operator apprenticeship",
    "kind": "apprenticeship",
    "enterprise": "Reliability Port Co.",
    "school": "Reliability College",
    "field": "port machinery",
    "region": "Nantong",
    "start_date": "2027-05-01",
    "duration_months": 12,
    "places": 8,
    "status": "open",
}
SLOT = {
    "id": "CS-R1",
    "expert": "Dr. Reliable",
    "organisation": "Reliability College",
    "field": "internship management",
    "topics": "internship agreements",
    "start": "2027-03-01T10:00:00+08:00",
    "duration_min": 45,
    "mode": "online",
    "status": "open",
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def records_env(request, tmp_path_factory, embedder) -> Iterator[tuple[str, TestClient, Container]]:  # type: ignore[no-untyped-def]
    """A throwaway container (no index) on each engine: imports here never touch the shared records."""
    data_dir = tmp_path_factory.mktemp(f"records-{request.param}")

    def serve(**overrides: str) -> Iterator[tuple[str, TestClient, Container]]:
        container = Container.build(make_settings(data_dir, **overrides), embedder=embedder)
        app = create_app(container=container, rate_limit=1_000_000)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield request.param, client, container

    if request.param == "sqlite":
        yield from serve()
    else:
        with postgres_schema() as url:
            yield from serve(DATABASE_URL=url)


ADMIN = {"Authorization": f"Bearer {TEST_ADMIN_TOKEN}"}  # what make_settings gives the throwaway containers


def _import(client: TestClient, kind: str, records: list[dict]) -> object:
    return client.post("/v1/admin/records/import", json={"kind": kind, "records": records}, headers=ADMIN)


def _count(container: Container, table: type) -> int:
    with container.records.sessions() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_imported(records_env):
    _, client, container = records_env
    assert _import(client, "offers", [OFFER, {**OFFER, "id": "TO-R2"}]).status_code == 200
    before = _count(container, TrainingOffer)
    batch = [
        {**OFFER, "title": "Renamed: must not be saved"},  # a valid update in a bad file is not applied
        {**OFFER, "id": "TO-R3", "start_date": "2027-02-30"},
        {**OFFER, "id": "TO-R4", "places": -1},
        {**OFFER, "id": "TO-R5", "kind": "apprenticeship?"},
        {**OFFER, "id": "TO-R6", "title": "   "},
        {**OFFER, "id": "TO-R7", "duration_months": "six"},
        {**OFFER},  # duplicate id in the same file
        {**OFFER, "id": "TO-R8", "start_date": "2027-06-01T00:00:00+08:00"},
    ]
    response = _import(client, "offers", batch)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["inserted"] == 0 and body["updated"] == 0 and "nothing imported" in body["summary"]
    reported = {(e["row"], e["column"]) for e in body["errors"]}
    assert {(2, "start_date"), (3, "places"), (4, "kind"), (5, "title"), (6, "duration_months"), (7, "id")} <= reported
    assert all(e["message"] for e in body["errors"]) and "/tmp" not in body["summary"]
    assert _count(container, TrainingOffer) == before
    with container.records.sessions() as session:
        assert session.get(TrainingOffer, "TO-R1").title == OFFER["title"]


def test_bad_slot_rows_name_the_fix_and_import_nothing(records_env):
    _, client, container = records_env
    before = _count(container, ConsultationSlot)
    batch = [
        {**SLOT, "start": "2027-03-01T10:00:00"},
        {**SLOT, "id": "CS-R2", "duration_min": 0},
        {**SLOT, "id": "CS-R3", "mode": "carrier pigeon"},
        {**SLOT, "id": "CS-R4", "status": "maybe"},
        {**SLOT, "id": "CS-R5", "start": "next Tuesday"},
    ]
    body = _import(client, "slots", batch).json()
    assert body["inserted"] == 0 and len(body["errors"]) == 5
    assert [e["row"] for e in body["errors"]] == [1, 2, 3, 4, 5]
    assert [e["column"] for e in body["errors"]] == ["start", "duration_min", "mode", "status", "start"]
    assert "needs a UTC offset" in body["errors"][0]["message"] and "next Tuesday" in body["errors"][4]["message"]
    assert _count(container, ConsultationSlot) == before


def test_a_file_missing_required_columns_names_them_and_imports_nothing(records_env):
    _, client, container = records_env
    before = _count(container, TrainingOffer)
    response = _import(client, "offers", [{"id": "TO-R9", "title": "Only two columns"}])
    assert response.status_code == 422
    assert "missing required column(s)" in response.json()["summary"] and "start_date" in response.json()["summary"]
    assert _count(container, TrainingOffer) == before


DB_LIMIT_CASES = {
    # case: (kind, overrides, the column reported, words of its message); each answered 500 on some engine
    "places beyond 64-bit": ("offers", {"places": 10**20}, "places", "2,147,483,647"),
    "wage beyond 64-bit": ("offers", {"wage_cny_month": 10**19}, "wage_cny_month", "out of range"),
    "places beyond 32-bit": ("offers", {"places": 2**31}, "places", "out of range"),
    "title over 300 characters": ("offers", {"title": "t" * 301}, "title", "at most 300"),
    "contact over 200 characters": ("offers", {"contact": "c" * 201}, "contact", "at most 200"),
    "id over 64 characters": ("offers", {"id": "X" * 65}, "id", "at most 64"),
    "NUL in a title": ("offers", {"title": "Welding\x00class"}, "title", "NUL"),
    "a lone surrogate in a title": ("offers", {"title": "Welding \ud800"}, "title", "unicode string"),
    "slot start past year 9999 in UTC": ("slots", {"start": "9999-12-31T23:00:00-12:00"}, "start", "converted to UTC"),
    "slot start before year 1 in UTC": ("slots", {"start": "0001-01-01T00:30:00+01:00"}, "start", "converted to UTC"),
}


@pytest.mark.parametrize("case", list(DB_LIMIT_CASES))
def test_values_the_database_cannot_store_are_row_errors_not_500(records_env, case):
    _, client, container = records_env
    kind, overrides, column, words = DB_LIMIT_CASES[case]
    before = _count(container, TrainingOffer if kind == "offers" else ConsultationSlot)
    row = {**(OFFER if kind == "offers" else SLOT), "id": f"X-{uuid.uuid4().hex[:8]}", **overrides}
    # Sent as ASCII JSON: a lone surrogate is valid there as an escape (httpx would refuse to encode it).
    body = json.dumps({"kind": kind, "records": [row]}).encode()
    response = client.post(
        "/v1/admin/records/import", content=body, headers={**ADMIN, "content-type": "application/json"}
    )
    assert response.status_code == 422, (response.status_code, response.text[:200])
    assert response.json()["inserted"] == 0
    [error] = response.json()["errors"]
    assert error["row"] == 1 and error["column"] == column and words in error["message"], error
    assert _count(container, TrainingOffer if kind == "offers" else ConsultationSlot) == before


def test_values_at_the_limits_of_the_columns_are_imported(records_env):
    _, client, container = records_env
    row = {**OFFER, "id": "X" * 64, "title": "t" * 300, "places": 2**31 - 1, "contact": "c" * 200}
    assert _import(client, "offers", [row]).status_code == 200
    with container.records.sessions() as session:
        assert session.get(TrainingOffer, "X" * 64).places == 2**31 - 1


@pytest.mark.parametrize("records_env", ["postgresql"], indirect=True)
@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("POST", "/v1/chat", {"message": "What is a training base?", "session_id": "s\x00"}),
        ("POST", "/v1/feedback", {"session_id": "s\x00", "rating": "up"}),
        ("POST", "/v1/actions/t%00/confirm", None),
        ("GET", "/v1/documents/d%00", None),
        ("GET", "/v1/sessions/s%00/documents", None),
    ],
)
def test_nul_characters_are_rejected_not_500_on_postgresql(records_env, method, path, payload):
    _, client, _ = records_env
    response = client.request(method, path, json=payload)
    assert response.status_code == 422, response.status_code
    assert_clear_4xx(response, "NUL character", "remove it")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/chat", '{"message": "What is a training base?", "session_id": "s\\ud800"}'),
        ("/v1/chat", '{"message": "What is a training base \\udfff?"}'),
        ("/v1/chat/completions", '{"messages": [{"role": "user", "content": "\\ud800"}]}'),
        ("/v1/feedback", '{"session_id": "s", "rating": "up", "comment": "\\ud800"}'),
    ],
)
def test_lone_surrogates_are_rejected_not_500(records_env, path, body):
    _, client, _ = records_env
    response = client.post(path, content=body.encode(), headers={"content-type": "application/json"})
    assert response.status_code == 422, response.status_code
    assert_clear_4xx(response, "lone surrogate")


# -- documents through the admin ingest -------------------------------------------------------------------

SOURCE = KNOWLEDGE_DIR / "policies" / "student-internship-rules.md"
QUESTION = "How much must an intern be paid compared with the probation wage?"


@pytest.fixture(scope="module")
def doc_env(tmp_path_factory, embedder) -> Iterator[tuple[TestClient, Container, Path]]:  # type: ignore[no-untyped-def]
    """A throwaway index of one policy document, so a broken re-ingest never touches the shared index."""
    root = tmp_path_factory.mktemp("ingest-env")
    knowledge = root / "kb"
    knowledge.mkdir()
    shutil.copy(SOURCE, knowledge / SOURCE.name)
    settings = make_settings(root / "data", ASSISTANT_KNOWLEDGE_DIR=knowledge)
    container = Container.build(settings, embedder=embedder)
    assert ingest([knowledge], settings, container.store, embedder).ok
    with TestClient(create_app(container=container, rate_limit=1_000_000), raise_server_exceptions=False) as client:
        yield client, container, knowledge


def _answers_from_the_document(client: TestClient) -> bool:
    body = client.post("/v1/chat", json={"message": QUESTION}).json()
    return not body["refused"] and any(c["doc_id"] == "student-internship-rules" for c in body["citations"])


def test_malformed_documents_are_reported_and_the_previous_generation_keeps_serving(doc_env):
    client, _, knowledge = doc_env
    generation = client.get("/health").json()["index"]["generation"]
    assert _answers_from_the_document(client)
    broken = {
        SOURCE.name: b"---\nid: [student-internship-rules\ntitle: broken\n---\n# Rules\n\nReplaced text.\n",
        "scan.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 8,
        "agreement.docx": b"PK\x03\x04 this is not a zip archive",
        "notes.txt": "Qu'est-ce qu'un café ?".encode("latin-1"),
    }
    try:
        for name, data in broken.items():
            (knowledge / name).write_bytes(data)
        response = client.post("/v1/admin/ingest", headers=ADMIN)
        assert response.status_code == 200, response.text[:300]
        body = response.json()
        errors = {Path(e["path"]).name: e["error"] for e in body["errors"]}
        assert set(errors) == set(broken) and "4 failed" in body["summary"]
        assert "invalid YAML metadata" in errors[SOURCE.name] and "not a readable PDF" in errors["scan.pdf"]
        assert "not a readable .docx" in errors["agreement.docx"] and "not UTF-8" in errors["notes.txt"]
        # The document that failed to load keeps its previous version: same generation, same answers.
        assert client.get("/health").json()["index"]["generation"] == generation
        assert _answers_from_the_document(client)
    finally:
        for name in broken:
            (knowledge / name).unlink(missing_ok=True)
        shutil.copy(SOURCE, knowledge / SOURCE.name)


def test_a_non_utf8_metadata_sidecar_is_reported_not_500(doc_env):
    client, _, knowledge = doc_env
    try:
        (knowledge / "notes.txt").write_text("Apprentices have two tutors.\n", encoding="utf-8")
        (knowledge / "notes.meta.yaml").write_bytes(b"title: Caf\xe9 notes\n")
        response = client.post("/v1/admin/ingest", headers=ADMIN)
        assert response.status_code == 200, response.status_code
        [error] = response.json()["errors"]
        assert "notes" in error["path"] and "notes.meta.yaml: not UTF-8 text; re-save it as UTF-8" in error["error"]
    finally:
        (knowledge / "notes.txt").unlink(missing_ok=True)
        (knowledge / "notes.meta.yaml").unlink(missing_ok=True)
    assert _answers_from_the_document(client)
