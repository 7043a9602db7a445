"""Details a teacher states in prose, in either language, become the draft's values; none is invented."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.agreements.extraction import extract_fields
from assistant.agreements.templates import templates

TODAY = date(2026, 12, 3)


def fields(kind: str, message: str) -> dict[str, str]:
    return extract_fields(templates()[kind], message, TODAY)


def test_parties_dates_and_count_told_in_an_english_sentence():
    found = fields(
        "modern_apprenticeship",
        "Our college is Taizhou Marine Vocational College and we are partnering with Haixin Valve Works; "
        "18 apprentices, running from 1 September 2027 to 31 July 2029.",
    )
    assert found["school"] == "Taizhou Marine Vocational College"
    assert found["enterprise"] == "Haixin Valve Works"
    assert (found["start_date"], found["end_date"]) == ("2027-09-01", "2029-07-31")
    assert found["students"] == "18"


def test_a_chinese_request_with_chinese_numerals_and_a_length_instead_of_an_end():
    found = fields(
        "order_class",
        "订单班协议：盐城工业职业技术学院同盐城宏达汽车零部件有限公司，2027年9月1日起，为期两年，学员三十名",
    )
    assert found["school"] == "盐城工业职业技术学院" and found["enterprise"] == "盐城宏达汽车零部件有限公司"
    assert found["end_date"] == "2029-08-31"  # two years from the start, its last day
    assert found["students"] == "30"


def test_the_firm_named_first_is_still_the_enterprise():
    found = fields(
        "joint_rd", "a joint R&D agreement between Kunshan Photonics Co., Ltd. and Suzhou Industrial Park Institute"
    )
    assert found["school"] == "Suzhou Industrial Park Institute"
    assert found["enterprise"] == "Kunshan Photonics Co., Ltd."


def test_a_month_and_a_length_in_english():
    found = fields(
        "joint_rd", 'joint R&D contract, project "Hull weld inspection by drone", starting March 2027 for 18 months'
    )
    assert (found["start_date"], found["end_date"]) == ("2027-03-01", "2028-08-31")
    assert found["project_title"] == "Hull weld inspection by drone"


def test_the_one_amount_goes_to_the_one_money_field_and_a_patent_number_is_kept_whole():
    found = fields("patent_licensing", "patent licence for ZL 2023 1012 3456.7? No: ZL202310123456.7, fee 12万元")
    assert found["patent_number"] == "ZL202310123456.7" and found["licence_fee_cny"] == "12万"


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("order_class", "Draft an order class agreement, please"),
        ("order_class", "学生人数还没定，先起草订单班协议"),
        ("post_internship", "internship agreement with pay between 3000 and 3600 yuan"),
        ("order_class", "class of 30 to 40 students"),
    ],
)
def test_nothing_is_guessed_that_the_message_does_not_state(kind, message):
    found = fields(kind, message)
    assert not {"school", "enterprise", "start_date", "end_date"} & found.keys()
    # A range is passed on whole, to be asked again as one figure, never cut to one end of it.
    assert found.get("students", "30 to 40") == "30 to 40"
    assert found.get("monthly_pay_cny", "3000 and 3600") == "3000 and 3600"


@pytest.mark.parametrize(
    ("message", "programme"),
    [
        ("24 students in industrial robotics, starting next autumn", "industrial robotics"),
        ("students from our cold-chain logistics programme", "cold-chain logistics"),
        ("学生20人，来自汽车检测与维修技术专业", "汽车检测与维修技术"),
        ("面向数控技术专业的学生", "数控技术"),
    ],
)
def test_the_programme_the_students_come_from(message, programme):
    assert fields("order_class", message)["programme"] == programme


def test_labels_in_brackets_licence_types_locations_and_a_latin_name_after_a_chinese_label():
    licence = fields(
        "patent_licensing", "Licensee: Hexin Motors Co., Ltd. Licensor: Nanjing Tech College. sole licence"
    )
    assert licence["enterprise"] == "Hexin Motors Co., Ltd" and licence["school"] == "Nanjing Tech College"
    assert licence["licence_type"] == "sole licence"
    base = fields("shared_training_base", "基地位于常州市武进区，学校Changzhou Light Industry Polytechnic")
    assert base["location"] == "常州市武进区" and base["school"] == "Changzhou Light Industry Polytechnic"


def test_a_yearless_end_follows_its_start_and_a_count_after_a_date_is_not_its_day():
    found = fields("post_internship", "岗位实习，2027年9月1日到1月31日，学生12名")
    assert (found["start_date"], found["end_date"], found["students"]) == ("2027年9月1日", "2028-01-31", "12")
    found = fields("post_internship", "from 2 March 2027 to 30 June 2027, 14 interns")
    assert (found["start_date"], found["end_date"], found["students"]) == ("2027-03-02", "2027-06-30", "14")


def test_an_amount_in_chinese_numerals_and_a_labelled_chinese_location():
    found = fields("shared_training_base", "基地名称：滨海焊接实训基地；地点：盐城市大丰区；学校投入二十万元")
    assert found["location"] == "盐城市大丰区" and found["base_name"] == "滨海焊接实训基地"
    assert fields("joint_rd", "联合研发，预算三十万元")["budget_cny"] == "300000"
