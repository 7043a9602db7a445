"""Ingestion throughput against the embedder's own raw throughput on the same texts, and a no-op re-run.

    python -m bench.ingestion [--repeats 1] [--rerun-sizes 10,50a,100a]

Ingests the shipped knowledge base into a fresh data dir with `assistant.ingest.ingest` (load, chunk,
embed each chunk and each of its sentences, write a Chroma generation, swap it in) and reports chunks/s.
Baselines measured in the same run, on the same texts, with the same `make_embedder(settings)`:

- raw, all texts: `embed_passages` over exactly the texts ingest embeds (every chunk's embedding text,
  then its sentences), in the embedder's batch size: the floor of any ingest with this embedder;
- raw, chunk texts only: `embed_passages` over the chunks' embedding texts, without the sentence vectors.

Then ingest runs again on the unchanged corpus: it must embed nothing; its wall time is reported, also
for the cached synthetic corpora of `--rerun-sizes` that exist (`python -m bench.corpus --size N`).
Each repeat runs raw then ingest; figures are medians over repeats.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from assistant.chunking import chunk_document, text_units
from assistant.documents import discover, load_document
from assistant.embedders import make_embedder
from assistant.ingest import ingest
from assistant.settings import REPO_ROOT, Settings
from assistant.vectorstore import ChromaVectorStore
from bench._common import CACHE_DIR, machine_note, median, table

SHIPPED = REPO_ROOT / "knowledge_base" / "documents"


def _texts(settings: Settings, embedder_id: str) -> tuple[int, list[str], list[str]]:
    """(chunks, every text ingest embeds, the chunks' embedding texts) of the knowledge dir."""
    chunks = [
        chunk
        for path in discover([settings.knowledge_dir])
        for chunk in chunk_document(
            load_document(path), settings.chunk_tokens, settings.chunk_overlap_tokens, embedder_id
        )
    ]
    every = [text for c in chunks for text in (c.embedding_text(), *text_units(c.text))]
    return len(chunks), every, [c.embedding_text() for c in chunks]


def _raw(embedder, texts: list[str]) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    for start in range(0, len(texts), embedder.batch_size):
        embedder.embed_passages(texts[start : start + embedder.batch_size])
    return time.perf_counter() - started


def _rerun(data_dir: Path, knowledge: Path, embedder) -> tuple[float, int, int]:  # type: ignore[no-untyped-def]
    settings = Settings(ASSISTANT_DATA_DIR=data_dir, ASSISTANT_KNOWLEDGE_DIR=knowledge)  # type: ignore[call-arg]
    store = ChromaVectorStore(settings)
    started = time.perf_counter()
    report = ingest([knowledge], settings, store, embedder)
    seconds = time.perf_counter() - started
    assert report.ok and not report.swapped, report.summary()
    return seconds, report.chunks_total, report.chunks_embedded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knowledge-dir", type=Path, default=SHIPPED, help="what to ingest (default: shipped)")
    parser.add_argument("--repeats", type=int, default=1, help="raw + fresh ingest pairs (medians are reported)")
    parser.add_argument("--rerun-sizes", default="10,50a,100a", help="cached synthetic corpora to re-ingest unchanged")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        base = Settings(ASSISTANT_DATA_DIR=Path(tmp) / "probe", ASSISTANT_KNOWLEDGE_DIR=args.knowledge_dir)  # type: ignore[call-arg]
        # Without the shipped vectors: this measures embedding, which they exist to skip.
        embedder = make_embedder(base.model_copy(update={"vector_seed": False}))
        n_chunks, every, chunk_texts = _texts(base, embedder.id)
        embedder.embed_passages(every[:16])  # warm-up
        raw_all, raw_chunks, fresh, rerun = [], [], [], []
        report = None
        for repeat in range(args.repeats):
            raw_all.append(_raw(embedder, every))
            raw_chunks.append(_raw(embedder, chunk_texts))
            settings = Settings(
                ASSISTANT_DATA_DIR=Path(tmp) / f"run{repeat}", ASSISTANT_KNOWLEDGE_DIR=args.knowledge_dir
            )  # type: ignore[call-arg]
            store = ChromaVectorStore(settings)
            started = time.perf_counter()
            report = ingest([args.knowledge_dir], settings, store, embedder)
            fresh.append(time.perf_counter() - started)
            assert report.ok, report.errors
            seconds, _, embedded = _rerun(settings.data_dir, args.knowledge_dir, embedder)
            assert embedded == 0
            rerun.append(seconds)
            print(f"  repeat {repeat + 1}: raw {raw_all[-1]:.1f} s, ingest {fresh[-1]:.1f} s", file=sys.stderr)

        assert report is not None
        raw_rate = n_chunks / median(raw_all)
        print(
            f"{report.files} files, {n_chunks} chunks, {len(every)} texts embedded per ingest "
            f"(each chunk plus its sentences); {args.repeats} repeat(s); {machine_note()}.\n"
        )
        rows = [
            ("raw embed_passages, all texts ingest embeds (baseline)", median(raw_all), raw_rate,
             len(every) / median(raw_all), "1.00"),
            ("raw embed_passages, chunk texts only", median(raw_chunks), n_chunks / median(raw_chunks),
             n_chunks / median(raw_chunks), f"{median(raw_all) / median(raw_chunks):.2f}"),
            ("ingest, fresh data dir", median(fresh), n_chunks / median(fresh), len(every) / median(fresh),
             f"{(n_chunks / median(fresh)) / raw_rate:.2f}"),
        ]  # fmt: skip
        print(table(["run", "wall s", "chunks/s", "texts/s", "chunks/s / baseline"], rows))

        rerun_rows = [(f"shipped ({n_chunks} chunks)", median(rerun), 0, f"{median(rerun) / median(fresh) * 100:.1f}%")]
        for size in [s.strip() for s in args.rerun_sizes.split(",") if s.strip()]:
            built = CACHE_DIR / f"x{size}" / "built.json"
            if not built.exists():
                print(f"(x{size} is not cached: `python -m bench.corpus --size {size}` builds it)", file=sys.stderr)
                continue
            info = json.loads(built.read_text())
            seconds, total, embedded = _rerun(built.parent / "data", Path(info["knowledge_dir"]), embedder)
            estimate = total / (n_chunks / median(fresh))  # a fresh ingest at the rate measured above
            share = f"{seconds / estimate * 100:.1f}% (of {estimate:.0f} s estimated)"
            label = f"synthetic {size.rstrip('a')}x" + (", approx. chunk vectors" if size.endswith("a") else "")
            rerun_rows.append((f"{label} ({total} chunks)", seconds, embedded, share))
        print("\nRe-run on the unchanged corpus (must embed nothing):\n")
        print(table(["corpus", "wall s", "chunks embedded", "share of a fresh ingest"], rerun_rows))


if __name__ == "__main__":
    main()
