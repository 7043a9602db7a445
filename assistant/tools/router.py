"""The offline router's entities: a message's kinds, places, fields, dates, ids and contact details.

Pure functions over the message text and what the records contain (regions, fields, experts). Which tool
a message asks for is read from examples (`assistant/understanding`, `assistant/tools/decide.py`); the
conversation module adds session state (follow-ups, ordinals, confirmations) on top.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from assistant.lexicon import Lexicon
from assistant.records.actions import CODE_ALPHABET
from assistant.text import STOPWORDS, chinese_words
from assistant.understanding.contacts import Contact, find_contact, find_name
from assistant.understanding.dates import find_dates
from assistant.understanding.vocabulary import Mention, Vocabulary, bare_name, normalise

_PLATFORM_GENERIC = r"\bplatforms?\b|平台|equipment|设备共享"
_OFFER_GENERIC = r"\b(training offers?|offers?|vacanc\w*|positions?|openings?|places)\b|岗位|名额|培训机会|培训项目"
_SLOT_NOUNS = r"\b(consult\w*|experts?|slots?|appointments?|advis[eo]rs?|mentors? to talk)\b|咨询|专家|时段|时间段"
_SEARCH_CUES = (
    r"\b(is there|are there|any|find|search|show( me)?|list|looking for|look for|available|open|recommend"
    r"|where can i|i want|i need|i'd like|i would like|can i|need|get|join|apply|when can|who can)\b"
    r"|有没有|有哪些|有什么|找|查|推荐|想(找|要|参加|申请|约|咨询)|哪里|可以|列出|看看|能不能|需要|什么时候"
)
# A yes to the question "Reply yes to confirm": one or more words of assent ("ok yes", "好的，确认"), and at
# most the action they assent to ("confirm the booking", "yes, book it", "确认预约", "就约这个吧").
_ASSENT = (
    r"(?:yes|y|yeah|yep|ok|okay|sure|confirm(?:ed)?|please do|please|go ahead|do it|yes please|sounds good"
    r"|是|是的|好|好的|好吧|确认|确定|可以|对|没问题|行|嗯|就这个|就约这个)"
)
_ASSENTED = (
    r"(?:(?:please\s+)?(?:book|confirm|make|do)?\s*(?:it|that|this|this one|that one|the booking|my booking"
    r"|the appointment|the reservation)|预约|预订|约|这个|吧|了|一下|预约吧)"
)
AFFIRM = re.compile(
    rf"^\s*{_ASSENT}(?:[\s,，、]+{_ASSENT})*(?:[\s,，]*{_ASSENTED})*\s*[.!。！]*\s*$",
    re.IGNORECASE,
)
DENY = re.compile(
    r"^\s*(no|n|nope|don't|do not|stop|never mind|cancel that|cancel it|不|不用|算了|不要|否|先不)\s*[.!。！]*\s*$",
    re.IGNORECASE,
)
# A title and a capitalised word is a person ("Mr. Sun", "Dr. Ma"), however much it reads like a weekday.
_TITLED_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Eng|Engineer)\.?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?")
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "last": -1,
    "最后": -1,
    # Lists are shown soonest first: the earliest is the first of them, the latest the last.
    "earliest": 1,
    "soonest": 1,
    "latest": -1,
    "最早": 1,
    "最晚": -1,
}
_ORDINAL = re.compile(
    r"\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last|earliest|soonest|latest)\b|#\s*(\d+)"
    r"|\bnumber (\d+)\b|\bno\.?\s*(\d+)\b|第\s*([一二两三四五\d]+)\s*个?|(最早|最晚)的?|最后一个",
    re.IGNORECASE,
)
# 16 hex digits since references carry 64 random bits; 8 for bookings made before.
BOOKING_REF = re.compile(r"(?<![A-Za-z0-9-])BK-(?:[0-9A-F]{16}|[0-9A-F]{8})(?![A-Za-z0-9-])", re.IGNORECASE)
_CODE_GROUP = f"[{CODE_ALPHABET}]{{4}}"
CANCELLATION_CODE = re.compile(
    rf"(?<![A-Za-z0-9-]){_CODE_GROUP}-{_CODE_GROUP}-{_CODE_GROUP}(?![A-Za-z0-9-])", re.IGNORECASE
)
_FILLER = set(STOPWORDS) | {
    "show",
    "find",
    "search",
    "list",
    "looking",
    "look",
    "available",
    "open",
    "recommend",
    "want",
    "need",
    "like",
    "there",
    "any",
    "some",
    "offers",
    "offer",
    "training",
    "platform",
    "platforms",
    "consultation",
    "expert",
    "experts",
    "slot",
    "slots",
    "appointment",
    "book",
    "next",
    "week",
    "month",
    "tomorrow",
    "today",
    "only",
    "ones",
    "one",
    "get",
    "join",
    "apply",
    "where",
    "when",
    "can",
    "could",
    "would",
    "i'd",
    "program",
    "programme",
    "course",
    "courses",
    "places",
    "vacancies",
    "positions",
    "jobs",
    "job",
    "opportunities",
    "talk",
    "meet",
    "someone",
    "help",
    "please",
    "me",
    "us",
}


_ZH_FILLER = {
    "机会",
    "时间",
    "有时间",
    "什么",
    "哪些",
    "一下",
    "预约",
    "咨询",
    "专家",
    "信息",
    "情况",
    "项目",
    "岗位",
    "名额",
    "看看",
    "只看",
    "还有",
    "多少",
    "我们",
    "你们",
    "可以",
    "需要",
    "想要",
    "帮忙",
    "帮我",
    "一个",
    "这个",
    "那个",
    "相关",
    "方面",
    "关于",
    "问题",
    "服务",
    "资源",
    "列表",
    "查询",
    "搜索",
    "推荐",
    "有没有",
    "时段",
    "开放",
}


@dataclass
class Entities:
    """What the message names: kinds, regions, field, dates, ordinal, ids, name and contact."""

    offer_kind: str | None = None
    platform_kind: str | None = None
    region: str | None = None  # the first of `regions`
    regions: list[str] = dataclasses.field(default_factory=list)
    field: str | None = None
    expert: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    at: time | None = None  # the time of day named with a single day ("on 14 January at 11:30")
    ordinal: int | None = None
    record_id: str | None = None
    record_family: str | None = None  # offers | platforms | slots, when the id is the records' own
    booking_ref: str | None = None
    cancellation_code: str | None = None
    name: str | None = None
    contact: str | None = None
    query: str | None = None
    topic: str | None = None  # free text keeping kind words ("patent licensing"): what a consultation is about
    mode: str | None = None
    include_closed: bool = False


def extract(message: str, vocabulary: Vocabulary | dict[str, Any], lexicon: Lexicon, today: date) -> Entities:
    """What the message names, read against the records' vocabulary, the lexicon and today's date."""
    if not isinstance(vocabulary, Vocabulary):
        vocabulary = Vocabulary.build(vocabulary)
    text = normalise(message)
    found = Entities()
    taken: list[tuple[int, int]] = []  # what free text leaves out: everything read as an entity

    ref = BOOKING_REF.search(text)
    found.booking_ref = ref.group(0).upper() if ref else None
    code = CANCELLATION_CODE.search(text)
    found.cancellation_code = code.group(0).upper() if code else None
    taken.extend(m.span() for m in (ref, code) if m)
    for record_id, family in vocabulary.record_ids(_blank(text, taken)):
        if found.record_id is None:
            found.record_id, found.record_family = record_id, family
        start = text.upper().find(record_id)
        taken.append((start, start + len(record_id)))

    contact = find_contact(_blank(text, taken))
    if contact is not None:
        found.contact = contact.value
        taken.append((contact.start, contact.end))

    mentions = vocabulary.mentions(text)
    for mention in mentions:
        if mention.category != "fields":
            # A field's words stay in the free text too: "cruise tour guide" ranks by all of its meaning.
            taken.append((mention.start, mention.end))
        if mention.category == "regions":
            if mention.value not in found.regions:
                found.regions.append(mention.value)
        elif mention.category == "statuses":
            found.include_closed = True
        elif mention.category in _SINGLE_VALUED and getattr(found, _SINGLE_VALUED[mention.category]) is None:
            setattr(found, _SINGLE_VALUED[mention.category], mention.value)
    found.region = found.regions[0] if found.regions else None

    experts = frozenset(
        name.lower() for m in mentions if m.category == "experts" for name in (m.value, bare_name(m.value))
    )
    found.name = _speaker(text, contact, experts, mentions)
    if found.name:
        start = text.find(found.name)
        taken.append((start, start + len(found.name)))

    # Dates are read once ids, contacts, names and experts are blanked out: "Sun Li" is no Sunday.
    named = [(m.start, m.end) for m in mentions if m.category == "experts"]
    named += [m.span() for m in _TITLED_NAME.finditer(text)]  # "Mr. Sun?" before "Sun Jie" is named in full
    dates = find_dates(_blank(text, [*taken, *named]), today)
    if dates is not None:
        found.date_from, found.date_to, found.at = dates.start, dates.end, dates.at
        taken.extend(dates.spans)
    found.ordinal = _ordinal(text)
    found.query = _free_text(text, taken, mentions, lexicon)
    found.topic = _free_text(text, taken, mentions, lexicon, keep_kinds=True)
    return found


#: Categories of the vocabulary that fill one field of `Entities` (the first mention wins).
_SINGLE_VALUED = {
    "fields": "field",
    "experts": "expert",
    "offer_kinds": "offer_kind",
    "platform_kinds": "platform_kind",
    "modes": "mode",
}


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans already read replaced by spaces, positions kept."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _speaker(text: str, contact: Contact | None, experts: frozenset[str], mentions: list[Mention]) -> str | None:
    """The speaker's name; words beside a contact are not one when they are a city, a field or an expert."""
    found = find_name(text, contact, not_names=experts)
    if found is None:
        return None
    name, introduced = found
    start = text.find(name)
    if not introduced and any(m.start < start + len(name) and start < m.end for m in mentions):
        return None
    return name


