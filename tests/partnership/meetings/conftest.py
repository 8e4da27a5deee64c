"""Fixtures: the partnership office and three agencies."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.partnership.meetings.helpers import World, make_world


@pytest.fixture
def world(session: Session) -> World:
    """The office, police, council and housing, with a user each."""
    return make_world(session)
