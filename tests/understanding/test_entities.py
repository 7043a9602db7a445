"""Entities from one vocabulary: the records' values under every name, dates as ranges, names and contacts.

Messages here are near-misses written for these tests, not copies of eval inputs."""

from datetime import date

import pytest

from assistant.understanding.contacts import find_contact, find_name
from assistant.understanding.dates import find_dates
from assistant.understanding.vocabulary import Vocabulary

RECORDS = {
    "regions": ["Nanjing", "Nantong", "Suzhou", "Yancheng-Dafeng"],
    "fields": ["shipbuilding", "new energy", "internship management", "aviation maintenance"],
    "experts": ["Assoc. Prof. Zheng Li", "Ms. Wang Fang"],
    "ids": {"CS-0014": "slots", "TO-0003": "offers", "JSXY-2027-014": "offers", "AB-CS-014": "slots"},
}
VOCABULARY = Vocabulary.build(RECORDS)
THURSDAY = date(2027, 1, 7)


def named(message: str) -> set[tuple[str, str]]:
    return {(m.category, m.value) for m in VOCABULARY.mentions(message)}


def test_values_of_the_records_are_known_by_their_own_names_and_the_names_file():
    assert ("fields", "aviation maintenance") in named("any aviation maintenance courses?")
    assert ("regions", "Yancheng-Dafeng") in named("what is there in yancheng-dafeng")
    assert ("regions", "Nantong") in named("南通有什么")
    assert ("offer_kinds", "order_class") in named("订单班还有名额吗")
    assert ("experts", "Assoc. Prof. Zheng Li") in named("can I meet Zheng Li?")


def test_the_longest_name_wins_and_words_inside_other_words_are_not_names():
    assert named("advice on internship management") == {("fields", "internship management")}
    assert named("relationships and partnerships") == set()  # "ships" is no field, "intern" no kind


def test_slips_are_forgiven_in_english_names_but_not_in_the_first_letter_or_in_short_words():
    assert ("regions", "Nanjing") in named("internships in nanjng")
    assert ("offer_kinds", "apprenticeship") in named("an aprenticeship maybe")
    assert ("fields", "shipbuilding") in named("ship bulding jobs")
    assert named("anything in Huzhou?") == set()  # a city of its own, not a slip for Suzhou
    assert named("please remove it") == set()  # one letter from "remote", a word, not a slip
    assert named("a trip for my parents") == set()  # an English word is no slip for "patents"


def test_several_cities_are_all_named():
    cities = [m.value for m in VOCABULARY.mentions("Nanjing or Suzhou, either is fine") if m.category == "regions"]
    assert cities == ["Nanjing", "Suzhou"]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("book CS-0014 please", [("CS-0014", "slots")]),
        ("帮我约一下CS-0014", [("CS-0014", "slots")]),  # no word boundary between 下 and C
        ("details of JSXY-2027-014?", [("JSXY-2027-014", "offers")]),
        ("ab-cs-014 is the one", [("AB-CS-014", "slots")]),
        ("is CS-99 free", [("CS-99", "slots")]),  # the shape of a slot id: the tools say it does not exist
        ("is ZZ-1 real", [("ZZ-1", None)]),
        ("call 0512-66778899 or see 2027-01-05", []),
    ],
)
def test_record_ids_in_the_datas_own_format(message, expected):
    assert VOCABULARY.record_ids(message) == expected


