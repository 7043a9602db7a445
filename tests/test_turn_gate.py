"""At most `ASSISTANT_CONCURRENT_TURNS` offline turns are computed at once (per worker, or per host with
`ASSISTANT_TURN_QUEUE=host`); the rest wait."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.answer import ScopePolicy
from assistant.api.deps import turn_slots
from assistant.host_semaphore import HostSemaphore
from assistant.service import Assistant, ChatRequest
from tests.conftest import make_settings


class SlowRetriever:
    """Stands in for retrieval: records how many turns are inside it at once."""

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self._lock = threading.Lock()

    def question_vector(self, text: str) -> None:
        return None  # the turn hands it back to `search`, which ignores it here

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


@pytest.mark.parametrize("queue", ["worker", "host"])
@pytest.mark.parametrize("limit", [1, 3])
def test_no_more_turns_than_the_limit_run_at_once(limit, queue, tmp_path):
    retriever = SlowRetriever()
    settings = make_settings(tmp_path, ASSISTANT_CONCURRENT_TURNS=str(limit), ASSISTANT_TURN_QUEUE=queue)
    try:
        _ask_many(Assistant(retriever, ScopePolicy(floor=0.0), turn_slots=turn_slots(settings)), 12)  # type: ignore[arg-type]
    finally:
        HostSemaphore.remove(str(tmp_path.resolve()), limit)
    assert retriever.most == limit


def test_without_a_limit_turns_overlap_freely():
    retriever = SlowRetriever()
    _ask_many(Assistant(retriever, ScopePolicy(floor=0.0)), 12)  # type: ignore[arg-type]
    assert retriever.most > 3
