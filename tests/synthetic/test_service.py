"""Seeding the configured database: all-or-nothing, refuses a database that has agencies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from safetyhub import migrate
from safetyhub.auth.models import User
from safetyhub.config import get_settings
from safetyhub.db import job_session
from safetyhub.errors import Conflict, InvalidInput
from safetyhub.organisations.models import Organisation
from safetyhub.synthetic.directory import DEMO_PASSWORD
from safetyhub.synthetic.service import database_is_empty, demo_sign_ins, seed_database


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    monkeypatch.setenv("SAFETYHUB_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url


def test_seeds_an_empty_database_and_writes_the_ground_truth(
    database: str, tmp_path: Path
) -> None:
    migrate.upgrade(database)
    assert database_is_empty()
    truth_path = tmp_path / "truth" / "ground-truth.json"
    summary = seed_database(scale="tiny", seed=5, ground_truth_path=truth_path, progress=False)
    assert "tiny synthetic county (seed 5" in summary
    assert DEMO_PASSWORD in summary
    assert not database_is_empty()
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    assert truth["generator"]["seed"] == 5
    assert truth["true_identities"] and truth["asb_case_review"]["meeting_threshold"]
    sign_ins = demo_sign_ins()
    assert len(sign_ins) == 9
    assert {s.role for s in sign_ins} == {
        "practitioner", "supervisor", "analyst", "admin", "partnership_office"}
    assert all(s.password == DEMO_PASSWORD for s in sign_ins)


def test_refuses_a_database_that_already_has_agencies(database: str) -> None:
    migrate.upgrade(database)
    with job_session() as session:
        session.add(Organisation(name="Existing Agency", kind="police"))
    with pytest.raises(Conflict, match="already holds partner agencies"):
        seed_database(scale="tiny", seed=5, ground_truth_path=None, progress=False)
    with job_session() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1
    assert demo_sign_ins() == []


def test_refuses_a_database_without_schema(database: str) -> None:
    assert database_is_empty()
    with pytest.raises(Conflict, match="db upgrade"):
        seed_database(scale="tiny", seed=5, ground_truth_path=None, progress=False)


def test_refuses_an_unknown_scale(database: str) -> None:
    migrate.upgrade(database)
    with pytest.raises(InvalidInput, match="Unknown scale"):
        seed_database(scale="enormous", seed=5, ground_truth_path=None, progress=False)
