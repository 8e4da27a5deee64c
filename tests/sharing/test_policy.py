"""The access policy (sharing/policy.py) exercised directly on rows built in the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role, User
from safetyhub.cases.models import Case, CaseIncident, CaseMember, CaseSubject
from safetyhub.incidents.models import Incident
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.people.models import PersonRecord
from safetyhub.sharing import policy
from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.service import revoke_agreement
from safetyhub.sharing.vocabulary import (
    SENSITIVITY_ORDER,
    DataCategory,
    Purpose,
    Sensitivity,
)
from safetyhub.timeutil import london_today, utcnow
from tests.factories import actor, make_agreement, make_org, make_user

PEOPLE = DataCategory.person_identifiers
INCIDENTS = DataCategory.incidents


def add_person(
    session: Session, org: Organisation, family_name: str = "Smith",
    sensitivity: Sensitivity = Sensitivity.standard,
) -> PersonRecord:
    record = PersonRecord(
        organisation_id=org.id, given_name="Alex", family_name=family_name,
        sensitivity=sensitivity.value,
    )
    session.add(record)
    session.flush()
    return record


def add_incident(
    session: Session, org: Organisation, sensitivity: Sensitivity = Sensitivity.standard
) -> Incident:
    now = utcnow()
    incident = Incident(
        organisation_id=org.id, category="asb_personal", occurred_at=now, reported_at=now,
        narrative="Shouting in the stairwell", sensitivity=sensitivity.value,
    )
    session.add(incident)
    session.flush()
    return incident


def add_case(session: Session, lead: Organisation, *members: Organisation) -> Case:
    case = Case(lead_organisation_id=lead.id, title="Stairwell ASB", kind="asb")
    session.add(case)
    session.flush()
    for org in (lead, *members):
        session.add(CaseMember(case_id=case.id, organisation_id=org.id))
    session.flush()
    return case


def visible_people(session: Session, who: Actor) -> set[uuid.UUID]:
    return {r.id for r in session.scalars(policy.visible_person_records(who))}


def visible_incidents(session: Session, who: Actor) -> set[uuid.UUID]:
    return {i.id for i in session.scalars(policy.visible_incidents(who))}


@dataclass
class County:
    """The police (the reader), the council (the record owner) and a third agency."""

    police: Organisation
    council: Organisation
    fire: Organisation
    officer: User
    council_record: PersonRecord


@pytest.fixture
def county(session: Session) -> County:
    police = make_org(session, kind=OrganisationKind.police)
    council = make_org(session, kind=OrganisationKind.council)
    fire = make_org(session, kind=OrganisationKind.fire)
    return County(
        police=police, council=council, fire=fire,
        officer=make_user(session, police, Role.practitioner),
        council_record=add_person(session, council),
    )


def test_own_agency_records_are_visible_without_a_purpose(
    session: Session, county: County
) -> None:
    own = add_person(session, county.police)
    assert own.id in visible_people(session, actor(county.officer))
    assert county.council_record.id not in visible_people(session, actor(county.officer))


def test_other_agency_without_agreement_is_hidden(session: Session, county: County) -> None:
    seen = visible_people(session, actor(county.officer, Purpose.safeguarding))
    assert county.council_record.id not in seen


def test_agreement_for_the_category_and_purpose_reveals(
    session: Session, county: County
) -> None:
    make_agreement(session, [county.council, county.police], purposes=[Purpose.safeguarding],
                   categories=[PEOPLE])
    seen = visible_people(session, actor(county.officer, Purpose.safeguarding))
    assert county.council_record.id in seen


def test_agreement_covering_another_category_reveals_only_that(
    session: Session, county: County
) -> None:
    incident = add_incident(session, county.council)
    make_agreement(session, [county.police, county.council], categories=[INCIDENTS])
    reader = actor(county.officer, Purpose.safeguarding)
    assert county.council_record.id not in visible_people(session, reader)
    assert incident.id in visible_incidents(session, reader)


def test_wrong_purpose_is_hidden(session: Session, county: County) -> None:
    make_agreement(session, [county.police, county.council],
                   purposes=[Purpose.asb_case_management])
    assert county.council_record.id not in visible_people(
        session, actor(county.officer, Purpose.crime_prevention)
    )
    assert county.council_record.id in visible_people(
        session, actor(county.officer, Purpose.asb_case_management)
    )


def test_no_declared_purpose_is_hidden(session: Session, county: County) -> None:
    make_agreement(session, [county.police, county.council])
    assert county.council_record.id not in visible_people(session, actor(county.officer))


@pytest.mark.parametrize(
    ("status", "from_days", "to_days"),
    [
        pytest.param(AgreementStatus.draft, -30, 365, id="draft-not-all-signed"),
        pytest.param(AgreementStatus.revoked, -30, 365, id="revoked"),
        pytest.param(AgreementStatus.active, -400, -1, id="expired"),
        pytest.param(AgreementStatus.active, 1, 365, id="not-yet-valid"),
    ],
)
def test_agreements_not_in_force_grant_nothing(
    session: Session, county: County, status: AgreementStatus, from_days: int, to_days: int
) -> None:
    today = london_today()
    incident = add_incident(session, county.council)
    make_agreement(
        session, [county.police, county.council], status=status,
        categories=[PEOPLE, INCIDENTS],
        valid_from=today + timedelta(days=from_days), valid_to=today + timedelta(days=to_days),
    )
    reader = actor(county.officer, Purpose.safeguarding)
    assert county.council_record.id not in visible_people(session, reader)
    assert incident.id not in visible_incidents(session, reader)


def test_agreement_valid_on_its_last_day(session: Session, county: County) -> None:
    today = london_today()
    make_agreement(session, [county.police, county.council], valid_from=today, valid_to=today)
    assert county.council_record.id in visible_people(
        session, actor(county.officer, Purpose.safeguarding)
    )


@pytest.mark.parametrize(("utc_time", "in_force"), [
    pytest.param("2026-07-10T22:30:00", True, id="23:30 in London on its last day"),
    pytest.param("2026-07-10T23:30:00", False, id="00:30 in London the day after"),
])
def test_an_agreement_ends_at_midnight_in_london_not_utc(
    session: Session, county: County, monkeypatch: pytest.MonkeyPatch, utc_time: str,
    in_force: bool
) -> None:
    from datetime import UTC, date, datetime

    from safetyhub import timeutil

    make_agreement(session, [county.police, county.council], valid_from=date(2026, 1, 1),
                   valid_to=date(2026, 7, 10))
    now = datetime.fromisoformat(utc_time).replace(tzinfo=UTC)  # summer time: London is +1
    monkeypatch.setattr(timeutil, "utcnow", lambda: now)
    visible = county.council_record.id in visible_people(
        session, actor(county.officer, Purpose.safeguarding))
    assert visible is in_force


def test_special_category_needs_the_category_named(session: Session, county: County) -> None:
    health_record = add_person(session, county.council, sensitivity=Sensitivity.special_category)
    make_agreement(session, [county.police, county.council], categories=[PEOPLE])
    reader = actor(county.officer, Purpose.safeguarding)
    seen = visible_people(session, reader)
    assert county.council_record.id in seen
    assert health_record.id not in seen
    make_agreement(
        session, [county.police, county.council],
        categories=[PEOPLE, DataCategory.special_category],
    )
    assert health_record.id in visible_people(session, reader)


@pytest.mark.parametrize("purpose", [Purpose.safeguarding, Purpose.statutory_review])
def test_special_category_for_safeguarding_or_statutory_review(
    session: Session, county: County, purpose: Purpose
) -> None:
    health_record = add_person(session, county.council, sensitivity=Sensitivity.special_category)
    make_agreement(
        session, [county.police, county.council], purposes=list(Purpose),
        categories=[PEOPLE, DataCategory.special_category],
    )
    assert health_record.id in visible_people(session, actor(county.officer, purpose))


@pytest.mark.parametrize("purpose", [Purpose.asb_case_management, Purpose.crime_prevention])
def test_special_category_refused_for_other_purposes(
    session: Session, county: County, purpose: Purpose
) -> None:
    health_record = add_person(session, county.council, sensitivity=Sensitivity.special_category)
    make_agreement(
        session, [county.police, county.council], purposes=list(Purpose),
        categories=[PEOPLE, DataCategory.special_category],
    )
    seen = visible_people(session, actor(county.officer, purpose))
    assert county.council_record.id in seen  # the ordinary record is shared for this purpose
    assert health_record.id not in seen


def test_special_category_needs_both_in_the_same_agreement(
    session: Session, county: County
) -> None:
    health_record = add_person(session, county.council, sensitivity=Sensitivity.special_category)
    make_agreement(session, [county.police, county.council], categories=[PEOPLE],
                   purposes=[Purpose.safeguarding])
    # The second agreement names special_category but only for crime prevention.
    make_agreement(session, [county.police, county.council],
                   categories=[PEOPLE, DataCategory.special_category],
                   purposes=[Purpose.crime_prevention])
    assert health_record.id not in visible_people(
        session, actor(county.officer, Purpose.safeguarding)
    )


def test_case_membership_reveals_attached_records(session: Session, county: County) -> None:
    incident = add_incident(session, county.council)
    unattached = add_incident(session, county.council)
    other_person = add_person(session, county.council, family_name="Jones")
    case = add_case(session, county.council, county.police)
    session.add_all([
        CaseSubject(case_id=case.id, person_record_id=county.council_record.id),
        CaseIncident(case_id=case.id, incident_id=incident.id),
    ])
    session.flush()
    reader = actor(county.officer, Purpose.asb_case_management)
    people = visible_people(session, reader)
    incidents = visible_incidents(session, reader)
    assert county.council_record.id in people
    assert other_person.id not in people
    assert incident.id in incidents
    assert unattached.id not in incidents
    # Membership is a path for reading another agency's data, so a purpose is still declared.
    assert county.council_record.id not in visible_people(session, actor(county.officer))


def test_case_path_needs_both_agencies_to_be_members(session: Session, county: County) -> None:
    case = add_case(session, county.council, county.fire)  # the police are not members
    session.add(CaseSubject(case_id=case.id, person_record_id=county.council_record.id))
    session.flush()
    assert county.council_record.id not in visible_people(
        session, actor(county.officer, Purpose.safeguarding)
    )


def test_case_path_does_not_open_special_category(session: Session, county: County) -> None:
    health_record = add_person(session, county.council, sensitivity=Sensitivity.special_category)
    case = add_case(session, county.council, county.police)
    session.add(CaseSubject(case_id=case.id, person_record_id=health_record.id))
    session.flush()
    assert health_record.id not in visible_people(
        session, actor(county.officer, Purpose.safeguarding)
    )


@pytest.mark.parametrize("role", list(Role))
def test_role_caps_limit_even_own_records(session: Session, county: County, role: Role) -> None:
    user = make_user(session, county.police, role)
    records = {s: add_person(session, county.police, sensitivity=s) for s in Sensitivity}
    seen = visible_people(session, actor(user, Purpose.safeguarding))
    ceiling = SENSITIVITY_ORDER[policy.ROLE_MAX_SENSITIVITY[role]]
    for sensitivity, record in records.items():
        assert (record.id in seen) == (SENSITIVITY_ORDER[sensitivity] <= ceiling), sensitivity


def test_role_caps_apply_to_shared_records(session: Session, county: County) -> None:
    sensitive = add_person(session, county.council, sensitivity=Sensitivity.sensitive)
    make_agreement(session, [county.police, county.council])
    admin = make_user(session, county.police, Role.admin)
    analyst = make_user(session, county.police, Role.analyst)
    assert sensitive.id not in visible_people(session, actor(admin, Purpose.safeguarding))
    assert sensitive.id in visible_people(session, actor(analyst, Purpose.safeguarding))


def test_third_agency_in_a_different_agreement_sees_nothing(
    session: Session, county: County
) -> None:
    probation = make_org(session, kind=OrganisationKind.probation)
    make_agreement(session, [county.police, county.council], categories=[PEOPLE, INCIDENTS])
    make_agreement(session, [county.fire, probation], categories=[PEOPLE, INCIDENTS])
    make_agreement(session, [county.fire, county.police], categories=[PEOPLE, INCIDENTS])
    incident = add_incident(session, county.council)
    firefighter = actor(make_user(session, county.fire), Purpose.safeguarding)
    assert county.council_record.id not in visible_people(session, firefighter)
    assert incident.id not in visible_incidents(session, firefighter)


def test_hidden_agency_count_says_how_many_without_content(
    session: Session, county: County
) -> None:
    family = f"Okafor-{uuid.uuid4().hex[:6]}"
    probation = make_org(session, kind=OrganisationKind.probation)
    add_person(session, county.police, family_name=family)
    add_person(session, county.council, family_name=family)
    add_person(session, county.council, family_name=family)  # same agency counts once
    add_person(session, county.fire, family_name=family)
    shared = add_person(session, probation, family_name=family)
    make_agreement(session, [county.police, probation])
    reader = actor(county.officer, Purpose.safeguarding)
    matching = PersonRecord.family_name == family
    assert policy.hidden_agency_count(session, reader, matching) == 2
    assert shared.id in visible_people(session, reader)


def test_revoking_stops_access_immediately(session: Session, county: County) -> None:
    agreement = make_agreement(session, [county.police, county.council])
    reader = actor(county.officer, Purpose.safeguarding)
    assert county.council_record.id in visible_people(session, reader)
    council_admin = make_user(session, county.council, Role.admin)
    revoke_agreement(session, agreement.id, actor=actor(council_admin))
    assert county.council_record.id not in visible_people(session, reader)


def test_visible_agreements(session: Session, county: County) -> None:
    ours = make_agreement(session, [county.police, county.council])
    theirs = make_agreement(session, [county.council, county.fire])
    office = make_org(session, kind=OrganisationKind.partnership_office)

    def seen(who: Actor) -> set[uuid.UUID]:
        return {a.id for a in session.scalars(policy.visible_agreements(who))}

    officer = seen(actor(county.officer))
    assert ours.id in officer
    assert theirs.id not in officer
    register = seen(actor(make_user(session, office, Role.partnership_office)))
    assert {ours.id, theirs.id} <= register
    assert {ours.id, theirs.id} <= seen(Actor.system("test"))
    assert seen(Actor(None, None, None, "nobody")) == set()
