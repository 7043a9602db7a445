"""Concurrent single-text embeddings share one engine call.

Under load many request threads each want one question embedded, and the engine runs one call at a time.
Encoding the questions that queued up during the previous call as one batch costs a fraction of encoding
them one by one (the weights are read once per batch), and the vectors are the same as single calls. No
request waits for company: the first in line encodes at once, with whoever else is already queued.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(eq=False)  # identity: two people may ask the very same question at once
class _Ticket:
    text: str
    vector: np.ndarray | None = None
    error: BaseException | None = None
    done: bool = False


class CoalescingEncoder:
    """`encode(text)` from any thread; calls `encode_batch` with every text waiting at that moment."""

    def __init__(self, encode_batch: Callable[[Sequence[str]], np.ndarray], max_batch: int = 16) -> None:
        self._encode_batch = encode_batch
        self._max_batch = max_batch
        self._ready = threading.Condition()
        self._queue: list[_Ticket] = []
        self._encoding = False

    def encode(self, text: str) -> np.ndarray:
        ticket = _Ticket(text)
        with self._ready:
            self._queue.append(ticket)
            while self._encoding and not ticket.done:
                self._ready.wait()
            if not ticket.done:
                # Nobody is encoding: this thread leads the next batch, its own text first.
                self._queue.remove(ticket)
                batch = [ticket, *self._queue[: self._max_batch - 1]]
                del self._queue[: self._max_batch - 1]
                self._encoding = True
        if not ticket.done:
            self._run(batch)
        if ticket.error is not None:
            raise ticket.error
        assert ticket.vector is not None
        return ticket.vector

    def _run(self, batch: list[_Ticket]) -> None:
        try:
            vectors = self._encode_batch([t.text for t in batch])
            for t, vector in zip(batch, vectors, strict=True):
                t.vector = vector
        except BaseException as error:  # every waiter gets the failure, not a hang
            for t in batch:
                t.error = error
        with self._ready:
            for t in batch:
                t.done = True
            self._encoding = False
            self._ready.notify_all()
