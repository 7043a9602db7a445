"""Concurrent turns of one session: a write names the version it read, and nothing is overwritten silently."""

from __future__ import annotations

from assistant.tools.state import Concurrency, Phase, SessionState, checked, phase, run_turn


def test_a_write_from_a_stale_read_is_refused(records):
    assert records.versioned_state("s1") == ({}, 0)
    assert records.save_state("s1", {"name": "Li Hua"}, 0)
    assert not records.save_state("s1", {"name": "someone else"}, 0)  # the first write, made twice
    data, version = records.versioned_state("s1")
    assert data == {"name": "Li Hua"} and version == 1
    assert records.save_state("s1", {"name": "Li Hua", "contact": "13912345678"}, version)
    assert not records.save_state("s1", {}, version)  # read before the last write
    assert records.versioned_state("s1") == ({"name": "Li Hua", "contact": "13912345678"}, 2)


def _meanwhile(records, session_id, change):
    """A turn function that, the first time it runs, lets another turn of the session commit first."""
    calls = []

    def turn(state: SessionState) -> int:
        if not calls:
            run_turn(records, session_id, change)
        calls.append(dict(state))
        return len(calls)

    return turn, calls


def test_turns_that_change_different_things_both_keep_their_change(records):
    records.save_state("s2", {"name": "Li Hua"}, 0)
    met = Concurrency()

    def gives_contact(state: SessionState) -> None:
        state["contact"] = "li.hua@example.cn"

    lists, _ = _meanwhile(records, "s2", gives_contact)

    def search(state: SessionState) -> int:
        state["last"] = {"family": "offers", "arguments": {"region": "Nantong"}, "ids": ["TO-1"], "total": 1}
        return lists(state)

    assert run_turn(records, "s2", search, met=met) == 1  # laid over the newer state, not run again
    state, _ = records.versioned_state("s2")
    assert state["contact"] == "li.hua@example.cn" and state["last"]["ids"] == ["TO-1"] and met.merged == 1


def test_turns_that_change_the_same_thing_run_again_on_the_newer_state(records):
    records.save_state("s3", {"last": {"family": "slots", "arguments": {}, "ids": ["CS-1"], "total": 1}}, 0)
    met = Concurrency()

    def other_list(state: SessionState) -> None:
        state["last"] = {"family": "slots", "arguments": {"mode": "online"}, "ids": ["CS-2", "CS-3"], "total": 2}

    turn, seen = _meanwhile(records, "s3", other_list)

    def pick(state: SessionState) -> int:
        count = turn(state)
        state["awaiting"], state["awaiting_slot"] = "booking", state["last"]["ids"][-1]
        state["last"] = {**state["last"], "to_book": True}
        return count

    assert run_turn(records, "s3", pick, met=met) == 2 and met.rerun == 1
    assert seen[1]["last"]["ids"] == ["CS-2", "CS-3"]  # the second run read what the other turn listed
    state, _ = records.versioned_state("s3")
    assert state["awaiting_slot"] == "CS-3" and phase(checked(state)) is Phase.AWAITING_DETAILS


def test_a_state_that_no_longer_fits_the_schema_starts_afresh():
    assert checked({"pending": {"token": 5}}) == {}
    assert phase(checked({"pending": {"token": "t", "kind": "booking"}, "agreement": None})) is Phase.BROWSING
    assert phase(checked({"pending": {"token": "t", "kind": "booking"}})) is Phase.AWAITING_CONFIRMATION
