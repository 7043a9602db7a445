"""Odd but legitimate replies while drafting: strange names, numbers with units, questions, other contracts."""

from __future__ import annotations

import pytest

from tests.agreements.test_chat_flow import say
from tests.conftest import open_session

ORDER_CLASS = (
    "Draft an order-based class agreement between Yangzhou Polytechnic College and Yangzi Shipbuilding "
    "from 2027-09-01 to 2029-06-30"
)
JOINT_RD = "Draft a joint R&D agreement between {school} and Changzhou Robotics Ltd from 2027-04-01 to 2028-03-31"
POST_INTERNSHIP = (
    "Draft a post internship agreement between Wuxi Institute of Technology and Wuxi Bearings Ltd "
    "for 25 students from 2027-07-01 to 2027-12-31"
)


@pytest.mark.parametrize("school", ["None", "Changzhou {{ x }} College"])
def test_a_value_that_looks_like_template_syntax_is_drafted_as_typed(client, school):
    session = open_session(client)
    say(client, JOINT_RD.format(school=school), session)
    drafted = say(client, "go ahead", session)
    assert drafted["document"] is not None
    assert f"This agreement is made between {school} (" in drafted["answer"]


def test_a_draft_that_cannot_be_grounded_is_explained_not_a_server_error(client, kb_container, monkeypatch):
    class LostIndex:
        def section_chunks(self, doc_id: str, section: str) -> list:
            return []

    session = open_session(client)
    say(client, JOINT_RD.format(school="Changzhou College"), session)
    monkeypatch.setattr(kb_container.agreements, "lookup", LostIndex())
    failed = say(client, "go ahead", session)
    assert failed["document"] is None
    assert failed["answer"].startswith("I could not make the draft") and "assistant ingest" in failed["answer"]


def test_an_amount_in_wan_is_written_out_in_full(client):
    session = open_session(client)
    say(client, POST_INTERNSHIP, session)
    say(client, "Assembly line quality inspection", session)
    drafted = say(client, "1.5万元", session)
    assert drafted["document"] is not None and "| internship pay (CNY per month) | 15000 |" in drafted["answer"]


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("-40", "Class size must be above zero, like 30"),
        ("30 to 40 students", "Class size must be a whole number, one figure like 30"),
        ("40m", "Class size must be written in full, like 15000"),
    ],
)
def test_a_count_that_is_not_one_positive_number_is_asked_again(client, reply, expected):
    session = open_session(client)
    say(client, ORDER_CLASS, session)
    again = say(client, reply, session)
    assert again["answer"].startswith(expected) and again["answer"].endswith(
        "How many students will the order-based class have?"
    )
    assert "Noted" not in again["answer"] and again["document"] is None
    drafted = say(client, "go ahead", session)
    assert "[TO FILL: class size]" in drafted["answer"]


def test_a_percentage_above_100_is_asked_again(client):
    session = open_session(client)
    asked = say(
        client,
        "Draft a patent licensing agreement between Jiangsu Maritime Institute and Taizhou Marine Equipment Co. "
        "from 2027-02-01 to 2030-01-31, royalty percent: 250",
        session,
    )
    assert asked["answer"].startswith("Royalty (% of net sales) must be between 1 and 100")


def test_a_date_with_a_five_digit_year_is_refused_not_trimmed(client):
    session = open_session(client)
    asked = say(client, JOINT_RD.format(school="Changzhou College").replace("2027-04-01", "12027-04-01"), session)
    assert asked["answer"].startswith("Start date must be a real date like 2027-03-01, not '12027-04-01'")
    again = say(client, "2027-04-01", session)
    assert "start date 2027-04-01" in again["answer"] and "R&D project?" in again["answer"]


@pytest.mark.parametrize(
    "request_text",
    [
        "Draft a sales contract between my company and a steel supplier",
        "Please write an employment contract for a new teacher at our college",
        "帮我起草一份学校和公司之间的设备采购合同",
    ],
)
def test_other_contracts_are_declined_and_the_next_question_is_answered(client, request_text):
    session = open_session(client)
    declined = say(client, request_text, session)
    assert declined["refused"] and any(kind in declined["answer"] for kind in ("Modern Apprenticeship", "现代学徒制"))
    answered = say(client, "What is the internship pay floor?", session)
    assert "80%" in answered["answer"] and "Which agreement" not in answered["answer"]


