"""Helpers shared by the benchmarks: statistics, eval questions, PostgreSQL schemas, process memory."""

from __future__ import annotations

import os
import statistics
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from evals.schema import load_suite

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")
CACHE_DIR = Path(os.environ.get("BENCH_CACHE_DIR", "/tmp/bench-cache"))


def machine_note() -> str:
    """The machine in one line, with the 1/5/15-minute load average at the time of printing."""
    load = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    return f"{os.cpu_count()} cores shared with other work (load average {load} at the end of the run)"


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: Sequence[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def eval_cases(suites: Sequence[str] = ("paper", "policy")) -> list[tuple[str, list[str]]]:
    """(question, gold sources) of every single-turn case of the suites, in file order."""
    return [(c.input, list(c.sources)) for name in suites for c in load_suite(name).cases if c.input]


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table; floats get one decimal unless they are already strings."""

    def cell(value: object) -> str:
        if isinstance(value, float):
            return f"{value:.1f}" if abs(value) >= 10 or value == 0 else f"{value:.2f}"
        return str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


@contextmanager
def postgres_schema(prefix: str = "bench") -> Iterator[str]:
    """A fresh schema in the local PostgreSQL database, as a DATABASE_URL; dropped afterwards."""
    import sqlalchemy

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sqlalchemy.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {name}")
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
        admin.dispose()


# -- process memory (no psutil: /proc is enough on Linux) -------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants."""
    tree = _children()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


def rss_mb(pid: int) -> float:
    """Resident set size of one process in MiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss_mb(roots: Sequence[int]) -> float:
    """Summed RSS of the process trees under `roots` (shared pages are counted once per process)."""
    return sum(rss_mb(pid) for root in roots for pid in set(process_tree(root)))
