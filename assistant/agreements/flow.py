"""The offline drafting conversation: spot the request, ask for missing essentials one at a time, draft.

State kept per session under "agreement": the kind, the values so far, the field last asked for and the
language the draft is written in. A reply answers that field; "go ahead" drafts with placeholders; "stop"
drops the draft; a question is answered as usual, the draft waiting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.agreements.drafting import DraftError
from assistant.agreements.extraction import DATE, extract_fields
from assistant.agreements.kinds import kind_in
from assistant.agreements.parties import organisations, parties
from assistant.agreements.service import AgreementService
from assistant.agreements.templates import templates
from assistant.agreements.values import ValueProblem, check_dates, parse_value
from assistant.prompts import render
from assistant.understanding.dates import find_dates

# Verbs that ask for a document whatever else the message says.
_DRAFT = re.compile(
    r"\b(draft|write|write up|draw up|prepare|generate|put together)\b.{0,80}\b(agreements?|contracts?)\b"
    r"|\b(agreement|contract) (draft|template)\b"
    r"|起草|拟定|草拟|(写|生成|出)(一份|一个|个)?.{0,20}(协议|合同)|(拟|弄)(一份|一个|个|一下).{0,20}(协议|合同)",
    re.IGNORECASE,
)
# Words that may ask for one ("I need an internship agreement") or only name one ("I want his view on my
# agreement"): the understanding's reading decides.
_MAY_DRAFT = re.compile(
    r"\b(make|create|need|want|do)\b.{0,80}\b(agreements?|contracts?)\b|(做|要|需要)(一份|一个|个)?.{0,20}(协议|合同)",
    re.IGNORECASE,
)
_COOPERATION = re.compile(
    r"\b(school|college|universit\w*|enterprise|compan\w+|cooperation|training|students?|apprentic\w*|intern\w*"
    r"|patent|r&d|research)\b|校企|合作|学校|学院|企业|公司|学生|培训|实训|实习|学徒|专利|研发",
    re.IGNORECASE,
)
_GO_AHEAD = re.compile(
    r"^\s*(go ahead|just draft( it)?|draft it( now)?|draft now|use placeholders|skip( it| that)?|leave (it|them) blank"
    r"|fill (it |them )?in later|直接生成|先生成|直接起草|用占位符|跳过|先空着|以后再填)\s*[.!。！]*\s*$",
    re.IGNORECASE,
)
# "Go ahead and leave the rest blank", "whatever, use blanks for the rest", "缺的信息留空就行", "剩下的我自己填":
# a command to draft with placeholders, inside a longer message too. Said with what to do with the gaps
# (leave, use, put ... blank / placeholders; 留空, 空着, 自己填) or as "draft now".
_GO_AHEAD_IN = re.compile(
    r"\b(go ahead|just draft( it)?|draft it( now)?|draft now|don't ask|stop asking"
    r"|(leave|use|put|with)\b[\w\s',]{0,30}?\b(blank|blanks|empty|placeholders?)"
    r"|leave (it|them|the rest|everything else|the others?|other fields|anything else) open"
    r"|(fill|complete) (it |them |the rest |those |that )?(in )?(later|myself|ourselves))\b"
    r"|I'?ll fill|we'?ll fill|\b(blanks?|placeholders?|gaps?) (are|is) (fine|ok|okay)\b|\bas it stands\b"
    r"|直接生成|先生成|直接起草|先出|先给我看|用占位符|占位|以后再填|后面再填|(我|我们)自己(来)?填|不用问了?"
    r"|留空|空着|空白|不填",
    re.IGNORECASE,
)
# "Send me the draft", "直接出草稿": told to draft, after a message that named the agreement.
_THE_DRAFT = re.compile(r"\b(the|a) draft\b|草稿|出稿", re.IGNORECASE)
# "Just give me the draft with blanks", "留空直接起草": a command to draft, even with nothing named before.
_DRAFT_WORD = re.compile(r"\bdraft\b|\bwrite it up\b|草稿|起草|生成|写出来", re.IGNORECASE)
# What is kept of the message that named an agreement, for a "just draft it" that follows.
_CONTEXT_LIMIT = 2000
_REQUEST = re.compile(
    r"\b(can|could|would|will) you\b|\bplease\b|\bpls\b|能不能|能否|可以帮|帮我|帮忙|麻烦|请", re.IGNORECASE
)
_AGREEMENT_WORD = re.compile(r"\b(agreements?|contracts?)\b|协议|合同", re.IGNORECASE)
_STOP = re.compile(
    r"^\s*(stop|cancel( it)?|never mind|forget it|算了|不用了|取消|不要了)\s*[.!。！]*\s*$", re.IGNORECASE
)
# Contracts that are not school-enterprise cooperation, even between a school and a company.
_OTHER_CONTRACT = re.compile(
    r"\b(sales?|purchase|procurement|supply|lease|leasing|rental|tenancy|loan|mortgage|employment|labou?r"
    r"|marriage|prenuptial|divorce|franchise|construction)\s+(contracts?|agreements?)\b"
    r"|\b(selling|buying|renting|borrowing|lending)\b"
    r"|买卖|销售合同|采购|购销|租赁|租房|借款|借贷|贷款|劳动合同|劳务合同|聘用合同|雇佣|婚前|婚姻|离婚|抵押|施工合同",
    re.IGNORECASE,
)
# A question for the knowledge base asked while a field is awaited: answered, not taken as the field's value.
_QUESTION = re.compile(
    r"[?？]\s*$|吗\s*[。.]?\s*$"
    r"|^\s*(what|how|why|when|where|which|who|does|do|is there|are there|can you|could you|tell me|explain)\b"
    r"|^\s*(什么|怎么|怎样|为什么|为何|是否|如何|请问|能否|有没有)",
    re.IGNORECASE,
)


@dataclass
class FlowReply:
    answer: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    document: dict[str, Any] | None = None
    refused: bool = False
    #: The indexed passages the citations quote.
    sources: list[dict[str, Any]] = field(default_factory=list)


_LANGUAGE_ASKED = re.compile(
    r"\b(?:in|into)\s+(chinese|english)\b|(?:用|以|写成|出)\s*(中文|汉语|英文|英语)|(中文|英文)版", re.IGNORECASE
)


def _language_asked_for(message: str) -> str | None:
    """The language a teacher asks the document to be written in ("write it in Chinese", "请用英文起草")."""
    match = _LANGUAGE_ASKED.search(message)
    if match is None:
        return None
    word = next(g for g in match.groups() if g).lower()
    return "zh" if word in ("chinese", "中文", "汉语") else "en"


def _names_one_day(message: str, today: date) -> bool:
    """ "2027-06-30", "It ends on 30 June 2030": one date, which answers the date field asked about."""
    written = DATE.findall(message)
    if written:
        return len(written) == 1
    found = find_dates(message, today)
    return found is not None and len(found.spans) == 1 and found.start is not None and found.start == found.end


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
    return kind_in(clause) is not None and bool(_HEADING.search(clause)) and not _QUESTION.search(ended)


def asks_for_a_draft(message: str, reads_as_drafting: Callable[[], bool] = lambda: True) -> bool:
    """ "Draft an agreement ...", or an agreement's kind and the word agreement ("订单班协议：...",
    "order class agreement, X + Y") in a message that reads as a request to draft or names both parties
    ("想跟X学院签学生实习协议"): "I need to ask him about my three-party internship agreement" names an
    agreement without asking for one."""
    if _DRAFT.search(message) or _leads_with_an_agreement(message):
        return True
    if not _AGREEMENT_WORD.search(message):
        return False
    if None not in parties(message) and kind_in(message) is not None:
        return True
    # Named by one of its aliases, not by a word that merely belongs to one ("staff", "实习").
    # A question that names one ("what slots are there with an expert on three-party internship agreements?",
    # "校企联合招生要不要签协议？") asks about it, unless it is a request ("can you start one?", "帮我...吗？").
    if _QUESTION.search(message) and not _REQUEST.search(message):
        return False
    names_one = _MAY_DRAFT.search(message) or kind_in(message, loose=False) is not None
    return bool(names_one) and reads_as_drafting()


def drafted_answer(result: dict[str, Any], language: str) -> str:
    """The chat answer for a finished draft: one line on what it is and where to download it, then the draft."""
    template = templates()[result["kind"]]
    placeholders = ("、" if language == "zh" else ", ").join(
        template.field(n).label[language] for n in result["placeholders"]
    )
    intro = render(
        "offline/agreements",
        f"drafted.{language}",
        title=template.title[language],
        placeholders=placeholders,
        url=result["document"]["download_url"],
    )
    return f"{intro}\n\n{result['markdown']}"


class AgreementFlow:
    def __init__(self, service: AgreementService) -> None:
        self.service = service

    @staticmethod
    def wants(message: str, state: dict[str, Any], reads_as_drafting: Callable[[], bool] = lambda: True) -> bool:
        """Whether the message asks for a draft or continues one."""
        return "agreement" in state or asks_for_a_draft(message, reads_as_drafting)

    def handle(
        self,
        message: str,
        state: dict[str, Any],
        session_id: str,
        language: str,
        reads_as_drafting: Callable[[], bool] = lambda: True,
    ) -> FlowReply | None:
        """A drafting turn, or None when the message is for the rest of the assistant (a question mid-draft too).
        `reads_as_drafting` (the understanding's reading) is asked only when the wording alone is not enough."""
        current = state.get("agreement")
        if current is not None:
            return self._continue(message, current, state, session_id, language)
        earlier = state.pop("agreement_context", None)
        commanded = bool(_GO_AHEAD_IN.search(message))
        told_to_draft = (earlier is not None and (commanded or bool(_THE_DRAFT.search(message)))) or (
            commanded and bool(_DRAFT_WORD.search(message))
        )
        if not told_to_draft and not asks_for_a_draft(message, reads_as_drafting):
            if kind_in(message) is not None and any(organisations(message)):
                # "We'd like an order class with X College": kept for a "just draft it" that may follow.
                state["agreement_context"] = message[:_CONTEXT_LIMIT]
            return None
        kind = kind_in(message)
        if earlier is not None and told_to_draft and kind in (None, kind_in(earlier)):
            # "We'd like an order class with X College" then "just draft it": the draft is of what was named,
            # with what was said of it.
            kind, message = kind_in(earlier), f"{earlier}\n{message}"
        if kind is None:
            # "Just draft it with blanks" names no contract at all: asked which one, not declined.
            if _OTHER_CONTRACT.search(message) or not (told_to_draft or _COOPERATION.search(message)):
                return self._decline(language)
            # The draft keeps the language it was asked for in, whatever later answers are typed in.
            state["agreement"] = {"kind": None, "values": {}, "asked": None, "language": language}
            return FlowReply(render("offline/agreements", f"which_kind.{language}", kinds=self._kind_names(language)))
        template = self.service.template(kind)
        current = {"kind": kind, "values": {}, "asked": None, "language": language}
        requested = _language_asked_for(message)
        if requested and requested != language:
            # "请用英文起草...": the conversation stays in Chinese, the document is written in English.
            current["draft_language"] = requested
        state["agreement"] = current
        go_ahead = bool(_GO_AHEAD_IN.search(message))
        return self._take(
            extract_fields(template, message, self.service.today()), current, state, session_id, language, go_ahead
        )

    def reminder(self, state: dict[str, Any], language: str) -> str | None:
        """The question a draft in progress is waiting on, for the end of an answer to something else."""
        current = state.get("agreement")
        if not current or not current["kind"] or not current["asked"]:
            return None
        template = self.service.template(current["kind"])
        question = template.field(current["asked"]).question[language]
        return render("offline/agreements", f"reminder.{language}", title=template.title[language], question=question)

    def _continue(
        self, message: str, current: dict[str, Any], state: dict[str, Any], session_id: str, language: str
    ) -> FlowReply | None:
        language = current.get("language", language)
        if _STOP.match(message):
            state.pop("agreement", None)
            return FlowReply(render("offline/agreements", f"stopped.{language}"))
        if current["kind"] is None:
            return self._choose_kind(message, current, state, session_id, language)
        if _GO_AHEAD.match(message):
            return self._draft(current, state, session_id, language, allow_placeholders=True)
        if _GO_AHEAD_IN.search(message):
            # Details and "draft it now" in one message: the details are taken, then the draft is made.
            given = extract_fields(self.service.template(current["kind"]), message, self.service.today())
            return self._take(given, current, state, session_id, language, go_ahead=True)
        if _QUESTION.search(message):
            return None
        return self._take(self._answers(message, current), current, state, session_id, language)

    def _choose_kind(
        self, message: str, current: dict[str, Any], state: dict[str, Any], session_id: str, language: str
    ) -> FlowReply | None:
        # "What is the internship pay floor?" asks a question; "an internship agreement" chooses.
        kind = kind_in(message, loose=not _QUESTION.search(message))
        if kind is None:
            # Naming no kind ends the drafting: the message is answered (or declined) like any other.
            state.pop("agreement", None)
            return self._decline(language) if _OTHER_CONTRACT.search(message) else None
        current["kind"] = kind
        given = extract_fields(self.service.template(kind), message, self.service.today())
        return self._take(given, current, state, session_id, language, bool(_GO_AHEAD_IN.search(message)))

    def _answers(self, message: str, current: dict[str, Any]) -> dict[str, str]:
        """The values a reply gives: the fields it names, or else the whole reply as the field asked for."""
        template = self.service.template(current["kind"])
        given = extract_fields(template, message, self.service.today())
        asked = current["asked"]
        if asked and template.field(asked).type == "date" and _names_one_day(message, self.service.today()):
            # A lone date answers the question asked, not whichever date field comes first.
            given = {k: v for k, v in given.items() if template.field(k).type != "date"}
        # A reply that names other fields ("30 to 40 students") answers those, not the field asked for.
        if asked and not given:
            given[asked] = message.strip().rstrip("。.")
        return given

    def _take(
        self,
        given: dict[str, str],
        current: dict[str, Any],
        state: dict[str, Any],
        session_id: str,
        language: str,
        go_ahead: bool = False,
    ) -> FlowReply:
        template = self.service.template(current["kind"])
        problem = None
        for name, raw in given.items():
            try:
                current["values"][name] = parse_value(template.field(name), raw, language, self.service.today())
            except ValueProblem as exc:
                # An earlier value the user has just replaced with a bad one is not kept either.
                current["values"].pop(name, None)
                problem = problem or (name, str(exc))
        if problem is None:
            try:
                check_dates(template, current["values"], language)
            except ValueProblem as exc:
                # Caught as soon as both dates are known, not at the end: ask for the end date again.
                current["values"].pop("end_date")
                problem = ("end_date", str(exc))
        if problem:
            current["asked"] = problem[0]
            question = template.field(problem[0]).question[language]
            return FlowReply(render("offline/agreements", f"problem.{language}", problem=problem[1], question=question))
        missing = [f for f in template.required if f.name not in current["values"]]
        if not missing or go_ahead:
            return self._draft(current, state, session_id, language, allow_placeholders=bool(missing))
        current["asked"] = missing[0].name
        # The values as they will stand in the draft, not as typed.
        known = ", ".join(
            f"{template.field(n).label[language]} {current['values'][n]}" for n in given if n in current["values"]
        )
        # The same tool the model calls, answering that essentials are missing: the turn shows what was tried.
        arguments = {"kind": current["kind"], "fields": dict(current["values"]), "fill_placeholders": False}
        written_in = current.get("draft_language", language)
        needs = self.service.draft(current["kind"], current["values"], written_in, session_id)
        call = {"name": "draft_agreement", "arguments": {**arguments, "language": written_in}, "result": needs}
        return FlowReply(
            render("offline/agreements", f"ask.{language}", known=known, question=missing[0].question[language]),
            [call],
        )

    def _draft(
        self,
        current: dict[str, Any],
        state: dict[str, Any],
        session_id: str,
        language: str,
        allow_placeholders: bool = False,
    ) -> FlowReply:
        written_in = current.get("draft_language", language)
        arguments = {
            "kind": current["kind"],
            "fields": dict(current["values"]),
            "fill_placeholders": allow_placeholders,
            "language": written_in,
        }
        try:
            result = self.service.draft(
                current["kind"], current["values"], written_in, session_id, allow_placeholders=allow_placeholders
            )
        except ValueProblem as exc:
            # Only the dates can disagree with each other here: ask for the end date again.
            current["values"].pop("end_date", None)
            current["asked"] = "end_date"
            question = self.service.template(current["kind"]).field("end_date").question[language]
            return FlowReply(render("offline/agreements", f"problem.{language}", problem=str(exc), question=question))
        except DraftError as exc:
            # Kept, so the draft can be tried again once the knowledge base or the template is fixed.
            return FlowReply(render("offline/agreements", f"draft_failed.{language}", problem=str(exc)))
        state.pop("agreement", None)
        call = {
            "name": "draft_agreement",
            "arguments": arguments,
            "result": {"status": "drafted", **result["document"]},
        }
        return FlowReply(
            drafted_answer(result, language),
            [call],
            citations=result["citations"],
            document=result["document"],
            sources=result["sources"],
        )

    def _decline(self, language: str) -> FlowReply:
        kinds = self._kind_names(language)
        return FlowReply(render("offline/agreements", f"unrelated.{language}", kinds=kinds), refused=True)

    @staticmethod
    def _kind_names(language: str) -> str:
        separator = "、" if language == "zh" else "; "
        return separator.join(t.title[language] for t in templates().values())
