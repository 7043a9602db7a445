"""A re-ingest swaps index generations under live traffic and never drops a request.

A replaced generation is kept for `ASSISTANT_GENERATION_GRACE_S`; a reader that still meets a dropped one
(a worker stalled past the grace, forced here by dropping the generation by hand) retries on the generation
that is serving. Both are exercised: the retry deterministically, then many chats across swaps, with the
embedded store and with a Chroma server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.api.deps import Container
from assistant.ingest import ingest
from assistant.retrieval import HybridRetriever
from assistant.vectorstore import ChromaVectorStore
from tests.conftest import KNOWLEDGE_DIR, TEST_ADMIN_TOKEN, make_settings, running_chroma_server

QUESTIONS = [
    "How much must an intern be paid at least?",
    "实习生每天工作不超过几个小时？",
    "What is a shared training base?",
    "Can interns work night shifts?",
]


def _knowledge(folder: Path) -> Path:
    folder.mkdir()
    for name in ("student-internship-rules.md", "glossary.md"):
        (folder / name).write_text((KNOWLEDGE_DIR / "policies" / name).read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def _change(folder: Path, round_: int) -> None:
    """A corpus that differs each round, so every ingest builds and swaps in a new generation."""
    (folder / "bulletin.md").write_text(
        f"---\nid: bulletin\ntitle: Bulletin\n---\n## 1 Notice\n\nBulletin number {round_} about shared bases.\n",
        encoding="utf-8",
    )


def test_a_reader_holding_a_dropped_generation_is_answered_from_the_new_one(tmp_path, embedder):
    settings = make_settings(tmp_path / "data")
    corpus = _knowledge(tmp_path / "kb")
    store = ChromaVectorStore(settings)
    ingest([corpus], settings, store, embedder)
    # Two workers' retrievers; the second has loaded the first generation and will not look again for a while.
    other_worker = HybridRetriever(store, embedder, settings)
    held = other_worker.stats()["generation"]
    _change(corpus, 1)
    report = ingest([corpus], settings, store, embedder)
    assert report.swapped and store.stale_generations() == [held]
    store.drop(str(held))  # the grace has passed while this worker stalled
    other_worker.refresh()  # inside its re-check interval: still holds the dropped generation
    assert other_worker.stats()["generation"] == held
    found = other_worker.search("bulletin number about shared bases")
    assert found.passages and other_worker.stats()["generation"] == report.generation


def test_a_snapshot_is_never_built_from_half_a_dropped_generation(tmp_path, embedder):
    settings = make_settings(tmp_path / "data")
    corpus = _knowledge(tmp_path / "kb")
    store = ChromaVectorStore(settings)
    first = ingest([corpus], settings, store, embedder).generation
    assert first is not None
    reader = HybridRetriever(store, embedder, settings)
    # The pointer names a generation that is dropped between the reader's two reads of it.
    real_chunks = store.chunks
    calls = []

    def chunks_after_a_swap(generation):  # type: ignore[no-untyped-def]
        if not calls:
            calls.append(generation)
            _change(corpus, 2)
            ingest([corpus], settings, store, embedder)
            store.drop(generation)
        return real_chunks(generation)

    store.chunks = chunks_after_a_swap  # type: ignore[method-assign]
    reader.refresh(force=True)
    assert calls == [first] and reader.stats()["generation"] == store.active_generation() != first
    assert reader.search("Bulletin number 2").passages[0].chunk.doc_id == "bulletin"


@pytest.fixture(params=["embedded", "chroma-server"])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, object]]:
    if request.param == "embedded":
        yield {}
    else:
        with running_chroma_server(tmp_path / "chroma") as port:
            yield {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": port}


def test_concurrent_chats_through_six_swaps_get_no_5xx(tmp_path, embedder, store_settings):
    settings = make_settings(tmp_path / "data", ASSISTANT_KNOWLEDGE_DIR=_knowledge(tmp_path / "kb"), **store_settings)
    container = Container.build(settings, embedder=embedder)
    assert ingest([settings.knowledge_dir], settings, container.store, embedder).ok
    # A second container on the same data dir: another worker, with its own retriever and Chroma handles.
    other = Container.build(settings, embedder=embedder)
    statuses: list[int] = []
    lock = threading.Lock()
    swapping = threading.Event()
    swapping.set()

    with (
        TestClient(create_app(container=container, rate_limit=1_000_000)) as admin_side,
        TestClient(create_app(container=other, rate_limit=1_000_000)) as reader_side,
    ):

        def chat(i: int) -> None:
            while swapping.is_set():
                client = (reader_side, admin_side)[i % 2]
                reply = client.post("/v1/chat", json={"message": QUESTIONS[i % len(QUESTIONS)]})
                with lock:
                    statuses.append(reply.status_code)

        with ThreadPoolExecutor(max_workers=8) as pool:
            chatters = [pool.submit(chat, i) for i in range(8)]
            generations = set()
            for round_ in range(6):
                _change(settings.knowledge_dir, round_)
                swap = admin_side.post("/v1/admin/ingest", headers={"Authorization": f"Bearer {TEST_ADMIN_TOKEN}"})
                assert swap.status_code == 200 and "is serving" in swap.json()["summary"], swap.text
                generations.add(container.store.active_generation())
            swapping.clear()
            for chatter in chatters:
                chatter.result()
    assert len(generations) == 6
    assert len(statuses) >= 24 and [s for s in statuses if s >= 500] == []
    assert set(statuses) == {200}
