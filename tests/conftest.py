"""Shared fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL comes from SAFETYHUB_TEST_POSTGRES_URL (a server the tests may create databases on).
Without it, or when the server does not answer, the PostgreSQL half skips with the reason;
under CI (CI=true) an unreachable server is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from safetyhub import migrate
from safetyhub.app import create_app
from safetyhub.auth.models import User
from safetyhub.config import get_settings
from safetyhub.db import make_engine
from safetyhub.migrate import upgrade_connection
from safetyhub.sharing.vocabulary import Purpose
from safetyhub.timeutil import london_today

POSTGRES_ENV = "SAFETYHUB_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


def _postgres_admin_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests skipped: {POSTGRES_ENV} is not set")
    return url


def create_postgres_database() -> str:
    """Create a fresh, empty PostgreSQL database and return its URL."""
    admin_url = _postgres_admin_url()
    name = f"sh_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL tests skipped: no server answers at {admin_url} ({exc})")
    finally:
        admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    """Drop a database made by create_postgres_database."""
    name = make_url(url).database
    admin = create_engine(_postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def fresh_database_url(backend: str, tmp_dir: Path) -> str:
    """A new, empty database of `backend` (SQLite file under tmp_dir, or a PostgreSQL database)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_dir / f'safetyhub-{uuid.uuid4().hex[:8]}.db'}"
    return create_postgres_database()


@pytest.fixture(scope="session", params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database per backend for the whole test session."""
    url = fresh_database_url(request.param, tmp_path_factory.mktemp("db"))
    eng = make_engine(url)
    with eng.begin() as conn:
        upgrade_connection(conn)
    yield eng
    eng.dispose()
    if request.param == "postgresql":
        drop_postgres_database(url)


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """One connection in an outer transaction that is rolled back after the test."""
    conn = engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture
def session_maker(connection: Connection) -> sessionmaker[Session]:
    """Sessions bound to the test's connection; their commits only release savepoints."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(session_maker: sessionmaker[Session]) -> Iterator[Session]:
    """A session for arranging and asserting (inside the rolled-back transaction)."""
    with session_maker() as s:
        yield s


@pytest.fixture(autouse=True)
def _test_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fresh settings per test, so a test's environment changes do not leak."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def app(session_maker: sessionmaker[Session]) -> FastAPI:
    """The app, with its database sessions inside the test's transaction."""
    return create_app(factory=session_maker)


@pytest.fixture
def client(app: FastAPI, session: Session) -> Iterator[TestClient]:
    """An API/pages client whose requests run inside the test's transaction."""
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as c:
        yield c


class PageClient(TestClient):
    """A browser-like client signed in to the pages as one user."""

    csrf_token: str


@pytest.fixture
def page_client(app: FastAPI, session: Session) -> Iterator[Callable[..., PageClient]]:
    """Make clients signed in to the pages: `page_client(user, purpose=None)`.

    Each has the session cookie set and `.csrf_token` for form posts.
    """
    from tests.factories import web_session_for

    clients: list[PageClient] = []

    def make(user: User, purpose: Purpose | None = None) -> PageClient:
        token, csrf = web_session_for(session, user, purpose)
        client = PageClient(app, base_url="https://testserver", raise_server_exceptions=False)
        client.cookies.set("safetyhub_session", token)
        client.csrf_token = csrf
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A committed SQLite file holding the tiny synthetic county (seed 5) ending today, used
    by the CLI and jobs through SAFETYHUB_DATABASE_URL (the demo seeders' tests)."""
    from safetyhub.synthetic.service import seed_database

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setenv("SAFETYHUB_DATABASE_URL", url)
    get_settings.cache_clear()
    migrate.upgrade(url)
    seed_database(scale="tiny", seed=5, ground_truth_path=None, progress=False,
                  today=london_today())
    yield url
    get_settings.cache_clear()
