import time
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pytest

from assistant.embedders import Embedder
from assistant.ingest import ingest
from assistant.retrieval import HybridRetriever
from assistant.vectorstore import ChromaVectorStore
from tests.conftest import make_settings


def _write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"---\nid: {path.stem}\ntitle: {path.stem.title()}\n---\n{body}", encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    _write(folder, "bases.md", "## 1 Bases\n\nShared training bases serve several colleges at once.\n")
    _write(folder, "patents.md", "## 1 Patents\n\nUnused university patents can be licensed to small firms.\n")
    return folder


class CountingEmbedder(Embedder):
    """The real embedder, counting what it is asked to embed and optionally failing part-way."""

    def __init__(self, inner: Embedder, fail_after: int | None = None) -> None:
        self.inner, self.fail_after, self.passages = inner, fail_after, 0
        self.id, self.batch_size = inner.id, 1

    def embed_batch(self, texts, *, is_query):  # type: ignore[no-untyped-def]
        if not is_query:
            if self.fail_after is not None and self.passages >= self.fail_after:
                raise RuntimeError("embedding server went away")
            self.passages += len(texts)
        return self.inner.embed_batch(texts, is_query=is_query)


def test_rerun_on_unchanged_corpus_embeds_nothing(tmp_path, corpus, embedder):
    settings = make_settings(tmp_path / "data")
    store, counting = ChromaVectorStore(settings), CountingEmbedder(embedder)
    first = ingest([corpus], settings, store, counting)
    assert first.swapped and first.chunks_embedded == 2 and sorted(first.added) == ["bases", "patents"]
    embedded_once = counting.passages  # each chunk plus each of its sentences
    assert embedded_once == 4
    second = ingest([corpus], settings, store, counting)
    assert not second.swapped and second.chunks_embedded == 0 and counting.passages == embedded_once
    assert second.generation == first.generation
    assert "nothing to embed" in second.summary()


def test_changed_document_re_embeds_only_its_chunks_and_removed_one_is_dropped(tmp_path, corpus, embedder):
    settings = make_settings(tmp_path / "data")
    store = ChromaVectorStore(settings)
    first = ingest([corpus], settings, store, embedder).generation
    _write(corpus, "bases.md", "## 1 Bases\n\nShared training bases now open on weekends too.\n")
    (corpus / "patents.md").unlink()
    counting = CountingEmbedder(embedder)
    report = ingest([corpus], settings, store, counting)
    assert report.changed == ["bases"] and report.removed == ["patents"]
    assert report.chunks_embedded == 1 and counting.passages == 2  # the chunk and its one sentence
    chunks = store.chunks(store.active_generation())
    assert [c.doc_id for c in chunks] == ["bases"] and "weekends" in chunks[0].text
    assert store.stale_generations() == [first]  # retired, kept for whoever still reads it


def test_a_replaced_generation_is_kept_through_its_grace_and_dropped_after(tmp_path, corpus, embedder):
    settings = make_settings(tmp_path / "data", ASSISTANT_GENERATION_GRACE_S=3600)
    store = ChromaVectorStore(settings)
    first = ingest([corpus], settings, store, embedder).generation
    _write(corpus, "bases.md", "## 1 Bases\n\nShared training bases now open on weekends too.\n")
    second = ingest([corpus], settings, store, embedder).generation
    # A worker that has not yet followed the pointer still reads the first generation in full.
    assert store.stale_generations() == [first] and {c.doc_id for c in store.chunks(first)} == {"bases", "patents"}
    _write(corpus, "labs.md", "## 1 Labs\n\nLabs are open to partner firms.\n")
    labs = ingest([corpus], settings, store, embedder).generation
    assert store.stale_generations() == sorted([first, second])  # both still inside their grace
    assert store.generations_past_grace(3600) == [] and store.generations_past_grace(0) == sorted([first, second])
    # Once their grace is over, the next ingest drops them.
    with patch("assistant.vectorstore.time.time", return_value=time.time() + 3601):
        _write(corpus, "labs.md", "## 1 Labs\n\nLabs are open to partner firms on Sundays.\n")
        third = ingest([corpus], settings, store, embedder)
    assert third.swapped and store.stale_generations() == [labs]  # just retired: its grace starts now


def test_a_bad_file_is_reported_and_the_rest_still_ingested(tmp_path, corpus, embedder):
    settings = make_settings(tmp_path / "data")
    store = ChromaVectorStore(settings)
    ingest([corpus], settings, store, embedder)
    (corpus / "patents.md").write_bytes(b"---\nid: [broken\n---\n")
    _write(corpus, "labs.md", "## 1 Labs\n\nLabs are open to partner firms.\n")
    report = ingest([corpus], settings, store, embedder)
    assert [path.endswith("patents.md") for path, _ in report.errors] == [True]
    assert "invalid YAML" in report.errors[0][1]
    # The broken file's previous version keeps serving: nothing is lost.
    assert {c.doc_id for c in store.chunks(store.active_generation())} == {"bases", "patents", "labs"}


def test_a_failed_ingest_leaves_the_previous_index_serving(tmp_path, corpus, embedder):
    settings = make_settings(tmp_path / "data")
    store = ChromaVectorStore(settings)
    ingest([corpus], settings, store, embedder)
    retriever = HybridRetriever(store, embedder, settings)
    before = retriever.search("licensing patents").best.chunk.doc_id
    _write(corpus, "labs.md", "## 1 Labs\n\nLabs are open to partner firms.\n")
    _write(corpus, "bases.md", "## 1 Bases\n\nBases changed.\n\n## 2 More\n\nMore text about bases.\n")
    with pytest.raises(RuntimeError, match="went away"):
        ingest([corpus], settings, store, CountingEmbedder(embedder, fail_after=1))
    retriever.refresh(force=True)
    assert retriever.search("licensing patents").best.chunk.doc_id == before == "patents"
    assert {c.doc_id for c in store.chunks(store.active_generation())} == {"bases", "patents"}
    # The next successful run finishes the job and embeds only what is still missing.
    report = ingest([corpus], settings, store, embedder)
    assert sorted(report.added) == ["labs"] and report.changed == ["bases"]


def test_ingesting_one_file_keeps_documents_from_elsewhere(tmp_path, corpus, embedder):
    settings = make_settings(tmp_path / "data")
    store = ChromaVectorStore(settings)
    ingest([corpus], settings, store, embedder)
    extra = _write(tmp_path, "extra.md", "## 1 Extra\n\nAn extra note on order-based classes.\n")
    report = ingest([extra], settings, store, embedder)
    assert report.added == ["extra"] and report.removed == []
    assert {c.doc_id for c in store.chunks(store.active_generation())} == {"bases", "patents", "extra"}


def test_missing_path_and_duplicate_ids_are_errors(tmp_path, corpus, embedder):
    settings = make_settings(tmp_path / "data")
    store = ChromaVectorStore(settings)
    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / "bases.md").write_text((corpus / "bases.md").read_text(encoding="utf-8"), encoding="utf-8")
    report = ingest([corpus, twin, tmp_path / "nope"], settings, store, embedder)
    messages = " | ".join(m for _, m in report.errors)
    assert "no such file or folder" in messages and "already used by" in messages
    assert np.isclose(len(store.chunks(store.active_generation())), 2)
