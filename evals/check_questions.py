"""Ask the team's question sets through `POST /v1/chat` and report the foundation's quality figures.

    python -m evals.check_questions [--url http://127.0.0.1:8000]

Without --url it runs in-process against the index in ASSISTANT_DATA_DIR. The full harness with suites,
reports and CI gates is `assistant eval` (evals/README.md); this is the quick check behind the README table.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

QUESTION_FILES = [Path(__file__).parent / "data" / name for name in ("paper_questions.yaml", "policy_questions.yaml")]


def section_matches(cited: str, gold: str) -> bool:
    """`doc#4.2` matches `doc#4.2.1` and the reverse: one section id is a dotted prefix of the other."""
    cited_doc, _, cited_section = cited.partition("#")
    gold_doc, _, gold_section = gold.partition("#")
    if cited_doc != gold_doc:
        return False
    return (
        cited_section == gold_section
        or f"{cited_section}.".startswith(f"{gold_section}.")
        or (f"{gold_section}.".startswith(f"{cited_section}."))
    )


@dataclass
class GroupScore:
    asked: int = 0
    cited_right: int = 0
    facts_found: int = 0
    refused: int = 0

    def as_dict(self) -> dict[str, float | int]:
        n = self.asked or 1
        return {
            "asked": self.asked,
            "cites_right_section": round(self.cited_right / n, 3),
            "key_facts": round(self.facts_found / n, 3),
            "wrongly_refused": self.refused,
        }


@dataclass
class Report:
    groups: dict[str, GroupScore] = field(default_factory=dict)
    out_of_scope: int = 0
    declined: int = 0
    server_ms: list[float] = field(default_factory=list)
    misses: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "groups": {name: score.as_dict() for name, score in sorted(self.groups.items())},
            "out_of_scope_declined": f"{self.declined}/{self.out_of_scope}",
            "server_ms_median": round(statistics.median(self.server_ms), 1) if self.server_ms else None,
        }


def load_questions(files: list[Path] | None = None) -> list[dict]:
    questions: list[dict] = []
    for path in files or QUESTION_FILES:
        questions.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return questions


def group_of(question: dict) -> str:
    corpus = "paper" if any(s.startswith("peng2026#") for s in question.get("sources", [])) else "policy"
    return f"{corpus}-{question.get('lang', 'en')}"


def measure(ask: Callable[[str], dict], questions: list[dict]) -> Report:
    """Run every question through `ask` (returns the /v1/chat JSON) and score the answers."""
    report = Report()
    for question in questions:
        body = ask(question["question"])
        report.server_ms.append(float(body["timings_ms"]["total"]))
        if question.get("refuse"):
            report.out_of_scope += 1
            report.declined += bool(body["refused"])
            if not body["refused"]:
                report.misses.append({"id": question["id"], "problem": "answered out-of-scope question"})
            continue
        score = report.groups.setdefault(group_of(question), GroupScore())
        score.asked += 1
        if body["refused"]:
            score.refused += 1
            report.misses.append({"id": question["id"], "problem": "refused"})
            continue
        cited = [f"{c['doc_id']}#{c['section']}" for c in body["citations"]]
        right = any(section_matches(c, g) for c in cited for g in question["sources"])
        answer = body["answer"].lower()
        facts = all(any(p.lower() in answer for p in group) for group in question.get("must_include") or [])
        score.cited_right += right
        score.facts_found += facts
        if not (right and facts):
            report.misses.append({"id": question["id"], "cited": cited, "gold": question["sources"], "facts": facts})
    return report


def _http_ask(url: str) -> Callable[[str], dict]:
    import httpx

    client = httpx.Client(base_url=url, timeout=30)
    return lambda message: client.post("/v1/chat", json={"message": message}).raise_for_status().json()


def _local_ask() -> Callable[[str], dict]:
    from fastapi.testclient import TestClient

    from assistant.api import create_app

    client = TestClient(create_app())
    client.__enter__()
    return lambda message: client.post("/v1/chat", json={"message": message}).raise_for_status().json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server; default: in-process")
    parser.add_argument("--misses", action="store_true", help="list the questions that missed")
    args = parser.parse_args()
    report = measure(_http_ask(args.url) if args.url else _local_ask(), load_questions())
    print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))  # noqa: T201
    if args.misses:
        for miss in report.misses:
            print(json.dumps(miss, ensure_ascii=False))  # noqa: T201


if __name__ == "__main__":
    main()
