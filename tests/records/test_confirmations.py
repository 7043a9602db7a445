"""Confirmations that mean what they say: they expire, they re-check the slot, and references never clash."""

import re
from datetime import timedelta

import pytest

from assistant.records import actions
from assistant.records.actions import ActionError
from assistant.records.models import Booking, ConsultationSlot
from tests.conftest import DEMO_NOW, RECORDS_DIR


@pytest.fixture
def slot(records) -> ConsultationSlot:
    assert records.import_file(RECORDS_DIR / "consultation_slots.csv").ok
    return records.list_slots(limit=1).items[0]


def test_a_confirmation_expires_after_the_ttl_with_a_message_to_ask_again(records, slot):
    token = records.propose_booking("s1", slot.id, "Li Hua", "13800001111").token
    records.clock = lambda: DEMO_NOW + actions.DEFAULT_TTL + timedelta(seconds=1)
    outcome = records.confirm(token)
    assert outcome.status == "expired" and "expired: ask again" in outcome.message
    assert records.confirm(token) == outcome  # the expiry is the token's outcome, like any other
    with records.sessions() as session:
        assert session.get(ConsultationSlot, slot.id).status == "open"
        assert session.query(Booking).count() == 0


def test_a_confirmation_inside_the_ttl_books(records, slot):
    records.confirmation_ttl = timedelta(minutes=30)
    token = records.propose_booking("s1", slot.id, "Li Hua", "13800001111").token
    records.clock = lambda: DEMO_NOW + timedelta(minutes=29)
    assert records.confirm(token).status == "confirmed"


def test_a_slot_that_started_after_the_proposal_is_not_booked(records, slot):
    records.confirmation_ttl = timedelta(days=365)  # only the start time stands in the way
    token = records.propose_booking("s1", slot.id, "Li Hua", "13800001111").token
    records.clock = lambda: slot.start + timedelta(minutes=3)
    outcome = records.confirm(token)
    assert outcome.status == "unavailable" and "has already started" in outcome.message
    with records.sessions() as session:
        assert session.get(ConsultationSlot, slot.id).status == "open"


def test_a_slot_withdrawn_after_the_proposal_is_not_booked_and_not_called_taken(records, slot):
    token = records.propose_booking("s1", slot.id, "Li Hua", "13800001111").token
    with records.sessions.begin() as session:
        session.get(ConsultationSlot, slot.id).status = "closed"
    outcome = records.confirm(token)
    assert outcome.status == "unavailable" and "no longer offered" in outcome.message


def test_references_carry_64_random_bits(records, slot):
    booked = records.confirm(records.propose_booking("s1", slot.id, "Li Hua", "13800001111").token)
    assert re.fullmatch(r"BK-[0-9A-F]{16}", booked.booking_ref)


def test_a_reference_that_clashes_is_drawn_again_instead_of_reading_as_slot_taken(records, monkeypatch):
    assert records.import_file(RECORDS_DIR / "consultation_slots.csv").ok
    first, second = records.list_slots(limit=2).items
    booked = records.confirm(records.propose_booking("s1", first.id, "Li Hua", "13800001111").token)
    clashing, fresh = booked.booking_ref.removeprefix("BK-").lower(), "00112233aabbccdd"
    draws = iter([clashing, fresh])
    monkeypatch.setattr(actions.secrets, "token_hex", lambda _: next(draws))
    outcome = records.confirm(records.propose_booking("s2", second.id, "Wang Fang", "wf@example.cn").token)
    assert outcome.status == "confirmed" and outcome.booking_ref == "BK-00112233AABBCCDD"


def test_even_the_session_that_booked_needs_the_cancellation_code(records, slot):
    booked = records.confirm(records.propose_booking("s1", slot.id, "Li Hua", "13800001111").token)
    with pytest.raises(ActionError, match="cancellation code"):
        records.propose_cancellation("s1", booked.booking_ref)
    cancel = records.propose_cancellation("s1", booked.booking_ref, booked.cancellation_code)
    assert records.confirm(cancel.token).status == "cancelled"
