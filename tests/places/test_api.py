"""Places API: the shared gazetteer, and the incidents at a place as the policy allows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role, User
from safetyhub.incidents.models import Incident
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.places.models import Place
from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.vocabulary import DataCategory, Purpose, Sensitivity
from tests.factories import (
    headers_for,
    make_agreement,
    make_case,
    make_incident,
    make_org,
    make_place,
    make_user,
)


@dataclass
class World:
    """Police (the reader) and a council that recorded an incident at Elm Court."""

    police: Organisation
    council: Organisation
    officer: User
    place: Place
    council_incident: Incident


@pytest.fixture
def world(session: Session) -> World:
    police = make_org(session, "Surrey Police")
    council = make_org(session, "Guildford Borough Council", kind=OrganisationKind.council)
    place = make_place(session, created_by=council)
    return World(
        police=police, council=council, officer=make_user(session, police), place=place,
        council_incident=make_incident(session, council, place=place),
    )


def count_places(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Place)) or 0)


def reads_of(session: Session, object_id: uuid.UUID) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.action == "read", AuditEvent.object_id == str(object_id))))


# Creating and reading places


@pytest.mark.parametrize("role", [Role.practitioner, Role.supervisor, Role.analyst])
def test_recording_roles_add_places(
    client: TestClient, session: Session, world: World, role: Role
) -> None:
    user = make_user(session, world.police, role)
    body = {"address": "3 Station Approach, Woking", "postcode": "gu22 7aa", "uprn": "100061",
            "latitude": 51.3185, "longitude": -0.5569, "lsoa_code": "E01030800",
            "district": "Woking"}
    response = client.post("/api/places", json=body, headers=headers_for(session, user))
    assert response.status_code == 201
    data = response.json()
    assert data["postcode"] == "GU22 7AA"
    assert data["created_by_organisation_id"] == str(world.police.id)
    event = session.scalar(select(AuditEvent).where(AuditEvent.object_id == data["id"]))
    assert event is not None and event.action == "create_place"
    assert "Station Approach" not in event.summary
    assert '"address_length":26' in event.summary and '"postcode":"GU22 7AA"' in event.summary


@pytest.mark.parametrize("role", [Role.admin, Role.partnership_office])
def test_other_roles_cannot_add_places(
    client: TestClient, session: Session, world: World, role: Role
) -> None:
    user = make_user(session, world.police, role)
    before = count_places(session)
    response = client.post("/api/places", json={"address": "x"}, headers=headers_for(session, user))
    assert response.status_code == 403
    assert count_places(session) == before


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"address": ""},
        {"address": "x" * 301},
        {"address": "x", "latitude": 91, "longitude": 0},
        {"address": "x", "latitude": 0, "longitude": -181},
        {"address": "x", "latitude": 51.2},
        {"address": "x", "lsoa_code": "S01000001"},
        {"address": "x", "lsoa_code": "E0103080"},
        {"address": "x", "postcode": "12345"},
        {"address": "x", "uprn": "12a"},
        {"address": "x", "latitude": "north", "longitude": 0},
        {"address": "x", "owner": "me"},
    ],
)
def test_bad_places_are_refused_and_nothing_written(
    client: TestClient, session: Session, world: World, body: dict[str, object]
) -> None:
    before = count_places(session)
    response = client.post("/api/places", json=body, headers=headers_for(session, world.officer))
    assert response.status_code == 422
    assert count_places(session) == before


def test_any_agency_reads_a_place(client: TestClient, session: Session, world: World) -> None:
    response = client.get(f"/api/places/{world.place.id}",
                          headers=headers_for(session, world.officer))
    assert response.status_code == 200
    assert response.json()["address"] == "Elm Court, Guildford"


def test_missing_place_is_404(client: TestClient, session: Session, world: World) -> None:
    headers = headers_for(session, world.officer)
    assert client.get(f"/api/places/{uuid.uuid4()}", headers=headers).status_code == 404
    assert client.get(f"/api/places/{uuid.uuid4()}/incidents", headers=headers).status_code == 404


def test_places_need_sign_in(client: TestClient, world: World) -> None:
    assert client.get(f"/api/places/{world.place.id}").status_code == 401


def test_search_places(client: TestClient, session: Session, world: World) -> None:
    make_place(session, address="1 High Street, Guildford", postcode="GU1 3AA")
    make_place(session, address="2 High Street, Woking", postcode="GU22 7AA", district="Woking")
    headers = headers_for(session, world.officer)

    def found(query: str) -> list[str]:
        response = client.get(f"/api/places?{query}", headers=headers)
        assert response.status_code == 200
        return [item["address"] for item in response.json()["items"]]

    assert found("q=high%20STREET") == ["1 High Street, Guildford", "2 High Street, Woking"]
    assert found("postcode=gu13aa") == ["1 High Street, Guildford"]
    assert found("postcode=GU1") == ["1 High Street, Guildford", "Elm Court, Guildford"]
    assert found("district=woking") == ["2 High Street, Woking"]
    assert found("q=%25") == []
    page = client.get("/api/places?q=street&page_size=1&page=2", headers=headers).json()
    assert page["total"] == 2 and page["items"][0]["address"] == "2 High Street, Woking"
    assert client.get("/api/places?postcode=nowhere", headers=headers).status_code == 422


# Incidents at a place


def at_place(client: TestClient, session: Session, user: User, place: Place,
             purpose: Purpose | None = Purpose.safeguarding) -> dict[str, object]:
    response = client.get(f"/api/places/{place.id}/incidents",
                          headers=headers_for(session, user, purpose))
    assert response.status_code == 200, response.text
    data: dict[str, object] = response.json()
    return data


def ids(page: dict[str, object]) -> set[str]:
    items = page["items"]
    assert isinstance(items, list)
    return {item["id"] for item in items}


def test_own_incidents_at_a_place_are_listed(
    client: TestClient, session: Session, world: World
) -> None:
    own = make_incident(session, world.police, place=world.place)
    make_incident(session, world.police, place=make_place(session, address="Elsewhere"))
    page = at_place(client, session, world.officer, world.place, purpose=None)
    assert ids(page) == {str(own.id)}
    assert page["total"] == 1
    assert set(page) == {"items", "total", "page", "page_size"}


def test_other_agency_incident_is_not_listed_counted_or_readable(
    client: TestClient, session: Session, world: World
) -> None:
    page = at_place(client, session, world.officer, world.place)
    assert page["items"] == [] and page["total"] == 0
    response = client.get(f"/api/incidents/{world.council_incident.id}",
                          headers=headers_for(session, world.officer, Purpose.safeguarding))
    assert response.status_code == 404


def test_agreement_for_another_purpose_or_category_does_not_list(
    client: TestClient, session: Session, world: World
) -> None:
    make_agreement(session, [world.police, world.council], purposes=[Purpose.crime_prevention],
                   categories=[DataCategory.incidents])
    make_agreement(session, [world.police, world.council],
                   categories=[DataCategory.person_identifiers])
    assert at_place(client, session, world.officer, world.place)["total"] == 0


def test_covering_agreement_lists_and_audits(
    client: TestClient, session: Session, world: World
) -> None:
    make_agreement(session, [world.police, world.council], categories=[DataCategory.incidents])
    page = at_place(client, session, world.officer, world.place)
    assert ids(page) == {str(world.council_incident.id)}
    [event] = reads_of(session, world.council_incident.id)
    assert event.purpose == "safeguarding" and event.owner_organisation_id == world.council.id


def test_revoked_agreement_stops_listing(
    client: TestClient, session: Session, world: World
) -> None:
    agreement = make_agreement(session, [world.police, world.council],
                               categories=[DataCategory.incidents])
    assert at_place(client, session, world.officer, world.place)["total"] == 1
    agreement.status = AgreementStatus.revoked.value
    session.flush()
    assert at_place(client, session, world.officer, world.place)["total"] == 0


def test_special_category_incident_needs_special_agreement(
    client: TestClient, session: Session, world: World
) -> None:
    special = make_incident(session, world.council, place=world.place,
                            sensitivity=Sensitivity.special_category)
    make_agreement(session, [world.police, world.council], categories=[DataCategory.incidents])
    assert ids(at_place(client, session, world.officer, world.place)) == {
        str(world.council_incident.id)}
    make_agreement(session, [world.police, world.council],
                   categories=[DataCategory.incidents, DataCategory.special_category])
    assert str(special.id) in ids(at_place(client, session, world.officer, world.place))


def test_shared_case_lists_attached_incident(
    client: TestClient, session: Session, world: World
) -> None:
    make_case(session, world.council, members=[world.police],
              incidents=[world.council_incident])
    page = at_place(client, session, world.officer, world.place, Purpose.asb_case_management)
    assert ids(page) == {str(world.council_incident.id)}
    [event] = reads_of(session, world.council_incident.id)
    assert event.purpose == "asb_case_management"


def test_analyst_does_not_see_special_category_of_own_agency(
    client: TestClient, session: Session, world: World
) -> None:
    make_incident(session, world.police, place=world.place,
                  sensitivity=Sensitivity.special_category)
    open_one = make_incident(session, world.police, place=world.place)
    analyst = make_user(session, world.police, Role.analyst)
    page = at_place(client, session, analyst, world.place, purpose=None)
    assert ids(page) == {str(open_one.id)} and page["total"] == 1


def test_place_incidents_page(client: TestClient, session: Session, world: World) -> None:
    for _ in range(3):
        make_incident(session, world.police, place=world.place)
    response = client.get(f"/api/places/{world.place.id}/incidents?page_size=2&page=2",
                          headers=headers_for(session, world.officer))
    assert response.json()["total"] == 3 and len(response.json()["items"]) == 1
    total = session.scalar(select(func.count()).select_from(Incident).where(
        Incident.place_id == world.place.id))
    assert total == 4  # the council's incident exists, but was neither listed nor counted
