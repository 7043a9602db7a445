"""`assistant eval ...`: run suites through the gate, compare retrieval settings, draft cases from feedback."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from evals.schema import SuiteError, all_suite_names, load_suite

app = typer.Typer(help="Evaluate the assistant: suites, reports, CI gate.", no_args_is_help=True)
console = Console(width=None if Console().is_terminal else 200)
errors = Console(stderr=True)
SUMMARY_METRICS = (
    "case_pass_rate",
    "recall@5",
    "mrr",
    "citation_hit_rate",
    "key_fact_recall",
    "groundedness",
    "citation_validity",
    "refusal_recall",
    "latency_total_median_ms",
)


def _similarity(embedder: Any):  # type: ignore[no-untyped-def]
    cache: dict[str, Any] = {}

    def vector(text: str) -> Any:
        if text not in cache:
            cache[text] = embedder.embed_passages([text])[0]
        return cache[text]

    return lambda a, b: float(vector(a) @ vector(b))


@app.command()
def run(
    suites: Annotated[list[str] | None, typer.Argument(help="Suite names or files; default: every suite.")] = None,
    against: Annotated[str | None, typer.Option(help="A running server's base URL instead of in-process.")] = None,
    baseline: Annotated[Path | None, typer.Option(help="summary.json of an earlier run, for deltas.")] = None,
    out: Annotated[Path | None, typer.Option(help="Output folder; default .data/eval/<time>.")] = None,
    judge: Annotated[bool, typer.Option(help="Use the LLM judge when an LLM is configured.")] = True,
    mode: Annotated[
        str,
        typer.Option(help="auto: as configured; offline: the extractive answerer; llm: the configured model."),
    ] = "auto",
) -> None:
    """Run suites; write JSONL, summary JSON, JUnit XML and HTML; exit 1 when the gate fails."""
    from assistant.embedders import make_embedder
    from assistant.settings import get_settings
    from evals.report import write_outputs
    from evals.report.writers import load_baseline
    from evals.runner import run_suite
    from evals.targets import HttpTarget, in_process_target

    try:
        loaded = [load_suite(name) for name in (suites or all_suite_names())]
        baselines = load_baseline(baseline) if baseline else {}
    except (SuiteError, ValueError, OSError) as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    settings = get_settings()
    if mode not in ("auto", "offline", "llm"):
        errors.print(f"[red]error:[/red] --mode must be auto, offline or llm, not {mode!r}")
        raise typer.Exit(2)
    if mode == "llm" and not settings.llm_configured:
        errors.print(
            "[red]error:[/red] --mode llm needs ASSISTANT_LLM_BASE_URL and ASSISTANT_LLM_MODEL "
            "(any OpenAI-compatible server); or run with --mode offline"
        )
        raise typer.Exit(2)
    # The judge may use the model even when the answers under test are the offline ones.
    answer_settings = settings.model_copy(update={"llm_base_url": None}) if mode == "offline" else settings
    answering = "llm" if answer_settings.llm_configured else "offline"
    close = None
    if against:
        target: Any = HttpTarget(against)
        embedder = make_embedder(settings)
    else:
        from assistant.api.deps import Container

        # Every run starts from the suites' own records: bookings an earlier run confirmed would otherwise
        # leave its slots taken, and the data `make run` serves is never touched.
        scratch = tempfile.TemporaryDirectory(prefix="eval-records-")
        answer_settings = answer_settings.model_copy(
            update={"database_url": f"sqlite:///{Path(scratch.name) / 'records.db'}"}
        )
        container = Container.build(answer_settings)
        target, close_target = in_process_target(container)

        def close() -> None:
            close_target()
            scratch.cleanup()

        embedder = container.embedder
    similarity = _similarity(embedder)
    llm_judge = None
    if judge and settings.llm_configured:
        from evals.judge import LLMJudge

        assert settings.llm_base_url and settings.llm_model
        llm_judge = LLMJudge(
            settings.llm_base_url,
            settings.llm_model,
            settings.llm_api_key,
            settings.data_dir / "eval" / "judge-cache.json",
        )
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    out = out or settings.data_dir / "eval" / started.replace(":", "")
    results = []
    total = sum(len(s.cases) for s in loaded)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=errors) as bar:
            task = bar.add_task("eval", total=total)
            for suite in loaded:
                bar.update(task, description=f"suite {suite.suite}")
                results.append(
                    run_suite(
                        suite,
                        target,
                        similarity,
                        baselines.get(suite.suite),
                        lambda _: bar.advance(task),
                        judge=llm_judge,
                    )
                )
    finally:
        if close:
            close()
    meta = {
        "started": started,
        "target": target.description,
        "mode": answering if not against else "server",
        "baseline": str(baseline) if baseline else None,
        "suites": [s.suite for s in loaded],
    }
    paths = write_outputs(results, out, meta)
    _print_summary(results)
    console.print(f"report: {paths['html']}  summary: {paths['summary']}  junit: {paths['junit']}", soft_wrap=True)
    raise typer.Exit(0 if all(r.gate_passed for r in results) else 1)


def _print_summary(results: list[Any]) -> None:
    table = Table(title="evaluation")
    table.add_column("suite")
    for name in SUMMARY_METRICS:
        table.add_column(name.replace("latency_total_median_ms", "median ms"), justify="right")
    table.add_column("gate")
    for result in results:
        cells = [f"{result.metrics[m]:.3f}" if m in result.metrics else "–" for m in SUMMARY_METRICS]
        table.add_row(result.suite, *cells, "[green]pass[/green]" if result.gate_passed else "[red]FAIL[/red]")
    console.print(table)
    for result in results:
        for name, (value, limit) in result.failed_thresholds.items():
            errors.print(f"[red]{result.suite}: {name} = {value} (limit {limit})[/red]")
        for case_id in result.failed_blocking:
            errors.print(f"[red]{result.suite}: blocking case {case_id} failed[/red]")
        if result.baseline:
            errors.print(f"{result.suite}: {len(result.regressions)} regressed, {len(result.fixed)} fixed vs baseline")


@app.command()
def compare(
    suite: Annotated[str, typer.Argument(help="Suite name or file.")] = "paper",
    modes: Annotated[str, typer.Option(help="Comma-separated retrieval modes.")] = "dense,bm25,sentence,hybrid",
) -> None:
    """Run one suite under several retrieval settings and print one comparison table."""
    from assistant.api.deps import Container
    from assistant.embedders import make_embedder
    from assistant.settings import get_settings
    from evals.runner import run_suite
    from evals.targets import in_process_target

    loaded = load_suite(suite)
    base = get_settings()
    embedder = make_embedder(base)
    similarity = _similarity(embedder)
    table = Table(title=f"retrieval settings on suite {loaded.suite} ({len(loaded.cases)} cases)")
    columns = (
        "recall@1",
        "recall@5",
        "mrr",
        "ndcg@10",
        "citation_hit_rate",
        "key_fact_recall",
        "case_pass_rate",
        "groundedness",
        "latency_retrieve_median_ms",
    )
    table.add_column("mode")
    for column in columns:
        table.add_column(column, justify="right")
    for mode in modes.split(","):
        settings = base.model_copy(update={"retrieval_mode": mode.strip()})
        target, close = in_process_target(Container.build(settings, embedder=embedder))
        try:
            result = run_suite(loaded, target, similarity)
        finally:
            close()
        table.add_row(mode, *[f"{result.metrics.get(c, float('nan')):.3f}" for c in columns])
    console.print(table)


@app.command("from-feedback")
def from_feedback(
    feedback: Annotated[Path, typer.Argument(help="Feedback export (JSON lines) with rating, message, answer.")],
    out: Annotated[Path, typer.Option(help="Draft suite to write.")] = Path("evals/suites/drafts/feedback.yaml"),
) -> None:
    """Turn thumbs-down conversations into draft cases for review (expectations left for a person to fill)."""
    from evals.feedback import draft_suite

    try:
        records = [json.loads(line) for line in feedback.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        errors.print(f"[red]error:[/red] cannot read {feedback}: {exc}")
        raise typer.Exit(2) from exc
    text, count = draft_suite(records)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    console.print(f"{count} draft case(s) from thumbs-down feedback written to {out}; review them before use")
