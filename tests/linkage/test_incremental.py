"""Linking a new person record in the same request, and what a user learns of an Identity."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role
from safetyhub.errors import NotFound
from safetyhub.linkage.batch import run_batch
from safetyhub.linkage.identities import identity_of
from safetyhub.linkage.models import MatchCandidate
from safetyhub.linkage.service import identity_summary_for, link_new_person_record
from safetyhub.organisations.models import OrganisationKind
from safetyhub.people.models import PersonRecord
from safetyhub.sharing.vocabulary import Purpose
from tests.factories import actor, make_agreement, make_org, make_person_record, make_user
from tests.linkage.db import HUB, County, install_model, make_county


@pytest.fixture
def county(session: Session, trained_settings: dict[str, Any]) -> County:
    """A linked county (model installed, one batch run)."""
    county = make_county(session, n=80)
    install_model(session, trained_settings)
    run_batch(session, actor=HUB)
    return county


def _existing(session: Session, county: County) -> PersonRecord:
    person = next(p for p in county.people if p.records[0]["phone"] is not None)
    record = session.get(PersonRecord, county.ids[f"p{person.key}-0"])
    assert record is not None
    return record


def test_a_new_record_of_a_known_person_joins_their_identity(
    session: Session, county: County
) -> None:
    existing = _existing(session, county)
    housing = make_org(session, kind=OrganisationKind.housing)
    officer = make_user(session, housing)
    new = make_person_record(
        session, housing, given_name=existing.given_name.upper(),
        family_name=existing.family_name, date_of_birth=existing.date_of_birth,
        postcode=existing.postcode, address=existing.address,
    )
    outcome = link_new_person_record(session, actor=actor(officer), record_id=new.id)
    assert outcome.status == "linked"
    assert outcome.identity_id == identity_of(session, existing.id)
    assert outcome.match_probability is not None and outcome.match_probability >= 0.95
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "link_person_record",
                                                     AuditEvent.object_id == str(new.id))).one()
    assert json.loads(event.summary)["after"]["status"] == "linked"
    assert existing.family_name not in event.summary


def test_a_doubtful_match_is_queued_for_review(session: Session, county: County) -> None:
    existing = _existing(session, county)
    housing = make_org(session, kind=OrganisationKind.housing)
    # Same name and birth date but moved house and no phone: evidence, but not enough.
    new = make_person_record(
        session, housing, given_name=existing.given_name, family_name=existing.family_name,
        date_of_birth=existing.date_of_birth, postcode="RH1 1AA",
        address="1 Nowhere Street, Redhill",
    )
    new.phone = None
    session.flush()
    outcome = link_new_person_record(session, actor=actor(make_user(session, housing)),
                                     record_id=new.id)
    assert outcome.status == "queued"
    assert outcome.identity_id != identity_of(session, existing.id)
    pending = session.scalars(select(MatchCandidate).where(
        MatchCandidate.status == "pending",
        (MatchCandidate.left_record_id == new.id) | (MatchCandidate.right_record_id == new.id),
    )).all()
    assert pending


def test_a_stranger_gets_a_new_identity(session: Session, county: County) -> None:
    housing = make_org(session, kind=OrganisationKind.housing)
    new = make_person_record(session, housing, given_name="Zebedee", family_name="Quartermain",
                             date_of_birth=date(1931, 2, 3), postcode="TN1 1AA",
                             address="1 Far Away")
    new.phone = None
    session.flush()
    outcome = link_new_person_record(session, actor=actor(make_user(session, housing)),
                                     record_id=new.id)
    assert outcome.status == "unlinked"
    assert identity_of(session, new.id) == outcome.identity_id


def test_without_a_trained_model_the_record_is_its_own_identity(session: Session) -> None:
    org = make_org(session)
    record = make_person_record(session, org)
    outcome = link_new_person_record(session, actor=actor(make_user(session, org)),
                                     record_id=record.id)
    assert outcome.status == "no_model" and identity_of(session, record.id) == outcome.identity_id


def _linked_pair(session: Session, county: County) -> tuple[PersonRecord, PersonRecord]:
    for person in county.people:
        if len(person.records) == 2:
            left = county.ids[f"p{person.key}-0"]
            right = county.ids[f"p{person.key}-1"]
            if identity_of(session, left) == identity_of(session, right):
                a, b = session.get(PersonRecord, left), session.get(PersonRecord, right)
                assert a is not None and b is not None
                return a, b
    raise AssertionError("no linked pair")


def test_without_an_agreement_a_user_learns_only_known_to_n_other_agencies(
    session: Session, county: County
) -> None:
    police_record, council_record = _linked_pair(session, county)
    officer = actor(make_user(session, county.police), Purpose.safeguarding)
    summary = identity_summary_for(session, actor=officer, person_record_id=police_record.id)
    assert summary.identity_id == identity_of(session, police_record.id)
    assert summary.linked_records == []
    assert summary.other_agencies == 1
    reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "read")).all()
    assert reads == []
    # The other agency's record itself stays invisible (404, never 403).
    with pytest.raises(NotFound):
        identity_summary_for(session, actor=officer, person_record_id=council_record.id)


def test_with_an_agreement_the_linked_record_is_shown_and_the_read_audited(
    session: Session, county: County
) -> None:
    police_record, council_record = _linked_pair(session, county)
    make_agreement(session, [county.police, county.council])
    officer = actor(make_user(session, county.police), Purpose.safeguarding)
    summary = identity_summary_for(session, actor=officer, person_record_id=police_record.id)
    assert [v.record.id for v in summary.linked_records] == [council_record.id]
    assert summary.other_agencies == 0
    read = session.scalars(select(AuditEvent).where(AuditEvent.action == "read")).one()
    assert read.object_id == str(council_record.id) and read.purpose == "safeguarding"


def test_no_purpose_means_no_other_agency_records(session: Session, county: County) -> None:
    police_record, _ = _linked_pair(session, county)
    make_agreement(session, [county.police, county.council])
    officer = actor(make_user(session, county.police, Role.practitioner))
    summary = identity_summary_for(session, actor=officer, person_record_id=police_record.id)
    assert summary.linked_records == [] and summary.other_agencies == 1
