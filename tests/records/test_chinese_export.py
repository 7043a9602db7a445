"""A records export as a Jiangsu college writes it: Chinese headers, Chinese enumeration words, Chinese cities
and fields, ids in the college's own format. The files under data/ were written for this test by someone who
read only the records README and the list of Chinese words we accept, not the importer."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.api.deps import Container
from assistant.ingest import ingest
from assistant.records.importer import validate
from tests.conftest import DEMO_NOW, KNOWLEDGE_DIR, make_settings, open_session

DATA = Path(__file__).with_name("data")
OFFERS = DATA / "training_offers_jshy.csv"
SLOTS = DATA / "consultation_slots_jshy.csv"


@pytest.fixture(scope="module")
def college(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """An assistant whose records are only the college's export (the documents are the shipped ones)."""
    settings = make_settings(tmp_path_factory.mktemp("college"))
    container = Container.build(settings, embedder=embedder)
    assert ingest([KNOWLEDGE_DIR / "policies" / "about-assistant.md"], settings, container.store, embedder).ok
    container.records.clock = lambda: DEMO_NOW
    for path in (OFFERS, SLOTS):
        report = container.records.import_file(path)
        assert report.ok, [e.in_chinese() for e in report.errors]
    with TestClient(create_app(container=container, rate_limit=1_000_000)) as client:
        yield client


def chat(client: TestClient, message: str, session: str) -> dict:
    response = client.post("/v1/chat", json={"message": message, "session_id": session})
    assert response.status_code == 200, response.text
    return response.json()


def test_chinese_headers_and_words_are_stored_under_one_key_per_value():
    report, rows = validate(OFFERS)
    assert report.ok
    by_id = {row.id: row for row in rows}
    welding = by_id["JSHY-XT-2027-001"]
    # 学徒制 / 开放 / 南通 / 船舶 as the records store them, whatever language the file was in.
    assert (welding.kind, welding.status, welding.region, welding.field) == (
        "apprenticeship",
        "open",
        "Nantong",
        "shipbuilding",
    )
    assert welding.title.startswith("瀚洋船舶重工")  # free text stays as written
    assert by_id["JSHY-SQ-2027-011"].enterprise is None  # a community course the school runs alone
    _, slots = validate(SLOTS)
    assert {slot.mode for slot in slots} == {"online", "onsite"}


def test_a_chinese_question_and_an_english_one_find_the_same_apprenticeship(college):
    chinese = chat(college, "南通有船舶方面的学徒制岗位吗？", open_session(college))
    english = chat(college, "Any shipbuilding apprenticeships in Nantong?", open_session(college))
    for body in (chinese, english):
        call = body["tool_calls"][0]
        assert call["name"] == "search_training_offers"
        ids = [item["id"] for item in call["result"]["items"]]
        assert "JSHY-XT-2027-001" in ids, body["answer"]
        assert "JSHY-DD-2027-005" not in ids  # the closed order class is not offered
    assert "JSHY-XT-2027-001" in chinese["answer"] and chinese["answer"].startswith("找到")


def test_the_college_id_is_understood_as_written(college):
    body = chat(college, "JSHY-SX-2027-008 这个实习具体是什么情况？", open_session(college))
    assert "JSHY-SX-2027-008" in str(body["tool_calls"][0]["result"])


def test_a_chinese_expert_slot_books_through_the_confirmation_step(college):
    session = open_session(college)
    listed = chat(college, "我想找专家咨询船舶焊接的问题", session)
    slots = listed["tool_calls"][0]["result"]["items"]
    assert slots and all(slot["id"].startswith("JSHY-ZJ-") for slot in slots)
    assert "JSHY-ZJ-0103" not in [slot["id"] for slot in slots]  # 已预约: already taken
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    proposed = chat(college, f"预约第一个，我叫王磊，电话{phone}", session)
    pending = proposed["pending_action"]
    assert pending and pending["kind"] == "booking", proposed["answer"]
    assert proposed["tool_calls"][0]["arguments"]["slot_id"] == slots[0]["id"]
    done = chat(college, "确认", session)
    assert done["action_result"]["status"] == "confirmed"
    assert done["action_result"]["booking_ref"] in done["answer"]


def test_a_bad_cell_in_a_chinese_file_is_named_by_its_own_header_in_both_languages(tmp_path):
    rows = list(csv.DictReader(OFFERS.open(encoding="utf-8")))
    rows[1]["类型"] = "见习"  # not a kind we know
    rows[2]["合作企业"] = ""  # an apprenticeship must name its enterprise
    broken = tmp_path / "training_offers_broken.csv"
    with broken.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report, _ = validate(broken)
    assert not report.ok
    messages = {error.row: error for error in report.errors}
    assert str(messages[2]).startswith("row 2: `类型` is '见习': use one of")
    in_chinese = messages[2].in_chinese()
    assert in_chinese.startswith("第 2 行：`类型` 为 '见习'：请填写") and "学徒制" in in_chinese
    assert "只有社区课程可由学校单独举办" in messages[3].in_chinese()
