"""The offline router's entities: a message's kinds, places, fields, dates, ids and contact details.

Pure functions over the message text and what the records contain (regions, fields, experts). Which tool
a message asks for is read from examples (`assistant/understanding`, `assistant/tools/decide.py`); the
conversation module adds session state (follow-ups, ordinals, confirmations) on top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from assistant.lexicon import Lexicon
from assistant.records.actions import CODE_ALPHABET
from assistant.redaction import EMAIL
from assistant.text import STOPWORDS, chinese_words

OFFER_KINDS = [
    (r"apprentice\w*|学徒", "apprenticeship"),
    (r"order[- ]?(based )?class(es)?|order[- ]based training|订单班|订单培养|订单式", "order_class"),
    (r"intern\w*|实习", "internship"),
    (r"(employee|staff|worker)s? training|员工培训|职工培训|在职培训", "employee_training"),
    (r"community (course|class)\w*|社区(课程|培训|教育)", "community_course"),
]
PLATFORM_KINDS = [
    (r"training bases?|shared bases?|实训基地|实训中心|共享基地", "training_base"),
    (r"r&d platforms?|research platforms?|研发平台|科研平台", "rd_platform"),
    (r"\blabs?\b|laborator\w*|实验室", "lab"),
    (r"innovation cent(er|re)s?|创新中心", "innovation_center"),
    (r"patents?|专利", "patent"),
]
_PLATFORM_GENERIC = r"\bplatforms?\b|平台|equipment|设备共享"
_OFFER_GENERIC = r"\b(training offers?|offers?|vacanc\w*|positions?|openings?|places)\b|岗位|名额|培训机会|培训项目"
_SLOT_NOUNS = r"\b(consult\w*|experts?|slots?|appointments?|advis[eo]rs?|mentors? to talk)\b|咨询|专家|时段|时间段"
_SEARCH_CUES = (
    r"\b(is there|are there|any|find|search|show( me)?|list|looking for|look for|available|open|recommend"
    r"|where can i|i want|i need|i'd like|i would like|can i|need|get|join|apply|when can|who can)\b"
    r"|有没有|有哪些|有什么|找|查|推荐|想(找|要|参加|申请|约|咨询)|哪里|可以|列出|看看|能不能|需要|什么时候"
)
_CANCEL = r"\bcancel\w*\b|取消"
_BOOK = r"\b(book|reserve)\b|预约|预订|约(一下|个|这个)|帮我约"
AFFIRM = re.compile(
    r"^\s*(yes|y|yeah|yep|ok|okay|sure|confirm(ed)?|please do|go ahead|do it|yes please"
    r"|是|是的|好|好的|确认|确定|可以|对|没问题)\s*[.!。！]*\s*$",
    re.IGNORECASE,
)
DENY = re.compile(
    r"^\s*(no|n|nope|don't|do not|stop|never mind|cancel that|cancel it|不|不用|算了|不要|否|先不)\s*[.!。！]*\s*$",
    re.IGNORECASE,
)
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
}
_ORDINAL = re.compile(
    r"\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last)\b|#\s*(\d+)|\bnumber (\d+)\b|\bno\.?\s*(\d+)\b"
    r"|第\s*([一二两三四五\d]+)\s*个?|最后一个",
    re.IGNORECASE,
)
_RECORD_ID = re.compile(r"\b(CS|TO|PL)-\d{3,}\b", re.IGNORECASE)
# 16 hex digits since references carry 64 random bits; 8 for bookings made before.
BOOKING_REF = re.compile(r"\bBK-(?:[0-9A-F]{16}|[0-9A-F]{8})\b", re.IGNORECASE)
_CODE_GROUP = f"[{CODE_ALPHABET}]{{4}}"
CANCELLATION_CODE = re.compile(rf"\b{_CODE_GROUP}-{_CODE_GROUP}-{_CODE_GROUP}\b", re.IGNORECASE)
PHONE = re.compile(r"(?<!\d)(\+?86[- ]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
_NAME = re.compile(
    r"(?i:my name is|i am|i'm|this is|name[:：]?|call me)\s+([A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3})"
    r"|(?:我叫|我是|姓名[:：]?|名字[是:：]?)\s*([\u4e00-\u9fff]{2,4}|[A-Za-z][\w .'-]{1,40})",
)
_ZH_REGIONS = {
    "南京": "Nanjing",
    "南通": "Nantong",
    "镇江": "Zhenjiang",
    "扬州": "Yangzhou",
    "泰州": "Taizhou",
    "常州": "Changzhou",
    "苏州": "Suzhou",
    "连云港": "Lianyungang",
    "无锡": "Wuxi",
    "盐城": "Yancheng",
    "徐州": "Xuzhou",
    "淮安": "Huai'an",
    "宿迁": "Suqian",
}
_ZH_FIELDS = {
    "造船": "shipbuilding",
    "船舶": "shipbuilding",
    "港口机械": "port machinery",
    "港机": "port machinery",
    "航运": "shipping",
    "海洋工程": "marine engineering",
    "海工": "marine engineering",
    "新能源": "new energy",
    "智能制造": "intelligent manufacturing",
    "信息技术": "information technology",
    "软件": "information technology",
    "物流": "logistics",
    "邮轮": "cruise tourism",
    "电气自动化": "electrical automation",
    "大数据": "big data",
    "人工智能": "artificial intelligence",
    "技术转移": "technology transfer",
    "技术转让": "technology transfer",
    "成果转化": "technology transfer",
    "专利转化": "technology transfer",
    "实习管理": "internship management",
    "学徒政策": "apprenticeship policy",
    "企业认证": "enterprise certification",
    "产教融合型企业": "enterprise certification",
}
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
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
    """What the message names: kinds, region, field, dates, ordinal, ids, name and contact."""

    offer_kind: str | None = None
    platform_kind: str | None = None
    region: str | None = None
    field: str | None = None
    expert: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    ordinal: int | None = None
    record_id: str | None = None
    booking_ref: str | None = None
    cancellation_code: str | None = None
    name: str | None = None
    contact: str | None = None
    query: str | None = None
    topic: str | None = None  # free text keeping kind words ("patent licensing"): what a consultation is about
    mode: str | None = None


def _first(patterns: list[tuple[str, str]], text: str) -> str | None:
    return next((value for pattern, value in patterns if re.search(pattern, text, re.IGNORECASE)), None)


def has(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


def extract(message: str, vocabulary: dict[str, list[str]], lexicon: Lexicon, today: date) -> Entities:
    lowered = message.lower()
    found = Entities(offer_kind=_first(OFFER_KINDS, message), platform_kind=_first(PLATFORM_KINDS, message))
    found.region = next(
        (r for r in vocabulary.get("regions", []) if re.search(rf"\b{re.escape(r.lower())}\b", lowered)), None
    )
    found.region = found.region or next((en for zh, en in _ZH_REGIONS.items() if zh in message), None)
    fields = sorted(vocabulary.get("fields", []), key=len, reverse=True)
    found.field = next((f for f in fields if f.lower() in lowered), None)
    if found.field is None:
        zh_field = next((en for zh, en in _ZH_FIELDS.items() if zh in message), None)
        found.field = zh_field if zh_field in fields else None
    found.expert = next((e for e in vocabulary.get("experts", []) if _surname_match(e, message)), None)
    found.mode = (
        "online"
        if has(r"\bonline\b|线上|视频|远程", message)
        else "onsite"
        if has(r"\bon-?site\b|in person|线下|现场|面谈", message)
        else None
    )
    found.date_from, found.date_to = _dates(message, today)
    found.ordinal = _ordinal(message)
    record = _RECORD_ID.search(message)
    found.record_id = record.group(0).upper() if record else None
    ref = BOOKING_REF.search(message)
    found.booking_ref = ref.group(0).upper() if ref else None
    code = CANCELLATION_CODE.search(message)
    found.cancellation_code = code.group(0).upper() if code else None
    found.contact = _contact(message)
    found.name = _name(message, found.contact)
    found.query = _free_text(message, found, lexicon)
    found.topic = _free_text(message, found, lexicon, keep_kinds=True)
    return found


def _surname_match(expert: str, message: str) -> bool:
    # "Prof. Zhou Min" is found by "Zhou Min" or "Professor Zhou", not by a bare common word.
    bare = re.sub(r"^(prof|dr|eng|mr|ms|mrs)\.?\s+", "", expert, flags=re.IGNORECASE)
    return bool(bare) and bare.lower() in message.lower()


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


def _contact(message: str) -> str | None:
    email = EMAIL.search(message)
    if email:
        return email.group(0)
    phone = PHONE.search(message)
    return phone.group(2) if phone else None


def _name(message: str, contact: str | None) -> str | None:
    match = _NAME.search(message)
    if match:
        return (match.group(1) or match.group(2) or "").strip(" ,.;，。") or None
    if contact:
        # "Li Hua, 13800001111": what is left beside the contact, when it is short, is the name.
        rest = _RECORD_ID.sub(" ", BOOKING_REF.sub(" ", message.replace(contact, " ")))
        rest = re.sub(
            r"\b(book|for|under|contact|phone|email|mobile|tel)\b|预约|电话|手机|邮箱|联系方式",
            " ",
            rest,
            flags=re.IGNORECASE,
        )
        rest = re.sub(r"[,，;；:：。.!！()（）]+", " ", rest).strip()
        if rest and len(rest.split()) <= 4 and len(rest) <= 40 and not _ORDINAL.search(rest):
            return rest
    return None


def _dates(message: str, today: date) -> tuple[date | None, date | None]:
    lowered = message.lower()
    if has(r"\bnext week\b|下周|下星期", message):
        start = today + timedelta(days=7 - today.weekday())
        return start, start + timedelta(days=6)
    if has(r"\bthis week\b|本周|这周|这个星期", message):
        return today, today + timedelta(days=6 - today.weekday())
    if has(r"\btomorrow\b|明天", message):
        day = today + timedelta(days=1)
        return day, day
    if has(r"\btoday\b|今天", message):
        return today, today
    days = sorted(filter(None, map(_iso_day, re.findall(r"\b(\d{4}-\d{2}-\d{2})\b", message))))
    if days:
        if has(r"\b(after|from|since)\b|之后|以后|起", message) and len(days) == 1:
            return days[0], None
        if has(r"\b(before|until|by)\b|之前|以前", message) and len(days) == 1:
            return None, days[0]
        return days[0], days[-1]
    month = next((n for name, n in _MONTHS.items() if re.search(rf"\b(in )?{name}\b", lowered)), None)
    zh_month = re.search(r"(\d{1,2})\s*月", message)
    month = month or (int(zh_month.group(1)) if zh_month and 1 <= int(zh_month.group(1)) <= 12 else None)
    if month:
        year = today.year if month >= today.month else today.year + 1
        start = date(year, month, 1)
        end = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
        return start, end
    return None, None


def _free_text(message: str, found: Entities, lexicon: Lexicon, keep_kinds: bool = False) -> str | None:
    """Words left once cues, kinds, places and dates are taken out: what to match by meaning."""
    text = message
    for pattern, _ in [] if keep_kinds else OFFER_KINDS + PLATFORM_KINDS:
        text = re.sub(pattern, " ", text, flags=re.IGNORECASE)
    named = (found.region, found.field, found.contact, found.name, found.record_id, found.booking_ref)
    for value in (*named, found.cancellation_code):
        if value:
            text = re.sub(re.escape(value), " ", text, flags=re.IGNORECASE)
    for zh in list(_ZH_REGIONS) + list(_ZH_FIELDS):
        text = text.replace(zh, " ")
    text = re.sub(_SEARCH_CUES, " ", text, flags=re.IGNORECASE)
    text = re.sub(_SLOT_NOUNS + "|" + _OFFER_GENERIC + "|" + _PLATFORM_GENERIC, " ", text, flags=re.IGNORECASE)
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z&-]+", text) if w.lower() not in _FILLER]
    zh = [w for w in chinese_words(text) if len(w) >= 2 and w not in _ZH_FILLER]
    if zh:
        curated, senses = lexicon.bridge(" ".join(zh))
        words.extend(curated or senses[:3])
    query = " ".join(dict.fromkeys(words)).strip()
    return query or None


@dataclass
class Intent:
    # offers | platforms | slots | book | cancel | my_bookings | more | refine | details | nothing_pending | none
    name: str
    entities: Entities


def today_in(now: datetime) -> date:
    from assistant.records.queries import LOCAL_TZ

    return now.astimezone(LOCAL_TZ).date()


_SIDE_EFFECT_CUES = {"book_consultation": _BOOK + r"|\bappointment\b|\bschedule\b|安排", "cancel_booking": _CANCEL}


def user_asked_for(tool_name: str, user_messages: list[str]) -> bool:
    """Whether the user's own recent words ask for this side effect (text in documents never counts)."""
    cue = _SIDE_EFFECT_CUES.get(tool_name)
    return cue is not None and any(has(cue, message) for message in user_messages)


def _iso_day(text: str) -> date | None:
    """A date the calendar has; "2027-13-45" is no date at all rather than an error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