def test_a_message_naming_no_kind_leaves_the_question_of_which_kind(client):
    session = open_session(client)
    asked = say(client, "I need to draft a cooperation agreement with a company", session)
    assert asked["answer"].startswith("Which agreement should I draft?")
    answered = say(client, "What is the internship pay floor?", session)
    assert "80%" in answered["answer"] and "Which agreement" not in answered["answer"]


def test_a_question_mid_flow_is_answered_and_the_draft_waits(client):
    session = open_session(client)
    say(client, ORDER_CLASS.replace(" from ", " for 42 students from "), session)
    answered = say(client, "What does the paper say about the double tutor system?", session)
    assert answered["document"] is None and answered["citations"] and "tutor" in answered["answer"]
    assert answered["answer"].endswith(
        "(The Order-Based Class Cooperation Agreement is still waiting: From which programme or major will the "
        'class be formed? Or say "stop".)'
    )
    drafted = say(client, "Marine engineering", session)
    assert drafted["document"] is not None and "| programme (major) | Marine engineering |" in drafted["answer"]


def test_a_chinese_question_mid_flow_is_answered_and_reminded_in_chinese(client):
    session = open_session(client)
    say(client, "起草一份订单班协议，扬州工业职业技术学院和扬子江船业集团，35名学生，2027-09-01到2030-06-30", session)
    answered = say(client, "什么是双导师制？", session)
    assert answered["document"] is None and answered["answer"].endswith("也可以说“取消”。）")
    assert "订单班从哪个专业组建？" in answered["answer"]


def test_the_draft_keeps_the_language_it_was_asked_in(client):
    english = open_session(client)
    say(client, POST_INTERNSHIP, english)
    say(client, "Assembly line quality inspection", english)
    drafted = say(client, "1.5万元", english)
    assert drafted["document"]["language"] == "en" and drafted["answer"].startswith("Here is a first draft")

    chinese = open_session(client)
    say(client, "起草一份订单班协议，扬州工业职业技术学院和扬子江船业集团，35名学生，2027-09-01到2030-06-30", chinese)
    drafted = say(client, "Welding technology", chinese)
    assert drafted["document"]["language"] == "zh" and drafted["answer"].startswith("以下是《订单班")


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (
            "We are thinking of an order-based class with Gaoyou Polytechnic College for 24 students.",
            "Fine, just send me the draft with placeholders.",
        ),
        ("我们公司想和宝应职业技术学院搞一个订单班，大概24个学生。", "别问了，先出个草稿，缺的以后补。"),
    ],
)
def test_draft_it_after_a_message_that_named_the_agreement_drafts_what_was_named(client, first, then):
    session = open_session(client)
    say(client, first, session)
    drafted = say(client, then, session)
    assert drafted["document"] is not None
    call = drafted["tool_calls"][0]
    assert call["arguments"]["kind"] == "order_class" and call["arguments"]["fields"]["students"] == "24"
    assert "Gaoyou Polytechnic College" in drafted["answer"] or "宝应职业技术学院" in drafted["answer"]


def test_draft_it_without_an_agreement_named_before_is_not_a_draft(client):
    session = open_session(client)
    say(client, "What is an order-based class?", session)
    say(client, "thanks, and where are the internships in Nantong?", session)
    reply = say(client, "just send me the draft", session)
    assert reply["document"] is None


def test_signing_an_agreement_with_both_parties_named_asks_for_it(client):
    session = open_session(client)
    reply = say(client, "我们是盱眙龙虾养殖有限公司，想跟淮安农业职业学院签一份学生实习协议", session)
    call = reply["tool_calls"][0]
    assert call["name"] == "draft_agreement" and call["arguments"]["kind"] == "post_internship"
    assert call["arguments"]["fields"]["school"] == "淮安农业职业学院"


@pytest.mark.parametrize(
    "question",
    [
        "Which consultation slots are there in February with an expert on order class agreements?",
        "现代学徒制校企联合招生要不要签协议？",
    ],
)
def test_a_question_that_names_an_agreement_is_not_a_request_for_one(client, question):
    session = open_session(client)
    reply = say(client, question, session)
    assert not any(call["name"] == "draft_agreement" for call in reply["tool_calls"])


def test_a_request_put_as_a_question_is_one(client):
    session = open_session(client)
    reply = say(client, "Could you start an order class agreement for Yancheng Polytechnic College?", session)
    assert reply["tool_calls"][0]["name"] == "draft_agreement"
