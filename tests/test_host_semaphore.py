"""One queue of turns for all of a host's workers: slots shared across processes, served in arrival order,
and given back by the kernel when a process holding one is killed."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from assistant.api.deps import turn_slots
from assistant.host_semaphore import HostSemaphore, _key
from tests.conftest import make_settings

_GETNCNT = 14  # semctl: how many processes wait to take a slot
_context = multiprocessing.get_context("fork")


@pytest.fixture
def name(tmp_path: Path):
    names = str(tmp_path)
    yield names
    for slots in (1, 2, 3):
        HostSemaphore.remove(names, slots)


def _waiting(semaphore: HostSemaphore) -> int:
    return ctypes.CDLL(None, use_errno=True).semctl(semaphore._semid, 0, _GETNCNT)


def _until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _take_and_report(name: str, slots: int, index: int, queue, hold_s: float) -> None:
    with HostSemaphore(name, slots):
        queue.put(index)
        time.sleep(hold_s)


def test_processes_share_the_slots_and_are_served_in_arrival_order(name):
    held = HostSemaphore(name, 1)
    order = _context.Queue()
    children = []
    with held:
        for index in range(4):
            child = _context.Process(target=_take_and_report, args=(name, 1, index, order, 0.05))
            child.start()
            children.append(child)
            _until(lambda n=index + 1: _waiting(held) == n)  # each child waits before the next one comes
        assert order.empty()  # the one slot is ours: nobody got in
    served = [order.get(timeout=10) for _ in children]
    for child in children:
        child.join(timeout=10)
    assert served == [0, 1, 2, 3]


def test_no_more_processes_than_slots_hold_one_at_once(name):
    semaphore = HostSemaphore(name, 2)
    order = _context.Queue()
    children = [_context.Process(target=_take_and_report, args=(name, 2, i, order, 0.5)) for i in range(3)]
    for child in children:
        child.start()
    _until(lambda: _waiting(semaphore) == 1)  # two hold a slot, the third waits
    first_two = {order.get(timeout=10), order.get(timeout=10)}
    assert order.empty()
    assert len(first_two | {order.get(timeout=10)}) == 3  # the third got in once one left
    for child in children:
        child.join(timeout=10)


def _take_and_sleep(name: str, ready) -> None:
    with HostSemaphore(name, 1):
        ready.set()
        time.sleep(60)


def test_a_killed_holder_gives_its_slot_back(name):
    ready = _context.Event()
    holder = _context.Process(target=_take_and_sleep, args=(name, ready))
    holder.start()
    assert ready.wait(timeout=10)
    os.kill(holder.pid, signal.SIGKILL)
    holder.join(timeout=10)

    got_in = threading.Event()

    def take() -> None:
        with HostSemaphore(name, 1):
            got_in.set()

    threading.Thread(target=take, daemon=True).start()
    assert got_in.wait(timeout=10), "the killed process kept its slot"


def test_a_new_slot_count_starts_a_new_queue_and_remove_deletes_one(name):
    with HostSemaphore(name, 1), HostSemaphore(name, 2):  # would wait forever if both were one queue
        pass
    HostSemaphore.remove(name, 1)
    assert ctypes.CDLL(None).semget(_key(name, 1), 1, 0o600) == -1
    assert ctypes.CDLL(None).semget(_key(name, 2), 1, 0o600) >= 0


def test_the_setting_chooses_the_queue(tmp_path):
    assert isinstance(turn_slots(make_settings(tmp_path)), threading.Semaphore)
    host = turn_slots(make_settings(tmp_path, ASSISTANT_TURN_QUEUE="host", ASSISTANT_CONCURRENT_TURNS="3"))
    try:
        # Named by the data directory, which all the workers of one deployment share.
        assert isinstance(host, HostSemaphore) and (host.name, host.slots) == (str(tmp_path.resolve()), 3)
    finally:
        HostSemaphore.remove(host.name, 3)
