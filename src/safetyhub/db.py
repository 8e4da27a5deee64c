"""Engine, sessions and the declarative base shared by every domain's models."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, Uuid, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from safetyhub.config import get_settings
from safetyhub.timeutil import to_utc, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = to_utc(value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else to_utc(value)


class Base(DeclarativeBase):
    """Declarative base with the metadata naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), uuid.UUID: Uuid()}


class IdMixin:
    """UUID primary key: records move between instances and engines."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class CreatedMixin:
    """Creation timestamp in UTC."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite begins transactions lazily (only before a write), so reads and SAVEPOINTs ran
    # outside any transaction. Take over: no implicit BEGIN, and an explicit one on "begin".
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    """Create an engine for `url` with the settings each backend needs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """Return the process-wide engine for `url`."""
    return make_engine(url)


def get_engine() -> Engine:
    """Return the engine of the configured database."""
    return engine_for(get_settings().database_url)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    """Return a session factory bound to `engine` (default: the configured database)."""
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def job_session(engine: Engine | None = None) -> Iterator[Session]:
    """A unit of work for CLI jobs: commit once at the end, roll back on any error."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
