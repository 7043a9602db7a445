"""The Embedder port: one method to implement (`embed_batch`), conveniences built on it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence

import numpy as np


class EmbedderError(RuntimeError):
    """The embedder cannot work; the message says what to change."""


class Embedder(ABC):
    """Turns text into L2-normalised vectors. Queries and passages may be encoded differently (e5 does)."""

    #: Stable identity of model and settings; part of every chunk id, so changing it re-embeds the corpus.
    id: str = "abstract"
    batch_size: int = 16

    @abstractmethod
    def embed_batch(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        """Vectors for `texts`, shape (len(texts), dim), float32, unit length."""

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_batch([text], is_query=True)[0]

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed_batch(list(texts), is_query=False)

    def iter_passage_batches(self, texts: Sequence[str]) -> Iterator[np.ndarray]:
        """Passage vectors in batches, so callers can report progress."""
        for start in range(0, len(texts), self.batch_size):
            yield self.embed_passages(texts[start : start + self.batch_size])


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
