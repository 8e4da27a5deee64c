"""The `safetyhub` command line against a committed database of each backend."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from typer.testing import CliRunner

from safetyhub import cli
from safetyhub.auth.models import User
from safetyhub.auth.service import sign_in
from safetyhub.db import get_engine, job_session
from safetyhub.organisations.models import Organisation
from tests.cli.databases import committed_database

runner = CliRunner()
PASSWORD = "a long enough passphrase"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    with committed_database(request.param, tmp_path, monkeypatch) as url:
        yield url


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(cli.app, list(args), input=stdin)
    return result.exit_code, re.sub(r"\s+", " ", result.output)


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
             *args: str) -> tuple[int, str, str]:
    """Run the installed entry point (`safetyhub ...`) in-process: exit code, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["safetyhub", *args])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    captured = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), captured.out, captured.err


def test_orgs_add(database_url: str) -> None:
    code, output = invoke("orgs", "add", "Surrey Police", "--kind", "police",
                          "--district", "Guildford")
    assert code == 0, output
    assert "Added Surrey Police" in output
    with job_session() as session:
        org = session.scalars(
            select(Organisation).where(Organisation.name == "Surrey Police")
        ).one()
        assert (org.kind, org.district) == ("police", "Guildford")
    code, listing = invoke("orgs", "list")
    assert code == 0
    assert "Surrey Police" in listing


def test_users_add_reads_the_password_from_stdin(database_url: str) -> None:
    assert invoke("orgs", "add", "Surrey Police", "--kind", "police")[0] == 0
    code, output = invoke("users", "add", "Officer@Example.org", "--org", "Surrey Police",
                          "--role", "practitioner", "--password-stdin", stdin=f"{PASSWORD}\n")
    assert code == 0, output
    assert "officer@example.org" in output
    assert PASSWORD not in output
    with job_session() as session:
        user = session.scalars(select(User).where(User.email == "officer@example.org")).one()
        assert user.role == "practitioner"
        assert user.password_hash.startswith("$argon2id$")
        assert sign_in(session, email="officer@example.org", password=PASSWORD) is not None


def test_duplicate_org_is_a_one_line_error(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(monkeypatch, capsys, "orgs", "add", "Surrey Police", "--kind", "police")[0] == 0
    code, out, err = run_main(monkeypatch, capsys, "orgs", "add", "Surrey Police",
                              "--kind", "police")
    assert code != 0
    assert "already exists" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err
    with job_session() as session:
        names = session.scalars(select(Organisation.name)).all()
    assert names == ["Surrey Police"]


def test_users_add_to_an_unknown_org_is_a_one_line_error(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASSWORD}\n"))
    code, out, err = run_main(monkeypatch, capsys, "users", "add", "a@example.org",
                              "--org", "Nowhere", "--role", "admin", "--password-stdin")
    assert code != 0
    assert "Nowhere" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err


def test_unknown_kind_is_a_usage_error(database_url: str) -> None:
    code, output = invoke("orgs", "add", "Surrey Police", "--kind", "constabulary")
    assert code == 2
    assert "Invalid value" in output
    assert "Traceback" not in output
    with job_session() as session:
        assert session.scalars(select(Organisation)).all() == []


def test_db_upgrade_on_a_fresh_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with committed_database("sqlite", tmp_path, monkeypatch, migrated=False) as url:
        assert Path(url.removeprefix("sqlite:///")).exists() is False
        code, output = invoke("db", "upgrade")
        assert code == 0, output
        assert "up to date" in output
        tables = set(inspect(get_engine()).get_table_names())
        assert {"organisations", "users", "audit_events", "sharing_agreements"} <= tables
        assert "alembic_version" in tables
        with get_engine().connect() as conn:
            triggers = set(conn.scalars(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ))
        assert {"audit_events_no_update", "audit_events_no_delete"} <= triggers
        code, again = invoke("db", "upgrade")  # idempotent
        assert code == 0, again

