"""Whether a message asks for a draft, tells the assistant to go ahead, stops or asks a question instead:
the wording of a drafting conversation, in English and Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.agreements.kinds import kind_in
from assistant.agreements.parties import parties

# Verbs that ask for a document whatever else the message says.
_DRAFT = re.compile(
    r"\b(draft|write|write up|draw up|prepare|generate|put together)\b.{0,80}\b(agreements?|contracts?)\b"
    r"|\b(agreement|contract) (draft|template)\b"
    # "put the agreement together", "draw it up": the verb around its object
    r"|\b(put|get)\s+(the|an|this|that|our)\s+(agreement|contract)\s+together\b"
    r"|起草|拟定|草拟|(写|生成|出)(一份|一个|个)?.{0,20}(协议|合同)|(拟|弄)(一份|一个|个|一下).{0,20}(协议|合同)",
    re.IGNORECASE,
)
_DRAFT_VERB = re.compile(r"\b(draft|draw up|prepare|write up|put together)\b", re.IGNORECASE)
# How close after the verb the kind's name stands: "prepare an exclusive patent licence", not "prepare
# students for a modern apprenticeship".
_OBJECT_WORDS = 4
# Words that may ask for one ("I need an internship agreement") or only name one ("I want his view on my
# agreement"): the understanding's reading decides.
_MAY_DRAFT = re.compile(
    r"\b(make|create|need|want|do)\b.{0,80}\b(agreements?|contracts?)\b|(做|要|需要)(一份|一个|个)?.{0,20}(协议|合同)",
    re.IGNORECASE,
)
COOPERATION = re.compile(
    r"\b(school|college|universit\w*|enterprise|compan\w+|cooperation|training|students?|apprentic\w*|intern\w*"
    r"|patent|r&d|research)\b|校企|合作|学校|学院|企业|公司|学生|培训|实训|实习|学徒|专利|研发",
    re.IGNORECASE,
)
GO_AHEAD = re.compile(
    r"^\s*(go ahead|just draft( it)?|draft it( now)?|draft now|use placeholders|skip( it| that)?|leave (it|them) blank"
    r"|fill (it |them )?in later|直接生成|先生成|直接起草|用占位符|跳过|先空着|以后再填)\s*[.!。！]*\s*$",
    re.IGNORECASE,
)
# "Go ahead and leave the rest blank", "whatever, use blanks for the rest", "缺的信息留空就行", "剩下的我自己填":
# a command to draft with placeholders, inside a longer message too. Said with what to do with the gaps
# (leave, use, put ... blank / placeholders; 留空, 空着, 自己填) or as "draft now".
GO_AHEAD_IN = re.compile(
    r"\b(go ahead|just draft( it)?|draft it( now)?|draft now|don't ask|stop asking"
    r"|(leave|use|put|with)\b[\w\s',]{0,30}?\b(blank|blanks|empty|placeholders?)"
    r"|leave (it|them|the rest|everything else|the others?|other fields|anything else) open"
    r"|(can|may|should|will) (stay|remain|be left) (blank|empty|open)"
    r"|(fill|complete) (it |them |the rest |those |that )?(in )?(later|myself|ourselves))\b"
    r"|I'?ll fill|we'?ll fill|\b(blanks?|placeholders?|gaps?) (are|is) (fine|ok|okay)\b|\bas it stands\b"
    r"|直接生成|先生成|直接起草|先出|先给我看|用占位符|占位|以后再填|后面再填|(我|我们)自己(来)?填|不用问了?"
    r"|留空|空着|空白|不填",
    re.IGNORECASE,
)
# "Send me the draft", "直接出草稿": told to draft, after a message that named the agreement.
THE_DRAFT = re.compile(r"\b(the|a) draft\b|草稿|出稿", re.IGNORECASE)
# "Just give me the draft with blanks", "留空直接起草": a command to draft, even with nothing named before.
DRAFT_WORD = re.compile(r"\bdraft\b|\bwrite it up\b|草稿|起草|生成|写出来", re.IGNORECASE)
_REQUEST = re.compile(
    r"\b(can|could|would|will) you\b|\bplease\b|\bpls\b|能不能|能否|可以帮|帮我|帮忙|麻烦|请", re.IGNORECASE
)
_AGREEMENT_WORD = re.compile(r"\b(agreements?|contracts?)\b|协议|合同", re.IGNORECASE)
STOP = re.compile(
    r"^\s*(stop|cancel( it)?|never mind|forget it|算了|不用了|取消|不要了)\s*[.!。！]*\s*$", re.IGNORECASE
)
# Contracts that are not school-enterprise cooperation, even between a school and a company.
OTHER_CONTRACT = re.compile(
    r"\b(sales?|purchase|procurement|supply|lease|leasing|rental|tenancy|loan|mortgage|employment|labou?r"
    r"|marriage|prenuptial|divorce|franchise|construction)\s+(contracts?|agreements?)\b"
    r"|\b(selling|buying|renting|borrowing|lending)\b"
    r"|买卖|销售合同|采购|购销|租赁|租房|借款|借贷|贷款|劳动合同|劳务合同|聘用合同|雇佣|婚前|婚姻|离婚|抵押|施工合同",
    re.IGNORECASE,
)
# A question for the knowledge base asked while a field is awaited: answered, not taken as the field's value.
QUESTION = re.compile(
    r"[?？]\s*$|吗\s*[。.]?\s*$"
    r"|^\s*(what|how|why|when|where|which|who|does|do|is there|are there|can you|could you|tell me|explain)\b"
    r"|^\s*(什么|怎么|怎样|为什么|为何|是否|如何|请问|能否|有没有)",
    re.IGNORECASE,
)


_LANGUAGE_ASKED = re.compile(
    r"\b(?:in|into)\s+(chinese|english)\b|(?:用|以|写成|出)\s*(中文|汉语|英文|英语)|(中文|英文)版", re.IGNORECASE
)


def language_asked_for(message: str) -> str | None:
    """The language a teacher asks the document to be written in ("write it in Chinese", "请用英文起草")."""
    match = _LANGUAGE_ASKED.search(message)
    if match is None:
        return None
    word = next(g for g in match.groups() if g).lower()
    return "zh" if word in ("chinese", "中文", "汉语") else "en"


_FIRST_CLAUSE = re.compile(r"^[^,:;，：；。.?？!！\n]*")
# The clause ends with the agreement's name (and at most a "please"): a heading, not a sentence about one.
_HEADING = re.compile(
    r"(\b(agreements?|contracts?)\b|协议|合同)\s*(please|pls|for us|for me|请|吧)?\s*$", re.IGNORECASE
)


def _leads_with_an_agreement(message: str) -> bool:
    """ "联合研发协议：...", "Three-party internship agreement please: ...": a message that opens with the
    name of an agreement, as a heading, asks for that agreement."""
    first = _FIRST_CLAUSE.match(message.strip())
    clause = first.group(0) if first else ""
    # The clause with the mark that ends it: "……要不要签协议？" is a question, not a heading.
    ended = message.strip()[: len(clause) + 1]
    return kind_in(clause) is not None and bool(_HEADING.search(clause)) and not QUESTION.search(ended)


def asks_for_a_draft(message: str, reads_as_drafting: Callable[[], bool] = lambda: True) -> bool:
    """ "Draft an agreement ...", or an agreement's kind and the word agreement ("订单班协议：...",
    "order class agreement, X + Y") in a message that reads as a request to draft or names both parties
    ("想跟X学院签学生实习协议"): "I need to ask him about my three-party internship agreement" names an
    agreement without asking for one."""
    if _DRAFT.search(message) or _leads_with_an_agreement(message):
        return True
    # "Please draft a patent licence": a drafting verb and, as its object, a kind's name without "agreement".
    verb = _DRAFT_VERB.search(message)
    if verb and kind_in(" ".join(message[verb.end() :].split()[:_OBJECT_WORDS]), loose=False) is not None:
        return True
    if not _AGREEMENT_WORD.search(message):
        return False
    if None not in parties(message) and kind_in(message) is not None:
        return True
    # Named by one of its aliases, not by a word that merely belongs to one ("staff", "实习").
    # A question that names one ("what slots are there with an expert on three-party internship agreements?",
    # "校企联合招生要不要签协议？") asks about it, unless it is a request ("can you start one?", "帮我...吗？").
    if QUESTION.search(message) and not _REQUEST.search(message):
        return False
    names_one = _MAY_DRAFT.search(message) or kind_in(message, loose=False) is not None
    return bool(names_one) and reads_as_drafting()
