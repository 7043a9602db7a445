"""The same code against Chroma in server mode (`chroma run`), chosen by CHROMA_HOST/CHROMA_PORT."""

import pytest

from assistant.fakes.serving import free_port
from assistant.ingest import ingest
from assistant.retrieval import HybridRetriever
from assistant.vectorstore import ChromaVectorStore, VectorStoreError
from tests.conftest import make_settings


def test_ingest_and_search_through_a_chroma_server(tmp_path, chroma_server, embedder):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bases.md").write_text("---\nid: bases\n---\n## 1 Bases\n\nShared training bases serve several colleges.\n")
    (docs / "patents.md").write_text(
        "---\nid: patents\n---\n## 1 Patents\n\nUnused patents can be licensed to firms.\n"
    )
    settings = make_settings(tmp_path / "data", CHROMA_HOST="127.0.0.1", CHROMA_PORT=chroma_server)
    store = ChromaVectorStore(settings)
    assert store.description == f"chroma-server 127.0.0.1:{chroma_server}"
    report = ingest([docs], settings, store, embedder)
    assert report.swapped and report.chunks_embedded == 2
    retriever = HybridRetriever(store, embedder, settings)
    assert retriever.search("licensing patents to companies").best.chunk.doc_id == "patents"
    assert not ingest([docs], settings, store, embedder).swapped  # idempotent across processes too
    assert not (tmp_path / "data" / "chroma").exists()  # nothing written to the embedded store


def test_an_unreachable_server_names_the_fix(tmp_path):
    settings = make_settings(tmp_path, CHROMA_HOST="127.0.0.1", CHROMA_PORT=free_port())
    with pytest.raises(VectorStoreError, match="chroma run --port"):
        ChromaVectorStore(settings)
