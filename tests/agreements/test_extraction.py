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


@pytest.mark.parametrize(
    ("message", "school", "enterprise"),
    [
        # A school's name may go on after its end word ("... Institute of ..."), and contain "and" or "&".
        (
            "Yangzhou Institute of Marine and Environmental Technology will work with Gaoyou Pumps Co., Ltd.",
            "Yangzhou Institute of Marine and Environmental Technology",
            "Gaoyou Pumps Co., Ltd.",
        ),
        (
            "Xuzhou Arts & Crafts College, partner: Pizhou Kiln Works",
            "Xuzhou Arts & Crafts College",
            "Pizhou Kiln Works",
        ),
        # Two names joined by "and": split where both sides are names.
        (
            "Taicang Polytechnic and Taicang Harbour Logistics Co., Ltd. want this",
            "Taicang Polytechnic",
            "Taicang Harbour Logistics Co., Ltd.",
        ),
        # A sentence that ends on a name does not run into the next one; a label stays out of the name.
        (
            "We are Lishui Textiles Co., Ltd. Our partner is Jurong Fashion College.\nParty B: Lishui Textiles Ltd.",
            "Jurong Fashion College",
            "Lishui Textiles Co., Ltd.",
        ),
        # Chinese: the name starts after the verbs, pronouns and labels in front of it, or inside its bracket.
        (
            "我们是溧阳天目湖旅游有限公司，打算接收常州旅游商贸高等职业技术学校的学生",
            "常州旅游商贸高等职业技术学校",
            "溧阳天目湖旅游有限公司",
        ),
        (
            "本公司（宜兴紫砂文化发展有限公司）拟委托无锡工艺职业技术学院",
            "无锡工艺职业技术学院",
            "宜兴紫砂文化发展有限公司",
        ),
        (
            "学校泰州机电高等职业技术学校，企业华兴机械（泰州）有限公司",
            "泰州机电高等职业技术学校",
            "华兴机械（泰州）有限公司",
        ),
    ],
)
def test_the_parties_are_found_by_the_shape_of_their_names(message, school, enterprise):
    found = fields("order_class", message)
    assert (found["school"], found["enterprise"]) == (school, enterprise)


def test_a_labelled_value_that_is_not_a_name_gives_way_to_the_name():
    found = fields("patent_licensing", "Licensor: Huai'an Tech College. Licensee: us, Huai'an Valve Group")
    assert found["enterprise"] == "Huai'an Valve Group"


@pytest.mark.parametrize(
    ("message", "count"),
    [
        ("a 42-student class", "42"),
        ("a cohort of 16 from the welding programme", "16"),
        ("Trainees - 70 maintenance fitters", "70"),
        ("Apprentices: a class of 26", "26"),
        ("学生：22人", "22"),
        ("实习人数：9人", "9"),
    ],
)
def test_counts_written_as_labels_or_in_passing(message, count):
    assert fields("modern_apprenticeship", message)["students"] == count


def test_short_labels_dashes_and_a_labelled_amount_that_a_sentence_goes_on_after():
    found = fields(
        "joint_rd",
        "School - Huaiyin Institute of Technology\nProject: Drone inspection of canal locks\n"
        "The budget is CNY 450,000 and work starts on 1 May 2027",
    )
    assert found["school"] == "Huaiyin Institute of Technology"
    assert found["project_title"] == "Drone inspection of canal locks"  # "project" is not the budget: no figure
    assert found["budget_cny"] == "CNY 450,000"
    assert fields("employee_training", "课程包括叉车安全驾驶和仓储管理")["courses"] == "叉车安全驾驶和仓储管理"
    assert fields("order_class", "专业 港口机械运用与维护，学生：20人")["programme"] == "港口机械运用与维护"


def test_posts_and_courses_told_in_prose():
    internship = fields("post_internship", "The interns will work as hotel front-desk clerks, from 1 July 2027")
    assert internship["posts"] == "hotel front-desk clerks"
    training = fields("employee_training", "to train 35 of our drivers in new-energy bus maintenance, from May 2027")
    assert training["courses"] == "new-energy bus maintenance" and training["trainees"] == "35"


def test_a_patent_number_written_in_groups():
    assert fields("patent_licensing", "Patent: ZL 2024 1 0555123.X")["patent_number"] == "ZL202410555123.X"


def test_a_table_and_labelled_names_are_taken_whole():
    found = fields(
        "post_internship",
        "| 院校名称 | 启东船舶职业技术学院 |\n| 企业名称 | 启航港务股份有限公司 |\n"
        "| 岗位 | 理货员、调度助理 |\n| 人数 | 16 |",
    )
    # jieba tags 启 as a verb; right after a bar or a colon the whole name is kept.
    assert found["school"] == "启东船舶职业技术学院" and found["enterprise"] == "启航港务股份有限公司"
    assert found["posts"] == "理货员、调度助理" and found["students"] == "16"


