"""The `assistant` command: ingest, ask, search, serve. Exit codes: 0 ok, 1 partial failure, 2 usage/setup."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from assistant.settings import get_settings
from evals.cli import app as eval_app

app = typer.Typer(help="Industry-education integration assistant.", no_args_is_help=True, add_completion=False)
app.add_typer(eval_app, name="eval")
console = Console()
errors = Console(stderr=True)


def _container():  # type: ignore[no-untyped-def]
    from assistant.api.deps import Container

    try:
        return Container.build(get_settings())
    except Exception as exc:  # setup problems: show the message that names the fix, not a traceback
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders; default: the knowledge base.")] = None,
) -> None:
    """Index documents (.txt .md .pdf .docx); unchanged ones are skipped, removed ones dropped."""
    from assistant.ingest import ingest as run_ingest

    settings = get_settings()
    container = _container()
    targets = paths or [settings.knowledge_dir]
    with Progress(
        TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=errors
    ) as progress:
        task = progress.add_task("embed", total=None)
        report = run_ingest(
            targets,
            settings,
            container.store,
            container.embedder,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    for path, message in report.errors:
        errors.print(f"[red]failed[/red] {path}: {message}")
    for path, message in report.warnings:
        errors.print(f"[yellow]warning[/yellow] {path}: {message}")
    console.print(report.summary(), soft_wrap=True, highlight=False)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question, in English or Chinese.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full response as JSON.")] = False,
    role: Annotated[str, typer.Option(help="student, enterprise, teacher or admin.")] = "student",
    lang: Annotated[str, typer.Option(help="auto, en or zh.")] = "auto",
) -> None:
    """Ask one question and print the cited answer."""
    from assistant.retrieval import IndexNotReadyError
    from assistant.service import ChatRequest

    container = _container()
    try:
        result = container.assistant.chat(ChatRequest(question, role=role, lang=lang))  # type: ignore[arg-type]
    except IndexNotReadyError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))
        return
    console.print(result.answer, soft_wrap=True, highlight=False)
    for citation in result.citations:
        console.print(f"[{citation.n}] {citation.doc_id}#{citation.section} — {citation.title}", highlight=False)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Search text.")],
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 8,
    doc: Annotated[list[str] | None, typer.Option(help="Only these document ids.")] = None,
    doc_type: Annotated[list[str] | None, typer.Option("--type", help="Only these types (paper, policy...).")] = None,
    language: Annotated[list[str] | None, typer.Option("--lang", help="Only documents in these languages.")] = None,
) -> None:
    """Show ranked passages with their scores (for administrators tuning retrieval)."""
    container = _container()
    filters = {"doc_id": doc or [], "doc_type": doc_type or [], "language": language or []}
    result = container.assistant.search(query, k=k, filters=filters)
    table = Table(title=f"{query!r}" + (f"  (bridge: {', '.join(result.bridge_terms)})" if result.bridge_terms else ""))
    for column in ("#", "citation", "fused", "dense", "bm25", "passage"):
        table.add_column(column)
    for i, passage in enumerate(result.passages, 1):
        text = passage.chunk.text
        table.add_row(
            str(i),
            passage.chunk.citation_key,
            f"{passage.score:.4f}",
            f"{passage.dense:.3f}",
            f"{passage.lexical:.2f}",
            text[:160] + ("…" if len(text) > 160 else ""),
        )
    console.print(table)


@app.command()
def understand(message: Annotated[str, typer.Argument(help="A message as a user would type it.")]) -> None:
    """Show how a message is read: intents with their shares and the entities found (for administrators)."""
    from assistant.understanding.understander import CONFIDENT_SHARE

    container = _container()
    intents = container.understander.intents(message)
    sure = "sure" if intents.sure else f"unsure: the best share is under {CONFIDENT_SHARE}"
    table = Table(title=f"{message!r}  (margin {intents.margin:.2f}, {sure})")
    table.add_column("intent")
    table.add_column("share", justify="right")
    for scored in intents.ranked[:5]:
        table.add_row(scored.intent, f"{scored.score:.3f}")
    console.print(table)
    assert container.assistant.conversation is not None  # the container always builds one
    entities = container.assistant.conversation.entities(message)
    found = {k: str(v) for k, v in asdict(entities).items() if v not in (None, "")}
    console.print_json(data=found) if found else console.print("no entities", highlight=False)


records_app = typer.Typer(help="Cooperation records: import files, load the demo data.", no_args_is_help=True)
app.add_typer(records_app, name="records")


@records_app.command("import")
def records_import(
    files: Annotated[list[Path], typer.Argument(help="CSV or JSON records files.")],
    kind: Annotated[str | None, typer.Option(help="offers, platforms or slots; default: from the file name.")] = None,
) -> None:
    """Validate and import records; a file with any bad row imports nothing and lists every problem."""
    from assistant.records.importer import RecordsFileError
    from assistant.text import detect_language

    container = _container()
    failed = False
    for path in files:
        try:
            report = container.records.import_file(path, kind)
        except RecordsFileError as exc:
            errors.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        for problem in report.errors:
            # A Chinese export (its headers are Chinese) is told what to fix in Chinese.
            said = problem.in_chinese() if detect_language(problem.column) == "zh" else str(problem)
            errors.print(f"  {path.name}: {said}", highlight=False)
        console.print(report.summary(), soft_wrap=True, highlight=False)
        failed = failed or not report.ok
    raise typer.Exit(1 if failed else 0)


@records_app.command("demo")
def records_demo() -> None:
    """Load the sample records of knowledge_base/records/, with consultation slots moved into the future."""
    from assistant.records.demo import load_demo

    settings = get_settings()
    container = _container()
    reports = load_demo(container.records, settings.records_dir, settings.data_dir / "demo")
    for report in reports:
        console.print(report.summary(), soft_wrap=True, highlight=False)
    raise typer.Exit(0 if all(r.ok for r in reports) else 1)


@app.command("seed-vectors")
def seed_vectors() -> None:
    """Ship the serving index's passage vectors and the intent model fitted on the examples with the knowledge
    base, so a fresh install embeds only what changed (run after `assistant ingest` when the shipped
    documents or the intent examples change)."""
    import numpy as np

    from assistant.embedders.seed import seed_path, write_seed
    from assistant.understanding.intents import (
        ExampleBank,
        IntentClassifier,
        embed_examples,
        model_file_name,
        save_model,
    )
    from assistant.understanding.understander import AGREEMENT_KINDS_FILE

    settings = get_settings()
    container = _container()
    generation = container.store.active_generation()
    if generation is None:
        errors.print("[red]error:[/red] the index is empty; run `assistant ingest` first")
        raise typer.Exit(2)
    texts, vectors = container.store.passage_vectors(generation)
    # The records' texts too (load the demo records first): a fresh install searches them without embedding.
    known = set(texts)
    record_texts = sorted({text for text in container.records.texts() if text not in known})  # each text once
    if record_texts:
        texts = [*texts, *record_texts]
        vectors = np.vstack([vectors, container.embedder.embed_passages(record_texts)])
    path = seed_path(settings.vectors_dir, container.embedder.id)
    write_seed(path, texts, vectors)
    console.print(f"wrote {len(texts)} passage vectors to {path}", highlight=False)
    for stale in settings.understanding_dir.glob("intents-*.npz"):
        stale.unlink()  # fitted to an earlier version of the examples
    for bank_file in ("intents.yaml", AGREEMENT_KINDS_FILE):
        bank = ExampleBank.load(settings.understanding_dir / bank_file)
        model = settings.understanding_dir / model_file_name(bank, container.embedder)
        save_model(IntentClassifier.fit(bank.labels, embed_examples(bank, container.embedder)), model)
        console.print(f"wrote the model fitted on {len(bank.texts)} examples of {bank_file}: {model}", highlight=False)


@app.command()
def telegram() -> None:
    """Run the Telegram bot with long polling (TELEGRAM_BOT_TOKEN; TELEGRAM_API_BASE_URL for a self-hosted API)."""
    settings = get_settings()
    if not settings.telegram_bot_token:
        errors.print("[red]error:[/red] set TELEGRAM_BOT_TOKEN (from @BotFather) to run the bot")
        raise typer.Exit(2)
    from bots.telegram.bot import build_application

    logging.basicConfig(level=settings.log_level.upper())
    from assistant.redaction import redact_logs

    redact_logs()
    container = _container()
    container.warm_up()
    application = build_application(settings.telegram_bot_token, container.assistant, settings.telegram_api_base_url)
    application.run_polling()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(help="Proxy addresses whose X-Forwarded-For is believed (default ASSISTANT_FORWARDED_ALLOW_IPS)."),
    ] = None,
) -> None:
    """Serve the HTTP API (docs at /docs)."""
    import uvicorn

    settings = get_settings()
    logging.basicConfig(level=settings.log_level.upper())
    proxies = settings.forwarded_allow_ips if forwarded_allow_ips is None else forwarded_allow_ips
    uvicorn.run(
        "assistant.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: only configured proxies here.
        proxy_headers=bool(proxies.strip()),
        forwarded_allow_ips=proxies or None,
        http="assistant.api.slow_clients:HttpProtocol",  # closes connections that stall before their headers
    )


if __name__ == "__main__":
    app()
