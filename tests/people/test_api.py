"""People API: create and read person records through the access policy."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role, User
from safetyhub.organisations.models import OrganisationKind
from safetyhub.people.models import PersonRecord
from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.vocabulary import DataCategory, Purpose, Sensitivity
from safetyhub.timeutil import london_today, utcnow
from tests.factories import (
    headers_for,
    make_agreement,
    make_case,
    make_org,
    make_person_record,
    make_user,
)
from tests.people.support import World, reads_of

SPECIAL = [DataCategory.person_identifiers, DataCategory.special_category]


def count_records(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(PersonRecord)) or 0)


def read(client: TestClient, session: Session, user: User, record: PersonRecord,
         purpose: Purpose | None = Purpose.safeguarding) -> int:
    """GET the record as `user`; answer the status."""
    response = client.get(f"/api/people/{record.id}", headers=headers_for(session, user, purpose))
    return response.status_code


# Creating


def test_practitioner_creates_a_record_for_own_agency(
    client: TestClient, session: Session, world: World
) -> None:
    body = {"given_name": " Sam ", "family_name": "Okafor", "date_of_birth": "1990-02-03",
            "postcode": "gu1  4rr", "phone": "+44 1483 000000", "agency_identifier": "P-1"}
    response = client.post("/api/people", json=body, headers=headers_for(session, world.officer))
    assert response.status_code == 201
    data = response.json()
    assert data["given_name"] == "Sam"
    assert data["postcode"] == "GU1 4RR"
    assert data["organisation_id"] == str(world.police.id)
    assert data["organisation_name"] == "Surrey Police"
    assert data["sensitivity"] == "standard"
    event = session.scalar(select(AuditEvent).where(AuditEvent.object_id == data["id"]))
    assert event is not None and event.action == "create_person_record"
    # No free text about the person in the append-only log: only which fields were given.
    assert "Okafor" not in event.summary and "GU1 4RR" not in event.summary
    assert '"fields_recorded":["agency_identifier","date_of_birth","family_name","given_name",' \
        '"phone","postcode"]' in event.summary


def test_health_agency_records_are_always_special_category(
    client: TestClient, session: Session
) -> None:
    nhs = make_org(session, "Surrey and Borders NHS", kind=OrganisationKind.health)
    nurse = make_user(session, nhs, Role.supervisor)
    body = {"given_name": "Ali", "family_name": "Reed", "sensitivity": "standard"}
    response = client.post("/api/people", json=body, headers=headers_for(session, nurse))
    assert response.status_code == 201
    assert response.json()["sensitivity"] == "special_category"


@pytest.mark.parametrize("role", [Role.analyst, Role.admin, Role.partnership_office])
def test_other_roles_cannot_create_records(
    client: TestClient, session: Session, world: World, role: Role
) -> None:
    user = make_user(session, world.police, role)
    before = count_records(session)
    body = {"given_name": "Ali", "family_name": "Reed"}
    response = client.post("/api/people", json=body, headers=headers_for(session, user))
    assert response.status_code == 403
    assert count_records(session) == before


@pytest.mark.parametrize(
    "body",
    [
        {"given_name": "A", "family_name": "B", "date_of_birth": "2999-01-01"},
        {"given_name": "A", "family_name": "B", "date_of_birth": "1899-12-31"},
        {"given_name": "A", "family_name": "B", "postcode": "NOT A CODE"},
        {"given_name": "A", "family_name": "B", "sensitivity": "secret"},
        {"given_name": "A", "family_name": "B", "organisation_id": str(uuid.uuid4())},
        {"given_name": ["A"], "family_name": "B"},
        {"given_name": "A" * 101, "family_name": "B"},
        {"given_name": "   ", "family_name": "B"},
        {"given_name": "A", "family_name": "B", "phone": "call me maybe"},
        {"family_name": "B"},
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    client: TestClient, session: Session, world: World, body: dict[str, object]
) -> None:
    before = count_records(session)
    response = client.post("/api/people", json=body, headers=headers_for(session, world.officer))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert count_records(session) == before


def test_tomorrows_date_of_birth_is_refused(
    client: TestClient, session: Session, world: World
) -> None:
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    body = {"given_name": "A", "family_name": "B", "date_of_birth": tomorrow}
    response = client.post("/api/people", json=body, headers=headers_for(session, world.officer))
    assert response.status_code == 422


def test_malformed_json_is_refused(client: TestClient, session: Session, world: World) -> None:
    headers = headers_for(session, world.officer) | {"Content-Type": "application/json"}
    response = client.post("/api/people", content=b'{"given_name": "A",', headers=headers)
    assert response.status_code == 422


# Reading one


def test_own_agency_reads_its_record_without_a_disclosure(
    client: TestClient, session: Session, world: World
) -> None:
    response = client.get(f"/api/people/{world.record.id}",
                          headers=headers_for(session, world.council_worker))
    assert response.status_code == 200
    assert response.json()["organisation_name"] == "Guildford Borough Council"
    assert reads_of(session, world.record.id) == []


def test_other_agency_gets_404(client: TestClient, session: Session, world: World) -> None:
    assert read(client, session, world.officer, world.record) == 404
    assert read(client, session, world.officer, world.record, purpose=None) == 404


def test_missing_record_is_404(client: TestClient, session: Session, world: World) -> None:
    headers = headers_for(session, world.officer)
    assert client.get(f"/api/people/{uuid.uuid4()}", headers=headers).status_code == 404


def test_agreement_needs_a_declared_purpose(
    client: TestClient, session: Session, world: World
) -> None:
    make_agreement(session, [world.police, world.council])
    assert read(client, session, world.officer, world.record, purpose=None) == 404


def test_agreement_for_another_purpose_gets_404(
    client: TestClient, session: Session, world: World
) -> None:
    make_agreement(session, [world.police, world.council], purposes=[Purpose.crime_prevention])
    assert read(client, session, world.officer, world.record, Purpose.safeguarding) == 404


def test_agreement_for_another_data_category_gets_404(
    client: TestClient, session: Session, world: World
) -> None:
    make_agreement(session, [world.police, world.council], categories=[DataCategory.incidents])
    assert read(client, session, world.officer, world.record) == 404


def test_agreement_with_a_third_agency_does_not_help(
    client: TestClient, session: Session, world: World
) -> None:
    fire = make_org(session, "Surrey Fire", kind=OrganisationKind.fire)
    make_agreement(session, [world.police, fire])
    assert read(client, session, world.officer, world.record) == 404


def test_covering_agreement_reveals_the_record_and_audits_the_purpose(
    client: TestClient, session: Session, world: World
) -> None:
    make_agreement(session, [world.police, world.council])
    response = client.get(f"/api/people/{world.record.id}",
                          headers=headers_for(session, world.officer, Purpose.safeguarding))
    assert response.status_code == 200
    assert response.json()["family_name"] == "Hale"
    assert response.json()["organisation_id"] == str(world.council.id)
    [event] = reads_of(session, world.record.id)
    assert event.purpose == "safeguarding"
    assert event.organisation_id == world.police.id
    assert event.owner_organisation_id == world.council.id
    assert event.actor_user_id == world.officer.id


def test_unknown_purpose_is_422(client: TestClient, session: Session, world: World) -> None:
    headers = headers_for(session, world.officer) | {"X-Purpose": "curiosity"}
    assert client.get(f"/api/people/{world.record.id}", headers=headers).status_code == 422


def test_special_category_needs_an_agreement_naming_it(
    client: TestClient, session: Session, world: World
) -> None:
    record = make_person_record(session, world.council, sensitivity=Sensitivity.special_category)
    make_agreement(session, [world.police, world.council])
    assert read(client, session, world.officer, record) == 404


def test_special_category_needs_safeguarding_or_statutory_review(
    client: TestClient, session: Session, world: World
) -> None:
    record = make_person_record(session, world.council, sensitivity=Sensitivity.special_category)
    make_agreement(session, [world.police, world.council],
                   purposes=[Purpose.asb_case_management, Purpose.statutory_review],
                   categories=SPECIAL)
    assert read(client, session, world.officer, record, Purpose.asb_case_management) == 404
    assert read(client, session, world.officer, record, Purpose.statutory_review) == 200
    [event] = reads_of(session, record.id)
    assert event.purpose == "statutory_review"


def test_revoked_agreement_stops_access_at_once(
    client: TestClient, session: Session, world: World
) -> None:
    agreement = make_agreement(session, [world.police, world.council])
    assert read(client, session, world.officer, world.record) == 200
    agreement.status = AgreementStatus.revoked.value
    agreement.revoked_at = utcnow()
    session.flush()
    assert read(client, session, world.officer, world.record) == 404


def test_expired_agreement_gives_404(client: TestClient, session: Session, world: World) -> None:
    today = london_today()
    make_agreement(session, [world.police, world.council], valid_from=today - timedelta(days=400),
                   valid_to=today - timedelta(days=1))
    assert read(client, session, world.officer, world.record) == 404


def test_draft_agreement_gives_404(client: TestClient, session: Session, world: World) -> None:
    make_agreement(session, [world.police, world.council], status=AgreementStatus.draft)
    assert read(client, session, world.officer, world.record) == 404


def test_shared_case_reveals_a_subject_and_audits(
    client: TestClient, session: Session, world: World
) -> None:
    make_case(session, world.council, members=[world.police], subjects=[world.record])
    assert read(client, session, world.officer, world.record, Purpose.asb_case_management) == 200
    [event] = reads_of(session, world.record.id)
    assert event.purpose == "asb_case_management"


def test_shared_case_needs_a_purpose_and_the_record_attached(
    client: TestClient, session: Session, world: World
) -> None:
    other = make_person_record(session, world.council, given_name="Other")
    make_case(session, world.council, members=[world.police], subjects=[world.record])
    assert read(client, session, world.officer, world.record, purpose=None) == 404
    assert read(client, session, world.officer, other) == 404


def test_case_without_the_owner_as_member_does_not_reveal(
    client: TestClient, session: Session, world: World
) -> None:
    fire = make_org(session, "Surrey Fire", kind=OrganisationKind.fire)
    make_case(session, world.police, members=[fire], subjects=[world.record])
    assert read(client, session, world.officer, world.record) == 404


def test_shared_case_does_not_reveal_special_category(
    client: TestClient, session: Session, world: World
) -> None:
    record = make_person_record(session, world.council, sensitivity=Sensitivity.special_category)
    make_case(session, world.council, members=[world.police], subjects=[record])
    assert read(client, session, world.officer, record) == 404


def test_analyst_cannot_read_special_category_of_own_agency(
    client: TestClient, session: Session, world: World
) -> None:
    record = make_person_record(session, world.council, sensitivity=Sensitivity.special_category)
    analyst = make_user(session, world.council, Role.analyst)
    assert read(client, session, analyst, record, purpose=None) == 404
    assert read(client, session, analyst, world.record, purpose=None) == 200
