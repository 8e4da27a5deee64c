"""Fixtures for problem-solving tests: police leads, the council partners, housing is outside."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.cases.helpers import Partnership, make_partnership


@pytest.fixture
def world(session: Session) -> Partnership:
    """Three agencies with a practitioner each (and a police analyst)."""
    return make_partnership(session)
