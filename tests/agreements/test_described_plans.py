"""A plan told in chat, then "write it up": the plan is offered as a draft and drafted with what was said;
slips in the request's words are forgiven; firms named without a legal form are still found."""

from __future__ import annotations

import pytest

from assistant.agreements.parties import parties
from assistant.agreements.spelling import respelled
from assistant.cedict import is_pinyin
from tests.agreements.test_chat_flow import say
from tests.conftest import open_session


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("could u draw up the agrement", "could u draw up the agreement"),
        ("an aprenticeship contarct please", "an apprenticeship contract please"),
        ("Xining Technical Colege", "Xining Technical college"),
    ],
)
def test_slips_in_request_words_are_put_right(typed, meant):
    assert respelled(typed) == meant


@pytest.mark.parametrize(
    "typed",
    ["our contact person", "Licensee: Contrax Ltd", "two drafts", "the contractor", "Party B (licensee)"],
)
def test_words_spelled_right_and_names_are_left_alone(typed):
    assert respelled(typed) == typed


def test_two_pinyin_words_are_a_person_and_an_english_word_makes_a_firm():
    assert all(map(is_pinyin, ["Min", "Jianguo", "Xi'an", "Zhuang"]))
    assert not any(map(is_pinyin, ["Dairy", "Robotics", "Cold", "Power"]))
    school = "Lanzhou Petrochemical Polytechnic"
    assert parties(f"I run training at Qinling Dairy and we'd like {school} to teach our staff.")[1] == "Qinling Dairy"
    assert parties(f"Best, Wang Jun from {school}")[1] is None


@pytest.mark.parametrize(
    ("message", "firm"),
    [
        ("我们学院打算和青松乳业一起开个订单班", "青松乳业"),
        ("常州机电职业技术学院（我们学校）跟秦川精工商量好了共建基地", "秦川精工"),
        ("西岭茶业想从我们茶艺专业挑20个学生。我们是宜兴陶瓷职业学院。", "西岭茶业"),
        ("我是望江重机人力资源部的，想请镇江高职给员工上课", "望江重机"),
        ("安排学生去云岭咖啡庄园的岗位上实习", "云岭咖啡庄园"),
    ],
)
def test_a_chinese_firm_without_a_legal_form_is_found_by_where_it_stands(message, firm):
    assert parties(message)[1] == firm


@pytest.mark.parametrize(
    "message",
    ["学校和企业一起培养，由学校老师和企业师傅一起带", "我们学院跟张伟商量了一下", "我们学院和当地一家企业合作"],
)
def test_people_and_everyday_nouns_beside_a_school_are_no_firm(message):
    assert parties(message)[1] is None


PLAN = (
    "Just so you know: Weihai Ocean Vocational College and Jiaodong Seafood Processing Co., Ltd. will build and "
    'share a training base called the "Cold Chain Skills Centre" on our south campus, from 1 March 2027 to '
    "28 February 2030."
)


def test_a_plan_between_named_parties_is_offered_as_a_draft_and_a_yes_drafts_it(client):
    session = open_session(client)
    offered = say(client, PLAN, session)
    assert offered["tool_calls"] == [] and "Shall I draft it?" in offered["answer"]
    assert "Training Base" in offered["answer"] and "Jiaodong Seafood Processing" in offered["answer"]
    drafted = say(client, "yes", session)
    assert drafted["document"] is not None, drafted["answer"]
    call = drafted["tool_calls"][0]["arguments"]
    assert call["kind"] == "shared_training_base" and call["fields"]["start_date"] == "2027-03-01"
    assert call["fields"]["school"] == "Weihai Ocean Vocational College"


def test_write_up_the_agreement_after_a_plan_drafts_with_what_was_said(client):
    session = open_session(client)
    say(client, PLAN.replace("Just so you know: ", ""), session)
    asked = say(client, "ok, please write up the agreemnt; anything else can stay blank", session)
    assert asked["document"] is not None, asked["answer"]
    assert asked["tool_calls"][0]["arguments"]["fields"]["end_date"] == "2030-02-28"


def test_a_question_about_a_plan_is_answered_not_offered_as_a_draft(client):
    session = open_session(client)
    answered = say(client, f"{PLAN} What tax incentives apply to the company?", session)
    assert "Shall I draft it?" not in answered["answer"]


def test_a_request_for_an_unnamed_agreement_asks_which_and_keeps_what_was_said(client):
    session = open_session(client)
    asked = say(client, "Please write up the agreement for us, the rest can stay blank.", session)
    assert not asked["refused"] and asked["answer"].startswith("Which agreement should I draft?")
    drafted = say(client, "the order class one", session)
    assert drafted["document"] is not None and "placeholders" in drafted["answer"]
    declined = say(client, "Now draft a tenancy agreement for my flat", open_session(client))
    assert declined["refused"]
