"""Fixtures for the people tests."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.people.support import World, build_world


@pytest.fixture
def world(session: Session) -> World:
    """Police reading, council owning Morgan Hale's record."""
    return build_world(session)
