"""A committed database for CLI tests: the CLI opens its own sessions and commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine

from safetyhub import migrate
from safetyhub.config import get_settings
from safetyhub.db import engine_for
from tests.conftest import drop_postgres_database, fresh_database_url


def point_cli_at(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the CLI (SAFETYHUB_DATABASE_URL) use `url` from now on."""
    monkeypatch.setenv("SAFETYHUB_DATABASE_URL", url)
    get_settings.cache_clear()
    engine_for.cache_clear()


@contextmanager
def committed_database(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, migrated: bool = True
) -> Iterator[str]:
    """A fresh database of `backend` that the CLI uses; dropped (PostgreSQL) afterwards."""
    url = fresh_database_url(backend, tmp_path)
    try:
        if migrated:
            migrate.upgrade(url)
        point_cli_at(url, monkeypatch)
        yield url
    finally:
        engine_for(url).dispose()
        engine_for.cache_clear()
        get_settings.cache_clear()
        if backend == "postgresql":
            drop_postgres_database(url)


def disable_audit_guards(connection: Connection) -> None:
    """Act as a tamperer with DBA rights: switch off the append-only triggers."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update"
        )
    else:
        connection.exec_driver_sql("DROP TRIGGER audit_events_no_update")
        connection.exec_driver_sql("DROP TRIGGER audit_events_no_delete")


def tamper(engine: Engine, statement: str, **params: object) -> None:
    """Commit one raw change to the audit log with its guards switched off."""
    from sqlalchemy import text

    with engine.begin() as conn:
        disable_audit_guards(conn)
        conn.execute(text(statement), params)
