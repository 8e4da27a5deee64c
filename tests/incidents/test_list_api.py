"""Incidents API list: filtered in SQL over the policy, so totals count only visible rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from safetyhub.auth.models import Role, User
from safetyhub.incidents.models import IncidentCategory
from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.vocabulary import DataCategory, Purpose, Sensitivity
from safetyhub.timeutil import london_today, utcnow
from tests.factories import (
    headers_for,
    make_agreement,
    make_case,
    make_incident,
    make_place,
    make_user,
)
from tests.incidents.support import World, reads_of


def listed(client: TestClient, session: Session, user: User, query: str = "",
           purpose: Purpose | None = Purpose.safeguarding) -> dict[str, Any]:
    response = client.get(f"/api/incidents?{query}", headers=headers_for(session, user, purpose))
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_list_shows_only_visible_incidents_and_counts_only_them(
    client: TestClient, session: Session, world: World
) -> None:
    own = make_incident(session, world.police)
    data = listed(client, session, world.officer)
    assert [item["id"] for item in data["items"]] == [str(own.id)]
    assert data["total"] == 1
    assert "narrative" not in data["items"][0]


def test_list_with_covering_agreement_includes_and_audits(
    client: TestClient, session: Session, world: World
) -> None:
    make_incident(session, world.police)
    make_agreement(session, [world.police, world.council], categories=[DataCategory.incidents])
    data = listed(client, session, world.officer)
    assert data["total"] == 2
    assert str(world.council_incident.id) in {item["id"] for item in data["items"]}
    [event] = reads_of(session, world.council_incident.id)
    assert event.purpose == "safeguarding"
    assert listed(client, session, world.officer, purpose=Purpose.crime_prevention)["total"] == 1


def test_list_filters(client: TestClient, session: Session, world: World) -> None:
    at = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
    make_incident(session, world.police, occurred_at=at, category=IncidentCategory.burglary)
    make_incident(session, world.police, occurred_at=at - timedelta(days=20))
    # 23:30 UTC on 10 June is already 11 June in London (BST).
    make_incident(session, world.police, occurred_at=datetime(2025, 6, 10, 23, 30, tzinfo=UTC),
                  place=make_place(session, district="Woking"))

    def total(query: str) -> int:
        return int(listed(client, session, world.officer, query, purpose=None)["total"])

    assert total("date_from=2025-06-01&date_to=2025-06-10") == 1
    assert total("date_from=2025-06-11") == 1
    assert total("date_to=2025-05-31") == 1
    assert total("category=burglary") == 1
    assert total("district=WOKING") == 1
    assert total("category=asb_nuisance&district=Guildford") == 1
    headers = headers_for(session, world.officer)
    assert client.get("/api/incidents?category=nope", headers=headers).status_code == 422
    assert client.get("/api/incidents?date_from=2025-06-02&date_to=2025-06-01",
                      headers=headers).status_code == 422
    assert client.get("/api/incidents?date_from=June", headers=headers).status_code == 422


def test_list_pages_newest_first(client: TestClient, session: Session, world: World) -> None:
    now = utcnow()
    made = [make_incident(session, world.police, occurred_at=now - timedelta(days=d))
            for d in (3, 1, 2)]
    data = listed(client, session, world.officer, "page=1&page_size=2", purpose=None)
    assert [item["id"] for item in data["items"]] == [str(made[1].id), str(made[2].id)]
    assert data["total"] == 3 and data["page_size"] == 2


def ids(data: dict[str, Any]) -> set[str]:
    return {item["id"] for item in data["items"]}


def test_other_agency_gets_404_and_is_not_listed(
    client: TestClient, session: Session, world: World
) -> None:
    data = listed(client, session, world.officer)
    assert str(world.council_incident.id) not in ids(data) and data["total"] == 0
    response = client.get(f"/api/incidents/{world.council_incident.id}",
                          headers=headers_for(session, world.officer, Purpose.safeguarding))
    assert response.status_code == 404


def test_list_stops_at_once_when_the_agreement_is_revoked_or_expired(
    client: TestClient, session: Session, world: World
) -> None:
    agreement = make_agreement(session, [world.police, world.council],
                               categories=[DataCategory.incidents])
    assert listed(client, session, world.officer)["total"] == 1
    agreement.status = AgreementStatus.revoked.value
    session.flush()
    assert listed(client, session, world.officer)["total"] == 0
    agreement.status = AgreementStatus.active.value
    agreement.valid_from = london_today() - timedelta(days=60)
    agreement.valid_to = london_today() - timedelta(days=1)
    session.flush()
    assert listed(client, session, world.officer)["total"] == 0


def test_list_includes_incidents_of_a_shared_case(
    client: TestClient, session: Session, world: World
) -> None:
    make_case(session, world.council, members=[world.police], incidents=[world.council_incident])
    data = listed(client, session, world.officer, purpose=Purpose.statutory_review)
    assert ids(data) == {str(world.council_incident.id)}
    [event] = reads_of(session, world.council_incident.id)
    assert event.purpose == "statutory_review"
    assert listed(client, session, world.officer, purpose=None)["total"] == 0


def test_list_special_category_needs_special_agreement_and_purpose(
    client: TestClient, session: Session, world: World
) -> None:
    special = make_incident(session, world.council, sensitivity=Sensitivity.special_category)
    make_agreement(session, [world.police, world.council],
                   purposes=[Purpose.safeguarding, Purpose.asb_case_management],
                   categories=[DataCategory.incidents, DataCategory.special_category])
    assert str(special.id) in ids(listed(client, session, world.officer))
    assert str(special.id) not in ids(
        listed(client, session, world.officer, purpose=Purpose.asb_case_management))


def test_analyst_list_leaves_out_special_category(
    client: TestClient, session: Session, world: World
) -> None:
    make_incident(session, world.police, sensitivity=Sensitivity.special_category)
    visible = make_incident(session, world.police)
    analyst = make_user(session, world.police, Role.analyst)
    data = listed(client, session, analyst, purpose=None)
    assert ids(data) == {str(visible.id)} and data["total"] == 1