def test_a_label_word_alone_is_not_a_name():
    found = fields("joint_rd", "- School: Huaihai Tech College\n- Company: Suqian Lvye Drone Co., Ltd.")
    assert found["enterprise"] == "Suqian Lvye Drone Co., Ltd."


def test_amounts_sites_and_courses_in_prose():
    rd = fields("joint_rd", "with a budget of RMB 2.5 million, from 2027-05-01 to 2028-04-30")
    assert rd["budget_cny"] == "2.5million"
    base = fields("shared_training_base", "the base sits in Building 2 on our Gulou Campus")
    assert base["location"] == "Building 2 on our Gulou Campus"
    training = fields("employee_training", "40 of our operators will take courses in forklift safety, from May")
    assert training["courses"] == "forklift safety"
    order = fields("order_class", "从港口机械专业组建28人的订单班")
    assert (order["programme"], order["students"]) == ("港口机械", "28")


def test_dates_in_chinese_numerals_two_figure_years_and_a_letter_dated_at_its_foot():
    found = fields(
        "modern_apprenticeship",
        "合作期限：二〇二八年三月一日至二〇三一年二月二十八日。\n……\n人力资源部 2026年11月20日",
    )
    assert (found["start_date"], found["end_date"]) == ("2028年3月1日", "2031年2月28日")
    found = fields("post_internship", "28年3月2号开始去实习")
    assert found["start_date"] == "2028年3月2号"
    assert "start_date" not in fields("post_internship", "no dates yet, just draft it now")


def test_one_date_a_line_and_a_length_after_qi():
    found = fields("joint_rd", "Budget: CNY 2.5 million\nKick-off: 3 May 2027\nWrap-up: 30 April 2029")
    assert (found["start_date"], found["end_date"]) == ("2027-05-03", "2029-04-30")
    assert fields("order_class", "自2028年9月1日起三年")["end_date"] == "2031-08-31"


def test_counts_in_words_and_totals_and_the_programme_beside_the_count():
    assert fields("post_internship", "Interns: twelve")["students"] == "12"
    assert fields("employee_training", "分三批，每批20人，一共60人")["trainees"] == "60"
    found = fields("modern_apprenticeship", "前年在数控专业试点过。这次招收机电一体化专业学生24名")
    assert found["programme"] == "机电一体化" and found["students"] == "24"


def test_titles_without_quotes_and_a_patent_number_on_a_run_on_line():
    assert fields("joint_rd", "a project called Smart Lock Cylinder Testing, budget 90k")["project_title"] == (
        "Smart Lock Cylinder Testing"
    )
    assert fields("joint_rd", "课题《智能锁芯检测》")["project_title"] == "智能锁芯检测"
    found = fields("patent_licensing", "专利号ZL202310765432.1 普通许可就行 费用一次性三万块")
    assert found["patent_number"] == "ZL202310765432.1" and found["licence_fee_cny"] == "30000"


def test_a_labelled_date_is_read_to_the_end_of_its_clause():
    # "March 3rd, 2028": the comma inside an English date does not cut it to a yearless "March 3rd".
    fields = extract_fields(
        templates()["joint_rd"], "Start date: March 3rd, 2028; End date: January 31st, 2029.", TODAY
    )
    assert (fields["start_date"], fields["end_date"]) == ("2028-03-03", "2029-01-31")
    # A month is no day: kept as typed, to be asked again.
    assert extract_fields(templates()["joint_rd"], "End date: next May", TODAY)["end_date"] == "next May"


@pytest.mark.parametrize(
    ("message", "names"),
    [
        # The 为 of 华为, the 去 before a host firm: words before names are whole words.
        ("我们是华为技术有限公司的，想和苏州职业大学合作", ["华为技术有限公司", "苏州职业大学"]),
        ("安排学生去苏州汇川技术有限公司实习", ["苏州汇川技术有限公司"]),
        # A group's company and a company's branch are one party.
        ("中国船舶集团江南造船有限公司", ["中国船舶集团江南造船有限公司"]),
        ("南京钢铁股份有限公司六合分公司", ["南京钢铁股份有限公司六合分公司"]),
        # A firm named without "Co., Ltd." beside a school: the school is still found.
        ("Nantong Shipping College and Zhongyuan Marine Engineering will share a base.", ["Nantong Shipping College"]),
    ],
)
def test_party_names_by_their_shape(message, names):
    from assistant.agreements.parties import organisations

    assert list(organisations(message)) == names


