"""Hybrid retrieval: dense (Chroma) plus BM25 (bm25s, jieba for Chinese), fused by reciprocal rank.

The retriever serves whichever index generation is active and reloads when an ingest swaps in a new one.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import bm25s
import numpy as np

from assistant.chunking import Chunk
from assistant.embedders import Embedder
from assistant.lexicon import Lexicon
from assistant.retrieval.priors import names, prior, weigh_everyday_words_as_their_synonyms
from assistant.retrieval.snapshot import Snapshot, chunk_units
from assistant.retrieval.versions import aligned_original, coverage_of, one_version_per_section, with_twins
from assistant.settings import Settings
from assistant.text import detect_language, search_tokens
from assistant.vectorstore import ChromaVectorStore, GenerationGoneError

RRF_K = 60
# Reads of a generation dropped under a reader, retried on the active one: each retry follows a newer
# swap, so more than a couple means ingests back to back faster than a search.
GONE_RETRIES = 3
# Weights of the rankings in the fusion, measured on the eval questions (README, "Retrieval").
DENSE_WEIGHT = 1.0
SENTENCE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
FILTER_KEYS = ("doc_id", "doc_type", "language")
# Rerank of the best fused candidates: rank fusion knows the order of each ranking, not how much of
# the question a passage actually covers. Each passage gains the (idf-weighted) share of the
# question's terms found in its text and in its section heading, which tells parallel sections
# (the same topic at a different level) apart.
RERANK_DEPTH = 10
RERANK_TEXT = 0.4
RERANK_HEADING = 0.4


class IndexNotReadyError(RuntimeError):
    """No index has been built yet."""


@dataclass(frozen=True)
class Passage:
    chunk: Chunk
    score: float
    dense: float
    lexical: float
    coverage: float
    #: Similarity of the question to each sentence of the chunk, in `text_units` order.
    unit_scores: tuple[float, ...] = ()


@dataclass
class Retrieval:
    query: str
    language: str
    bridge_terms: list[str]
    passages: list[Passage]
    query_tokens: list[str] = field(default_factory=list)
    #: Capitalised words of the question (names) that occur nowhere in the corpus.
    unknown_names: list[str] = field(default_factory=list)
    #: Inverse document frequency of each query token over the corpus: how telling a match on it is.
    idf: dict[str, float] = field(default_factory=dict)

    @property
    def best(self) -> Passage | None:
        return self.passages[0] if self.passages else None


class HybridRetriever:
    """Dense + lexical search over the active generation, with metadata filters and a Chinese bridge."""

    def __init__(self, store: ChromaVectorStore, embedder: Embedder, settings: Settings) -> None:
        self._store = store
        self._embedder = embedder
        self._settings = settings
        self._snapshot: Snapshot | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    # -- index lifecycle ---------------------------------------------------------------------------

    def refresh(self, force: bool = False, max_age_s: float = 2.0) -> None:
        """Follow the active generation; cheap when nothing changed (one pointer read every few seconds)."""
        now = time.monotonic()
        if not force and self._snapshot is not None and now - self._checked_at < max_age_s:
            return
        with self._lock:
            self._checked_at = now
            for attempt in range(GONE_RETRIES):
                generation = self._store.active_generation()
                if generation is None:
                    self._snapshot = None
                    return
                if self._snapshot is not None and self._snapshot.generation == generation:
                    return
                try:
                    self._snapshot = self._build(generation)
                    return
                except GenerationGoneError:
                    # Replaced and dropped while we read it (several ingests in a row): read the pointer again.
                    if attempt == GONE_RETRIES - 1:
                        raise

    def _build(self, generation: str) -> Snapshot:
        # Sentence vectors before chunks, the reverse of the order `drop` deletes them in (see there).
        unit_vectors = self._store.unit_vectors(generation)
        chunks = self._store.chunks(generation)
        corpus_tokens = [search_tokens(f"{c.title} {c.section_path} {c.text}") for c in chunks]
        bm25 = bm25s.BM25()
        bm25.index(corpus_tokens, show_progress=False)
        lexicon = Lexicon.build(
            (c for c in chunks if c.doc_type == "glossary"),
            self._settings.lexicon_dir,
        )
        versions: dict[tuple[str, str], list[int]] = {}
        twins_of: dict[str, set[str]] = {}
        sections: dict[str, list[int]] = {}
        for index, chunk in enumerate(chunks):
            versions.setdefault((chunk.citation_key, chunk.language), []).append(index)
            sections.setdefault(chunk.citation_key, []).append(index)
            if chunk.twin:
                twins_of.setdefault(chunk.twin, set()).add(chunk.doc_id)
        dim = next(iter(unit_vectors.values())).shape[1] if unit_vectors else 1
        blocks = [unit_vectors.get(c.chunk_id, np.empty((0, dim), np.float32)) for c in chunks]
        return Snapshot(
            unit_matrix=np.vstack(blocks) if blocks else np.empty((0, dim), np.float32),
            unit_owner=np.repeat(np.arange(len(chunks)), [len(b) for b in blocks]),
            unit_bounds=np.concatenate(([0], np.cumsum([len(b) for b in blocks]))).astype(np.int64),
            generation=generation,
            chunks=chunks,
            by_id={c.chunk_id: i for i, c in enumerate(chunks)},
            bm25=bm25,
            vocab=dict(bm25.vocab_dict),
            token_sets=[frozenset(t) for t in corpus_tokens],
            doc_freq=Counter(t for tokens in corpus_tokens for t in set(tokens)),
            lexicon=lexicon,
            text_tokens=[frozenset(search_tokens(c.text)) for c in chunks],
            heading_tokens=[frozenset(search_tokens(c.section_title)) for c in chunks],
            versions=versions,
            sections=sections,
            twins_of=twins_of,
        )

    @property
    def ready(self) -> bool:
        self.refresh()
        return self._snapshot is not None

    def stats(self) -> dict[str, object]:
        self.refresh()
        snap = self._snapshot
        if snap is None:
            return {"generation": None, "documents": 0, "chunks": 0}
        return {
            "generation": snap.generation,
            "documents": len({c.doc_id for c in snap.chunks}),
            "chunks": len(snap.chunks),
        }

    def documents(self) -> dict[str, str]:
        """doc_id -> title of every indexed document."""
        self.refresh()
        return {c.doc_id: c.title for c in (self._snapshot.chunks if self._snapshot else [])}

    # -- search ------------------------------------------------------------------------------------

    def section_chunks(self, doc_id: str, section: str) -> list[Chunk]:
        """The indexed chunks of one section, in document order (what a clause's grounding must quote)."""
        self.refresh()
        snap = self._snapshot
        if snap is None:
            return []
        return sorted((c for c in snap.chunks if c.doc_id == doc_id and c.section == section), key=lambda c: c.position)

    def chunk(self, chunk_id: str) -> Chunk | None:
        """One indexed chunk by id, from the generation being served."""
        snap = self._snapshot
        index = snap.by_id.get(chunk_id) if snap is not None else None
        return snap.chunks[index] if snap is not None and index is not None else None

    def original_of(self, chunk_id: str, quote: str) -> tuple[str, str] | None:
        """(original chunk id, original text) for a quote of the translated chunk `chunk_id`, or None
        (see `versions.aligned_original`); the offline and the LLM answers both ask it."""
        snap = self._snapshot
        chunk = self.chunk(chunk_id)
        if snap is None or chunk is None or not chunk.translation:
            return None
        found = aligned_original(snap, chunk, quote)
        return (found[0].chunk_id, found[1]) if found else None

    def question_vector(self, text: str) -> np.ndarray:
        """The vector a search for exactly `text` starts from; hand it back to `search` to embed it once."""
        return self._embedder.embed_query(text)

    def search(
        self,
        query: str,
        k: int | None = None,
        filters: dict[str, list[str]] | None = None,
        question_vector: np.ndarray | None = None,
        quote_language: str | None = None,
    ) -> Retrieval:
        """Top passages for `query`, best first; `question_vector` is `question_vector(query)` when known.

        A section held in several languages is returned in `quote_language` (the reply's), by default the
        question's own.
        """
        self.refresh()
        attempts = 0
        while True:
            snap = self._snapshot
            if snap is None:
                raise IndexNotReadyError("the index is empty: run `assistant ingest` first")
            try:
                return self._search(snap, query, k or self._settings.top_k, filters, question_vector, quote_language)
            except GenerationGoneError:
                # Another worker's ingest dropped the generation this worker still held: follow the pointer.
                attempts += 1
                if attempts == GONE_RETRIES:
                    raise
                self.refresh(force=True)

    def _search(
        self,
        snap: Snapshot,
        query: str,
        k: int,
        filters: dict[str, list[str]] | None,
        question_vector: np.ndarray | None,
        quote_language: str | None = None,
    ) -> Retrieval:
        language = detect_language(query)
        bridge, senses = snap.lexicon.bridge(query) if language == "zh" else ([], [])
        synonyms = snap.lexicon.expand_english(query)
        expanded = f"{query} {' '.join(bridge)}".strip()
        senses = [*senses, *synonyms]
        tokens = [t for t in search_tokens(f"{expanded} {' '.join(senses)}") if t in snap.vocab]
        filters = with_twins(snap, filters)
        allowed = self._allowed(snap, filters)

        mode = self._settings.retrieval_mode
        lexical = self._lexical(snap, tokens, allowed) if mode in ("hybrid", "bm25", "dense+bm25") else []
        if question_vector is None or expanded != query:
            question_vector = self._embedder.embed_query(expanded)
        vectors = [question_vector]
        if language == "zh" and (bridge or senses):
            # The English corpus is closer to an English rendering of the question than to the Chinese.
            vectors.append(self._embedder.embed_query(" ".join([*bridge, *senses])))
        use_dense = mode in ("hybrid", "dense", "dense+bm25")
        dense_rankings = [self._dense(snap, vector, filters) for vector in vectors] if use_dense else []
        unit_sims = self._unit_similarities(snap, vectors)
        sentence = self._best_sentence_ranking(snap, unit_sims, allowed) if mode in ("hybrid", "sentence") else []
        rankings = [*dense_rankings, sentence, lexical]
        weights = [*([DENSE_WEIGHT] * len(dense_rankings)), SENTENCE_WEIGHT, LEXICAL_WEIGHT]
        fused: dict[int, float] = {}
        for weight, ranking in zip(weights, rankings, strict=True):
            for rank, (index, _) in enumerate(ranking):
                fused[index] = fused.get(index, 0.0) + weight / (RRF_K + rank + 1)
        for index in fused:
            fused[index] *= prior(query, snap.chunks[index])
        dense_by_index: dict[int, float] = {}
        for ranking in dense_rankings:
            for index, similarity in ranking:
                dense_by_index[index] = max(dense_by_index.get(index, 0.0), similarity)
        lexical_by_index = dict(lexical)
        fused, members = one_version_per_section(snap, fused, quote_language or language, unit_sims, allowed)
        for evidence in (dense_by_index, lexical_by_index):
            for index, group in members.items():
                found = [evidence[i] for i in group if i in evidence]
                if found:
                    evidence[index] = max(found)
        token_set = set(tokens)
        n = len(snap.chunks)
        idf = {t: math.log(1 + (n - snap.doc_freq[t] + 0.5) / (snap.doc_freq[t] + 0.5)) for t in token_set}
        weigh_everyday_words_as_their_synonyms(idf, snap.lexicon.english_synonyms(query))
        fused = self._rerank(snap, fused, idf, max(k, RERANK_DEPTH))
        ordered = sorted(fused, key=fused.__getitem__, reverse=True)[:k]
        passages = [
            Passage(
                chunk=snap.chunks[i],
                score=fused[i],
                dense=dense_by_index.get(i, 0.0),
                lexical=lexical_by_index.get(i, 0.0),
                coverage=coverage_of(snap, token_set, members[i]),
                unit_scores=tuple(float(s) for s in chunk_units(snap, unit_sims, i)),
            )
            for i in ordered
        ]
        return Retrieval(
            query=query,
            language=language,
            bridge_terms=bridge,
            passages=passages,
            query_tokens=tokens,
            unknown_names=[name for name in names(query) if not set(search_tokens(name)) <= snap.vocab.keys()],
            idf=idf,
        )

    @staticmethod
    def _rerank(snap: Snapshot, fused: dict[int, float], idf: dict[str, float], depth: int) -> dict[int, float]:
        """Scores of the `depth` best fused candidates, on the fused score's scale, with lexical evidence added."""
        ordered = sorted(fused, key=fused.__getitem__, reverse=True)[:depth]
        # Numbers (years, document numbers) name things rather than topics; the year check of the
        # scope policy handles them.
        idf = {token: weight for token, weight in idf.items() if not any(ch.isdigit() for ch in token)}
        total = sum(idf.values())
        if not ordered or not total:
            return {i: fused[i] for i in ordered}
        top = fused[ordered[0]] or 1.0

        def share(tokens: frozenset[str]) -> float:
            return sum(weight for token, weight in idf.items() if token in tokens) / total

        return {
            i: fused[i]
            + top * (RERANK_TEXT * share(snap.text_tokens[i]) + RERANK_HEADING * share(snap.heading_tokens[i]))
            for i in ordered
        }

    def _allowed(self, snap: Snapshot, filters: dict[str, list[str]] | None) -> np.ndarray | None:
        active = {key: set(values) for key, values in (filters or {}).items() if values}
        unknown = set(active) - set(FILTER_KEYS)
        if unknown:
            raise ValueError(f"unknown filter {sorted(unknown)}; filter by {', '.join(FILTER_KEYS)}")
        if not active:
            return None
        return np.array([all(str(getattr(c, key)) in values for key, values in active.items()) for c in snap.chunks])

    def _lexical(self, snap: Snapshot, tokens: list[str], allowed: np.ndarray | None) -> list[tuple[int, float]]:
        if not tokens:
            return []
        scores = snap.bm25.get_scores(tokens)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        top = np.argsort(-scores)[: self._settings.candidate_k]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def _unit_similarities(self, snap: Snapshot, vectors: list[np.ndarray]) -> np.ndarray:
        if not len(snap.unit_matrix):
            return np.zeros(0, np.float32)
        return np.max(np.stack([snap.unit_matrix @ v for v in vectors]), axis=0)

    def _best_sentence_ranking(
        self, snap: Snapshot, unit_sims: np.ndarray, allowed: np.ndarray | None
    ) -> list[tuple[int, float]]:
        """Chunks ranked by their single best-matching sentence: sharper than one vector per chunk."""
        if not len(unit_sims):
            return []
        best = np.full(len(snap.chunks), -1.0, np.float32)
        np.maximum.at(best, snap.unit_owner, unit_sims)
        if allowed is not None:
            best = np.where(allowed, best, -1.0)
        top = np.argsort(-best)[: self._settings.candidate_k]
        return [(int(i), float(best[i])) for i in top if best[i] > -1.0]

    def _dense(
        self, snap: Snapshot, vector: np.ndarray, filters: dict[str, list[str]] | None
    ) -> list[tuple[int, float]]:
        hits = self._store.query(snap.generation, vector, self._settings.candidate_k, filters)
        return [(snap.by_id[h.chunk_id], h.similarity) for h in hits if h.chunk_id in snap.by_id]
