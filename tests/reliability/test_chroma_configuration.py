"""The app never builds an embedding function from a Chroma collection's stored configuration.

chromadb 1.5.9 has no fix yet for CVE-2026-45829 and CVE-2026-45833: whoever can write a collection's
configuration can name an embedding function with `trust_remote_code`, and a Python client that builds
that function (reading `collection.configuration`, or adding or querying by text) runs the attacker's
code. The audit accepts them because the app only ever hands Chroma vectors (deploy/
accepted-vulnerabilities.yaml); this test holds the app to that, with a trap function planted in every
collection it uses.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from chromadb.api.types import EmbeddingFunction
from chromadb.utils.embedding_functions import register_embedding_function

from assistant.chunking import Chunk
from assistant.vectorstore import ChromaVectorStore, VectorStoreError
from tests.conftest import make_settings

BUILT: list[dict[str, Any]] = []


@register_embedding_function
class PlantedFunction(EmbeddingFunction):  # type: ignore[type-arg]
    """Stands in for a malicious configuration: records every time chromadb builds or runs it."""

    def __init__(self, trust_remote_code: bool = True) -> None:
        self.trust_remote_code = trust_remote_code

    def __call__(self, input: Any) -> Any:
        BUILT.append({"called": True})
        return [np.zeros(4, np.float32) for _ in input]

    @staticmethod
    def name() -> str:
        return "planted-by-test"

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> PlantedFunction:
        BUILT.append(config)
        return PlantedFunction(**config)

    def get_config(self) -> dict[str, Any]:
        return {"trust_remote_code": self.trust_remote_code}


def _chunk(i: int) -> Chunk:
    return Chunk(
        chunk_id=f"c{i}",
        doc_id="doc",
        section=str(i),
        section_title=f"Section {i}",
        section_path=f"Section {i}",
        title="Document",
        text=f"Sentence {i}. Another sentence {i}.",
        position=i,
        doc_type="policy",
        language="en",
        content_hash=f"h{i}",
        source="doc.md",
    )


@pytest.fixture
def planted_store(tmp_path, monkeypatch) -> tuple[ChromaVectorStore, str, Any]:
    """A store with a serving generation and a records collection, every collection created with a
    configuration that names the planted function (as whoever can write to Chroma could arrange)."""
    settings = make_settings(tmp_path / "data")
    writer = ChromaVectorStore(settings)
    client = writer._client  # Chroma allows one client per path and settings in a process
    for method in ("create_collection", "get_or_create_collection"):
        real = getattr(client, method)
        monkeypatch.setattr(
            client, method, lambda *a, _real=real, **kw: _real(*a, **{**kw, "embedding_function": PlantedFunction()})
        )
    rng = np.random.default_rng(0)
    chunks = [_chunk(i) for i in range(6)]
    generation = writer.create_generation(
        chunks, rng.standard_normal((6, 4)).astype(np.float32), [rng.standard_normal((2, 4)) for _ in chunks]
    )
    writer.activate(generation)
    records = client.get_or_create_collection(f"{settings.collection_prefix}_records")
    records.upsert(ids=["r1", "r2"], embeddings=rng.standard_normal((2, 4)).astype(np.float32))
    monkeypatch.undo()
    BUILT.clear()
    return ChromaVectorStore(settings), generation, client


def test_reading_searching_and_switching_generations_never_build_the_configured_function(planted_store):
    store, generation, _ = planted_store
    assert store.active_generation() == generation
    chunks = store.chunks(generation)
    assert len(chunks) == 6
    assert len(store.vectors(generation, [c.chunk_id for c in chunks])) == 6
    texts, vectors = store.passage_vectors(generation)
    assert len(texts) == len(vectors) > 6
    assert store.query(generation, np.ones(4, np.float32), k=3)
    assert store.get_vectors("records").keys() == {"r1", "r2"}
    assert store.stale_generations() == []
    assert store.activate(generation) == generation  # rewrites the pointer collection's metadata
    assert BUILT == []


def test_writing_to_a_collection_that_names_an_embedding_function_is_refused(planted_store):
    # chromadb builds the configured function on every upsert, so the store must not write at all.
    store, _, _ = planted_store
    with pytest.raises(VectorStoreError, match="names an embedding function in its configuration"):
        store.put_vectors("records", ["r3"], np.ones((1, 4), np.float32))
    assert BUILT == [] and store.get_vectors("records").keys() == {"r1", "r2"}


def test_the_trap_is_live(planted_store):
    # A client that reads the configuration builds the function: what the app must never do.
    _, generation, client = planted_store
    collection = client.get_collection(generation)
    _ = collection.configuration
    assert BUILT == [{"trust_remote_code": True}]
