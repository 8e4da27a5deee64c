"""`safetyhub audit verify` end to end on a committed database of each backend."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role
from safetyhub.auth.service import actor_for, add_user
from safetyhub.cli import app
from safetyhub.db import get_engine, job_session
from safetyhub.organisations.models import OrganisationKind
from safetyhub.organisations.service import add_organisation
from safetyhub.sharing.service import draft_agreement
from safetyhub.sharing.vocabulary import DataCategory, LawfulBasis, Purpose
from safetyhub.timeutil import london_today
from tests.cli.databases import committed_database, tamper

runner = CliRunner()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    with committed_database(request.param, tmp_path, monkeypatch) as url:
        yield url


def write_partnership_events() -> int:
    """Register two agencies, an admin and a draft agreement through the services."""
    operator = Actor.system("test:setup")
    with job_session() as session:
        police = add_organisation(session, actor=operator, name="Surrey Police",
                                  kind=OrganisationKind.police, district="Guildford")
        council = add_organisation(session, actor=operator, name="Guildford Borough Council",
                                   kind=OrganisationKind.council, district="Guildford")
        admin = add_user(session, actor=operator, email="admin@police.example.org",
                         full_name="Police Admin", organisation_id=police.id, role=Role.admin,
                         password="a long enough password")
    with job_session() as session:
        today = london_today()
        draft_agreement(
            session, actor=actor_for(admin), title="Guildford ISA", parties=[police.id, council.id],
            purposes=[Purpose.safeguarding], data_categories=[DataCategory.person_identifiers],
            lawful_basis=LawfulBasis.cda_1998_s115, valid_from=today,
            valid_to=today + timedelta(days=365),
        )
    return 4


def flat(output: str) -> str:
    return re.sub(r"\s+", " ", output)


def test_verify_passes_on_an_intact_log(database_url: str) -> None:
    written = write_partnership_events()
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"{written} events verified" in flat(result.output)


def test_verify_passes_on_an_empty_log(database_url: str) -> None:
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "0 events verified" in flat(result.output)


def test_verify_names_an_edited_row(database_url: str) -> None:
    write_partnership_events()
    tamper(get_engine(), "UPDATE audit_events SET actor_label = 'someone else' WHERE seq = 2")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    output = flat(result.output)
    assert "first bad row 2" in output
    assert "1 events verified before it" in output


def test_verify_names_a_deleted_row(database_url: str) -> None:
    write_partnership_events()
    tamper(get_engine(), "DELETE FROM audit_events WHERE seq = 3")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "first bad row 3" in flat(result.output)
    assert "missing" in result.output
