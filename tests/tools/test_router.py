"""The offline router's entities on their own: arguments from English and Chinese messages."""

from datetime import date

import pytest

from assistant.lexicon import Lexicon
from assistant.settings import REPO_ROOT
from assistant.tools.router import AFFIRM, extract

VOCABULARY = {
    "regions": ["Nanjing", "Nantong", "Suzhou"],
    "fields": ["new energy", "port machinery", "shipbuilding", "technology transfer"],
    "experts": ["Prof. Xu Lei"],
}
TODAY = date(2027, 1, 4)  # a Monday
LEXICON = Lexicon.build([], REPO_ROOT / "knowledge_base" / "lexicon")


def route(message):
    return None, extract(message, VOCABULARY, LEXICON, TODAY)


def test_entities():
    _, e = route("Any online consultation slots next week with Xu Lei about technology transfer?")
    assert (e.date_from, e.date_to) == (date(2027, 1, 11), date(2027, 1, 17))
    assert e.mode == "online" and e.expert == "Prof. Xu Lei" and e.field == "technology transfer"
    _, e = route("预约第三个，我叫王芳，电话 13912345678")
    assert (e.ordinal, e.name, e.contact) == (3, "王芳", "13912345678")
    _, e = route("My name is Zhao Lei, zhao.lei@example.cn, book CS-0012")
    assert (e.name, e.contact, e.record_id) == ("Zhao Lei", "zhao.lei@example.cn", "CS-0012")
    _, e = route("apprenticeships starting in March")
    assert (e.date_from, e.date_to) == (date(2027, 3, 1), date(2027, 3, 31))
    _, e = route("Is there an apprenticeship in ship welding?")
    assert (e.offer_kind, e.query) == ("apprenticeship", "ship welding")


def test_every_city_named_and_closed_records_when_asked_for():
    _, e = route("order classes in Nanjing or Suzhou, closed ones too")
    assert (e.offer_kind, e.regions, e.include_closed) == ("order_class", ["Nanjing", "Suzhou"], True)
    _, e = route("南通、苏州的实训基地，已截止的也列出来")
    assert (e.platform_kind, e.regions, e.include_closed) == ("training_base", ["Nantong", "Suzhou"], True)


def test_a_booking_in_one_message_gives_the_slot_the_name_and_the_contact():
    _, e = route("please book CS-0099 for me - Gu Yan, 13912345678")
    assert (e.record_id, e.name, e.contact) == ("CS-0099", "Gu Yan", "13912345678")
    _, e = route("约CS-0099，姓名：顾燕，手机：13912345678")
    assert (e.record_id, e.name, e.contact) == ("CS-0099", "顾燕", "13912345678")


def test_an_experts_name_is_no_date_and_no_speaker():
    # "Sun" is a weekday's short name and the expert's surname here is read as neither.
    vocabulary = {**VOCABULARY, "experts": ["Prof. Sun Mo"]}
    e = extract("Could I see Prof. Sun Mo on 12 January 2027? 13912345678", vocabulary, LEXICON, TODAY)
    assert (e.expert, e.date_from, e.name) == ("Prof. Sun Mo", date(2027, 1, 12), None)


@pytest.mark.parametrize(
    "reply",
    ["yes", "ok yes", "Yes, go ahead.", "yes please, book it", "confirm the booking", "好的，确认", "就约这个吧"],
)
def test_assent_in_more_words_is_still_a_yes(reply):
    assert AFFIRM.match(reply)


@pytest.mark.parametrize(
    "reply",
    ["yes but show me more", "ok book CS-0012", "确认一下我的预约有哪些", "可以预约吗", "ok thanks, what else?"],
)
def test_a_yes_that_asks_for_something_else_is_not_consent(reply):
    assert not AFFIRM.match(reply)


@pytest.mark.parametrize(
    "message",
    ["Can I get some time with Mr. Sun? It is about intern insurance", "Is Dr. Wed Li free? I want advice on patents"],
)
def test_a_titled_surname_is_a_person_not_a_weekday(message):
    _, entities = route(message)
    assert entities.date_from is None and entities.date_to is None
