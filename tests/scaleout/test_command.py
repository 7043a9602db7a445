"""`python -m deploy.scaleout` stops everything it started, and the host's queue of turns, on SIGTERM."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time

import httpx
import pytest

from assistant.host_semaphore import HostSemaphore, _key
from tests.conftest import KNOWLEDGE_DIR, REPO_ROOT, postgres_schema

pytestmark = pytest.mark.postgres


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout
    return not state.startswith("Z")


def test_sigterm_stops_the_deployment_and_removes_its_turn_queue(tmp_path):
    knowledge = tmp_path / "kb"
    knowledge.mkdir()
    shutil.copy(KNOWLEDGE_DIR / "policies" / "glossary.md", knowledge)
    data = tmp_path / "scaleout"
    with postgres_schema() as url:
        command = [sys.executable, "-m", "deploy.scaleout", "--workers", "2", "--database-url", url]
        env = {**os.environ, "ASSISTANT_KNOWLEDGE_DIR": str(knowledge)}
        # Started the way a script starts it in the background: SIGINT ignored, so only SIGTERM can stop it.
        main = subprocess.Popen(
            [*command, "--data-dir", str(data)], cwd=REPO_ROOT, env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=_ignore_sigint, start_new_session=True,
        )  # fmt: skip
        started: list[int] = []
        try:
            assert main.stdout is not None
            line = main.stdout.readline()
            assert line.startswith("serving "), line
            base = line.split()[1]
            assert httpx.get(f"{base}/health", timeout=10).status_code == 200
            children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(main.pid)], capture_output=True, text=True)
            started = [int(pid) for pid in children.stdout.split()]
            assert len(started) == 2  # the Chroma server and the uvicorn supervisor
            semaphore = _key(str(data.resolve()), 8)  # 4 slots per worker (deploy/scaleout.py)
            assert _semget(semaphore) >= 0

            main.send_signal(signal.SIGTERM)
            assert main.wait(timeout=60) == 0
            deadline = time.monotonic() + 10
            while any(_alive(pid) for pid in started) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not [pid for pid in started if _alive(pid)]
            assert _semget(semaphore) == -1
        finally:
            for pid in [main.pid, *started]:  # whatever is left, with its process group (uvicorn's workers)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
            main.wait()
            HostSemaphore.remove(str(data.resolve()), 8)


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _semget(key: int) -> int:
    import ctypes

    return ctypes.CDLL(None).semget(key, 1, 0o600)
