"""Alembic environment: runs on the connection handed over by dashboard.store.migration, or on
PASSNUM_DATABASE_URL when invoked from the `alembic` command line (configured in pyproject.toml)."""

from __future__ import annotations

from alembic import context

from dashboard.settings import Settings
from dashboard.store.db import make_engine
from dashboard.store.schema import Base

target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copy
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(Settings.from_env().resolved_database_url)
    with engine.connect() as conn:
        _run(conn)
