"""`safetyhub linkage run` on a committed database (SQLite and PostgreSQL)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from safetyhub import cli
from safetyhub.audit.models import AuditEvent
from safetyhub.db import engine_for, job_session
from safetyhub.linkage.models import LinkageModelVersion, LinkageRun
from safetyhub.people.models import Identity, IdentityLink
from tests.cli.databases import committed_database
from tests.linkage.db import make_county


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A committed, migrated database the CLI uses."""
    with committed_database(request.param, tmp_path, monkeypatch) as url:
        yield url


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
        ) -> tuple[int, str, str]:
    """`safetyhub linkage ...` in-process: exit code, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["safetyhub", "linkage", *args])
    code: int | str | None = 0
    try:
        cli.main()
    except SystemExit as exited:
        code = exited.code
    captured = capsys.readouterr()
    return (code if isinstance(code, int) else 1), captured.out, captured.err


def _count(url: str, table: type) -> int:
    with job_session(engine_for(url)) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_run_trains_links_and_reruns(database_url: str, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    with job_session(engine_for(database_url)) as session:
        make_county(session, n=100)
    code, out, err = run(monkeypatch, capsys, "run")
    assert code == 0, err
    assert "identities with model version 1" in " ".join(out.split())
    assert "Linking" in err  # the progress bar
    links = _count(database_url, IdentityLink)
    assert links > 100 and _count(database_url, Identity) < links
    code, out, _ = run(monkeypatch, capsys, "run")
    assert code == 0 and "0 merges, 0 splits" in " ".join(out.split())
    assert _count(database_url, LinkageModelVersion) == 1
    assert _count(database_url, LinkageRun) == 2
    code, out, _ = run(monkeypatch, capsys, "run", "--retrain")
    assert code == 0 and _count(database_url, LinkageModelVersion) == 2
    with job_session(engine_for(database_url)) as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"run_linkage", "train_linkage_model"} <= actions


def test_nothing_to_link_is_a_clear_error_and_writes_nothing(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(monkeypatch, capsys, "run")
    assert code == 2 and "There are no person records to link." in " ".join(err.split())
    assert _count(database_url, LinkageRun) == 0 and _count(database_url, AuditEvent) == 0


def test_an_interrupted_run_changes_nothing(database_url: str, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from safetyhub.errors import Conflict
    from safetyhub.linkage import batch

    with job_session(engine_for(database_url)) as session:
        make_county(session, n=60)

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise Conflict("interrupted while writing identities")

    monkeypatch.setattr(batch, "reconcile", interrupted)
    code, _, err = run(monkeypatch, capsys, "run")
    assert code == 2 and "interrupted" in err
    for table in (IdentityLink, Identity, LinkageRun, LinkageModelVersion, AuditEvent):
        assert _count(database_url, table) == 0, table
