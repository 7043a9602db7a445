"""Records searchable by meaning: each record's descriptive text embedded once, keyed by its content hash."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence

import numpy as np

from assistant.embedders import Embedder
from assistant.vectorstore import ChromaVectorStore

COLLECTION = "records"


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class RecordVectors:
    """Vectors of record texts; the same text (several slots of one expert) is embedded once."""

    def __init__(self, store: ChromaVectorStore, embedder: Embedder) -> None:
        self._store = store
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> dict[str, np.ndarray]:
        with self._lock:
            if self._vectors is None:
                self._vectors = self._store.get_vectors(COLLECTION)
            return self._vectors

    def ensure(self, texts: Sequence[str]) -> int:
        """Embed the texts not seen before; returns how many were embedded."""
        vectors = self._loaded()
        missing = sorted({text_key(t): t for t in texts if text_key(t) not in vectors}.items())
        if not missing:
            return 0
        embedded = np.concatenate(list(self._embedder.iter_passage_batches([t for _, t in missing])))
        self._store.put_vectors(COLLECTION, [k for k, _ in missing], embedded)
        with self._lock:
            for (key, _), vector in zip(missing, embedded, strict=True):
                vectors[key] = vector
        return len(missing)

    def similarities(self, query: str, texts: Sequence[str]) -> np.ndarray:
        """Cosine similarity of the query to each text (texts must have been `ensure`d)."""
        if not texts:
            return np.zeros(0, np.float32)
        self.ensure(texts)
        vectors = self._loaded()
        matrix = np.stack([vectors[text_key(t)] for t in texts])
        return matrix @ self._embedder.embed_query(query)
