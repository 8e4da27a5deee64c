"""Each test runs in a transaction that is rolled back, even when the code under test commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.organisations.models import Organisation
from tests.factories import make_org


def test_a_committed_write_inside_a_test(session: Session) -> None:
    make_org(session, "Isolation Check Agency")
    session.commit()  # only releases the test's savepoint


def test_is_gone_in_the_next_test(session: Session) -> None:
    name = "Isolation Check Agency"
    found = session.scalar(select(Organisation).where(Organisation.name == name))
    assert found is None
