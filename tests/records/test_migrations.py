"""The migrations build exactly the schema the models describe, on both engines: a column the models
changed without a migration (or the other way round) fails here, not in production."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from assistant.records.db import make_engine, migrate
from assistant.records.models import Base


def test_the_migrated_schema_is_the_models_schema(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []
