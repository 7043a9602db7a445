"""A document and its other-language versions ("twins") as one: one hit per section, quoted in the
question's language, and a translated quote shown beside the original text it renders."""

from __future__ import annotations

import numpy as np

from assistant.chunking import Chunk, paragraph_blocks, text_units
from assistant.retrieval.snapshot import Snapshot, chunk_units


def with_twins(snap: Snapshot, filters: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
    """A filter on a document's id takes in its other-language versions: they are one document."""
    if not filters or not filters.get("doc_id"):
        return filters
    ids = filters["doc_id"]
    return {**filters, "doc_id": sorted({*ids, *(twin for i in ids for twin in snap.twins_of.get(i, ()))})}


def one_version_per_section(
    snap: Snapshot, fused: dict[int, float], language: str, unit_sims: np.ndarray, allowed: np.ndarray | None
) -> tuple[dict[int, float], dict[int, list[int]]]:
    """Candidates with every chunk in another language replaced by its section's version in the question's.

    A section and its translation are one hit, quoted in the question's language where the section has
    that version: of its chunks, the one holding the sentence closest to the question. Returns the
    scores (the best of what was merged) and, for each kept chunk, the candidates merged into it.
    """
    merged: dict[int, float] = {}
    members: dict[int, list[int]] = {}
    for index, score in fused.items():
        chunk = snap.chunks[index]
        target = index
        if chunk.language != language:
            versions = [
                i for i in snap.versions.get((chunk.citation_key, language), ()) if allowed is None or allowed[i]
            ]
            if versions:
                target = max(versions, key=lambda i: (_best_unit(snap, unit_sims, i), -i))
        merged[target] = max(merged.get(target, 0.0), score)
        members.setdefault(target, []).append(index)
    for index in merged:
        if index not in members[index]:
            members[index].append(index)
    return merged, members


def _best_unit(snap: Snapshot, unit_sims: np.ndarray, index: int) -> float:
    sims = chunk_units(snap, unit_sims, index)
    return float(sims.max()) if len(sims) else -1.0


def coverage_of(snap: Snapshot, token_set: set[str], indices: list[int]) -> float:
    """Share of the question's terms found in the best of a section's versions."""
    if not token_set:
        return 0.0
    return max(len(token_set & snap.token_sets[i]) for i in indices) / len(token_set)


def aligned_original(snap: Snapshot, chunk: Chunk, quote: str) -> tuple[Chunk, str] | None:
    """The original text a quote of a translation renders, and the original chunk it is quoted from.

    Translations are aligned with their original section by section and paragraph by paragraph, so the
    quote's paragraph bounds the search; within that paragraph the sentences closest in meaning to the
    quoted ones (the multilingual embedder puts a sentence near its translation) give the span. A
    paragraph the original lacks (a misaligned translation) widens the search to the whole section.
    """
    start = chunk.text.find(quote)
    if not chunk.twin or start < 0:
        return None
    paragraph = chunk.paragraph + chunk.text[:start].count("\n\n")
    quoted = _quoted_rows(snap, chunk, start, start + len(quote))
    originals = [i for i in snap.sections.get(chunk.citation_key, ()) if snap.chunks[i].doc_id == chunk.twin]
    if not quoted or not originals:
        return None
    spans = [span for i in originals if (span := _paragraph_span(snap, i, paragraph))]
    if not spans:
        spans = [(i, 0, len(snap.chunks[i].text)) for i in originals]
    best: tuple[float, int, int, int] | None = None
    for index, low, high in spans:
        rows = _unit_rows(snap, index, low, high)
        if not rows:
            continue
        sims = snap.unit_matrix[quoted] @ snap.unit_matrix[[row for row, _, _ in rows]].T
        picked = sims.argmax(axis=1)
        score = float(sims.max(axis=1).sum())
        first, last = rows[int(picked.min())], rows[int(picked.max())]
        if best is None or score > best[0]:
            best = (score, index, first[1], last[2])
    if best is None:
        return None
    _, index, begin, end = best
    original = snap.chunks[index]
    return original, original.text[begin:end]


def _unit_positions(text: str) -> list[tuple[int, int]]:
    """(start, end) of each `text_units` unit within the chunk text, in order."""
    positions: list[tuple[int, int]] = []
    cursor = 0
    for unit in text_units(text):
        at = text.find(unit, cursor)
        if at < 0:
            positions.append((cursor, cursor))
            continue
        positions.append((at, at + len(unit)))
        cursor = at + len(unit)
    return positions


def _quoted_rows(snap: Snapshot, chunk: Chunk, start: int, end: int) -> list[int]:
    """Rows of the unit matrix holding the sentences of `chunk` that the span [start, end) quotes (a quote may
    leave out the opening words of its first sentence, such as an enumeration marker)."""
    index = snap.by_id.get(chunk.chunk_id)
    if index is None:
        return []
    return [row for row, low, high in _unit_rows(snap, index, 0, len(chunk.text)) if low < end and high > start]


def _unit_rows(snap: Snapshot, index: int, low: int, high: int) -> list[tuple[int, int, int]]:
    """(matrix row, start, end) of the chunk's sentences that lie within [low, high) of its text."""
    base = int(snap.unit_bounds[index])
    stored = int(snap.unit_bounds[index + 1]) - base
    positions = _unit_positions(snap.chunks[index].text)
    if len(positions) != stored:
        return []
    return [(base + i, a, b) for i, (a, b) in enumerate(positions) if a >= low and b <= high and b > a]


def _paragraph_span(snap: Snapshot, index: int, paragraph: int) -> tuple[int, int, int] | None:
    """(chunk index, start, end) of the paragraph within the chunk's text, when the chunk holds (part of) it."""
    chunk = snap.chunks[index]
    offset = paragraph - chunk.paragraph
    blocks = paragraph_blocks(chunk.text)
    if not 0 <= offset < len(blocks):
        return None
    start = sum(len(block) + 2 for block in blocks[:offset])
    return index, start, start + len(blocks[offset])
