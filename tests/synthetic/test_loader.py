"""Loading a generated county: every row lands, one audit event, demo users can sign in."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import User
from safetyhub.auth.service import actor_for, sign_in
from safetyhub.incidents.models import Incident
from safetyhub.organisations.models import Organisation
from safetyhub.sharing import policy
from safetyhub.sharing.vocabulary import Purpose
from safetyhub.synthetic.directory import DEMO_EMAILS, DEMO_PASSWORD
from safetyhub.synthetic.generator import County, generate_county
from safetyhub.synthetic.loader import MODELS, load_county


@pytest.fixture(scope="module")
def county() -> County:
    return generate_county("tiny", seed=11)


def _expected(county: County) -> Counter[str]:
    expected: Counter[str] = Counter()
    for part in [county.rows, *county.background_batches()]:
        expected.update(part.counts())
    return expected


def test_every_row_lands_with_one_audit_event(session: Session, county: County) -> None:
    counts = load_county(session, county)
    expected = _expected(county)
    assert counts == {table: n for table, n in expected.items() if n}
    for table, model in MODELS.items():
        assert session.scalar(select(func.count()).select_from(model)) == expected[table], table
    events = session.scalars(select(AuditEvent)).all()
    assert [e.action for e in events] == ["seed_synthetic_county"]
    summary = json.loads(events[0].summary)["after"]
    assert summary["seed"] == 11 and summary["scale"] == "tiny"
    assert summary["rows"]["incidents"] == expected["incidents"]
    assert events[0].actor_label == "cli:seed"


def test_demo_user_signs_in_with_the_demo_password(session: Session, county: County) -> None:
    load_county(session, county)
    signed_in = sign_in(session, email=DEMO_EMAILS[0], password=DEMO_PASSWORD)
    assert signed_in is not None
    assert sign_in(session, email=DEMO_EMAILS[0], password="not the demo password") is None


def test_agreements_let_partners_share_lawfully(session: Session, county: County) -> None:
    load_county(session, county)
    officer = session.scalars(select(User).where(User.email == DEMO_EMAILS[1])).one()
    council = session.get(Organisation, officer.organisation_id)
    assert council is not None and council.name == "Guildford Borough Council"
    police = session.scalars(select(Organisation).where(Organisation.name == "Surrey Police")
                             ).one()

    def police_incidents(purpose: Purpose | None) -> int:
        query = policy.visible_incidents(actor_for(officer, purpose.value if purpose else None))
        return len(session.scalars(query.where(Incident.organisation_id == police.id)).all())

    # Without a declared purpose the council sees only its own records; for ASB case
    # management the county protocol shows police incidents (but no special category data).
    assert police_incidents(None) == 0
    assert police_incidents(Purpose.asb_case_management) > 0
    visible = session.scalars(
        policy.visible_incidents(actor_for(officer, Purpose.asb_case_management.value))
    ).all()
    assert all(i.sensitivity != "special_category" or i.organisation_id == council.id
               for i in visible)
