"""Alembic environment: runs against the connection or URL handed over by safetyhub.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from safetyhub.all_models import metadata
from safetyhub.db import make_engine


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
