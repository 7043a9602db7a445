"""The offline answerer: picks the retrieved sentences that answer the question and cites each one.

No model writes anything: every sentence of an answer (bar one framing line and notes) is quoted from a
retrieved chunk, so each citation's quote is, by construction, text that was actually retrieved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.chunking import Chunk, text_units
from assistant.retrieval import Retrieval
from assistant.text import search_tokens, word_count

MIN_WORDS = 40
MAX_WORDS = 150
MAX_SENTENCES = 4
CANDIDATE_PASSAGES = 4


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    section: str
    title: str
    quote: str
    section_title: str = ""
    chunk_id: str = ""
    doc_type: str = "document"


@dataclass
class ComposedAnswer:
    answer: str
    citations: list[Citation] = field(default_factory=list)
    #: Table rows were quoted: the answer keeps one line per row instead of flowing as a paragraph.
    tabular: bool = False


@dataclass(frozen=True)
class _Candidate:
    passage_rank: int
    unit_index: int
    text: str
    chunk: Chunk
    score: float


def _score(text: str, idf: dict[str, float], passage_rank: int, passage_score: float, top_score: float) -> float:
    tokens = set(search_tokens(text))
    total = sum(idf.values()) or 1.0
    matched = sum(weight for token, weight in idf.items() if token in tokens)
    # Lexical evidence dominates; the passage's own fused rank breaks ties and keeps the answer on topic.
    return 0.65 * matched / total + 0.35 * (passage_score / top_score) - 0.02 * passage_rank


def _candidates(retrieval: Retrieval) -> list[_Candidate]:
    passages = retrieval.passages[:CANDIDATE_PASSAGES]
    if not passages:
        return []
    top = passages[0].score or 1.0
    found = []
    for rank, passage in enumerate(passages):
        for index, unit in enumerate(text_units(passage.chunk.text)):
            if word_count(unit) < 5 or unit.startswith("|---"):
                continue
            score = _score(unit, retrieval.idf, rank, passage.score, top)
            found.append(_Candidate(rank, index, unit, passage.chunk, score))
    return found


def _similar(a: str, b: str) -> bool:
    ta, tb = set(search_tokens(a)), set(search_tokens(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) > 0.6


def select_sentences(retrieval: Retrieval) -> list[_Candidate]:
    """The best sentences within the word budget, presented in source order per passage."""
    chosen: list[_Candidate] = []
    words = 0
    for candidate in sorted(_candidates(retrieval), key=lambda c: c.score, reverse=True):
        if len(chosen) >= MAX_SENTENCES or (words >= MIN_WORDS and candidate.score < 0.5 * chosen[0].score):
            break
        size = word_count(candidate.text)
        if chosen and words + size > MAX_WORDS:
            continue
        if any(_similar(candidate.text, c.text) for c in chosen):
            continue
        chosen.append(candidate)
        words += size
    return sorted(chosen, key=lambda c: (c.passage_rank, c.unit_index))


def compose(retrieval: Retrieval) -> ComposedAnswer:
    """Answer text with `[n]` after each quoted span, and the citations that back them."""
    selected = select_sentences(retrieval)
    citations: list[Citation] = []
    parts: list[str] = []
    span: list[_Candidate] = []

    def flush() -> None:
        if not span:
            return
        quote = _join_span(span)
        n = len(citations) + 1
        head = span[0].chunk
        citations.append(
            Citation(n, head.doc_id, head.section, head.title, quote, head.section_title, head.chunk_id, head.doc_type)
        )
        parts.append(f"{quote} [{n}]")
        span.clear()

    for candidate in selected:
        adjacent = span and span[-1].chunk.chunk_id == candidate.chunk.chunk_id and (
            candidate.unit_index == span[-1].unit_index + 1
        )
        if not adjacent:
            flush()
        span.append(candidate)
    flush()
    tabular = _has_table(selected)
    return ComposedAnswer(answer=("\n" if tabular else " ").join(parts), citations=citations, tabular=tabular)


def _join_span(span: list[_Candidate]) -> str:
    """Adjacent units as they stand in the chunk, so the quote is an exact substring of retrieved text."""
    text = span[0].chunk.text
    start = text.find(span[0].text)
    end = text.find(span[-1].text, start) + len(span[-1].text)
    return text[start:end] if start >= 0 and end > start else " ".join(c.text for c in span)


def _has_table(selected: list[_Candidate]) -> bool:
    return any(c.text.lstrip().startswith("|") for c in selected)