def _ordinal(message: str) -> int | None:
    match = _ORDINAL.search(message)
    if not match:
        return None
    if match.group(0) == "最后一个":
        return -1
    for group in match.groups():
        if group:
            return int(group) if group.isdigit() else _ORDINALS.get(group.lower())
    return None


def _free_text(
    text: str, taken: list[tuple[int, int]], mentions: list[Mention], lexicon: Lexicon, keep_kinds: bool = False
) -> str | None:
    """Words left once cues, kinds, places and dates are taken out: what to match by meaning."""
    kinds = {"offer_kinds", "platform_kinds"}
    spans = [
        s for s in taken if not (keep_kinds and any(m.category in kinds and (m.start, m.end) == s for m in mentions))
    ]
    rest = _blank(text, spans)
    rest = re.sub(_SEARCH_CUES, " ", rest, flags=re.IGNORECASE)
    rest = re.sub(_SLOT_NOUNS + "|" + _OFFER_GENERIC + "|" + _PLATFORM_GENERIC, " ", rest, flags=re.IGNORECASE)
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z&-]+", rest) if w.lower() not in _FILLER]
    zh = [w for w in chinese_words(rest) if len(w) >= 2 and w not in _ZH_FILLER]
    if zh:
        curated, senses = lexicon.bridge(" ".join(zh))
        words.extend(curated or senses[:3])
    query = " ".join(dict.fromkeys(words)).strip()
    return query or None


@dataclass
class Intent:
    # offers | platforms | slots | book | cancel | my_bookings | more | refine | details | nothing_pending | help
    # | none
    name: str
    entities: Entities
    then_book: bool = False  # a search run to find the slot a booking names: one match is booked
    #: For `none` read between the documents and a search ("is there a minimum wage for interns?"): the
    #: family whose records are shown after the cited answer, so both readings are served.
    also: str | None = None


def today_in(now: datetime) -> date:
    from assistant.records.queries import LOCAL_TZ

    return now.astimezone(LOCAL_TZ).date()
