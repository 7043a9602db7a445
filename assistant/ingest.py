"""Ingestion: files -> chunks -> vectors -> a new index generation, swapped in only when complete.

Idempotent by content hash: a chunk's id hashes its text, headings and the embedder, so an unchanged
chunk keeps its vector and a re-run on an unchanged corpus embeds nothing and swaps nothing.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.chunking import Chunk, chunk_document, embedded_texts
from assistant.documents import Document, DocumentError, discover, load_document
from assistant.documents.twins import alignment_problems, twin_of
from assistant.embedders import Embedder
from assistant.settings import Settings
from assistant.vectorstore import ChromaVectorStore

ProgressCallback = Callable[[int, int], None]


@dataclass
class IngestReport:
    files: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    #: Indexed, but worth fixing: a translation that does not line up with its original.
    warnings: list[tuple[str, str]] = field(default_factory=list)
    chunks_total: int = 0
    chunks_embedded: int = 0
    generation: str | None = None
    swapped: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if not self.swapped:
            state = "index unchanged: nothing to embed"
        else:
            state = f"new index generation {self.generation} is serving"
        return (
            f"{self.files} files: {len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed, {len(self.errors)} failed; "
            f"{self.chunks_total} chunks, {self.chunks_embedded} embedded; {state}"
        )


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """One ingest at a time per data dir; a second one waits rather than interleaving generations."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _within(path: str, scopes: list[Path]) -> bool:
    resolved = Path(path).resolve()
    return any(resolved == scope or scope in resolved.parents for scope in scopes)


def ingest(
    paths: list[Path],
    settings: Settings,
    store: ChromaVectorStore,
    embedder: Embedder,
    on_progress: ProgressCallback | None = None,
) -> IngestReport:
    """Bring the index in line with `paths`: add and update their documents, drop ones deleted from them."""
    with _exclusive(settings.data_dir / "ingest.lock"):
        return _ingest(paths, settings, store, embedder, on_progress)


def _ingest(
    paths: list[Path],
    settings: Settings,
    store: ChromaVectorStore,
    embedder: Embedder,
    on_progress: ProgressCallback | None,
) -> IngestReport:
    report = IngestReport()
    scopes = [p.resolve() for p in paths]
    missing = [p for p in paths if not p.exists()]
    report.errors.extend((str(p), "no such file or folder") for p in missing)

    active = store.active_generation()
    old_chunks = store.chunks(active) if active else []
    old_by_doc: dict[str, list[Chunk]] = {}
    for chunk in old_chunks:
        old_by_doc.setdefault(chunk.doc_id, []).append(chunk)

    loaded: dict[str, Document] = {}
    failed_sources: set[str] = set()
    files = discover([p for p in paths if p.exists()])
    report.files = len(files)
    for path in files:
        try:
            document = load_document(path)
        except DocumentError as exc:
            report.errors.append((str(path), str(exc)))
            failed_sources.add(str(path.resolve()))
            continue
        document.source = str(path.resolve())
        if document.doc_id in loaded:
            report.errors.append(
                (
                    str(path),
                    f"document id {document.doc_id!r} is already used by {loaded[document.doc_id].source}; "
                    "give one of them another `id` in its metadata",
                )
            )
            continue
        loaded[document.doc_id] = document

    _check_twins(loaded, set(old_by_doc), report)

    new_chunks: list[Chunk] = []
    for doc_id, document in loaded.items():
        chunks = chunk_document(document, settings.chunk_tokens, settings.chunk_overlap_tokens, embedder.id)
        previous = old_by_doc.get(doc_id)
        if previous is None:
            report.added.append(doc_id)
        elif {c.chunk_id for c in previous} == {c.chunk_id for c in chunks}:
            report.unchanged.append(doc_id)
        else:
            report.changed.append(doc_id)
        new_chunks.extend(chunks)

    for doc_id, chunks in old_by_doc.items():
        if doc_id in loaded:
            continue
        source = chunks[0].source
        # Deleted from an ingested folder: drop it. Failed to load, or outside this run's paths: keep it.
        if _within(source, scopes) and source not in failed_sources and not Path(source).exists():
            report.removed.append(doc_id)
        else:
            new_chunks.extend(chunks)

    report.chunks_total = len(new_chunks)
    if active and {c.chunk_id for c in new_chunks} == {c.chunk_id for c in old_chunks}:
        report.generation = active
        return report
    if not new_chunks:
        report.errors.append(("(index)", "no documents to index; add files to the knowledge base and ingest again"))
        return report

    vectors, unit_vectors = _vectors_for(new_chunks, store, active, embedder, report, on_progress)
    generation = store.create_generation(new_chunks, vectors, unit_vectors)
    store.activate(generation)
    report.generation, report.swapped = generation, True
    # The generation just replaced keeps serving whoever still reads it; older ones are dropped here.
    for expired in store.generations_past_grace(settings.generation_grace_s):
        store.drop(expired)
    return report


def _check_twins(loaded: dict[str, Document], indexed: set[str], report: IngestReport) -> None:
    """Warn about translations whose original is missing or that do not line up with it section by section."""
    for document in loaded.values():
        original_id = twin_of(document)
        if not original_id:
            continue
        original = loaded.get(original_id)
        if original is None and original_id not in indexed:
            report.warnings.append(
                (document.source, f"`twin: {original_id}` names no document; ingest the original too, or fix the id")
            )
        elif original is not None:
            report.warnings.extend((document.source, problem) for problem in alignment_problems(original, document))


def _vectors_for(
    chunks: list[Chunk],
    store: ChromaVectorStore,
    active: str | None,
    embedder: Embedder,
    report: IngestReport,
    on_progress: ProgressCallback | None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Chunk vectors and per-sentence vectors; only chunks new to the index are embedded."""
    known = store.vectors(active, [c.chunk_id for c in chunks]) if active else {}
    todo = [c for c in chunks if c.chunk_id not in known]
    # One flat list of texts: each new chunk (with its headings), then each of its sentences.
    texts: list[str] = []
    owners: list[tuple[str, int]] = []
    for chunk in todo:
        for i, text in enumerate(embedded_texts(chunk), start=-1):  # -1: the chunk itself
            texts.append(text)
            owners.append((chunk.chunk_id, i))
    if on_progress:
        on_progress(0, len(texts))
    fresh_chunks: dict[str, np.ndarray] = {}
    fresh_units: dict[str, list[np.ndarray]] = {}
    done = 0
    for vectors in embedder.iter_passage_batches(texts):
        for (chunk_id, unit), vector in zip(owners[done : done + len(vectors)], vectors, strict=True):
            if unit < 0:
                fresh_chunks[chunk_id] = vector
            else:
                fresh_units.setdefault(chunk_id, []).append(vector)
        done += len(vectors)
        if on_progress:
            on_progress(done, len(texts))
    report.chunks_embedded = len(todo)
    chunk_vectors = [known[c.chunk_id][0] if c.chunk_id in known else fresh_chunks[c.chunk_id] for c in chunks]
    unit_vectors = [known[c.chunk_id][1] if c.chunk_id in known else np.stack(fresh_units[c.chunk_id]) for c in chunks]
    return np.stack(chunk_vectors), unit_vectors
