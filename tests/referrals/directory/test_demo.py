"""The directory demo on a tiny synthetic county, and the `safetyhub directory` commands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from safetyhub import migrate
from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import User
from safetyhub.cli import app
from safetyhub.config import get_settings
from safetyhub.db import job_session
from safetyhub.organisations.models import Organisation
from safetyhub.referrals.directory import demo
from safetyhub.referrals.directory.models import DirectoryOrganization
from safetyhub.synthetic.service import seed_database
from tests.referrals.directory.helpers import counts, small_csv


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'directory.db'}"
    monkeypatch.setenv("SAFETYHUB_DATABASE_URL", url)
    get_settings.cache_clear()
    migrate.upgrade(url)
    yield url
    get_settings.cache_clear()


def test_the_demo_loads_the_sample_and_matches_partner_agencies(database: str) -> None:
    seed_database(scale="tiny", seed=5, ground_truth_path=None, progress=False,
                  today=date(2026, 11, 25))
    with job_session() as session:
        demo.seed_demo(session, today=date(2026, 11, 25))
    with job_session() as session:
        assert counts(session)[:5] == (6, 6, 6, 6, 8)
        partners = dict(session.execute(
            select(DirectoryOrganization.name, Organisation.name).join(
                Organisation, Organisation.id == DirectoryOrganization.partner_organisation_id)
        ).tuples().all())
        assert set(partners) == {"Surrey Domestic Abuse Outreach", "Victim Support Surrey",
                                 "Surrey Drug and Alcohol Recovery", "Surrey Youth Action"}
        [event] = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "import_service_directory")).all()
        office = session.scalars(select(User).where(User.email == demo.OFFICE_EMAIL)).one()
        assert event.actor_user_id == office.id


def test_cli_imports_exports_and_reimports(database: str, tmp_path: Path) -> None:
    folder = tmp_path / "hsds"
    folder.mkdir()
    for name, data in small_csv().items():
        (folder / name).write_bytes(data)
    runner = CliRunner()
    imported = runner.invoke(app, ["directory", "import", str(folder)])
    assert imported.exit_code == 0, imported.output
    assert "Imported 3 services of 2 organizations at 2 locations (3 new" in imported.output
    out = tmp_path / "out.json"
    exported = runner.invoke(app, ["directory", "export", "--format", "json", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert len(json.loads(out.read_text())) == 3
    again = runner.invoke(app, ["directory", "import", str(out)])
    assert "(0 new, 0 updated" in again.output
    csv_out = tmp_path / "csv"
    assert runner.invoke(app, ["directory", "export", "--format", "csv", "--out",
                               str(csv_out)]).exit_code == 0
    assert (csv_out / "services.csv").read_text().count("\n") == 4


def test_cli_refuses_a_bad_file_in_one_line(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from safetyhub import cli

    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "svc-1"}]')
    monkeypatched = ["safetyhub", "directory", "import", str(bad)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.argv", monkeypatched)
        with pytest.raises(SystemExit) as exit_info:
            cli.main()
    assert exit_info.value.code == 2
    message = capsys.readouterr().err
    assert "bad.json, services[0], status: is required" in " ".join(message.split())
    assert "Traceback" not in message
    with job_session() as session:
        assert counts(session)[:5] == (0, 0, 0, 0, 0)
