"""Runs suites against a target, scores every case, aggregates, checks thresholds and the baseline."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.text import detect_language
from evals import metrics
from evals.schema import Case, Suite, Turn
from evals.targets import Target

Similarity = Callable[[str, str], float]
ProgressHook = Callable[[str], None]
LATENCY_STAGES = ("retrieve", "compose", "total")


@dataclass
class TurnResult:
    input: str
    answer: str = ""
    refused: bool = False
    citations: list[dict[str, Any]] = field(default_factory=list)
    retrieved: list[dict[str, Any]] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    pending_action: dict[str, Any] | None = None
    action_result: dict[str, Any] | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    #: LLM mode: how the model's turn went (mode, removed citations, fallback reason).
    llm: dict[str, Any] | None = None
    scores: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    evaluated: bool = False


@dataclass
class CaseResult:
    id: str
    kind: str
    tags: list[str]
    blocking: bool
    passed: bool
    turns: list[TurnResult]
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        return [p for turn in self.turns for p in turn.problems]


@dataclass
class SuiteResult:
    suite: str
    description: str
    target: str
    cases: list[CaseResult]
    metrics: dict[str, float]
    thresholds: dict[str, float]
    failed_thresholds: dict[str, tuple[float, float]]
    baseline: dict[str, Any] | None = None

    @property
    def failed_blocking(self) -> list[str]:
        return [c.id for c in self.cases if c.blocking and not c.passed]

    @property
    def regressions(self) -> list[str]:
        """Cases that passed in the baseline and fail now."""
        before = (self.baseline or {}).get("cases", {})
        return [c.id for c in self.cases if before.get(c.id) is True and not c.passed]

    @property
    def fixed(self) -> list[str]:
        before = (self.baseline or {}).get("cases", {})
        return [c.id for c in self.cases if before.get(c.id) is False and c.passed]

    @property
    def gate_passed(self) -> bool:
        blocking_regressed = [c for c in self.regressions if c in self.failed_blocking]
        return not self.failed_thresholds and not self.failed_blocking and not blocking_regressed

    def metric_deltas(self) -> dict[str, float]:
        before = (self.baseline or {}).get("metrics", {})
        return {k: round(v - before[k], 4) for k, v in self.metrics.items() if k in before}

    def summary(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "target": self.target,
            "gate_passed": self.gate_passed,
            "metrics": self.metrics,
            "thresholds": self.thresholds,
            "failed_thresholds": {k: {"value": v, "minimum": m} for k, (v, m) in self.failed_thresholds.items()},
            "failed_blocking": self.failed_blocking,
            "regressions": self.regressions,
            "fixed": self.fixed,
            "deltas": self.metric_deltas(),
            "cases": {c.id: c.passed for c in self.cases},
        }


def _judge_turn(judge: Any, case_id: str, result: TurnResult) -> None:
    if judge is None or not result.evaluated or not result.answer:
        return
    try:
        result.scores.update(
            judge.grade(case_id, result.input, result.answer, [c.get("quote", "") for c in result.citations])
        )
    except Exception as exc:  # the judge is advisory: its failure is reported, the offline metrics stand
        result.problems.append(f"judge unavailable: {exc}")


def _evaluate_turn(turn: Turn, result: TurnResult, similarity: Similarity | None) -> None:
    """Score one answered turn against its expectations."""
    has_expectations = bool(
        turn.sources
        or turn.must_include
        or turn.must_not_include
        or turn.refuse is not None
        or turn.tool_calls is not None
        or turn.action_status
        or turn.pending_action is not None
    )
    if not has_expectations:
        return
    result.evaluated = True
    scores, problems = result.scores, result.problems
    expect_refusal = bool(turn.refuse)
    scores["refusal_expected"] = float(expect_refusal)
    scores["refused"] = float(result.refused)
    if turn.refuse is not None and result.refused != expect_refusal:
        problems.append(
            "answered a question it should decline" if expect_refusal else "declined an answerable question"
        )
    if not expect_refusal and turn.refuse is None and turn.sources and result.refused:
        problems.append("declined an answerable question")

    ranked = [f"{p['doc_id']}#{p['section']}" for p in result.retrieved]
    if turn.sources and not expect_refusal:
        for k in (1, 3, 5):
            scores[f"recall@{k}"] = metrics.recall_at(ranked, turn.sources, k)
        scores["mrr"] = metrics.reciprocal_rank(ranked, turn.sources)
        scores["ndcg@10"] = metrics.ndcg_at(ranked, turn.sources, 10)
        if not result.refused:
            scores["citation_correctness"] = metrics.citation_correctness(result.citations, turn.sources)
            scores["citation_hit"] = float(metrics.citation_hit(result.citations, turn.sources))
            if not scores["citation_hit"]:
                cited = [f"{c['doc_id']}#{c['section']}" for c in result.citations]
                problems.append(f"cites {cited or 'nothing'}, expected one of {turn.sources}")
    # Knowledge answers only: a draft or a tool's cards cite what they cite whatever the question's language.
    if turn.sources and result.citations and not result.refused:
        scores["native_quotes"] = float(metrics.quotes_in_language(result.citations, detect_language(result.input)))
    if turn.sources and turn.must_include and result.citations and not result.refused:
        scores["lead_fact"] = float(metrics.leads_with_fact(result.citations, turn.must_include))
    if turn.must_include:
        scores["key_fact_recall"] = metrics.key_fact_recall(result.answer, turn.must_include)
        missing = [g for g in turn.must_include if metrics.key_fact_recall(result.answer, [g]) == 0.0]
        if missing:
            problems.append(f"missing key facts {missing}")
    if turn.must_not_include:
        found = metrics.forbidden_found(result.answer, turn.must_not_include)
        scores["forbidden_free"] = float(not found)
        if found:
            problems.append(f"contains forbidden text {found}")
    if not result.refused:
        invalid = metrics.invalid_citations(result.citations, result.retrieved)
        scores["citation_validity"] = float(not invalid)
        if invalid:
            problems.append(f"citations {invalid} quote text that was not retrieved")
        if not result.citations and turn.sources:
            problems.append("answer has no citation")
        if result.citations or turn.sources:  # tool answers rest on tool results, not on quotes
            records = frozenset(
                str(item["id"])
                for call in result.tool_calls
                for item in (call.get("result") or {}).get("items", [])
                if isinstance(item, dict) and "id" in item
            )
            scores["groundedness"] = metrics.groundedness(
                result.answer, result.citations, similarity, record_ids=records
            )
    if turn.action_status is not None:
        status = (result.action_result or {}).get("status")
        scores["action_state"] = float(status == turn.action_status)
        if status != turn.action_status:
            problems.append(f"action ended {status or 'nowhere'}, expected {turn.action_status}")
    if turn.pending_action is not None and bool(result.pending_action) != turn.pending_action:
        problems.append(
            "expected a pending action to confirm" if turn.pending_action else "proposed an unexpected action"
        )
    if turn.tool_calls is not None:
        tool_problems = metrics.tool_call_problems(turn.tool_calls, result.tool_calls)
        scores["tool_call_accuracy"] = float(not tool_problems)
        problems.extend(tool_problems)


def run_case(suite: Suite, case: Case, target: Target, similarity: Similarity | None, judge: Any = None) -> CaseResult:
    fixtures = suite.fixtures_for(case)
    session_id: str | None = None
    turns: list[TurnResult] = []
    for turn in case.steps:
        result = TurnResult(input=turn.input)
        try:
            body = target.ask(turn.input, session_id, fixtures)
        except Exception as exc:  # a broken target is a failed case, not a crashed run
            result.problems.append(f"request failed: {exc}")
            result.evaluated = True
            turns.append(result)
            continue
        session_id = body.get("session_id") or session_id
        result.answer = body.get("answer", "")
        result.refused = bool(body.get("refused"))
        result.citations = list(body.get("citations") or [])
        result.retrieved = list(body.get("retrieved") or [])
        result.tool_calls = list(body.get("tool_calls") or [])
        result.pending_action = body.get("pending_action")
        result.action_result = body.get("action_result")
        result.timings_ms = dict(body.get("timings_ms") or {})
        result.llm = body.get("llm")
        _evaluate_turn(turn, result, similarity)
        _judge_turn(judge, case.id, result)
        turns.append(result)
    evaluated = [t for t in turns if t.evaluated]
    scores: dict[str, float] = {}
    for name in {k for t in evaluated for k in t.scores}:
        values = [t.scores[name] for t in evaluated if name in t.scores]
        scores[name] = sum(values) / len(values)
    passed = all(not t.problems for t in turns)
    return CaseResult(case.id, case.kind, case.tags, case.blocking, passed, turns, scores)


def _aggregate(cases: list[CaseResult]) -> dict[str, float]:
    turns = [t for c in cases for t in c.turns if t.evaluated]
    result: dict[str, float] = {"cases": float(len(cases)), "case_pass_rate": _mean([float(c.passed) for c in cases])}
    for name in (
        "recall@1",
        "recall@3",
        "recall@5",
        "mrr",
        "ndcg@10",
        "key_fact_recall",
        "forbidden_free",
        "citation_validity",
        "citation_correctness",
        "groundedness",
        "tool_call_accuracy",
        "action_state",
        "judge_faithfulness",
        "judge_relevance",
    ):
        values = [t.scores[name] for t in turns if name in t.scores]
        if values:
            result[name] = _mean(values)
    hits = [t.scores["citation_hit"] for t in turns if "citation_hit" in t.scores]
    if hits:
        result["citation_hit_rate"] = _mean(hits)
    result.update(_by_language(cases))
    expected = [t for t in turns if "refusal_expected" in t.scores]
    positives = [t for t in expected if t.scores["refusal_expected"]]
    predicted = [t for t in expected if t.scores["refused"]]
    if positives:
        result["refusal_recall"] = _mean([t.scores["refused"] for t in positives])
    if predicted:
        result["refusal_precision"] = _mean([t.scores["refusal_expected"] for t in predicted])
    model_turns = [t.llm for c in cases for t in c.turns if t.llm]
    if model_turns:
        # LLM mode: how often the model's own answer was kept, and how many invented citations were cut.
        result["llm_answer_rate"] = _mean([float(m.get("mode") == "llm") for m in model_turns])
        result["llm_removed_citations"] = float(sum(m.get("removed_citations", 0) for m in model_turns))
    for stage in LATENCY_STAGES:
        values = [t.timings_ms[stage] for c in cases for t in c.turns if stage in t.timings_ms]
        if values:
            result[f"latency_{stage}_median_ms"] = round(statistics.median(values), 2)
            result[f"latency_{stage}_p95_ms"] = round(_p95(values), 2)
    return {k: round(v, 4) for k, v in result.items()}


# Figures reported per language of the case (its `en` / `zh` tag): Chinese must do as well as English.
LANGUAGE_METRICS = ("case_pass_rate", "citation_hit", "lead_fact", "native_quotes")


def _by_language(cases: list[CaseResult]) -> dict[str, float]:
    """`<metric>.<language>` for the cases tagged with each language: pass rate, gold cited, lead, quotes."""
    figures: dict[str, float] = {}
    for language in ("en", "zh"):
        tagged = [c for c in cases if language in c.tags]
        if not tagged:
            continue
        figures[f"case_pass_rate.{language}"] = _mean([float(c.passed) for c in tagged])
        turns = [t for c in tagged for t in c.turns if t.evaluated]
        for name in LANGUAGE_METRICS[1:]:
            values = [t.scores[name] for t in turns if name in t.scores]
            if values:
                figures[f"{name}.{language}"] = _mean(values)
    return figures


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def check_thresholds(values: dict[str, float], thresholds: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Failed thresholds as {metric: (value, limit)}. Limits are minima, except `latency_*` ones (maxima)."""
    failed = {}
    for name, limit in thresholds.items():
        value = values.get(name)
        if value is None:
            failed[name] = (float("nan"), limit)
        elif (value > limit) if name.startswith("latency_") else (value < limit):
            failed[name] = (value, limit)
    return failed


def run_suite(
    suite: Suite,
    target: Target,
    similarity: Similarity | None = None,
    baseline: dict[str, Any] | None = None,
    on_case: ProgressHook | None = None,
    judge: Any = None,
) -> SuiteResult:
    started = time.perf_counter()
    cases = []
    for case in suite.cases:
        cases.append(run_case(suite, case, target, similarity, judge))
        if on_case:
            on_case(case.id)
    values = _aggregate(cases)
    values["wall_seconds"] = round(time.perf_counter() - started, 2)
    return SuiteResult(
        suite=suite.suite,
        description=suite.description,
        target=target.description,
        cases=cases,
        metrics=values,
        thresholds=suite.thresholds,
        failed_thresholds=check_thresholds(values, suite.thresholds),
        baseline=baseline,
    )


def case_record(suite: str, case: CaseResult) -> dict[str, Any]:
    """One line of cases.jsonl."""
    record = asdict(case)
    record["suite"] = suite
    record["problems"] = case.problems
    return record
