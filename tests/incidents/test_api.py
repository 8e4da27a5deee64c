"""Incidents API: record one, and read one with its parties, through the access policy."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role, User
from safetyhub.incidents.models import Incident, IncidentCategory, IncidentParty, PartyRole
from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.vocabulary import DataCategory, Purpose, Sensitivity
from safetyhub.timeutil import london_today, utcnow
from tests.factories import (
    headers_for,
    make_agreement,
    make_case,
    make_incident,
    make_user,
)
from tests.incidents.support import World, reads_of

INCIDENTS_AND_PEOPLE = [DataCategory.incidents, DataCategory.person_identifiers]


def count_incidents(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Incident)) or 0)


def count_creates(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "create_incident")) or 0)


def new_incident(world: World, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "asb_personal",
        "occurred_at": (utcnow() - timedelta(hours=3)).isoformat(),
        "place_id": str(world.place.id),
        "narrative": "Threats shouted at a neighbour.",
        "parties": [{"person_record_id": str(world.police_person.id), "role": "victim"}],
    }
    return body | changes


def post(client: TestClient, session: Session, user: User, body: dict[str, Any],
         purpose: Purpose | None = None) -> Any:
    return client.post("/api/incidents", json=body, headers=headers_for(session, user, purpose))


def read(client: TestClient, session: Session, user: User, incident: Incident,
         purpose: Purpose | None = Purpose.safeguarding) -> int:
    response = client.get(f"/api/incidents/{incident.id}",
                          headers=headers_for(session, user, purpose))
    return response.status_code


# Recording


def test_practitioner_records_an_incident(
    client: TestClient, session: Session, world: World
) -> None:
    response = post(client, session, world.officer, new_incident(world))
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["organisation_name"] == "Surrey Police"
    assert data["district"] == "Guildford"  # taken from the place
    assert data["sensitivity"] == "standard"
    assert datetime.fromisoformat(data["reported_at"]) >= datetime.fromisoformat(
        data["occurred_at"])
    assert data["parties"] == [{
        "person_record_id": str(world.police_person.id), "role": "victim",
        "given_name": "Sam", "family_name": "Okafor",
        "organisation_id": str(world.police.id), "organisation_name": "Surrey Police",
    }]
    assert data["hidden_parties"] == 0
    event = session.scalar(select(AuditEvent).where(AuditEvent.object_id == data["id"]))
    assert event is not None and event.action == "create_incident"
    assert '"category":"asb_personal"' in event.summary
    assert str(world.police_person.id) in event.summary
    # The narrative is free text: the append-only log keeps only its length.
    assert "Threats shouted" not in event.summary
    assert f'"narrative_length":{len("Threats shouted at a neighbour.")}' in event.summary


def test_naive_times_are_taken_as_utc(client: TestClient, session: Session, world: World) -> None:
    body = new_incident(world, occurred_at="2025-03-30T00:30:00",
                        reported_at="2025-03-30T01:30:00+01:00")
    data = post(client, session, world.officer, body).json()
    assert datetime.fromisoformat(data["occurred_at"]) == datetime(2025, 3, 30, 0, 30, tzinfo=UTC)
    assert datetime.fromisoformat(data["reported_at"]) == datetime(2025, 3, 30, 0, 30, tzinfo=UTC)


def test_mental_health_crisis_is_always_special_category(
    client: TestClient, session: Session, world: World
) -> None:
    body = new_incident(world, category="mental_health_crisis", sensitivity="standard")
    assert post(client, session, world.officer, body).json()["sensitivity"] == "special_category"


def test_party_of_another_agency_needs_to_be_visible(
    client: TestClient, session: Session, world: World
) -> None:
    parties = [{"person_record_id": str(world.council_person.id), "role": "subject"}]
    before = (count_incidents(session), count_creates(session))
    response = post(client, session, world.officer, new_incident(world, parties=parties),
                    Purpose.safeguarding)
    assert response.status_code == 404
    assert (count_incidents(session), count_creates(session)) == before

    make_agreement(session, [world.police, world.council])
    response = post(client, session, world.officer, new_incident(world, parties=parties),
                    Purpose.safeguarding)
    assert response.status_code == 201
    [party] = response.json()["parties"]
    assert party["organisation_name"] == "Guildford Borough Council"


@pytest.mark.parametrize("bad_id", ["party", "place"])
def test_unknown_party_or_place_writes_nothing(
    client: TestClient, session: Session, world: World, bad_id: str
) -> None:
    body = new_incident(world)
    if bad_id == "party":
        body["parties"].append({"person_record_id": str(uuid.uuid4()), "role": "witness"})
    else:
        body["place_id"] = str(uuid.uuid4())
    before = (count_incidents(session), count_creates(session))
    assert post(client, session, world.officer, body).status_code == 404
    assert (count_incidents(session), count_creates(session)) == before
    assert session.scalar(select(func.count()).select_from(IncidentParty).where(
        IncidentParty.person_record_id == world.police_person.id)) == 0


@pytest.mark.parametrize("role", [Role.analyst, Role.admin, Role.partnership_office])
def test_other_roles_cannot_record(
    client: TestClient, session: Session, world: World, role: Role
) -> None:
    user = make_user(session, world.police, role)
    before = count_incidents(session)
    assert post(client, session, user, new_incident(world, parties=[])).status_code == 403
    assert count_incidents(session) == before


def _future(minutes: int) -> str:
    return (utcnow() + timedelta(minutes=minutes)).isoformat()


@pytest.mark.parametrize(
    "changes",
    [
        {"occurred_at": _future(30)},
        {"occurred_at": (utcnow() - timedelta(hours=1)).isoformat(),
         "reported_at": (utcnow() - timedelta(hours=2)).isoformat()},
        {"reported_at": _future(60)},
        {"occurred_at": "1850-01-01T00:00:00Z"},
        {"occurred_at": "yesterday"},
        {"category": "alien_abduction"},
        {"sensitivity": "top_secret"},
        {"narrative": "x" * 20_001},
        {"narrative": 12},
        {"place_id": "not-a-uuid"},
        {"parties": [{"person_record_id": str(uuid.uuid4()), "role": "bystander"}]},
        {"parties": [{"person_record_id": str(uuid.uuid4()), "role": "victim"}] * 2},
        {"parties": [{"person_record_id": str(uuid.uuid4()), "role": "victim"}
                     for _ in range(51)]},
        {"organisation_id": str(uuid.uuid4())},
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    client: TestClient, session: Session, world: World, changes: dict[str, Any]
) -> None:
    before = (count_incidents(session), count_creates(session))
    response = post(client, session, world.officer, new_incident(world, **changes))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert (count_incidents(session), count_creates(session)) == before


def test_a_10_mb_narrative_is_refused(client: TestClient, session: Session, world: World) -> None:
    before = count_incidents(session)
    response = post(client, session, world.officer, new_incident(world, narrative="x" * 10_000_000))
    assert response.status_code in (413, 422)
    assert count_incidents(session) == before


def test_malformed_json_is_refused(client: TestClient, session: Session, world: World) -> None:
    headers = headers_for(session, world.officer) | {"Content-Type": "application/json"}
    response = client.post("/api/incidents", content=b'{"category": ', headers=headers)
    assert response.status_code == 422


def test_unknown_purpose_is_refused(client: TestClient, session: Session, world: World) -> None:
    headers = headers_for(session, world.officer) | {"X-Purpose": "gossip"}
    assert client.get("/api/incidents", headers=headers).status_code == 422
    assert client.post("/api/incidents", json=new_incident(world),
                       headers=headers).status_code == 422


def test_script_in_a_narrative_is_kept_as_data(
    client: TestClient, session: Session, world: World
) -> None:
    narrative = '<script>alert(1)</script> & "quotes"'
    created = post(client, session, world.officer, new_incident(world, narrative=narrative))
    response = client.get(f"/api/incidents/{created.json()['id']}",
                          headers=headers_for(session, world.officer))
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["narrative"] == narrative


# Reading one


def test_own_incident_is_read_without_disclosure(
    client: TestClient, session: Session, world: World
) -> None:
    incident = make_incident(session, world.police, parties=[(world.police_person,
                                                              PartyRole.witness)])
    assert read(client, session, world.officer, incident, purpose=None) == 200
    assert reads_of(session, incident.id) == []


def test_other_agency_gets_404(client: TestClient, session: Session, world: World) -> None:
    assert read(client, session, world.officer, world.council_incident) == 404
    assert read(client, session, world.officer, world.council_incident, purpose=None) == 404
    missing = client.get(f"/api/incidents/{uuid.uuid4()}", headers=headers_for(
        session, world.officer))
    assert missing.status_code == 404


def test_agreement_for_another_purpose_or_category_gets_404(
    client: TestClient, session: Session, world: World
) -> None:
    make_agreement(session, [world.police, world.council], purposes=[Purpose.crime_prevention],
                   categories=[DataCategory.incidents])
    make_agreement(session, [world.police, world.council],
                   categories=[DataCategory.person_identifiers])
    assert read(client, session, world.officer, world.council_incident) == 404


def test_covering_agreement_reveals_incident_and_parties_with_audit(
    client: TestClient, session: Session, world: World
) -> None:
    make_agreement(session, [world.police, world.council], categories=INCIDENTS_AND_PEOPLE)
    response = client.get(f"/api/incidents/{world.council_incident.id}",
                          headers=headers_for(session, world.officer, Purpose.safeguarding))
    assert response.status_code == 200
    data = response.json()
    assert [p["family_name"] for p in data["parties"]] == ["Hale"]
    assert data["hidden_parties"] == 0
    [incident_read] = reads_of(session, world.council_incident.id)
    [person_read] = reads_of(session, world.council_person.id)
    assert incident_read.purpose == person_read.purpose == "safeguarding"
    assert incident_read.owner_organisation_id == world.council.id


def test_parties_not_visible_are_only_counted(
    client: TestClient, session: Session, world: World
) -> None:
    make_agreement(session, [world.police, world.council], categories=[DataCategory.incidents])
    response = client.get(f"/api/incidents/{world.council_incident.id}",
                          headers=headers_for(session, world.officer, Purpose.safeguarding))
    assert response.status_code == 200
    data = response.json()
    assert data["parties"] == [] and data["hidden_parties"] == 1
    assert "Hale" not in response.text
    assert reads_of(session, world.council_person.id) == []


def test_own_incident_hides_another_agency_party(
    client: TestClient, session: Session, world: World
) -> None:
    incident = make_incident(session, world.police, parties=[
        (world.police_person, PartyRole.victim), (world.council_person, PartyRole.subject)])
    response = client.get(f"/api/incidents/{incident.id}",
                          headers=headers_for(session, world.officer))
    data = response.json()
    assert [p["family_name"] for p in data["parties"]] == ["Okafor"]
    assert data["hidden_parties"] == 1


def test_special_category_incident_needs_special_agreement_and_purpose(
    client: TestClient, session: Session, world: World
) -> None:
    special = make_incident(session, world.council, category=IncidentCategory.mental_health_crisis,
                            sensitivity=Sensitivity.special_category)
    make_agreement(session, [world.police, world.council], categories=[DataCategory.incidents])
    assert read(client, session, world.officer, special) == 404
    make_agreement(session, [world.police, world.council],
                   purposes=[Purpose.crime_prevention, Purpose.safeguarding],
                   categories=[DataCategory.incidents, DataCategory.special_category])
    assert read(client, session, world.officer, special, Purpose.crime_prevention) == 404
    assert read(client, session, world.officer, special, Purpose.safeguarding) == 200


def test_revoked_or_expired_agreement_stops_access(
    client: TestClient, session: Session, world: World
) -> None:
    agreement = make_agreement(session, [world.police, world.council],
                               categories=[DataCategory.incidents])
    assert read(client, session, world.officer, world.council_incident) == 200
    agreement.status = AgreementStatus.revoked.value
    session.flush()
    assert read(client, session, world.officer, world.council_incident) == 404
    agreement.status = AgreementStatus.active.value
    agreement.valid_to = london_today() - timedelta(days=1)
    agreement.valid_from = london_today() - timedelta(days=90)
    session.flush()
    assert read(client, session, world.officer, world.council_incident) == 404


def test_shared_case_reveals_an_attached_incident(
    client: TestClient, session: Session, world: World
) -> None:
    other = make_incident(session, world.council)
    make_case(session, world.council, members=[world.police], incidents=[world.council_incident])
    assert read(client, session, world.officer, world.council_incident, purpose=None) == 404
    assert read(client, session, world.officer, world.council_incident) == 200
    assert read(client, session, world.officer, other) == 404
    [event] = reads_of(session, world.council_incident.id)
    assert event.purpose == "safeguarding"


def test_analyst_cannot_read_special_category_of_own_agency(
    client: TestClient, session: Session, world: World
) -> None:
    special = make_incident(session, world.police, sensitivity=Sensitivity.special_category)
    sensitive = make_incident(session, world.police, sensitivity=Sensitivity.sensitive)
    analyst = make_user(session, world.police, Role.analyst)
    assert read(client, session, analyst, special, purpose=None) == 404
    assert read(client, session, analyst, sensitive, purpose=None) == 200
