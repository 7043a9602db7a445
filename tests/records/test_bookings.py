"""The one side effect: proposals, confirmations, no double booking under concurrency, cancellation."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.records.actions import ActionError
from assistant.records.models import Booking, ConsultationSlot
from tests.conftest import RECORDS_DIR


@pytest.fixture
def slot_id(records):
    assert records.import_file(RECORDS_DIR / "consultation_slots.csv").ok
    return records.list_slots(limit=1).items[0].id


def test_nothing_is_booked_until_confirmed_and_a_retry_returns_the_same_reference(records, slot_id):
    action = records.propose_booking("s1", slot_id, "Li Hua", "13800001111")
    with records.sessions() as session:
        assert session.get(ConsultationSlot, slot_id).status == "open"
        assert session.query(Booking).count() == 0
    first = records.confirm(action.token)
    again = records.confirm(action.token)
    assert first.status == "confirmed" and again.booking_ref == first.booking_ref
    with records.sessions() as session:
        assert session.get(ConsultationSlot, slot_id).status == "booked"
        assert session.query(Booking).count() == 1


def test_fifty_concurrent_confirmations_for_one_slot_book_it_once(records, slot_id):
    tokens = [records.propose_booking(f"s{i}", slot_id, f"User {i}", f"user{i}@example.cn").token for i in range(50)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        outcomes = list(pool.map(records.confirm, tokens))
    assert sorted(o.status for o in outcomes).count("confirmed") == 1
    assert sum(o.status == "taken" for o in outcomes) == 49
    assert all("already been taken" in o.message or "just been booked" in o.message for o in outcomes if not o.ok)
    with records.sessions() as session:
        assert session.query(Booking).filter_by(slot_id=slot_id, status="confirmed").count() == 1


def test_concurrent_retries_of_one_token_give_one_booking(records, slot_id):
    token = records.propose_booking("s1", slot_id, "Li Hua", "13800001111").token
    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(lambda _: records.confirm(token), range(20)))
    assert {o.booking_ref for o in outcomes} == {outcomes[0].booking_ref} and outcomes[0].status == "confirmed"


def test_cancellation_needs_reference_and_contact_and_frees_the_slot(records, slot_id):
    booked = records.confirm(records.propose_booking("s1", slot_id, "Li Hua", "13800001111").token)
    with pytest.raises(ActionError, match="no active booking with that reference and contact"):
        records.propose_cancellation("s2", booked.booking_ref, "someone@else.cn")
    with pytest.raises(ActionError, match="no active booking with that reference and contact"):
        records.propose_cancellation("s2", "BK-00000000", "13800001111")
    cancel = records.propose_cancellation("s1", booked.booking_ref, "13800001111")
    assert records.confirm(cancel.token).status == "cancelled"
    with records.sessions() as session:
        assert session.get(ConsultationSlot, slot_id).status == "open"
    # The freed slot can be booked again.
    assert records.confirm(records.propose_booking("s3", slot_id, "Wang Fang", "wf@example.cn").token).ok


def test_taken_or_unknown_slots_cannot_be_proposed(records, slot_id):
    records.confirm(records.propose_booking("s1", slot_id, "Li Hua", "13800001111").token)
    with pytest.raises(ActionError, match="no longer available"):
        records.propose_booking("s2", slot_id, "Wang Fang", "wf@example.cn")
    with pytest.raises(ActionError, match="no consultation slot 'CS-9999'"):
        records.propose_booking("s2", "CS-9999", "Wang Fang", "wf@example.cn")


def test_bookings_are_only_visible_to_their_contact(records, slot_id):
    records.confirm(records.propose_booking("s1", slot_id, "Li Hua", "13800001111").token)
    assert [b["name"] for b in records.bookings_for("13800001111")] == ["Li Hua"]
    assert records.bookings_for("13900002222") == []


def test_dismissed_actions_are_never_carried_out(records, slot_id):
    token = records.propose_booking("s1", slot_id, "Li Hua", "13800001111").token
    assert records.dismiss(token)
    assert records.confirm(token).status == "dismissed"
    with records.sessions() as session:
        assert session.get(ConsultationSlot, slot_id).status == "open"
