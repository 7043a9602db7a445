from collections.abc import Iterator

import pytest

from assistant.records import RecordsService
from assistant.records.db import make_engine, migrate, session_factory
from assistant.records.semantic import RecordVectors
from assistant.vectorstore import ChromaVectorStore
from tests.conftest import DEMO_NOW, make_settings


@pytest.fixture
def records(database_url: str, tmp_path, embedder) -> Iterator[RecordsService]:
    """A migrated, empty records store on the parametrised engine, with a fixed clock."""
    engine = make_engine(database_url)
    migrate(engine)
    store = ChromaVectorStore(make_settings(tmp_path / "data"))
    service = RecordsService(session_factory(engine), RecordVectors(store, embedder), clock=lambda: DEMO_NOW)
    yield service
    engine.dispose()