def test_counts_and_amounts_said_loosely_and_labels_without_figures():
    assert fields("joint_rd", "项目经费大概50万，明年三月开始")["budget_cny"] == "50万"
    assert "budget_cny" not in fields("joint_rd", "平台服务3万名学生")  # 万 counting people is no money
    assert fields("order_class", "从数控专业招学生，大概25个人")["students"] == "25"
    assert "budget_cny" not in fields("joint_rd", "The budget is still being discussed with finance.")
    assert "students" not in fields("order_class", "人数还没统计出来")


def test_values_told_in_prose_in_either_language():
    training = fields("employee_training", "学院为其装配车间员工开展精益生产与5S管理培训，参训员工四十人。")
    assert training["courses"] == "精益生产与5S管理"
    assert fields("employee_training", "The college will run forklift safety courses for our drivers.")["courses"] == (
        "forklift safety"
    )
    assert fields("employee_training", "upskill 50 of our welders in robotic welding")["courses"] == "robotic welding"
    internship = fields(
        "post_internship", "12 students joining Lanfeng Foods as quality inspectors 2027-03-01 to 2027-08-31"
    )
    assert internship["posts"] == "quality inspectors"
    assert fields("post_internship", "学生到质检岗位实习，每月3500元")["posts"] == "质检"
    base = fields("shared_training_base", "双方在学院东区校区共建一个智能制造实训中心")
    assert (base["base_name"], base["location"]) == ("智能制造实训中心", "东区校区")
    located = fields(
        "shared_training_base", "The base is located at Hall 3, 88 Binhai Road, Rudong County, with 40 stations."
    )
    assert located["location"] == "Hall 3, 88 Binhai Road, Rudong County"


def test_other_labels_people_use_and_wrapped_email_lines():
    assert fields("joint_rd", "课题叫海上风机叶片缺陷检测，经费20万元")["project_title"] == "海上风机叶片缺陷检测"
    assert fields("employee_training", "培训内容是电工安全规程和仪表维护")["courses"] == "电工安全规程和仪表维护"
    wrapped = (
        "We would like to run the order class with students from the Intelligent Port Equipment\n"
        "Operation and Maintenance programme, a class of 30 in all.\n"
        "Best regards,\nWang Li"
    )
    assert fields("order_class", wrapped)["programme"] == "Intelligent Port Equipment Operation and Maintenance"


@pytest.mark.parametrize(
    ("message", "school", "enterprise"),
    [
        # A firm named without a legal form, found by where it stands beside the school.
        (
            "Hi, I look after training at Qinling Orchard Cold Storage. We hope Baoji Agricultural Polytechnic helps.",
            "Baoji Agricultural Polytechnic",
            "Qinling Orchard Cold Storage",
        ),
        (
            "Weihai Coastal Polytechnic and Rongcheng Kelp Farming Cooperative will share a processing line.",
            "Weihai Coastal Polytechnic",
            "Rongcheng Kelp Farming Cooperative",
        ),
        # A city in brackets with an apostrophe is part of the firm's name; a possessive is not.
        (
            "Party B: Lanshan Pump Works (Xi'an) Co., Ltd. wants Shaanxi Loess Polytechnic's valve patent.",
            "Shaanxi Loess Polytechnic",
            "Lanshan Pump Works (Xi'an) Co., Ltd.",
        ),
        # Guizhou (贵州) is a place, not "your" (贵); a letter's salutation is no part of the name.
        (
            "尊敬的黔南山地农业职业学院领导：贵州黔茗茶业集团有限公司拟与贵校合作",
            "黔南山地农业职业学院",
            "贵州黔茗茶业集团有限公司",
        ),
    ],
)
def test_parties_named_without_a_legal_form_or_with_a_place_in_them(message, school, enterprise):
    from assistant.agreements.parties import parties

    assert parties(message) == (school, enterprise)


def test_a_person_or_a_base_is_no_party():
    from assistant.agreements.parties import parties

    signed = "Our college, Linyi Tech Polytechnic, will host the Smart Logistics Training Centre. Regards, Zhao Min"
    assert parties(signed) == ("Linyi Tech Polytechnic", None)


def test_topics_programmes_counts_and_names_said_in_passing():
    topic = fields("employee_training", "The college will run weekend classes for 30 of our cooks on food hygiene law.")
    assert topic["courses"] == "food hygiene law"
    enrolled = fields("modern_apprenticeship", "We enrol them into the Port Crane Maintenance programme, 18 of them.")
    assert (enrolled["programme"], enrolled["students"]) == ("Port Crane Maintenance", "18")
    assert fields("shared_training_base", "We named it the Yellow Sea Fisheries Practice Hall.")["base_name"] == (
        "Yellow Sea Fisheries Practice Hall"
    )
