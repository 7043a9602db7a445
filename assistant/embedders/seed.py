"""Passage vectors shipped with the knowledge base, so a first ingest need not embed what is already known.

Embedding the shipped corpus is most of `make run`'s first start (about 620 texts at 5-10 a second on two
cores). The vectors depend only on the embedder and the exact text, so they ship beside the documents as
`knowledge_base/vectors/<embedder>.npz`: a 16-byte SHA-256 prefix of each text and its vector. A text that
is not in the file (an edited or new document, a user's own) is embedded as usual, so a stale file costs
time, never correctness. `assistant seed-vectors` rewrites the file from the serving index.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.embedders.base import Embedder


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


def seed_path(vectors_dir: Path, embedder_id: str) -> Path:
    return vectors_dir / f"{re.sub(r'[^A-Za-z0-9.-]+', '_', embedder_id)}.npz"


def load_seed(path: Path) -> dict[bytes, np.ndarray]:
    """Vectors by text key; empty when the file is missing."""
    if not path.exists():
        return {}
    with np.load(path) as data:
        keys, vectors = data["keys"], data["vectors"].astype(np.float32)
    return {bytes(key): vector for key, vector in zip(keys, vectors, strict=True)}


def write_seed(path: Path, texts: Sequence[str], vectors: np.ndarray) -> None:
    keys = np.frombuffer(b"".join(text_key(t) for t in texts), dtype=np.uint8).reshape(len(texts), 16)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, keys=keys, vectors=np.asarray(vectors, dtype=np.float32))


class SeededEmbedder(Embedder):
    """Passages found in the seed come from it; everything else, and every query, goes to the embedder."""

    def __init__(self, inner: Embedder, seed: dict[bytes, np.ndarray]) -> None:
        self._inner = inner
        self._seed = seed
        self.id = inner.id  # the same vectors, so the same identity (chunk ids include it)
        self.batch_size = inner.batch_size

    def embed_query(self, text: str) -> np.ndarray:
        return self._inner.embed_query(text)

    def embed_batch(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        if is_query:
            return self._inner.embed_batch(texts, is_query=True)
        found = [self._seed.get(text_key(t)) for t in texts]
        missing = [i for i, vector in enumerate(found) if vector is None]
        if missing:
            fresh = self._inner.embed_batch([texts[i] for i in missing], is_query=False)
            for i, vector in zip(missing, fresh, strict=True):
                found[i] = vector
        return np.stack(found) if found else self._inner.embed_batch([], is_query=False)
