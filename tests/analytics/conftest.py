"""Fixtures for the analytics tests: small fixture CSVs and the real Surrey data shipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from safetyhub.analytics import surrey
from safetyhub.analytics.service import import_police_file, import_reference
from safetyhub.auth.actor import Actor

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
DISTRICTS = ("Guildford", "Woking")
ACTOR = Actor.system("test:analytics")


@pytest.fixture(scope="session")
def surrey_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Surrey data SafetyHub ships, unpacked as the shared data folder is laid out."""
    return surrey.unpack(tmp_path_factory.mktemp("surrey"))


def shared_data() -> Path:
    """The shared real data folder beside the checkout, or skip (a clone elsewhere has only
    the copy SafetyHub ships, which the other real-data tests import)."""
    if not (SHARED / "police-uk").is_dir():
        pytest.skip(f"The shared data is not at {SHARED}: the shipped copy cannot be compared")
    return SHARED


def load_fixture_data(session: Session) -> None:
    """The small reference (Guildford, Woking) and both fixture months."""
    import_reference(session, actor=ACTOR, imd_path=DATA / "imd.csv",
                     population_path=DATA / "population.csv", districts=DISTRICTS)
    for path in sorted(DATA.glob("2024-*-test-street.csv")):
        assert import_police_file(session, actor=ACTOR, path=path).ok


@pytest.fixture
def fixture_data(session: Session) -> Session:
    """A session with the fixture data imported."""
    load_fixture_data(session)
    return session
