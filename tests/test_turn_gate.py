"""At most `ASSISTANT_CONCURRENT_TURNS` offline turns are computed at once per worker; the rest wait."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.answer import ScopePolicy
from assistant.service import Assistant, ChatRequest


class SlowRetriever:
    """Stands in for retrieval: records how many turns are inside it at once."""

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self._lock = threading.Lock()

    def search(self, *args: object, **kwargs: object) -> object:
        with self._lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
        time.sleep(0.05)
        with self._lock:
            self.inside -= 1
        raise LookupError("no index")  # ends the turn: only the overlap matters here


def _ask_many(assistant: Assistant, count: int) -> None:
    def ask(i: int) -> None:
        with pytest.raises(LookupError):
            assistant.chat(ChatRequest(f"What does the paper say about apprenticeships, question {i}?"))

    with ThreadPoolExecutor(max_workers=count) as pool:
        list(pool.map(ask, range(count)))


@pytest.mark.parametrize("limit", [1, 3])
def test_no_more_turns_than_the_limit_run_at_once(limit):
    retriever = SlowRetriever()
    _ask_many(Assistant(retriever, ScopePolicy(floor=0.0), concurrent_turns=limit), 12)  # type: ignore[arg-type]
    assert retriever.most == limit


def test_without_a_limit_turns_overlap_freely():
    retriever = SlowRetriever()
    _ask_many(Assistant(retriever, ScopePolicy(floor=0.0)), 12)  # type: ignore[arg-type]
    assert retriever.most > 3
