"""The static HTML report: summary, charts (matplotlib, embedded as PNG), per-case drill-down. No CDN."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import jinja2
import matplotlib

matplotlib.use("Agg")  # no display here, and none needed
import matplotlib.pyplot as plt

from evals.runner import SuiteResult

CHART_METRICS = (
    "case_pass_rate",
    "recall@5",
    "mrr",
    "ndcg@10",
    "key_fact_recall",
    "citation_validity",
    "citation_hit_rate",
    "citation_correctness",
    "groundedness",
    "refusal_recall",
    "refusal_precision",
    "tool_call_accuracy",
    "judge_faithfulness",
    "judge_relevance",
)
_TEMPLATE = Path(__file__).with_name("report.html.j2")


def _png(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def metrics_chart(result: SuiteResult) -> str | None:
    names = [m for m in CHART_METRICS if m in result.metrics]
    if not names:
        return None
    figure, axis = plt.subplots(figsize=(7.5, 0.38 * len(names) + 0.8))
    values = [result.metrics[m] for m in names]
    colours = ["#c0392b" if m in result.failed_thresholds else "#2e86c1" for m in names]
    axis.barh(names[::-1], values[::-1], color=colours[::-1])
    for name, limit in result.thresholds.items():
        if name in names:
            y = len(names) - 1 - names.index(name)
            axis.plot([limit, limit], [y - 0.4, y + 0.4], color="black", linewidth=2)
    axis.set_xlim(0, 1.05)
    axis.set_xlabel("score (black tick: threshold)")
    axis.set_title(f"{result.suite}: metrics")
    return _png(figure)


def latency_chart(result: SuiteResult) -> str | None:
    totals = [t.timings_ms["total"] for c in result.cases for t in c.turns if "total" in t.timings_ms]
    if not totals:
        return None
    figure, axis = plt.subplots(figsize=(7.5, 2.6))
    axis.hist(totals, bins=min(30, max(5, len(totals) // 4)), color="#48c9b0")
    axis.set_xlabel("server time per turn (ms)")
    axis.set_ylabel("turns")
    axis.set_title(f"{result.suite}: latency (median {result.metrics.get('latency_total_median_ms', 0):.0f} ms)")
    return _png(figure)


def render_html(results: list[SuiteResult], meta: dict[str, Any]) -> str:
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    template = environment.from_string(_TEMPLATE.read_text(encoding="utf-8"))
    suites = [
        {"result": r, "metrics_png": metrics_chart(r), "latency_png": latency_chart(r), "deltas": r.metric_deltas()}
        for r in results
    ]
    return template.render(suites=suites, meta=meta, gate_passed=all(r.gate_passed for r in results))
