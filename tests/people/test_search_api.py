"""People API search: policy-filtered matches, and only a count of other agencies' matches."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from safetyhub.auth.models import Role, User
from safetyhub.organisations.models import OrganisationKind
from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.vocabulary import DataCategory, Purpose, Sensitivity
from safetyhub.timeutil import london_today
from tests.factories import (
    headers_for,
    make_agreement,
    make_case,
    make_org,
    make_person_record,
    make_user,
)
from tests.people.support import World, reads_of


def search(client: TestClient, session: Session, user: User, params: dict[str, str],
           purpose: Purpose | None = Purpose.safeguarding) -> dict[str, object]:
    response = client.get("/api/people", params=params, headers=headers_for(session, user, purpose))
    assert response.status_code == 200, response.text
    data: dict[str, object] = response.json()
    return data


def names(result: dict[str, object]) -> list[str]:
    items = result["items"]
    assert isinstance(items, list)
    return [f"{item['given_name']} {item['family_name']}" for item in items]


def test_search_needs_a_criterion(client: TestClient, session: Session, world: World) -> None:
    headers = headers_for(session, world.officer)
    assert client.get("/api/people", headers=headers).status_code == 422
    assert client.get("/api/people?name=%20&postcode=", headers=headers).status_code == 422


def test_search_by_partial_name_is_case_insensitive(
    client: TestClient, session: Session, world: World
) -> None:
    make_person_record(session, world.police, given_name="Morgana", family_name="Price")
    make_person_record(session, world.police, given_name="Chris", family_name="Morganson")
    make_person_record(session, world.police, given_name="Pat", family_name="Lee")
    result = search(client, session, world.officer, {"name": "MORGAN"}, purpose=None)
    assert sorted(names(result)) == ["Chris Morganson", "Morgana Price"]
    result = search(client, session, world.officer, {"name": "morg pri"}, purpose=None)
    assert names(result) == ["Morgana Price"]


def test_search_treats_wildcards_literally(
    client: TestClient, session: Session, world: World
) -> None:
    make_person_record(session, world.police, given_name="Pat", family_name="Lee")
    assert search(client, session, world.officer, {"name": "%"})["total"] == 0
    assert search(client, session, world.officer, {"name": "_"})["total"] == 0


def test_search_by_postcode_and_date_of_birth(
    client: TestClient, session: Session, world: World
) -> None:
    make_person_record(session, world.police, given_name="In", postcode="GU1 4RR")
    make_person_record(session, world.police, given_name="Near", postcode="GU1 3AA")
    make_person_record(session, world.police, given_name="Far", postcode="GU2 7XH")
    result = search(client, session, world.officer, {"postcode": "gu14rr"}, purpose=None)
    assert [item["given_name"] for item in result["items"]] == ["In"]
    assert search(client, session, world.officer, {"postcode": "GU1"}, purpose=None)["total"] == 2
    result = search(client, session, world.officer,
                    {"date_of_birth": "1985-06-15", "name": "far"}, purpose=None)
    assert result["total"] == 1
    response = client.get("/api/people?postcode=XYZ", headers=headers_for(session, world.officer))
    assert response.status_code == 422


def test_search_hides_other_agencies_and_only_counts_them(
    client: TestClient, session: Session, world: World
) -> None:
    make_person_record(session, world.police, given_name="Morgan", family_name="Hale")
    housing = make_org(session, "Guildford Homes", kind=OrganisationKind.housing)
    make_person_record(session, housing, given_name="Morgan", family_name="Hale")
    make_person_record(session, housing, given_name="Morgan", family_name="Hales")
    result = search(client, session, world.officer, {"name": "hale"})
    assert result["total"] == 1
    assert [item["organisation_name"] for item in result["items"]] == ["Surrey Police"]
    assert result["known_to_other_agencies"] == 2
    assert reads_of(session, world.record.id) == []


def test_search_reveals_covered_records_and_audits_each(
    client: TestClient, session: Session, world: World
) -> None:
    make_agreement(session, [world.police, world.council])
    housing = make_org(session, "Guildford Homes", kind=OrganisationKind.housing)
    make_person_record(session, housing, given_name="Morgan", family_name="Hale")
    result = search(client, session, world.officer, {"name": "Hale"})
    assert result["total"] == 1
    assert names(result) == ["Morgan Hale"]
    assert result["known_to_other_agencies"] == 1
    [event] = reads_of(session, world.record.id)
    assert event.purpose == "safeguarding"


def test_search_pages_and_totals(client: TestClient, session: Session, world: World) -> None:
    for given in ("Ann", "Bea", "Cy"):
        make_person_record(session, world.police, given_name=given, family_name="Quinn")
    result = search(client, session, world.officer,
                    {"name": "quinn", "page": "2", "page_size": "2"}, purpose=None)
    assert result["total"] == 3 and result["page"] == 2 and result["page_size"] == 2
    assert names(result) == ["Cy Quinn"]
    headers = headers_for(session, world.officer)
    assert client.get("/api/people?name=q&page_size=100000", headers=headers).status_code == 422
    assert client.get("/api/people?name=q&page=0", headers=headers).status_code == 422


def test_analyst_search_leaves_out_special_category(
    client: TestClient, session: Session, world: World
) -> None:
    make_person_record(session, world.police, given_name="Open", family_name="Zed")
    make_person_record(session, world.police, given_name="Closed", family_name="Zed",
                       sensitivity=Sensitivity.special_category)
    analyst = make_user(session, world.police, Role.analyst)
    result = search(client, session, analyst, {"name": "zed"}, purpose=None)
    assert names(result) == ["Open Zed"]
    assert result["total"] == 1


def test_other_agency_gets_404_and_is_not_found_by_search(
    client: TestClient, session: Session, world: World
) -> None:
    result = search(client, session, world.officer, {"name": "hale"})
    assert result["items"] == [] and result["total"] == 0
    assert result["known_to_other_agencies"] == 1
    response = client.get(f"/api/people/{world.record.id}",
                          headers=headers_for(session, world.officer, Purpose.safeguarding))
    assert response.status_code == 404


def test_search_with_an_agreement_for_another_purpose_or_category_hides(
    client: TestClient, session: Session, world: World
) -> None:
    make_agreement(session, [world.police, world.council], purposes=[Purpose.crime_prevention])
    make_agreement(session, [world.police, world.council], categories=[DataCategory.incidents])
    result = search(client, session, world.officer, {"name": "hale"})
    assert result["total"] == 0 and result["known_to_other_agencies"] == 1


def test_search_stops_showing_at_once_when_the_agreement_ends(
    client: TestClient, session: Session, world: World
) -> None:
    agreement = make_agreement(session, [world.police, world.council])
    assert search(client, session, world.officer, {"name": "hale"})["total"] == 1
    agreement.status = AgreementStatus.revoked.value
    session.flush()
    result = search(client, session, world.officer, {"name": "hale"})
    assert result["total"] == 0 and result["known_to_other_agencies"] == 1
    agreement.status = AgreementStatus.active.value
    agreement.valid_to = london_today() - timedelta(days=1)
    agreement.valid_from = london_today() - timedelta(days=60)
    session.flush()
    assert search(client, session, world.officer, {"name": "hale"})["total"] == 0


def test_search_finds_shared_case_subjects(
    client: TestClient, session: Session, world: World
) -> None:
    make_case(session, world.council, members=[world.police], subjects=[world.record])
    result = search(client, session, world.officer, {"name": "hale"}, Purpose.asb_case_management)
    assert names(result) == ["Morgan Hale"] and result["known_to_other_agencies"] == 0
    [event] = reads_of(session, world.record.id)
    assert event.purpose == "asb_case_management"


def test_search_special_category_needs_special_agreement(
    client: TestClient, session: Session, world: World
) -> None:
    make_person_record(session, world.council, given_name="Rae", family_name="Hale",
                       sensitivity=Sensitivity.special_category)
    make_agreement(session, [world.police, world.council])
    assert names(search(client, session, world.officer, {"name": "hale"})) == ["Morgan Hale"]
    make_agreement(session, [world.police, world.council],
                   categories=[DataCategory.person_identifiers, DataCategory.special_category])
    result = search(client, session, world.officer, {"name": "hale"})
    assert names(result) == ["Morgan Hale", "Rae Hale"]
    assert result["known_to_other_agencies"] == 0

