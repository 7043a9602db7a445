"""The only module that imports chromadb: chunk generations in Chroma, embedded or server mode.

Each ingest builds a complete new collection (a "generation") and then flips a pointer to it, so a
failed or interrupted ingest never leaves a half-built index serving. The generation it replaced is
retired, not deleted: readers in any worker may still hold it for a moment, so it is dropped by a later
ingest once it has been retired for longer than the grace period (`generations_past_grace`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.chunking import Chunk, embedded_texts
from assistant.settings import Settings

#: Rows per `collection.get`. Chroma's SQLite backend binds one SQL variable per row it reads (and one per
#: id asked for, plus a few per statement), and SQLite refuses a statement with more than 32,766: one
#: unbounded read fails with "too many SQL variables" past about 32,000 rows (the sentence vectors of a
#: corpus of about 7,700 chunks). 5,000 is also under Chroma's own batch limit for writes
#: (`get_max_batch_size()`: 5,461, a sixth of SQLite's), so it holds should a later version bind several
#: variables per row. Tests lower it to page small collections.
PAGE_SIZE = 5_000


class VectorStoreError(RuntimeError):
    """The vector store is unreachable or inconsistent; the message says what to do."""


class GenerationGoneError(VectorStoreError):
    """The generation asked for was dropped (a newer one is serving): read the active one instead."""


@contextmanager
def _generation_reads(generation: str) -> Iterator[None]:
    """Turn Chroma's "collection does not exist" into GenerationGoneError, which readers retry on."""
    from chromadb.errors import NotFoundError

    try:
        yield
    except NotFoundError as exc:
        raise GenerationGoneError(f"index generation {generation} was dropped; read the active one") from exc


@dataclass(frozen=True)
class DenseHit:
    chunk_id: str
    similarity: float


def _get_all(collection: Any, include: list[str], ids: Sequence[str] | None = None) -> dict[str, list[Any]]:
    """`collection.get` in pages of at most PAGE_SIZE rows, merged: `ids` and each included field, row-aligned.

    With `ids`, those rows (asked for in slices; unknown ids are left out); otherwise every row, by offset.
    Chroma returns rows in insertion order, so the offset pages of a collection that is not written
    meanwhile (a generation never is) hold each row exactly once."""
    merged: dict[str, list[Any]] = {"ids": [], **{field: [] for field in include}}

    def add(page: Any) -> int:
        for field, values in merged.items():
            if page[field] is not None:  # embeddings come as an array: no truthiness test
                values.extend(page[field])
        return len(page["ids"])

    if ids is not None:
        for start in range(0, len(ids), PAGE_SIZE):
            add(collection.get(ids=list(ids[start : start + PAGE_SIZE]), include=include))
        return merged
    offset = 0
    while (rows := add(collection.get(limit=PAGE_SIZE, offset=offset, include=include))) == PAGE_SIZE:
        offset += rows
    return merged


def _refuse_configured_embedding_function(collection: Any) -> None:
    """Refuse to write to a collection whose stored configuration names an embedding function.

    chromadb builds that function from the configuration on every add or upsert (1.5.9), and building one
    with `trust_remote_code` runs code from a model repository (CVE-2026-45829 and CVE-2026-45833, no
    fixed release yet). This app creates every collection without one, so a named function means somebody
    else wrote the configuration. The raw JSON is read because the parsed forms build the function.
    """
    raw = [collection.configuration_json, getattr(collection, "_model", None) and collection._model.serialized_schema]
    if any(_names_embedding_function(part) for part in raw):
        raise VectorStoreError(
            f"Chroma collection {collection.name} names an embedding function in its configuration, which this "
            "app never sets; refusing to write to it. Delete the collection (it is rebuilt from the records) "
            "and find out who can write to the Chroma server."
        )


def _names_embedding_function(value: Any) -> bool:
    if isinstance(value, dict):
        function = value.get("embedding_function")
        if isinstance(function, dict) and function.get("type") == "known":
            return True
        return any(_names_embedding_function(v) for v in value.values())
    if isinstance(value, list):
        return any(_names_embedding_function(v) for v in value)
    return False


