"""`safetyhub risk run` against a committed database of each backend."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from safetyhub import cli
from safetyhub.db import job_session
from safetyhub.organisations.models import OrganisationKind
from safetyhub.risk.models import Alert
from safetyhub.timeutil import utcnow
from tests.cli.databases import committed_database
from tests.factories import make_incident, make_org, make_person_record

runner = CliRunner()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with committed_database(request.param, tmp_path, monkeypatch) as url:
        yield url


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli.app, ["risk", "run", *args])
    return result.exit_code, re.sub(r"\s+", " ", result.output)


def test_risk_run_raises_alerts_once_and_reruns_safely(database_url: str,
                                                       tmp_path: Path) -> None:
    from safetyhub.incidents.models import PartyRole

    with job_session() as session:
        police = make_org(session, "County Police", OrganisationKind.police)
        make_org(session, "Commissioner's Office", OrganisationKind.partnership_office)
        victim = make_person_record(session, police)
        for days in (120, 30):
            make_incident(session, police, occurred_at=utcnow() - timedelta(days=days),
                          parties=[(victim, PartyRole.victim)])
    before_second = (utcnow() - timedelta(days=60)).date().isoformat()
    code, output = _run("--as-of", before_second)
    assert code == 0 and "0 alerts raised" in output, output
    code, output = _run()
    assert code == 0, output
    assert "1 alerts raised" in output
    code, output = _run()
    assert code == 0 and "0 alerts raised" in output and "1 unchanged" in output
    # A partnership's file asking for three victimisations: nothing more is raised.
    override = tmp_path / "ours.toml"
    override.write_text("[repeat_victim]\nrepeat_at = 3\n", encoding="utf-8")
    code, output = _run("--config", str(override))
    assert code == 0 and "0 alerts raised" in output
    with job_session() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 1


def test_a_bad_indicator_file_is_a_one_line_error(database_url: str, tmp_path: Path) -> None:
    override = tmp_path / "bad.toml"
    override.write_text("[repeat_victim]\nwindow_days = 0\n", encoding="utf-8")
    result = runner.invoke(cli.app, ["risk", "run", "--config", str(override)])
    assert result.exit_code != 0
    assert "repeat_victim.window_days" in str(result.exception)
