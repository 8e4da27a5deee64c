"""Fixtures for the incident tests."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.incidents.support import World, build_world


@pytest.fixture
def world(session: Session) -> World:
    """Police reading; the council's incident with its victim."""
    return build_world(session)
