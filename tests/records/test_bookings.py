"""The one side effect: proposals, confirmations, no double booking under concurrency, cancellation."""

import re
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


def test_the_session_that_booked_cancels_with_reference_and_code_and_frees_the_slot(records, slot_id):
    booked = records.confirm(records.propose_booking("s1", slot_id, "Li Hua", "13800001111").token)
    with pytest.raises(ActionError, match="cancellation code"):
        records.propose_cancellation("s1", booked.booking_ref)
    cancel = records.propose_cancellation("s1", booked.booking_ref.lower(), booked.cancellation_code)
    assert records.confirm(cancel.token).status == "cancelled"
    with records.sessions() as session:
        assert session.get(ConsultationSlot, slot_id).status == "open"
    # The freed slot can be booked again.
    assert records.confirm(records.propose_booking("s3", slot_id, "Wang Fang", "wf@example.cn").token).ok


def test_another_session_needs_the_cancellation_code_and_cannot_tell_a_wrong_code_from_no_booking(records, slot_id):
    booked = records.confirm(records.propose_booking("s1", slot_id, "Li Hua", "13800001111").token)
    code = booked.cancellation_code
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code) and code in booked.message
    refused = set()
    for ref, given in [(booked.booking_ref, None), (booked.booking_ref, "ABCD-EFGH-JKLM"), ("BK-00000000", code)]:
        with pytest.raises(ActionError, match="cancellation code from the booking confirmation") as error:
            records.propose_cancellation("s2", ref, given)
        refused.add(str(error.value).replace(ref, "REF"))
    assert len(refused) == 1  # one answer for every refusal: no probing which references exist
    cancel = records.propose_cancellation("s2", booked.booking_ref, code.lower())
    assert records.confirm(cancel.token).status == "cancelled"
    with pytest.raises(ActionError, match="already cancelled"):
        records.propose_cancellation("s2", booked.booking_ref, code)


def test_a_retried_confirmation_gives_the_same_cancellation_code(records, slot_id):
    token = records.propose_booking("s1", slot_id, "Li Hua", "13800001111").token
    first, again = records.confirm(token), records.confirm(token)
    assert again == first and first.cancellation_code


def test_taken_or_unknown_slots_cannot_be_proposed(records, slot_id):
    records.confirm(records.propose_booking("s1", slot_id, "Li Hua", "13800001111").token)
    with pytest.raises(ActionError, match="no longer available"):
        records.propose_booking("s2", slot_id, "Wang Fang", "wf@example.cn")
    with pytest.raises(ActionError, match="no consultation slot 'CS-9999'"):
        records.propose_booking("s2", "CS-9999", "Wang Fang", "wf@example.cn")


def test_bookings_are_listed_only_in_the_session_that_made_them_whatever_the_contact(records, slot_id):
    records.confirm(records.propose_booking("s1", slot_id, "Li Hua", "13800001111").token)
    assert [b["name"] for b in records.bookings_in("s1")] == ["Li Hua"]
    assert records.bookings_in("s2") == [] and records.bookings_in(None) == []


def test_dismissed_actions_are_never_carried_out(records, slot_id):
    token = records.propose_booking("s1", slot_id, "Li Hua", "13800001111").token
    assert records.dismiss(token)
    assert records.confirm(token).status == "dismissed"
    with records.sessions() as session:
        assert session.get(ConsultationSlot, slot_id).status == "open"
