"""A local scale-out deployment on 127.0.0.1: a Chroma server, PostgreSQL and several API workers.

The same code as the embedded default, chosen by settings (CHROMA_HOST, DATABASE_URL). Used by the
scale-out tests and benchmarks, and by hand:

    python -m deploy.scaleout --workers 4 --database-url postgresql://postgres@127.0.0.1:5432/test

It ingests the knowledge base into the Chroma server, loads the demo records, serves until Ctrl-C, and
prints the base URL. Telegram runs in webhook mode inside the workers when TELEGRAM_* is set.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

import httpx

REPO = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgresql+psycopg://root@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, timeout: float, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before {url} answered")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


class ScaleOut:
    """Start with `with ScaleOut(...) as deployment:`; `deployment.url` is the API behind all workers."""

    def __init__(
        self,
        workers: int = 2,
        database_url: str = POSTGRES_URL,
        data_dir: Path | None = None,
        knowledge_dir: Path | None = None,
        extra_env: dict[str, str] | None = None,
        load_demo_records: bool = True,
        start_timeout: float = 180,
    ) -> None:
        self.workers = workers
        self.start_timeout = start_timeout  # seconds for the workers to load the index and start
        self.database_url = database_url
        self._tmp = None if data_dir else tempfile.TemporaryDirectory(prefix="iei-scaleout-")
        self.data_dir = data_dir or Path(self._tmp.name)  # type: ignore[union-attr]
        self.knowledge_dir = knowledge_dir
        self.extra_env = extra_env or {}
        self.load_demo_records = load_demo_records
        self.chroma_port = free_port()
        self.port = free_port()
        self.processes: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "ASSISTANT_DATA_DIR": str(self.data_dir),
            "CHROMA_HOST": "127.0.0.1",
            "CHROMA_PORT": str(self.chroma_port),
            "DATABASE_URL": self.database_url,
            # The workers share the cores, so their turns wait in one queue (assistant/host_semaphore.py), with
            # about 4 slots per worker (bench/README.md, "One queue of turns per host").
            "ASSISTANT_TURN_QUEUE": "host",
            "ASSISTANT_CONCURRENT_TURNS": str(4 * self.workers),
            **self.extra_env,
        }
        if self.knowledge_dir:
            env["ASSISTANT_KNOWLEDGE_DIR"] = str(self.knowledge_dir)
        return env

    def _bin(self, name: str) -> str:
        return shutil.which(name) or str(Path(sys.executable).with_name(name))

    def _spawn(self, *args: str) -> subprocess.Popen[bytes]:
        path = self.data_dir / f"{Path(args[0]).name}-{len(self.processes)}.log"
        log = open(path, "wb")  # noqa: SIM115
        self.logs.append(path)
        # Own process group: stopping the deployment stops uvicorn's workers too.
        process = subprocess.Popen(args, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        return process

    def _run(self, *args: str) -> None:
        done = subprocess.run(args, env=self.env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args[1:])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")

    def start(self) -> ScaleOut:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        chroma = self._spawn(
            self._bin("chroma"), "run", "--path", str(self.data_dir / "chroma-server"),
            "--host", "127.0.0.1", "--port", str(self.chroma_port),
        )  # fmt: skip
        _wait(f"http://127.0.0.1:{self.chroma_port}/api/v2/heartbeat", 60, chroma)
        assistant = self._bin("assistant")
        self._run(assistant, "ingest")
        if self.load_demo_records:
            self._run(assistant, "records", "demo")
        server = self._spawn(
            assistant,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            # As behind a reverse proxy on this host (RUNBOOK): X-Forwarded-For from loopback is believed.
            "--forwarded-allow-ips",
            "127.0.0.1",
        )
        _wait(f"{self.url}/health", self.start_timeout, server)
        self._wait_for_all_workers(self.start_timeout, server)
        return self

    def _wait_for_all_workers(self, timeout: float, server: subprocess.Popen[bytes]) -> None:
        # The first answer comes from whichever worker loaded first; the others may still be loading the
        # embedder, and until they accept, one worker takes every connection. A worker is ready once it has
        # logged its startup (at log level INFO) or answered a request (whatever the level).
        deadline = time.monotonic() + timeout
        answered: set[int] = set()
        with ThreadPoolExecutor(max_workers=8) as pool:
            while self.started_workers() < self.workers and len(answered) < self.workers:
                if server.poll() is not None:
                    raise RuntimeError(f"the API server exited with {server.returncode}; see {self.logs[-1]}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{len(answered)} of {self.workers} workers answered in {timeout:.0f} s")
                answered |= set(pool.map(lambda _: self._health_worker(), range(8))) - {None}
                time.sleep(0.2)

    def _health_worker(self) -> int | None:
        try:
            return int(httpx.get(f"{self.url}/health", timeout=10).json()["worker"])
        except (httpx.HTTPError, ValueError, KeyError):
            return None

    def started_workers(self) -> int:
        """How many API workers have logged their startup (uvicorn does at log level INFO)."""
        return self.logs[-1].read_text(errors="replace").count("Application startup complete")

    def worker_pids(self) -> list[int]:
        """The API worker processes (children of the uvicorn supervisor)."""
        supervisor = self.processes[-1].pid
        out = subprocess.run(["ps", "-o", "pid=,stat=", "--ppid", str(supervisor)], capture_output=True, text=True)
        rows = [line.split() for line in out.stdout.splitlines() if line.strip()]
        return [int(pid) for pid, stat in rows if not stat.startswith("Z")]  # a killed worker lingers as a zombie

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        self.processes.clear()
        self._remove_turn_queue()
        if self._tmp is not None:
            self._tmp.cleanup()

    def _remove_turn_queue(self) -> None:
        """Every worker has exited: the host's queue of turns goes with them (System V semaphores outlive
        their processes)."""
        env = self.env
        if env["ASSISTANT_TURN_QUEUE"] != "host":
            return
        from assistant.host_semaphore import HostSemaphore

        with contextlib.suppress(OSError):
            HostSemaphore.remove(str(self.data_dir.resolve()), int(env["ASSISTANT_CONCURRENT_TURNS"]))

    def __enter__(self) -> ScaleOut:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", POSTGRES_URL))
    parser.add_argument("--data-dir", type=Path, default=REPO / ".data" / "scaleout")
    options = parser.parse_args()
    # Its processes run in sessions of their own, so a plain SIGTERM (a service manager, `kill`, a script that
    # started it in the background, where Ctrl-C is ignored) must still stop them: leave the `with` block.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with ScaleOut(options.workers, options.database_url, options.data_dir) as deployment:
        print(f"serving {deployment.url} with {options.workers} workers; Ctrl-C stops", flush=True)  # noqa: T201
        try:
            while all(p.poll() is None for p in deployment.processes):
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
