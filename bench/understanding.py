"""What understanding adds to a turn: intents from the question vector, entities, dates, names and contacts.

    python -m bench.understanding [--rounds 3]

Messages: every user message of the dev and holdout suites (single turns and each turn of a multi-turn
case), English and Chinese. Per message, in this process, after warm-up, on the shipped records:

- embed question (baseline): `embed_query`, the vector the turn computes once anyway;
- intents: the classifier ranking that vector (no second embedding);
- entities: `Conversation.entities` (the records' vocabulary with fuzzy matching, record ids, dates with
  dateparser, names and contacts);
- understanding: intents + entities, what the turn spends beyond its embedding.

A second table splits entities by whether the message names a date: dateparser is the costly part.
"""

from __future__ import annotations

import argparse
import time

from assistant.api.deps import Container
from assistant.settings import REPO_ROOT, get_settings
from assistant.understanding.dates import find_dates
from bench._common import machine_note, median, p95, table
from evals.schema import load_suite

HOLDOUT = [REPO_ROOT / "evals" / "holdout" / f"{name}.yaml" for name in ("tools", "knowledge", "scope", "agreements")]
DEV = ("paper", "policy", "refusal", "tools", "conversation", "agreements")


def messages() -> list[str]:
    found: list[str] = []
    for suite in (*DEV, *map(str, HOLDOUT)):
        for case in load_suite(suite).cases:
            if case.input:
                found.append(case.input)
            found.extend(turn.input for turn in case.turns)
    return found


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    container = Container.build(get_settings())
    container.warm_up()
    conversation = container.assistant.conversation
    assert conversation is not None, "run `make ingest` first: the records give the vocabulary"
    texts = messages()
    timings: dict[str, list[float]] = {k: [] for k in ("embed", "intents", "entities", "understanding")}
    by_dates: dict[bool, list[float]] = {True: [], False: []}
    for text in texts[:20]:  # warm-up: the vocabulary, dateparser's tables, jieba
        conversation.entities(text)
    for _ in range(args.rounds):
        for text in texts:
            start = time.perf_counter()
            vector = container.embedder.embed_query(text)
            timings["embed"].append(_ms(start))
            start = time.perf_counter()
            conversation.understander.intents(text, vector)
            intents_ms = _ms(start)
            start = time.perf_counter()
            conversation.entities(text)
            entities_ms = _ms(start)
            timings["intents"].append(intents_ms)
            timings["entities"].append(entities_ms)
            timings["understanding"].append(intents_ms + entities_ms)
            by_dates[find_dates(text, conversation.records.clock().date()) is not None].append(entities_ms)
    baseline = median(timings["embed"])
    rows = [
        [label, median(timings[key]), p95(timings[key]), f"{median(timings[key]) / baseline:.2f}"]
        for label, key in (
            ("embed question (baseline)", "embed"),
            ("intents (from the vector)", "intents"),
            ("entities", "entities"),
            ("understanding = intents + entities", "understanding"),
        )
    ]
    print(f"{len(texts)} messages x {args.rounds} rounds; {machine_note()}\n")
    print(table(["stage", "median ms", "p95 ms", "median / baseline"], rows))
    print()
    print(
        table(
            ["entities of messages", "messages", "median ms", "p95 ms"],
            [
                [f"{'naming' if named else 'without'} a date", len(by_dates[named]) // args.rounds, median(v), p95(v)]
                for named, v in by_dates.items()
            ],
        )
    )


if __name__ == "__main__":
    main()
