"""The offline router on its own: intents and arguments from English and Chinese messages."""

from datetime import date

import pytest

from assistant.lexicon import Lexicon
from assistant.settings import REPO_ROOT
from assistant.tools.router import classify, extract

VOCABULARY = {
    "regions": ["Nanjing", "Nantong", "Suzhou"],
    "fields": ["new energy", "port machinery", "shipbuilding", "technology transfer"],
    "experts": ["Prof. Xu Lei"],
}
TODAY = date(2027, 1, 4)  # a Monday
LEXICON = Lexicon.build([], REPO_ROOT / "knowledge_base" / "lexicon")


def route(message, previous_list=False):
    entities = extract(message, VOCABULARY, LEXICON, TODAY)
    return classify(message, entities, previous_list).name, entities


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("Is there an apprenticeship in ship welding?", "offers"),
        ("How many internships are there in Nantong?", "offers"),
        ("有没有南通的实习机会？", "offers"),
        ("Are there any training bases for port machinery?", "platforms"),
        ("想找新能源方面可以许可的专利", "platforms"),
        ("I need to talk to an expert about patent licensing", "slots"),
        ("我想约专家咨询技术转移的问题", "slots"),
        ("show my bookings", "my_bookings"),
        ("cancel my booking", "cancel"),
        ("取消预约 BK-1A2B3C4D", "cancel"),
        ("What does the paper say about modern apprenticeship?", "none"),
        ("What is an order-based class?", "none"),
        ("岗位实习一般多长时间？需要签什么协议？", "none"),
        ("现代学徒制第一批试点单位有多少个？", "none"),
        ("What eligibility rules can apply to an enterprise apprenticeship offer?", "none"),
        ("yes", "nothing_pending"),
        ("Li Hua, 13800001111", "details"),
    ],
)
def test_intents(message, intent):
    assert route(message)[0] == intent


def test_follow_ups_need_a_previous_list():
    assert route("only the ones in Nantong", previous_list=True)[0] == "refine"
    assert route("南通的呢？", previous_list=True)[0] == "refine"
    assert route("more", previous_list=True)[0] == "more"
    assert route("book the second one", previous_list=True)[0] == "book"
    assert route("more")[0] == "none"


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