@pytest.mark.parametrize(
    ("message", "start", "end"),
    [
        ("anything on 9 February 2027?", date(2027, 2, 9), date(2027, 2, 9)),
        ("2027年2月9日有空吗", date(2027, 2, 9), date(2027, 2, 9)),
        ("2月9号可以吗", date(2027, 2, 9), date(2027, 2, 9)),
        ("free next Monday?", date(2027, 1, 11), date(2027, 1, 11)),
        ("下周五有专家吗", date(2027, 1, 15), date(2027, 1, 15)),
        ("这周六呢", date(2027, 1, 9), date(2027, 1, 9)),
        ("courses in April", date(2027, 4, 1), date(2027, 4, 30)),
        ("April or May would suit me", date(2027, 4, 1), date(2027, 5, 31)),
        ("anything after 3 March 2027", date(2027, 3, 3), None),
        ("starting before June 2027", None, date(2027, 6, 1)),
        ("2027年6月以后开始的", date(2027, 6, 1), None),
        ("2027年6月之前", None, date(2027, 6, 1)),
        ("between 8 and 12 March 2027", date(2027, 3, 8), date(2027, 3, 12)),
        ("from 1 March 2027 to 30 April 2027", date(2027, 3, 1), date(2027, 4, 30)),
        ("next week", date(2027, 1, 11), date(2027, 1, 17)),
        ("I was busy in December. Anything in February?", date(2027, 2, 1), date(2027, 2, 28)),
        ("internships in        from February 2027 on", date(2027, 2, 1), None),  # entities blanked out
    ],
)
def test_dates_in_prose_are_the_range_they_mean(message, start, end):
    found = find_dates(message, THURSDAY)
    assert found is not None and (found.start, found.end) == (start, end)


@pytest.mark.parametrize(
    "message",
    [
        "book the second one",
        "any welding apprenticeships?",
        "我想找实习",
        "I'd like to be a welder one day",
        # Counts and amounts: a bare number is not a year or a month however the parser could read it.
        "-40",
        "30 to 40 students",
        "40 thousand",
        "the 3 cheapest ones in 10 minutes' walk",
        "预算3600元",
        # A rate and the present are not dates to filter by.
        "internships that pay at least 6000 a month",
        "twice per week is fine; for now, any welding courses?",
    ],
)
def test_messages_without_dates_have_none(message):
    assert find_dates(message, THURSDAY) is None


@pytest.mark.parametrize(
    ("message", "name", "contact"),
    [
        ("Liu Min, 13812345678", "Liu Min", "13812345678"),
        ("please book it for me - Ho Ka, ho.ka@example.cn", "Ho Ka", "ho.ka@example.cn"),
        ("Name: Tian Yu / Phone: 13712345678", "Tian Yu", "13712345678"),
        ("my name is Ann Lee and my mobile is +86 139 1234 5678", "Ann Lee", "+86 139 1234 5678"),
        ("我叫赵敏，手机13612345678", "赵敏", "13612345678"),
        ("联系人：周杰，电话 025-83456789", "周杰", "025-83456789"),
        ("book CS-0014 under Mei Xu, 13512345678", "Mei Xu", "13512345678"),
        ("book CS-0014 for Team 7, team7@example.cn", "Team 7", "team7@example.cn"),
        ("Name: Chen Lu 135 1234 5678", "Chen Lu", "135 1234 5678"),  # the phone's first digits are not hers
    ],
)
def test_names_and_contacts_as_people_give_them(message, name, contact):
    found = find_contact(message)
    assert found is not None and found.value == contact
    speaker = find_name(message, found)
    assert speaker is not None and speaker[0] == name


@pytest.mark.parametrize(
    "message",
    ["I'm looking for an internship in Nanjing", "我是这个专业的老师", "book the second one", "2027-01-05 at 10"],
)
def test_no_name_where_none_is_given(message):
    assert find_name(message, find_contact(message)) is None


def test_a_speaker_named_like_an_expert_is_still_the_speaker():
    message = "I am Wang Fang, wf@example.cn"
    assert find_name(message, find_contact(message), not_names=frozenset({"wang fang"})) == ("Wang Fang", True)
    # Beside a contact, an expert's name is who to book, not who is booking.
    message = "Wang Fang, 13812345678"
    assert find_name(message, find_contact(message), not_names=frozenset({"wang fang"})) is None


def test_no_contact_in_ids_dates_or_invalid_addresses():
    assert find_contact("CS-0014 on 2027-01-05, ref BK-1A2B3C4D") is None
    assert find_contact("write to someone@localhost") is None
