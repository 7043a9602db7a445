"""The offline router's entities on their own: arguments from English and Chinese messages."""

from datetime import date

from assistant.lexicon import Lexicon
from assistant.settings import REPO_ROOT
from assistant.tools.router import extract

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
