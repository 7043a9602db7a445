"""Side effects behind an explicit confirmation: propose, then confirm; never a double booking.

A proposal stores a pending action with a random token. Confirming it runs one transaction that flips
the slot from `open` to `booked` with a conditional UPDATE: of any number of concurrent confirmations for
one slot exactly one sees `open`. A partial unique index on active bookings backs this up. Confirming the
same token again returns the first outcome (idempotent).

A proposal waits `ttl` for its confirmation, then expires; confirming checks again that the slot is
open and has not started, whenever the proposal was made.

A contact is not proof of identity: anyone can type someone else's e-mail. A booking is listed in the
session it was made in, and cancelled, in any session, with its reference and the cancellation code its
confirmation gave: a session that fell into other hands cannot cancel what it booked.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from assistant.records.chinese import chinese_name
from assistant.records.models import Booking, ConsultationSlot, PendingAction
from assistant.records.queries import LOCAL_TZ

# No 0/O or 1/I: the code is read off a screen and typed on a phone. 12 symbols of 32 are 60 random bits.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: 8 random bytes (64 bits), and checked against the table before use: a clash never reads as "slot taken".
REF_BYTES = 8
DEFAULT_TTL = timedelta(minutes=15)
NOT_YOURS = (
    "there is no active booking {ref} with that cancellation code; send the booking reference with the "
    'cancellation code from the booking confirmation, e.g. "cancel BK-1A2B3C4D5E6F7A8B code ABCD-EFGH-JKLM"'
)
EXPIRED = "this confirmation has expired: ask again to get a new one"


class ActionError(ValueError):
    """A proposal that cannot be made (unknown slot, slot taken, not the caller's booking); the message says why
    in English, `reason` and `params` let a channel say it in the user's language."""

    def __init__(self, message: str, reason: str, **params: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Outcome:
    status: str  # confirmed | cancelled | taken | unavailable | expired | not_found | dismissed
    message: str
    booking_ref: str | None = None
    #: Given once, with a confirmed booking: it cancels the booking from any session.
    cancellation_code: str | None = None
    #: Why, for saying it in the user's language (`message` is the English), and what the saying needs.
    reason: str = ""
    params: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in ("confirmed", "cancelled")


def describe_slot(slot: ConsultationSlot) -> str:
    local = slot.start.astimezone(LOCAL_TZ)
    return (
        f"{slot.expert} ({slot.organisation}), {local:%a %d %b %Y %H:%M} (UTC+8), {slot.duration_min} min, {slot.mode}"
    )


def describe_slot_zh(slot: ConsultationSlot) -> str:
    """The slot in Chinese, from its Chinese columns where the records have them."""
    local = slot.start.astimezone(LOCAL_TZ)
    extra = slot.attributes or {}
    expert = extra.get("expert_zh") or slot.expert
    organisation = extra.get("organisation_zh") or slot.organisation
    mode = chinese_name("mode", slot.mode)
    weekday = "一二三四五六日"[local.weekday()]
    when = f"{local:%Y年%-m月%-d日}（周{weekday}）{local:%H:%M}（北京时间）"
    return f"{expert}（{organisation}），{when}，{slot.duration_min} 分钟，{mode}"


def mask_contact(contact: str) -> str:
    """Enough to recognise your own contact, not enough to read someone else's."""
    if "@" in contact:
        user, _, domain = contact.partition("@")
        return f"{user[:2]}***@{domain}"
    return f"{contact[:3]}****{contact[-2:]}" if len(contact) > 6 else "****"


def new_cancellation_code() -> str:
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(symbols[i : i + 4] for i in range(0, 12, 4))


def _may_cancel(booking: Booking, code: str | None) -> bool:
    if not code or booking.cancel_code is None:
        return False
    return secrets.compare_digest(code.strip().upper().encode(), booking.cancel_code.encode())


def _new_booking_ref(session: Session) -> str:
    while True:
        ref = f"BK-{secrets.token_hex(REF_BYTES).upper()}"
        if session.get(Booking, ref) is None:
            return ref


def propose_booking(
    sessions: sessionmaker[Session], now: datetime, session_id: str | None, slot_id: str, name: str, contact: str
) -> PendingAction:
    with sessions.begin() as session:
        slot = session.get(ConsultationSlot, slot_id)
        if slot is None:
            raise ActionError(
                f"there is no consultation slot {slot_id!r}; list the slots again", "no_such_slot", slot_id=slot_id
            )
        if slot.status != "open" or slot.start <= now:
            described = describe_slot(slot)
            raise ActionError(
                f"slot {slot_id} ({described}) is no longer available; pick another one",
                "slot_unavailable",
                slot_id=slot_id,
                slot=described,
            )
        described_zh = describe_slot_zh(slot)
        action = PendingAction(
            token=secrets.token_urlsafe(16),
            kind="booking",
            session_id=session_id,
            # The Chinese wording beside the English, for a conversation held in Chinese.
            payload={
                "slot_id": slot_id,
                "name": name,
                "contact": contact,
                "summary_zh": f"为 {name}（{contact}）预约 {described_zh}",
                "booked_zh": described_zh,
            },
            summary=f"Book {describe_slot(slot)} for {name} ({contact})",
            status="pending",
            result=None,
            created_at=now,
        )
        session.add(action)
        return action


def propose_cancellation(
    sessions: sessionmaker[Session], now: datetime, session_id: str | None, booking_ref: str, code: str | None = None
) -> PendingAction:
    """Propose cancelling a booking whose cancellation code is `code`, from any session."""
    ref = booking_ref.strip().upper()
    with sessions.begin() as session:
        booking = session.get(Booking, ref)
        # The same answer whether the reference is unknown or not the caller's: no probing of others.
        if booking is None or not _may_cancel(booking, code):
            raise ActionError(NOT_YOURS.format(ref=ref), "not_yours", ref=ref)
        if booking.status != "confirmed":
            raise ActionError(f"booking {booking.ref} is already cancelled", "already_cancelled", ref=booking.ref)
        slot = session.get(ConsultationSlot, booking.slot_id)
        action = PendingAction(
            token=secrets.token_urlsafe(16),
            kind="cancellation",
            session_id=session_id,
            payload={"booking_ref": booking.ref},
            summary=f"Cancel booking {booking.ref}: {describe_slot(slot) if slot else booking.slot_id}",
            status="pending",
            result=None,
            created_at=now,
        )
        session.add(action)
        return action


def confirm(sessions: sessionmaker[Session], token: str, now: datetime, ttl: timedelta = DEFAULT_TTL) -> Outcome:
    """Carry out a pending action once; later calls with the same token return the same outcome.

    A proposal older than `ttl` expires, with the outcome kept like any other.
    """
    try:
        with sessions.begin() as session:
            action = session.scalars(
                select(PendingAction).where(PendingAction.token == token).with_for_update()
            ).one_or_none()
            if action is None:
                return Outcome(
                    "not_found", "unknown or expired confirmation token; ask again to get a new one", reason="no_token"
                )
            if action.result is not None:
                return Outcome(**action.result)
            if now - action.created_at > ttl:
                outcome = Outcome("expired", EXPIRED, reason="expired")
            elif action.kind == "booking":
                outcome = _book(session, action, now)
            else:
                outcome = _cancel(session, action, now)
            action.status = "done" if outcome.ok else "failed"
            # Kept whole, code included, so that a retry after a lost response still gives the code.
            action.result = asdict(outcome)
            return outcome
    except IntegrityError:
        # The unique index caught a race the conditional update did not (should not happen): same answer.
        return Outcome("taken", "this slot has just been booked by someone else; pick another slot", reason="taken")


def _book(session: Session, action: PendingAction, now: datetime) -> Outcome:
    slot_id = action.payload["slot_id"]
    # One conditional UPDATE decides the race; a slot that has started (or was withdrawn) is never claimed.
    claimed = session.execute(
        update(ConsultationSlot)
        .where(ConsultationSlot.id == slot_id, ConsultationSlot.status == "open", ConsultationSlot.start > now)
        .values(status="booked")
    ).rowcount
    if claimed != 1:
        slot = session.get(ConsultationSlot, slot_id)
        if slot is not None and slot.start <= now:
            described = describe_slot(slot)
            return Outcome(
                "unavailable",
                f"this slot ({described}) has already started; pick a later one",
                reason="started",
                params={"slot": described},
            )
        if slot is None or slot.status not in ("open", "booked"):
            return Outcome("unavailable", "this slot is no longer offered; list the slots again", reason="withdrawn")
        return Outcome("taken", "this slot has already been taken; pick another slot", reason="taken")
    ref = _new_booking_ref(session)
    code = new_cancellation_code()
    session.add(
        Booking(
            ref=ref,
            slot_id=slot_id,
            name=action.payload["name"],
            contact=action.payload["contact"],
            session_id=action.session_id,
            cancel_code=code,
            status="confirmed",
            created_at=now,
            cancelled_at=None,
        )
    )
    booked = action.summary.removeprefix("Book ")
    message = (
        f"{booked} is booked; your reference is {ref} and your cancellation code is {code} "
        "(keep it: with it you can cancel from any chat)"
    )
    return Outcome(
        "confirmed",
        message,
        ref,
        code,
        reason="booked",
        params={"booked": booked, "booked_zh": action.payload.get("booked_zh", booked), "ref": ref, "code": code},
    )


def _cancel(session: Session, action: PendingAction, now: datetime) -> Outcome:
    booking = session.get(Booking, action.payload["booking_ref"], with_for_update=True)
    if booking is None or booking.status != "confirmed":
        return Outcome("not_found", "that booking is no longer active", reason="not_active")
    booking.status = "cancelled"
    booking.cancelled_at = now
    session.execute(update(ConsultationSlot).where(ConsultationSlot.id == booking.slot_id).values(status="open"))
    return Outcome(
        "cancelled",
        f"cancelled booking {booking.ref}; the slot is free again",
        booking.ref,
        reason="cancelled",
        params={"ref": booking.ref},
    )


def dismiss(sessions: sessionmaker[Session], token: str) -> bool:
    with sessions.begin() as session:
        action = session.get(PendingAction, token)
        if action is None or action.result is not None:
            return False
        action.status = "dismissed"
        action.result = {"status": "dismissed", "message": "not carried out", "booking_ref": None}
        return True


def bookings_in(sessions: sessionmaker[Session], session_id: str | None) -> list[dict[str, Any]]:
    """Active bookings made in this session, soonest first; nobody else's, whatever contact they used."""
    if session_id is None:
        return []
    with sessions() as session:
        rows = session.execute(
            select(Booking, ConsultationSlot)
            .join(ConsultationSlot, ConsultationSlot.id == Booking.slot_id)
            .where(Booking.session_id == session_id, Booking.status == "confirmed")
            .order_by(ConsultationSlot.start)
        ).all()
        return [{"booking_ref": b.ref, "slot_id": s.id, "slot": describe_slot(s), "name": b.name} for b, s in rows]


def utc_now() -> datetime:
    return datetime.now(UTC)
