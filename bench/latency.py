"""Server-side time for one question, per stage, after warm-up.

    python -m bench.latency [--rounds 3]

Runs the single-turn cases of every eval suite in-process against the index in ASSISTANT_DATA_DIR
(run `assistant ingest` first). The baseline, measured in the same run, is the bare cost of embedding
the question once: the floor under any dense retrieval with this embedder. Prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import time

from assistant.api.deps import Container
from assistant.service import ChatRequest
from assistant.settings import get_settings
from evals.schema import all_suite_names, load_suite


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    container = Container.build(get_settings())
    container.warm_up()
    questions = [c.input for name in all_suite_names() for c in load_suite(name).cases if c.input]
    for question in questions[:10]:  # warm caches (jieba, dictionary, BM25) before timing
        container.assistant.chat(ChatRequest(question))

    stages: dict[str, list[float]] = {"retrieve": [], "compose": [], "total": []}
    embed_only: list[float] = []
    for _ in range(args.rounds):
        for question in questions:
            started = time.perf_counter()
            container.embedder.embed_query(question)
            embed_only.append((time.perf_counter() - started) * 1000)
            result = container.assistant.chat(ChatRequest(question))
            for stage in stages:
                stages[stage].append(result.timings_ms[stage])

    baseline = statistics.median(embed_only)
    print(f"{len(questions)} questions x {args.rounds} rounds, index: {container.retriever.stats()}")
    print("| stage | median ms | p95 ms | median / embed-only baseline |")
    print("|---|---|---|---|")
    print(f"| embed question only (baseline) | {baseline:.1f} | {_p95(embed_only):.1f} | 1.0 |")
    for stage, values in stages.items():
        median = statistics.median(values)
        print(f"| {stage} | {median:.1f} | {_p95(values):.1f} | {median / baseline:.1f} |")


if __name__ == "__main__":
    main()
