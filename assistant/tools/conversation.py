"""Tool turns of a conversation: routing with session state, confirmations, and follow-ups.

State kept per session: the last list shown (so "only the ones in Nantong", "more" and "book the second
one" work), the user's name and contact once given, a pending action awaiting "yes", and what the
assistant is waiting for (booking details, a booking reference).

The contact is only what a booking is made out to, never proof of who is asking: "my bookings" lists the
bookings made in this session, and a booking made elsewhere is cancelled with its cancellation code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from assistant.agreements import AgreementFlow, AgreementService
from assistant.answer import Citation
from assistant.lexicon import Lexicon
from assistant.records import RecordsService
from assistant.records.queries import LOCAL_TZ
from assistant.tools.decide import decide, names_a_filter
from assistant.tools.present import describe_filters, nothing_found, present_list, say
from assistant.tools.records_tools import ToolContext
from assistant.tools.registry import REGISTRY, ToolError
from assistant.tools.router import AFFIRM, DENY, Entities, Intent, extract, today_in
from assistant.tools.state import (
    LastList,
    SessionState,
    await_cancellation_code,
    await_details,
    choosing_to_book,
    details_given,
    listed,
    proposed,
    run_turn,
    settled,
    stop_awaiting,
)
from assistant.understanding import Intents, Understander
from assistant.understanding.vocabulary import Vocabulary

FAMILY_TOOLS = {"offers": "search_training_offers", "platforms": "search_platforms", "slots": "list_consultation_slots"}
PAGE = 5
_DATE_ARGUMENTS = ("date_from", "date_to", "start_after", "start_before")
_SIDE_EFFECT_INTENTS = {"book_slot": "book_consultation", "cancel_booking": "cancel_booking"}


@dataclass
class ToolTurn:
    answer: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    pending_action: dict[str, Any] | None = None
    action_result: dict[str, Any] | None = None
    #: A drafted agreement: its clauses' citations and the stored document.
    citations: list[Citation] = field(default_factory=list)
    document: dict[str, Any] | None = None
    refused: bool = False
    sources: list[dict[str, Any]] = field(default_factory=list)
    #: Records found for a message the knowledge base answers too: shown after that answer.
    alongside_answer: bool = False
    #: Not a tool turn: the question is about the assistant itself (see Routing).
    about_the_assistant: bool = False


@dataclass
class Routing:
    """What the conversation made of a message: a tool turn, or None for a question the knowledge base
    answers, which then ends with `reminder`, the question a draft in progress waits on (if any)."""

    turn: ToolTurn | None
    reminder: str | None = None
    #: Records shown after the knowledge answer when the message read close to a search too.
    alongside: ToolTurn | None = None
    #: A greeting or "what can you do?": answered from the assistant's own page of the knowledge base.
    about_the_assistant: bool = False


def _jsonable(arguments: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in arguments.items() if v not in (None, "")}


class Conversation:
    def __init__(
        self,
        records: RecordsService,
        lexicon: Lexicon,
        understander: Understander,
        agreements: AgreementService | None = None,
    ) -> None:
        self.records = records
        self.lexicon = lexicon
        self.understander = understander
        self.agreements = agreements
        self.drafting = AgreementFlow(agreements) if agreements is not None else None
        self._vocabulary: tuple[object, Vocabulary] | None = None

    def handle(
        self,
        message: str,
        session_id: str,
        language: str,
        new_session: bool = False,
        intents: Callable[[], Intents] | None = None,
        knowledge_answers: Callable[[], bool] = lambda: True,
    ) -> Routing:
        """Route one message; `new_session` (an id just made for this turn) spares reading a state that cannot
        exist, and `intents` (the turn's own reading, from the vector it embeds once) spares reading it again."""
        entities = self.entities(message)
        context = ToolContext(self.records, session_id, agreements=self.agreements)

        @functools.cache
        def reading() -> Intents:
            return intents() if intents is not None else self.understander.intents(message)

        def turn(state: SessionState) -> Routing:
            details_given(state, entities.name, entities.contact)

            def read() -> Intent:
                """What the message asks the router for; read only when no pending step has settled it."""
                return decide(reading(), entities, bool(state.get("last")), knowledge_answers)

            return self._route(message, entities, state, context, language, read, reading)

        # Most turns are questions that leave the state as it was: run_turn writes nothing for them.
        return run_turn(self.records, session_id, turn, fresh=new_session)

    def settle(self, message: str, session_id: str, language: str) -> ToolTurn | None:
        """Only the consent step: a "yes" or "no" to the pending action. LLM mode leaves the rest to the model."""
        return run_turn(self.records, session_id, lambda state: self._settle(message, state, language))

    def wants_tools(
        self, message: str, session_id: str, knowledge_answers: bool, intents: Intents | None = None
    ) -> bool:
        """Whether the router reads the message as a records request (a search, booking, cancellation...),
        settling an unsure reading as the offline turn does: by whether the knowledge base answers it.
        `intents`, the turn's reading when it has one, spares reading the message again."""
        state = self.records.state(session_id)
        intents = intents or self.understander.intents(message)
        if self.drafting is not None and self.drafting.wants(message, state, lambda: _drafts(intents)):
            return True
        read = decide(intents, self.entities(message), bool(state.get("last")), lambda: knowledge_answers)
        return read.name != "none"

    def side_effects_asked(self, session_id: str, reading: Intents) -> frozenset[str]:
        """The side-effect tools the user's own words ask for, read by the understanding (the two best
        readings of the message) and by where the conversation stands (details awaited for a booking, a list
        shown to book from, a cancellation under way). The confirmation the user then gives is the consent."""
        best = {reading.top, reading.runner_up()}
        asked = {tool for intent, tool in _SIDE_EFFECT_INTENTS.items() if intent in best}
        state = self.records.state(session_id)
        if state.get("awaiting") == "booking" or (state.get("last") or {}).get("to_book"):
            asked.add("book_consultation")
        if state.get("awaiting") == "cancel":
            asked.add("cancel_booking")
        return frozenset(asked)

    def entities(self, message: str) -> Entities:
        """What the message names, against the records' vocabulary, the lexicon and today's date."""
        return extract(message, self.vocabulary(), self.lexicon, today_in(self.records.clock()))

    def vocabulary(self) -> Vocabulary:
        """Built again only when the records service reads its values again (after an import)."""
        values = self.records.vocabulary()
        cached = self._vocabulary
        if cached is None or cached[0] is not values:
            cached = self._vocabulary = (values, Vocabulary.build(values))
        return cached[1]

    def remember_pending(self, session_id: str, pending: dict[str, Any]) -> None:
        """An action proposed outside the router (by the model) awaits the same "yes"."""

        def remember(state: SessionState) -> None:
            proposed(state, pending["token"], pending["kind"])

        run_turn(self.records, session_id, remember)

    def _settle(
        self, message: str, state: SessionState, language: str, intents: Callable[[], Intents] | None = None
    ) -> ToolTurn | None:
        pending = state.get("pending")
        if pending and (outcome := self.records.outcome(pending["token"])) is not None:
            # Confirmed or dropped elsewhere (a button, the API): the conversation catches up.
            settled(state, outcome)
            pending = None
        if not pending:
            return None
        answer = "confirm" if AFFIRM.match(message) else "reject" if DENY.match(message) else None
        if answer is None and intents is not None:
            # "好的，确认", "yes, go ahead and book it": a plain yes or no in more words, read surely as one.
            reading = intents()
            answer = reading.top if reading.sure and reading.top in ("confirm", "reject") else None
        if answer == "confirm":
            return self._confirm(state, language)
        if answer == "reject":
            self.records.dismiss(pending["token"])
            settled(state, None)
            return ToolTurn(say("dismissed", language))
        return None

    def _route(
        self,
        message: str,
        entities: Entities,
        state: SessionState,
        context: ToolContext,
        language: str,
        read: Callable[[], Intent],
        reading: Callable[[], Intents],
    ) -> Routing:
        settled = self._settle(message, state, language, reading)
        if settled is not None:
            return Routing(settled)
        if self.drafting is not None and context.session_id is not None:
            reply = self.drafting.handle(
                message,
                state,
                context.session_id,
                language,
                reads_as_drafting=lambda: _drafts(reading()),
                reads_kind=self.understander.agreement_kind,
                reads_as_a_question=lambda: reading().top == "ask_knowledge",
                assents=lambda: bool(AFFIRM.match(message)),
            )
            if reply is not None:
                return Routing(
                    ToolTurn(
                        reply.answer,
                        reply.tool_calls,
                        citations=[Citation(**c) for c in reply.citations],
                        document=reply.document,
                        refused=reply.refused,
                        sources=reply.sources,
                    )
                )
        turn = self._route_records(entities, state, context, language, read)
        reminder = self.drafting.reminder(state, language) if self.drafting is not None else None
        if turn is not None and turn.about_the_assistant:
            return Routing(None, reminder, about_the_assistant=True)
        if turn is None or turn.alongside_answer:
            return Routing(None, reminder, alongside=turn)
        if reminder:
            turn.answer = f"{turn.answer}\n\n{reminder}"
        return Routing(turn)

    def _route_records(
        self, entities: Entities, state: SessionState, context: ToolContext, language: str, read: Callable[[], Intent]
    ) -> ToolTurn | None:
        awaiting = state.get("awaiting")
        if awaiting == "booking" and (entities.name or entities.contact) and not entities.record_id:
            # The details asked for: the booking resumes, asking only for what is still missing.
            return self._book(state["awaiting_slot"], state, context, language)
        if awaiting == "cancel" and (entities.booking_ref or entities.cancellation_code):
            return self._cancel(entities, state, context, language)

        intent = read()
        if intent.name == "none" and intent.also is not None:
            arguments = self._arguments(intent.also, entities)
            found = self._search(intent.also, arguments, state, context, language, compact=True)
            if not found.tool_calls or not found.tool_calls[0]["result"].get("items"):
                return None
            found.alongside_answer = True
            return found
        if intent.name in FAMILY_TOOLS:
            found = self._search(intent.name, self._arguments(intent.name, entities), state, context, language)
            if intent.then_book:
                return self._book_the_one_found(found, entities, state, context, language)
            return found
        if intent.name == "refine":
            to_book = state["last"].get("to_book", False)
            refined = self._refine(entities, state, context, language)
            # Picking one of the consultation slots listed ("最早的那个，线上的") is choosing the one to book, and
            # so is narrowing a list shown for a booking.
            picks_a_slot = entities.ordinal is not None and state["last"]["family"] == "slots"
            if to_book or picks_a_slot:
                choosing_to_book(state)
                if entities.ordinal is not None:
                    return self._pick_from(refined, entities, state, context, language)
            return refined
        if intent.name == "more":
            last = state["last"]
            offset = last["arguments"].get("offset", 0) + PAGE
            if offset >= last.get("total", 0):
                return ToolTurn(say("no_more", language))
            return self._search(last["family"], {**last["arguments"], "offset": offset}, state, context, language)
        if intent.name == "book":
            last = state.get("last")
            if last and last["family"] == "slots" and entities.record_id is None and names_a_filter(entities):
                # "第二个，线下的": the second of the onsite ones, so the list is narrowed before picking.
                refined = self._refine(entities, state, context, language)
                choosing_to_book(state)
                return self._pick_from(refined, entities, state, context, language)
            return self._pick_and_book(entities, state, context, language)
        if intent.name == "cancel":
            return self._cancel(entities, state, context, language)
        if intent.name == "my_bookings":
            return self._my_bookings(context, language)
        if intent.name == "nothing_pending":
            return ToolTurn(say("nothing_pending", language))
        if intent.name == "details":
            return ToolTurn(say("details_noted", language))
        if intent.name == "help":
            return ToolTurn("", about_the_assistant=True)
        return None

    # -- searches --------------------------------------------------------------------------------

    def _arguments(self, family: str, e: Entities) -> dict[str, Any]:
        if e.record_id and e.record_family == family:
            return {"query": e.record_id}  # that record, whatever its status
        region = e.regions if len(e.regions) > 1 else e.region
        closed = True if e.include_closed else None
        if family == "offers":
            return {
                "kind": e.offer_kind,
                "field": e.field,
                "region": region,
                "query": e.query,
                "start_after": e.date_from,
                "start_before": e.date_to,
                "include_closed": closed,
            }
        if family == "platforms":
            return {
                "kind": e.platform_kind,
                "field": e.field,
                "region": region,
                "query": e.query,
                "include_closed": closed,
            }
        return {
            "field": e.field,
            "expert": e.expert,
            "query": e.topic,
            "date_from": e.date_from,
            "date_to": e.date_to,
            "mode": e.mode,
        }

    def _book_the_one_found(
        self, found: ToolTurn, e: Entities, state: SessionState, context: ToolContext, language: str
    ) -> ToolTurn:
        """A booking that named its slot by expert and time rather than id: when the search finds that one
        slot (or one at the time named), the booking goes on; otherwise the list is shown to pick from."""
        items = found.tool_calls[0]["result"].get("items", []) if found.tool_calls else []
        if e.at is not None:
            # The hour was named on the Shanghai clock; the slot's start may be stored in any offset.
            items = [i for i in items if datetime.fromisoformat(i["start"]).astimezone(LOCAL_TZ).time() == e.at]
        if len(items) != 1:
            choosing_to_book(state)  # the list is shown to choose the slot to book from
            return found
        booked = self._book(items[0]["id"], state, context, language)
        if not booked.tool_calls:
            # Asking for the name and contact: the slot found is what the question is about.
            booked.tool_calls = found.tool_calls
        return booked

    def _refine(self, e: Entities, state: SessionState, context: ToolContext, language: str) -> ToolTurn:
        last = state["last"]
        family = "offers" if e.offer_kind else "platforms" if e.platform_kind else last["family"]
        arguments = dict(last["arguments"]) if family == last["family"] else {}
        updates = {k: v for k, v in self._arguments(family, e).items() if v not in (None, "") and k != "query"}
        arguments.update(updates)
        arguments["offset"] = 0
        return self._search(family, arguments, state, context, language)

    def _search(
        self,
        family: str,
        arguments: dict[str, Any],
        state: SessionState,
        context: ToolContext,
        language: str,
        compact: bool = False,
    ) -> ToolTurn:
        name = FAMILY_TOOLS[family]
        arguments = {k: v for k, v in arguments.items() if v not in (None, "")}
        arguments.setdefault("limit", PAGE)
        try:
            result = REGISTRY[name](context, **arguments)
        except ToolError as exc:
            return self._error(name, arguments, exc, language)
        calls = [{"name": name, "arguments": _jsonable(arguments), "result": result}]
        empty_in_dates = ""
        if result["total"] == 0 and family == "slots" and any(k in arguments for k in _DATE_ARGUMENTS):
            # No consultation in those dates ("下周" when the next slots are in January): the dates are a wish,
            # so the open ones at other dates are shown, said so. An offer's start date is a condition: none.
            nearer = {k: v for k, v in arguments.items() if k not in _DATE_ARGUMENTS}
            widened = REGISTRY[name](context, **nearer)
            if widened["total"]:
                filters = describe_filters(_jsonable(arguments), language)
                empty_in_dates = f"{nothing_found(family, filters, language)} {say('nearest', language)}\n"
                arguments, result = nearer, widened
                calls.append({"name": name, "arguments": _jsonable(arguments), "result": result})
        shown = _jsonable(arguments)
        ids = [i["id"] for i in result["items"]]
        last: LastList = {"family": family, "arguments": shown, "ids": ids, "total": result["total"]}  # type: ignore[typeddict-item]
        listed(state, last, {i["id"]: _brief(family, i) for i in result["items"]})
        text = present_list(family, result, describe_filters(shown, language), language, compact)
        return ToolTurn(empty_in_dates + text, calls)

    # -- actions ---------------------------------------------------------------------------------

    def _pick_from(
        self, narrowed: ToolTurn, e: Entities, state: SessionState, context: ToolContext, language: str
    ) -> ToolTurn:
        """The pick from a list just narrowed, showing the narrowing search when the pick calls no tool."""
        picked = self._pick_and_book(e, state, context, language)
        picked.tool_calls = picked.tool_calls or narrowed.tool_calls
        return picked

    def _pick_and_book(self, e: Entities, state: SessionState, context: ToolContext, language: str) -> ToolTurn:
        last = state.get("last") or {}
        slot_id = e.record_id if e.record_id and e.record_family in ("slots", None) else None
        if slot_id is None:
            if not last or not last["ids"]:
                return ToolTurn(say("pick_from_list", language))
            ids = last["ids"]
            if e.ordinal is None and len(ids) > 1:
                return ToolTurn(say("which_one", language, count=len(ids)))
            index = (e.ordinal or 1) - 1 if (e.ordinal or 1) > 0 else len(ids) - 1
            if not 0 <= index < len(ids):
                return ToolTurn(say("no_such_item", language, count=len(ids)))
            if last["family"] != "slots":
                item = state.get("last_items", {}).get(ids[index], {})
                return ToolTurn(
                    say(
                        "not_bookable",
                        language,
                        title=item.get("title", ids[index]),
                        contact=item.get("contact") or "the host",
                    )
                )
            slot_id = ids[index]
        return self._book(slot_id, state, context, language)

    def _book(self, slot_id: str, state: SessionState, context: ToolContext, language: str) -> ToolTurn:
        if not (state.get("name") and state.get("contact")):
            await_details(state, slot_id)
            brief = state.get("last_items", {}).get(slot_id, {})
            summary = (language == "zh" and brief.get("title_zh")) or brief.get("title", slot_id)
            # Only what is still missing is asked for: a name given with the request is not asked again.
            missing = (
                "ask_details"
                if not (state.get("name") or state.get("contact"))
                else ("ask_contact" if state.get("name") else "ask_name")
            )
            return ToolTurn(say(missing, language, slot=summary))
        arguments = {"slot_id": slot_id, "name": state["name"], "contact": state["contact"]}
        return self._propose("book_consultation", arguments, state, context, language)

    def _cancel(self, e: Entities, state: SessionState, context: ToolContext, language: str) -> ToolTurn:
        # The reference and the code may come in one message or over two; the code is always needed, even
        # in the session that booked, so a conversation in the wrong hands cannot cancel what it holds.
        reference = e.booking_ref or state.get("cancel_ref") or state.get("last_booking")
        code = e.cancellation_code
        if not (reference and code):
            await_cancellation_code(state, reference)
            if reference:
                return ToolTurn(say("ask_cancellation_code", language, reference=reference))
            return ToolTurn(say("ask_reference", language))
        arguments = {"booking_ref": reference, "cancellation_code": code}
        return self._propose("cancel_booking", arguments, state, context, language)

    def _propose(
        self, name: str, arguments: dict[str, Any], state: SessionState, context: ToolContext, language: str
    ) -> ToolTurn:
        stop_awaiting(state)
        try:
            result = REGISTRY[name](context, **arguments)
        except ToolError as exc:
            return self._error(name, arguments, exc, language)
        pending = result["pending_action"]
        proposed(state, pending["token"], pending["kind"])
        return ToolTurn(
            say("confirm_prompt", language, summary=pending.get(f"summary_{language}") or pending["summary"]),
            [{"name": name, "arguments": arguments, "result": result}],
            pending_action=pending,
        )

    def _confirm(self, state: SessionState, language: str) -> ToolTurn:
        outcome = self.records.confirm(state["pending"]["token"])
        result = asdict(outcome)
        settled(state, result)
        key = "confirmed" if outcome.ok else "failed"
        # An outcome recorded before reasons were kept has only its English message.
        message = say(f"outcome_{outcome.reason}", language, **outcome.params) if outcome.reason else outcome.message
        return ToolTurn(say(key, language, message=message), action_result=result)

    def _my_bookings(self, context: ToolContext, language: str) -> ToolTurn:
        result = REGISTRY["my_bookings"](context)
        lines = [f"{i}. {b['slot']} — {b['booking_ref']}" for i, b in enumerate(result["items"], start=1)]
        head = say("bookings", language, total=result["total"])
        return ToolTurn("\n".join([head, *lines]), [{"name": "my_bookings", "arguments": {}, "result": result}])

    def _error(self, name: str, arguments: dict[str, Any], exc: ToolError, language: str) -> ToolTurn:
        message = say(f"refused_{exc.reason}", language, **exc.params) if exc.reason else str(exc)
        return ToolTurn(
            say("tool_error", language, message=message),
            [{"name": name, "arguments": _jsonable(arguments), "result": {"error": str(exc)}}],
        )


def _drafts(intents: Intents) -> bool:
    """Whether drafting an agreement is among the two best readings of the message."""
    return "draft_agreement" in (intents.top, intents.runner_up())


def _brief(family: str, item: dict[str, Any]) -> dict[str, Any]:
    """What a follow-up needs to talk about an item without searching again."""
    title = item.get("title") or item.get("name") or item.get("summary") or item["id"]
    brief = {"title": title if family != "slots" else item["summary"], "contact": item.get("contact")}
    if family == "slots" and (item.get("zh") or {}).get("summary"):
        brief["title_zh"] = item["zh"]["summary"]  # "预约 {slot}" in a Chinese conversation
    return brief
