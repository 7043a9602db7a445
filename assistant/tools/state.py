"""What a conversation remembers between turns, as a typed record, and how a turn commits its changes.

The state is a small JSON document per session: the last list shown (so "only the ones in Nantong",
"more" and "book the second one" work), the name and contact given for bookings, the action awaiting a
"yes", what the assistant is waiting for, and a draft in progress. Its phase is read from it, never
stored beside it, so the two cannot disagree; the records conversation changes it only through the
transitions below (the drafting flow keeps the `agreement` entry, in `agreements/flow.py`).

Turns of one session may run at once (two tabs, a double-sent message, several workers). Each turn reads
the state with its version and writes back only if the version is unchanged; otherwise the keys it
changed are laid over the newer state when the other turn changed different keys, and the turn is run
again on the newer state when both changed the same key. Nothing another turn wrote is lost silently.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, NotRequired, TypeVar

from pydantic import TypeAdapter, ValidationError
from typing_extensions import TypedDict

from assistant.records import RecordsService


class LastList(TypedDict):
    family: Literal["offers", "platforms", "slots"]
    arguments: dict[str, Any]
    ids: list[str]
    total: int
    #: Shown for the user to choose the slot to book from ("the earliest online one" picks and books).
    to_book: NotRequired[bool]


class Pending(TypedDict):
    token: str
    kind: Literal["booking", "cancellation"]


class AgreementDraft(TypedDict):
    kind: str | None
    values: dict[str, str]
    asked: str | None
    language: str  # of the conversation about the draft
    draft_language: NotRequired[str]  # of the document, when asked for in the other language
    said: NotRequired[str]  # what the request said before the kind was chosen, read once it is


class SessionState(TypedDict, total=False):
    name: str
    contact: str
    last: LastList
    last_items: dict[str, dict[str, Any]]
    pending: Pending
    awaiting: Literal["booking", "cancel"]
    awaiting_slot: str
    cancel_ref: str
    last_booking: str
    agreement: AgreementDraft
    #: The last message that named an agreement without asking for one ("we'd like an order class with X
    #: College"): a "just draft it" that follows drafts from it.
    agreement_context: str
    #: That message was a plan between two named parties, answered with the offer to draft it: a plain "yes"
    #: accepts.
    agreement_offered: bool


class Phase(StrEnum):
    """Where the conversation stands; the next message is read in its light."""

    BROWSING = "browsing"
    AWAITING_DETAILS = "awaiting_details"  # a booking waits for a name and contact
    AWAITING_CANCELLATION_CODE = "awaiting_cancellation_code"
    AWAITING_CONFIRMATION = "awaiting_confirmation"  # an action waits for "yes"
    DRAFTING = "drafting"  # an agreement waits for its details


logger = logging.getLogger(__name__)
_VALID = TypeAdapter(SessionState)
_MAX_ATTEMPTS = 4
T = TypeVar("T")


def phase(state: SessionState) -> Phase:
    if "pending" in state:
        return Phase.AWAITING_CONFIRMATION
    if "agreement" in state:
        return Phase.DRAFTING
    if state.get("awaiting") == "booking":
        return Phase.AWAITING_DETAILS
    if state.get("awaiting") == "cancel":
        return Phase.AWAITING_CANCELLATION_CODE
    return Phase.BROWSING


# -- transitions: every change of phase is one of these -----------------------------------------------


def listed(state: SessionState, last: LastList, items: dict[str, dict[str, Any]]) -> None:
    """A list was shown: follow-ups ("the second one", "more") refer to it."""
    state["last"], state["last_items"] = last, items


def choosing_to_book(state: SessionState) -> None:
    """The list shown is for choosing the slot to book: picking one from it books it."""
    if "last" in state:
        state["last"]["to_book"] = True


def await_details(state: SessionState, slot_id: str) -> None:
    """A booking of `slot_id` waits for the name and contact (browsing -> awaiting details)."""
    state["awaiting"], state["awaiting_slot"] = "booking", slot_id


def await_cancellation_code(state: SessionState, reference: str | None) -> None:
    """A cancellation waits for its code, and for the reference when none is known yet."""
    state["awaiting"] = "cancel"
    if reference:
        state["cancel_ref"] = reference


def stop_awaiting(state: SessionState) -> None:
    """What was awaited has come (details, a code): an action is about to be proposed, or refused."""
    for key in ("awaiting", "awaiting_slot", "cancel_ref"):
        state.pop(key, None)  # type: ignore[misc]


def proposed(state: SessionState, token: str, kind: Literal["booking", "cancellation"]) -> None:
    """An action was proposed and waits for "yes" (-> awaiting confirmation); nothing else is awaited."""
    stop_awaiting(state)
    state["pending"] = {"token": token, "kind": kind}


def settled(state: SessionState, outcome: dict[str, Any] | None) -> Pending | None:
    """The pending action was confirmed, dismissed or settled elsewhere (-> browsing); a confirmed booking
    is remembered as the one "cancel it" means, a cancelled one forgotten."""
    pending = state.pop("pending", None)
    if pending is not None and outcome is not None:
        if pending["kind"] == "booking" and outcome.get("status") == "confirmed":
            state["last_booking"] = outcome["booking_ref"]
        if pending["kind"] == "cancellation" and outcome.get("status") == "cancelled":
            state.pop("last_booking", None)
    return pending


def details_given(state: SessionState, name: str | None, contact: str | None) -> None:
    if contact:
        state["contact"] = contact
    if name:
        state["name"] = name


def checked(data: dict[str, Any]) -> SessionState:
    """The stored document as a state; one that does not fit (written by an older release) starts afresh
    rather than failing every turn of the session."""
    try:
        return _VALID.validate_python(data)
    except ValidationError:
        return SessionState()


@dataclass
class Concurrency:
    """How many times turns of one session met (a turn's own count, for the tests; the log has them all)."""

    merged: int = 0
    rerun: int = 0


def run_turn(
    records: RecordsService,
    session_id: str,
    turn: Callable[[SessionState], T],
    fresh: bool = False,
    met: Concurrency | None = None,
) -> T:
    """Run `turn` on the session's state and commit what it changed, however many turns run at once.

    `fresh` (a session id made for this turn) skips reading a state that cannot exist yet."""
    data, version = ({}, 0) if fresh else records.versioned_state(session_id)
    state = checked(data)
    for _ in range(_MAX_ATTEMPTS):
        before = copy.deepcopy(state)
        result = turn(state)
        if state == before or records.save_state(session_id, dict(state), version):
            return result
        # Another turn of this session wrote first.
        data, version = records.versioned_state(session_id)
        newer = checked(data)
        ours = _changed(before, state)
        if not ours & _changed(before, newer):
            for key in ours:
                _set(newer, key, state.get(key))
            if records.save_state(session_id, dict(newer), version):
                logger.info("session %s: a concurrent turn's state kept, this turn's changes laid over it", session_id)
                if met is not None:
                    met.merged += 1
                return result
            data, version = records.versioned_state(session_id)
            newer = checked(data)
        logger.info("session %s: a concurrent turn changed the same state; this turn runs again", session_id)
        if met is not None:
            met.rerun += 1
        state = newer  # the same key changed on both sides: this turn is read again on the newer state
    raise RuntimeError(f"session {session_id}: the state kept changing under this turn")


def _changed(before: SessionState, after: SessionState) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def _set(state: SessionState, key: str, value: Any) -> None:
    if value is None:
        state.pop(key, None)  # type: ignore[misc]
    else:
        state[key] = value  # type: ignore[literal-required]
