"""Concurrent question embeddings share engine calls and still get exactly their own vectors."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from assistant.embedders.batching import CoalescingEncoder

QUESTIONS = [f"question {i} about apprenticeships and order-based classes, 第{i}个问题" for i in range(48)]


def test_concurrent_questions_get_their_own_vectors_in_fewer_engine_calls(embedder):
    single = {q: embedder.embed_batch([q], is_query=True)[0] for q in QUESTIONS}
    calls: list[int] = []
    lock = threading.Lock()

    def encode_batch(texts):
        with lock:
            calls.append(len(texts))
        return embedder.embed_batch(texts, is_query=True)

    encoder = CoalescingEncoder(encode_batch, max_batch=8)
    with ThreadPoolExecutor(max_workers=16) as pool:
        vectors = list(pool.map(encoder.encode, QUESTIONS))
    for question, vector in zip(QUESTIONS, vectors, strict=True):
        assert np.array_equal(vector, single[question]), question
    assert sum(calls) == len(QUESTIONS) and max(calls) <= 8
    assert len(calls) < len(QUESTIONS)  # questions that queued behind a call rode in the next one


def test_the_bundled_embedder_answers_queries_through_the_coalescing_path(embedder):
    with ThreadPoolExecutor(max_workers=8) as pool:
        vectors = list(pool.map(embedder.embed_query, QUESTIONS[:16]))
    for question, vector in zip(QUESTIONS[:16], vectors, strict=True):
        assert np.array_equal(vector, embedder.embed_batch([question], is_query=True)[0])


def test_a_failing_call_fails_every_question_in_it_and_the_encoder_recovers():
    gate = threading.Event()
    failing = {"on": True}

    def encode_batch(texts):
        gate.wait(5)
        if failing["on"]:
            raise RuntimeError("engine fault")
        return np.ones((len(texts), 3), dtype=np.float32)

    encoder = CoalescingEncoder(encode_batch)
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(encoder.encode, f"q{i}") for i in range(6)]
        gate.set()
        for future in futures:
            with pytest.raises(RuntimeError, match="engine fault"):
                future.result(timeout=10)
    failing["on"] = False
    assert encoder.encode("again").tolist() == [1.0, 1.0, 1.0]


def test_many_people_asking_the_same_question_at_once_all_get_answers():
    # Tickets once compared by value: removing one's own ticket could remove a twin's, whose owner then
    # waited forever while the encoder stayed marked busy for everybody else.
    release = threading.Event()
    calls: list[list[str]] = []

    def encode_batch(texts):
        release.wait(5)
        calls.append(list(texts))
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32)

    encoder = CoalescingEncoder(encode_batch, max_batch=4)
    same = ["what is an order-based class?"] * 12 + ["什么是订单班？"] * 12
    results: dict[int, np.ndarray] = {}

    def ask(i: int) -> None:
        results[i] = encoder.encode(same[i])

    # Daemon threads, so that a regression fails this test instead of hanging the suite.
    threads = [threading.Thread(target=ask, args=(i,), daemon=True) for i in range(len(same))]
    for thread in threads:
        thread.start()
    release.set()
    deadline = time.monotonic() + 20
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    assert sorted(results) == list(range(len(same))), "some askers never got their vector"
    assert [results[i][0] for i in range(len(same))] == [float(len(t)) for t in same]
    assert sorted(t for call in calls for t in call) == sorted(same)  # each asked exactly once, none lost
