"""Conference tests: a chair, an attending, an invited-but-absent and an outside agency."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from safetyhub.auth.models import Role, User
from safetyhub.cases.models import Case
from safetyhub.conferences import service
from safetyhub.conferences.models import Conference, ConferenceItem, ConferenceKind
from safetyhub.dash.models import DashAssessment
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.people.models import PersonRecord
from safetyhub.risk.models import Alert, AlertRoute
from safetyhub.sharing.models import SharingAgreement
from safetyhub.sharing.vocabulary import DataCategory, Purpose
from safetyhub.timeutil import london_today, utcnow
from tests.factories import actor, make_agreement, make_case, make_org, make_person_record_row
from tests.factories import make_user as _make_user


@dataclass
class World:
    """Police chair; the council attends; housing is invited but absent; health is outside."""

    police: Organisation
    council: Organisation
    housing: Organisation
    health: Organisation
    chair: User
    police_officer: User
    council_officer: User
    council_supervisor: User
    housing_officer: User
    health_officer: User
    health_admin: User
    council_admin: User
    agreement: SharingAgreement


def make_alert(session: Session, routed_to: Organisation, *, indicator: str = "repeat_victim",
               level: str = "high") -> Alert:
    """An open alert routed to one agency."""
    alert = Alert(indicator=indicator, subject_kind="place", subject_key=f"place:{uuid.uuid4()}",
                  level=level, score=0.9, reasons_json="[]")
    session.add(alert)
    session.flush()
    session.add(AlertRoute(alert_id=alert.id, organisation_id=routed_to.id, reason="fallback"))
    session.flush()
    return alert


def make_dash(session: Session, org: Organisation, record: PersonRecord, *,
              meeting_in_days: int = 7) -> DashAssessment:
    """A high-risk DASH assessment referred to MARAC."""
    assessment = DashAssessment(
        organisation_id=org.id, person_record_id=record.id, checklist_version="test", ticks=16,
        actuarial_level="high", level="high", marac_reasons="visible_high_risk",
        marac_referred_at=utcnow(),
        marac_meeting_on=london_today() + timedelta(days=meeting_in_days))
    session.add(assessment)
    session.flush()
    return assessment


@pytest.fixture
def world(session: Session) -> World:
    police = make_org(session, "Surrey Police", OrganisationKind.police)
    council = make_org(session, "Guildford Borough Council", OrganisationKind.council)
    housing = make_org(session, "Elm Housing Association", OrganisationKind.housing)
    health = make_org(session, "Surrey Heartlands Health", OrganisationKind.health)
    agreement = make_agreement(
        session, [police, council, housing, health], title="Community MARAC protocol",
        purposes=[Purpose.safeguarding, Purpose.asb_case_management],
        categories=[DataCategory.case_notes, DataCategory.person_identifiers,
                    DataCategory.incidents, DataCategory.special_category],
    )
    return World(
        police=police, council=council, housing=housing, health=health,
        chair=_make_user(session, police, Role.supervisor),
        police_officer=_make_user(session, police),
        council_officer=_make_user(session, council),
        council_supervisor=_make_user(session, council, Role.supervisor),
        housing_officer=_make_user(session, housing),
        health_officer=_make_user(session, health),
        health_admin=_make_user(session, health, Role.admin),
        council_admin=_make_user(session, council, Role.admin),
        agreement=agreement,
    )


def convene(session: Session, world: World, *,
            kind: ConferenceKind = ConferenceKind.community_marac,
            purpose: Purpose = Purpose.asb_case_management) -> Conference:
    """A conference chaired by police with the council (attending) and housing (absent)."""
    conference = service.create_conference(
        session, actor=actor(world.chair), kind=kind, title="Guildford community MARAC",
        held_on=london_today() + timedelta(days=7), agreement_id=world.agreement.id,
        purpose=purpose, member_organisation_ids=[world.council.id, world.housing.id],
    )
    service.record_attendance(session, actor=actor(world.chair), conference_id=conference.id,
                              organisation_id=world.council.id, attended=True)
    return conference


def police_case_item(session: Session, world: World, conference: Conference,
                     title: str = "Noise and threats at Elm Court") -> tuple[Case, ConferenceItem]:
    """A police case (council a member) on the agenda."""
    case = make_case(session, world.police, members=[world.council], title=title,
                     subjects=[make_person_record_row(session, world.police)])
    item = service.add_item(session, actor=actor(world.police_officer),
                            conference_id=conference.id, case_id=case.id)
    return case, item
