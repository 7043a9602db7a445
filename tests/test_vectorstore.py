"""Bulk reads of ChromaVectorStore come in pages: every row once, ids still paired with their vectors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from chromadb.api.models.Collection import Collection

from assistant import vectorstore
from assistant.chunking import Chunk
from assistant.vectorstore import ChromaVectorStore
from tests.conftest import make_settings, running_chroma_server

PAGE = 7


def _chunks(n: int) -> list[Chunk]:
    return [
        Chunk(
            chunk_id=f"c{i:05d}",
            doc_id=f"doc-{i % 3}",
            section=str(i),
            section_title=f"Section {i}",
            section_path=f"Section {i}",
            title=f"Document {i % 3}",
            text=f"Chunk number {i}.",
            position=i,
            doc_type="policy",
            language="en",
            content_hash=f"h{i}",
            source=f"doc-{i % 3}.md",
        )
        for i in range(n)
    ]


def _generation(
    store: ChromaVectorStore, n: int, dim: int = 4
) -> tuple[str, list[Chunk], np.ndarray, list[np.ndarray]]:
    """A generation of n chunks with 1-3 sentence vectors each, all vectors distinct and random."""
    rng = np.random.default_rng(n)
    chunks = _chunks(n)
    vectors = rng.standard_normal((n, dim)).astype(np.float32)
    units = [rng.standard_normal((1 + i % 3, dim)).astype(np.float32) for i in range(n)]
    return store.create_generation(chunks, vectors, units), chunks, vectors, units


@pytest.fixture
def gets(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, int]]:
    """Every `Collection.get` the store makes, with the rows asked for and returned, at a page size of 7."""
    monkeypatch.setattr(vectorstore, "PAGE_SIZE", PAGE)
    calls: list[dict[str, int]] = []
    real_get = Collection.get

    def get(self: Collection, ids: Any = None, **kwargs: Any) -> Any:
        result = real_get(self, ids=ids, **kwargs)
        calls.append({"ids": len(ids or []), "limit": kwargs.get("limit") or 0, "rows": len(result["ids"])})
        return result

    monkeypatch.setattr(Collection, "get", get)
    return calls


@pytest.fixture(scope="module")
def shared_chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with running_chroma_server(tmp_path_factory.mktemp("chroma-server")) as port:
        yield port


@pytest.fixture(params=["embedded", "server"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ChromaVectorStore:
    """An empty store: embedded, or collections of the test's own on a Chroma server shared by the module."""
    if request.param == "embedded":
        return ChromaVectorStore(make_settings(tmp_path / "data"))
    port = request.getfixturevalue("shared_chroma_server")
    return ChromaVectorStore(
        make_settings(
            tmp_path / "data",
            CHROMA_HOST="127.0.0.1",
            CHROMA_PORT=port,
            ASSISTANT_COLLECTION_PREFIX=f"t{uuid.uuid4().hex[:8]}",
        )
    )


def _assert_paged(gets: list[dict[str, int]], total_rows: int) -> None:
    """No read asked for more than a page, and the pages returned every row exactly once in all."""
    assert len(gets) > 2
    assert all(0 < call["limit"] <= PAGE or 0 < call["ids"] <= PAGE for call in gets)
    assert sum(call["rows"] for call in gets) == total_rows


def test_chunks_come_back_each_once_across_pages(store, gets):
    generation, chunks, _, _ = _generation(store, 40)
    gets.clear()
    read = store.chunks(generation)
    _assert_paged(gets, 40)
    assert [c.chunk_id for c in read] == [c.chunk_id for c in sorted(chunks, key=lambda c: (c.doc_id, c.position))]
    assert sorted(read, key=lambda c: c.position) == chunks  # text and metadata intact


def test_sentence_vectors_come_back_each_once_in_unit_order(store, gets):
    generation, chunks, _, units = _generation(store, 40)
    gets.clear()
    read = store.unit_vectors(generation)
    _assert_paged(gets, sum(len(u) for u in units))
    assert read.keys() == {c.chunk_id for c in chunks}
    for chunk, expected in zip(chunks, units, strict=True):
        np.testing.assert_allclose(read[chunk.chunk_id], expected, atol=1e-6)


def test_stored_vectors_by_id_list_longer_than_a_page(store, gets):
    generation, chunks, vectors, units = _generation(store, 30)
    wanted = [c.chunk_id for c in reversed(chunks)] + ["unknown"]
    gets.clear()
    read = store.vectors(generation, wanted)
    id_reads = [call for call in gets if call["ids"]]
    assert len(id_reads) == 5 and all(call["ids"] <= PAGE for call in id_reads)  # 31 ids in slices of 7
    assert sum(call["rows"] for call in id_reads) == 30
    assert read.keys() == {c.chunk_id for c in chunks}
    for i, chunk in enumerate(chunks):
        np.testing.assert_allclose(read[chunk.chunk_id][0], vectors[i], atol=1e-6)
        np.testing.assert_allclose(read[chunk.chunk_id][1], units[i], atol=1e-6)


def test_plain_vector_collection_comes_back_each_once(store, gets):
    rng = np.random.default_rng(0)
    ids = [f"r{i}" for i in range(50)]
    vectors = rng.standard_normal((50, 4)).astype(np.float32)
    store.put_vectors("records", ids, vectors)
    gets.clear()
    read = store.get_vectors("records")
    _assert_paged(gets, 50)
    assert read.keys() == set(ids)
    for i, key in enumerate(ids):
        np.testing.assert_allclose(read[key], vectors[i], atol=1e-6)


def test_a_collection_of_exactly_whole_pages_and_an_empty_one(store, gets):
    generation, chunks, _, _ = _generation(store, 2 * PAGE)
    assert [c.chunk_id for c in sorted(store.chunks(generation), key=lambda c: c.position)] == [
        c.chunk_id for c in chunks
    ]
    assert store.get_vectors("never-written") == {}
    empty = store.create_generation([], np.empty((0, 4), np.float32), [])
    assert store.chunks(empty) == [] and store.unit_vectors(empty) == {}


@pytest.mark.slow
def test_more_rows_than_sqlite_binds_variables_for_at_the_default_page_size(tmp_path):
    """33,000 chunks, 66,000 sentence vectors: one unbounded read of either fails in SQLite (about 2 minutes)."""
    store = ChromaVectorStore(make_settings(tmp_path / "data"))
    generation, chunks, vectors, units = _generation(store, 33_000, dim=2)
    assert len(store.chunks(generation)) == 33_000
    read_units = store.unit_vectors(generation)
    assert sum(len(u) for u in read_units.values()) == sum(len(u) for u in units)
    np.testing.assert_allclose(read_units[chunks[-1].chunk_id], units[-1], atol=1e-6)
    read = store.vectors(generation, [c.chunk_id for c in chunks])  # more ids than one statement may bind
    assert len(read) == 33_000
    np.testing.assert_allclose(read[chunks[-1].chunk_id][0], vectors[-1], atol=1e-6)
