"""The offline drafting conversation: spot the request, ask for missing essentials one at a time, draft.

State kept per session under "agreement": the kind, the values so far, the field last asked for and the
language the draft is written in. A reply answers that field; "go ahead" drafts with placeholders; "stop"
drops the draft; a question is answered as usual, the draft waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.agreements.drafting import DraftError
from assistant.agreements.extraction import DATE, extract_fields
from assistant.agreements.kinds import KindReader, described_kind, kind_in, kind_of
from assistant.agreements.parties import organisations
from assistant.agreements.requests import (
    COOPERATION,
    DRAFT_WORD,
    GO_AHEAD,
    GO_AHEAD_IN,
    OTHER_CONTRACT,
    QUESTION,
    STOP,
    THE_DRAFT,
    asks_for_a_draft,
    language_asked_for,
)
from assistant.agreements.service import AgreementService
from assistant.agreements.spelling import respelled
from assistant.agreements.templates import templates
from assistant.agreements.values import ValueProblem, check_dates, parse_value
from assistant.prompts import render
from assistant.understanding.dates import find_dates

# What is kept of the message that named an agreement, for a "just draft it" that follows.
_CONTEXT_LIMIT = 2000


@dataclass
class FlowReply:
    answer: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    document: dict[str, Any] | None = None
    refused: bool = False
    #: The indexed passages the citations quote.
    sources: list[dict[str, Any]] = field(default_factory=list)


def _names_one_day(message: str, today: date) -> bool:
    """ "2027-06-30", "It ends on 30 June 2030": one date, which answers the date field asked about."""
    written = DATE.findall(message)
    if written:
        return len(written) == 1
    found = find_dates(message, today)
    return found is not None and len(found.spans) == 1 and found.start is not None and found.start == found.end


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
        return "agreement" in state or asks_for_a_draft(respelled(message), reads_as_drafting)

    def handle(
        self,
        message: str,
        state: dict[str, Any],
        session_id: str,
        language: str,
        reads_as_drafting: Callable[[], bool] = lambda: True,
        reads_kind: KindReader = lambda passages: None,
        reads_as_a_question: Callable[[], bool] = lambda: False,
        assents: Callable[[], bool] = lambda: False,
    ) -> FlowReply | None:
        """A drafting turn, or None when the message is for the rest of the assistant (a question mid-draft too).
        `reads_as_drafting` (the understanding's reading) is asked only when the wording alone is not enough;
        `reads_kind` (the kind a description is about, from examples) only when no kind's name is written out;
        `reads_as_a_question` (a question for the knowledge base) before offering to draft a described plan;
        `assents` (a plain yes) only after that offer."""
        current = state.get("agreement")
        if current is not None:
            return self._continue(message, current, state, session_id, language, reads_kind)
        earlier = state.pop("agreement_context", None)
        offered = state.pop("agreement_offered", False)
        # What is asked is read with its slips put right ("can u draft the agrement"); values are taken as typed.
        request = respelled(message)
        commanded = bool(GO_AHEAD_IN.search(request))
        told_to_draft = (
            earlier is not None and (commanded or bool(THE_DRAFT.search(request)) or (offered and assents()))
        ) or (commanded and bool(DRAFT_WORD.search(request)))
        asked_for = told_to_draft or asks_for_a_draft(request, reads_as_drafting)
        if not asked_for:
            # "We'd like an order class with X College", "we'll take 60 interns from Y Polytechnic this summer":
            # a cooperation a named party takes part in, kept for a "just draft it" that may follow; said as a
            # plan between two named parties, it is answered with the offer to draft it.
            if any(organisations(message)) and COOPERATION.search(message):
                state["agreement_context"] = message[:_CONTEXT_LIMIT]
                offer = self._offer(message, language, reads_kind, reads_as_a_question)
                if offer is not None:
                    state["agreement_offered"] = True
                return offer
            return None
        if OTHER_CONTRACT.search(request) and kind_in(request, loose=False) is None:
            # "Draft a contract for selling my car", "学校和公司之间的设备采购合同": another sort of contract,
            # whatever cooperation its words may also sound like.
            return self._decline(language)
        kind = None
        if earlier is not None:
            named_before = kind_of(earlier, reads_kind)
            if kind_in(request) in (None, named_before):
                # "We'd like an order class with X College" then "just draft it" or "write up the agreement": the
                # draft is of what was described, with what was said of it.
                kind, message, request = named_before, f"{earlier}\n{message}", f"{earlier}\n{request}"
        if kind is None:
            # The kind the request or description is about: "We'll co-build a training base at our plant ...
            # can you draft the agreement?", and "…学生上实训课、企业员工培训也能用", a shared base, not staff training.
            kind = kind_of(request, reads_kind)
        if kind is None:
            # "Just draft it with blanks", "write up the agreement" name no contract: asked which one, with what
            # was said kept for the answer.
            # The draft keeps the language it was asked for in, whatever later answers are typed in.
            state["agreement"] = {"kind": None, "values": {}, "asked": None, "language": language, "said": request}
            return FlowReply(render("offline/agreements", f"which_kind.{language}", kinds=self._kind_names(language)))
        template = self.service.template(kind)
        current = {"kind": kind, "values": {}, "asked": None, "language": language}
        requested = language_asked_for(message)
        if requested and requested != language:
            # "请用英文起草...": the conversation stays in Chinese, the document is written in English.
            current["draft_language"] = requested
        state["agreement"] = current
        go_ahead = bool(GO_AHEAD_IN.search(request))
        return self._take(
            extract_fields(template, request, self.service.today()), current, state, session_id, language, go_ahead
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
        self,
        message: str,
        current: dict[str, Any],
        state: dict[str, Any],
        session_id: str,
        language: str,
        reads_kind: KindReader,
    ) -> FlowReply | None:
        language = current.get("language", language)
        if STOP.match(message):
            state.pop("agreement", None)
            return FlowReply(render("offline/agreements", f"stopped.{language}"))
        if current["kind"] is None:
            return self._choose_kind(message, current, state, session_id, language, reads_kind)
        if GO_AHEAD.match(message):
            return self._draft(current, state, session_id, language, allow_placeholders=True)
        if GO_AHEAD_IN.search(message):
            # Details and "draft it now" in one message: the details are taken, then the draft is made.
            given = extract_fields(self.service.template(current["kind"]), message, self.service.today())
            return self._take(given, current, state, session_id, language, go_ahead=True)
        if QUESTION.search(message):
            return None
        return self._take(self._answers(message, current), current, state, session_id, language)

    def _choose_kind(
        self,
        message: str,
        current: dict[str, Any],
        state: dict[str, Any],
        session_id: str,
        language: str,
        reads_kind: KindReader,
    ) -> FlowReply | None:
        # "What is the internship pay floor?" asks a question; "an internship agreement" chooses, and so does
        # "the one where our staff take courses at the college".
        asked = bool(QUESTION.search(message))
        request = respelled(message)
        kind = kind_in(request, loose=not asked) or (None if asked else described_kind(request, reads_kind))
        if kind is None:
            # Naming no kind ends the drafting: the message is answered (or declined) like any other.
            state.pop("agreement", None)
            return self._decline(language) if OTHER_CONTRACT.search(message) else None
        current["kind"] = kind
        said = current.pop("said", "")
        given = extract_fields(self.service.template(kind), f"{said}\n{message}".strip(), self.service.today())
        go_ahead = bool(GO_AHEAD_IN.search(message) or GO_AHEAD_IN.search(said))
        return self._take(given, current, state, session_id, language, go_ahead)

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

    def _offer(
        self, message: str, language: str, reads_kind: KindReader, reads_as_a_question: Callable[[], bool]
    ) -> FlowReply | None:
        """ "我们学院和X公司计划共建实训基地……": a plan between a named school and a named firm, told rather than
        asked about, is answered with what it reads as and the offer to draft it; a records search or the
        knowledge base would answer a question nobody asked. None when anything of that is missing."""
        # The turn's own reading first: reading the kind embeds the message again.
        if QUESTION.search(message) or reads_as_a_question() or (kind := kind_of(message, reads_kind)) is None:
            return None
        template = self.service.template(kind)
        found = extract_fields(template, message, self.service.today())
        school, enterprise = found.get("school"), found.get("enterprise")
        if not (school and enterprise):
            return None
        return FlowReply(
            render(
                "offline/agreements",
                f"offer.{language}",
                title=template.title[language],
                school=school,
                enterprise=enterprise,
            )
        )

    def _decline(self, language: str) -> FlowReply:
        kinds = self._kind_names(language)
        return FlowReply(render("offline/agreements", f"unrelated.{language}", kinds=kinds), refused=True)

    @staticmethod
    def _kind_names(language: str) -> str:
        separator = "、" if language == "zh" else "; "
        return separator.join(t.title[language] for t in templates().values())