def _where(filters: dict[str, list[str]] | None) -> dict[str, Any] | None:
    clauses = [{key: {"$in": list(values)}} for key, values in (filters or {}).items() if values]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaVectorStore:
    """Chunk vectors in Chroma; `PersistentClient` under the data dir, or `HttpClient` when a host is set."""

    _ADD_BATCH = 500

    def __init__(self, settings: Settings) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if settings.chroma_host:
                self._client = chromadb.HttpClient(
                    host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
                )
                self._client.heartbeat()
            else:
                settings.chroma_dir.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
        except Exception as exc:  # chromadb raises many types for "cannot connect"
            where = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else settings.chroma_dir
            raise VectorStoreError(
                f"cannot open Chroma at {where} ({exc}); start it with `chroma run --port {settings.chroma_port}` "
                "or unset CHROMA_HOST to use the embedded store"
            ) from exc
        self._prefix = settings.collection_prefix
        self.description = settings.store_description
        self._generations: dict[str, tuple[Any, int]] = {}

    # -- generations -------------------------------------------------------------------------------

    def _pointer(self) -> Any:
        return self._client.get_or_create_collection(f"{self._prefix}_pointer", metadata={"active": ""})

    def active_generation(self) -> str | None:
        """Name of the collection that is serving, or None before the first ingest."""
        active = (self._pointer().metadata or {}).get("active") or None
        return str(active) if active else None

    def create_generation(
        self, chunks: Sequence[Chunk], vectors: np.ndarray, unit_vectors: Sequence[np.ndarray]
    ) -> str:
        """Write a complete new generation (chunk vectors plus per-sentence vectors); it serves once activated."""
        suffix = f"{time.strftime('%Y%m%d%H%M%S')}_{uuid.uuid4().hex[:6]}"
        name = f"{self._prefix}_chunks_{suffix}"
        units = self._create(self._units_name(name))
        collection = self._create(name)
        for start in range(0, len(chunks), self._ADD_BATCH):
            batch = chunks[start : start + self._ADD_BATCH]
            collection.add(
                ids=[c.chunk_id for c in batch],
                embeddings=vectors[start : start + len(batch)],
                documents=[c.text for c in batch],
                metadatas=[c.metadata() for c in batch],  # type: ignore[misc]
            )
        rows = [
            (f"{chunk.chunk_id}:{i}", vector, {"chunk_id": chunk.chunk_id, "unit": i})
            for chunk, matrix in zip(chunks, unit_vectors, strict=True)
            for i, vector in enumerate(matrix)
        ]
        for start in range(0, len(rows), self._ADD_BATCH):
            batch_rows = rows[start : start + self._ADD_BATCH]
            units.add(
                ids=[r[0] for r in batch_rows],
                embeddings=np.stack([r[1] for r in batch_rows]),
                metadatas=[r[2] for r in batch_rows],  # type: ignore[misc]
            )
        return name

    def _create(self, name: str) -> Any:
        return self._client.create_collection(
            name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"created_at": time.time()},
        )

    def _units_name(self, generation: str) -> str:
        return generation.replace(f"{self._prefix}_chunks_", f"{self._prefix}_units_", 1)

    def activate(self, name: str) -> str | None:
        """Point readers at `name`; returns the generation it replaced, now retired (kept for its readers)."""
        previous = self.active_generation()
        now = time.time()
        self._pointer().modify(metadata={"active": name, "activated_at": now})
        if previous and previous != name:
            try:
                retired = self._client.get_collection(previous)
                retired.modify(metadata={**(retired.metadata or {}), "retired_at": now})
            except Exception:  # already dropped by hand: nothing left to keep
                pass
        return previous

    def drop(self, name: str) -> None:
        """Delete a generation and its sentence vectors.

        The chunks go first: a reader that loads sentence vectors before chunks (the retriever does) then
        either fails on the chunks and retries, or has both; it never serves chunks without their sentences.
        """
        self._generations.pop(name, None)
        for collection in (name, self._units_name(name)):
            try:
                self._client.delete_collection(collection)
            except Exception:  # already gone: nothing to do
                continue

    def stale_generations(self) -> list[str]:
        """Chunk collections that are not active: left by an interrupted ingest or a replaced generation."""
        return sorted(self._stale_since())

    def generations_past_grace(self, grace_s: float) -> list[str]:
        """Stale generations that nobody can still be reading: retired (or, never activated, created) more
        than `grace_s` seconds ago. A generation from before retirement was recorded counts as expired."""
        cutoff = time.time() - grace_s
        return sorted(name for name, since in self._stale_since().items() if since <= cutoff)

    def _stale_since(self) -> dict[str, float]:
        """Each stale generation and when it stopped serving (or was created, if it never served)."""
        active = self.active_generation()
        chunks_prefix, units_prefix = f"{self._prefix}_chunks_", f"{self._prefix}_units_"
        since: dict[str, float] = {}
        for collection in self._client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            generation = name.replace(units_prefix, chunks_prefix, 1)
            if not generation.startswith(chunks_prefix) or generation == active:
                continue
            meta = {} if isinstance(collection, str) else (collection.metadata or {})
            stamp = float(meta.get("retired_at", meta.get("created_at", 0.0)))
            if name == generation or generation not in since:  # the chunk collection's stamp wins
                since[generation] = stamp
        return since

    # -- plain vector collections (records search) ------------------------------------------------

    def put_vectors(self, name: str, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Store vectors under ids in collection `<prefix>_<name>` (created on first use)."""
        if not len(ids):
            return
        collection = self._client.get_or_create_collection(
            f"{self._prefix}_{name}", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )
        _refuse_configured_embedding_function(collection)
        for start in range(0, len(ids), self._ADD_BATCH):
            collection.upsert(
                ids=list(ids[start : start + self._ADD_BATCH]), embeddings=vectors[start : start + self._ADD_BATCH]
            )

    def get_vectors(self, name: str) -> dict[str, np.ndarray]:
        """Every vector of collection `<prefix>_<name>`; empty when it does not exist yet."""
        try:
            collection = self._client.get_collection(f"{self._prefix}_{name}")
        except Exception:  # not created yet
            return {}
        data = _get_all(collection, ["embeddings"])
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(data["ids"], data["embeddings"], strict=True)}

    # -- reading -----------------------------------------------------------------------------------

    def chunks(self, generation: str) -> list[Chunk]:
        """Every chunk of a generation, in document order."""
        with _generation_reads(generation):
            data = _get_all(self._client.get_collection(generation), ["documents", "metadatas"])
        chunks = [
            Chunk.from_record(cid, doc or "", meta or {})
            for cid, doc, meta in zip(data["ids"], data["documents"], data["metadatas"], strict=True)
        ]
        return sorted(chunks, key=lambda c: (c.doc_id, c.position))

    def vectors(self, generation: str, ids: Iterable[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Stored (chunk vector, sentence vectors) by chunk id, so unchanged chunks are carried over unembedded."""
        wanted = list(ids)
        if not wanted:
            return {}
        data = _get_all(self._client.get_collection(generation), ["embeddings"], ids=wanted)
        units = self.unit_vectors(generation)
        return {
            cid: (np.asarray(vec, dtype=np.float32), units[cid])
            for cid, vec in zip(data["ids"], data["embeddings"], strict=True)
            if cid in units
        }

    def passage_vectors(self, generation: str) -> tuple[list[str], np.ndarray]:
        """Every text ingest embedded for a generation (each chunk's embedding text, then its sentences)
        with its vector, in the same rows."""
        chunks = self.chunks(generation)
        known = self.vectors(generation, [c.chunk_id for c in chunks])
        texts: list[str] = []
        rows: list[np.ndarray] = []
        for chunk in chunks:
            if chunk.chunk_id not in known:
                continue
            vector, units = known[chunk.chunk_id]
            texts.extend(embedded_texts(chunk))
            rows.extend([vector, *units])
        return texts, np.stack(rows) if rows else np.empty((0, 0), np.float32)

    def unit_vectors(self, generation: str) -> dict[str, np.ndarray]:
        """Sentence vectors of every chunk, rows in the order of `text_units(chunk.text)`."""
        try:
            collection = self._client.get_collection(self._units_name(generation))
        except Exception:  # a generation written before sentence vectors existed, or one being dropped
            return {}
        with _generation_reads(generation):
            data = _get_all(collection, ["embeddings", "metadatas"])
        grouped: dict[str, list[tuple[int, np.ndarray]]] = {}
        for vector, meta in zip(data["embeddings"], data["metadatas"], strict=True):
            grouped.setdefault(str(meta["chunk_id"]), []).append((int(meta["unit"]), np.asarray(vector, np.float32)))
        return {cid: np.stack([v for _, v in sorted(rows, key=lambda r: r[0])]) for cid, rows in grouped.items()}

    def _serving(self, generation: str) -> tuple[Any, int]:
        """The collection of a generation and its size, looked up once: a generation is never written
        after it is activated, and the lookups cost more than the vector search on a small index."""
        if (known := self._generations.get(generation)) is None:
            collection = self._client.get_collection(generation)
            known = (collection, collection.count())
            self._generations = {generation: known}  # only the serving generation is asked for
        return known

    def query(
        self, generation: str, vector: np.ndarray, k: int, filters: dict[str, list[str]] | None = None
    ) -> list[DenseHit]:
        """Nearest chunks by cosine similarity, optionally restricted by metadata values."""
        with _generation_reads(generation):
            collection, size = self._serving(generation)
            k = min(k, size)
            if k <= 0:
                return []
            result = collection.query(
                query_embeddings=[vector.tolist()], n_results=k, where=_where(filters), include=["distances"]
            )
        ids = result["ids"][0]
        distances = (result["distances"] or [[]])[0]
        return [DenseHit(cid, 1.0 - float(d)) for cid, d in zip(ids, distances, strict=True)]
