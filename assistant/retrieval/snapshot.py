"""One index generation as the retriever holds it in memory: chunks, lexical index, sentence vectors."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import bm25s
import numpy as np

from assistant.chunking import Chunk
from assistant.lexicon import Lexicon


@dataclass
class Snapshot:
    generation: str
    chunks: list[Chunk]
    by_id: dict[str, int]
    bm25: bm25s.BM25
    vocab: dict[str, int]
    token_sets: list[frozenset[str]]
    doc_freq: Counter[str]
    lexicon: Lexicon
    unit_matrix: np.ndarray
    unit_owner: np.ndarray
    #: Chunk i's sentences are rows unit_bounds[i]:unit_bounds[i + 1] of the unit matrix.
    unit_bounds: np.ndarray
    #: Search tokens of each chunk's own text and of its section heading, for the rerank.
    text_tokens: list[frozenset[str]] = field(default_factory=list)
    heading_tokens: list[frozenset[str]] = field(default_factory=list)
    #: (citation key, language) -> the chunks of that section in that language: a section's versions.
    versions: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    #: Citation key -> the chunks of that section, every language.
    sections: dict[str, list[int]] = field(default_factory=dict)
    #: Original document id -> the ids of its other-language versions.
    twins_of: dict[str, set[str]] = field(default_factory=dict)


def chunk_units(snap: Snapshot, unit_sims: np.ndarray, index: int) -> np.ndarray:
    """The question's similarity to each sentence of one chunk (units are stored chunk after chunk)."""
    if not len(unit_sims):
        return unit_sims
    return unit_sims[snap.unit_bounds[index] : snap.unit_bounds[index + 1]]
