"""Directory API: search by need and area, a service, import, export, refer to a service."""

from __future__ import annotations

import json
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.referrals.directory.models import DirectoryService
from safetyhub.referrals.models import Referral
from safetyhub.sharing.vocabulary import LawfulBasis
from tests.cases.helpers import audit_events, auth, summary
from tests.referrals.directory.conftest import Directory
from tests.referrals.directory.helpers import as_zip, counts, json_bytes, one_service, small_csv


def _id(session: Session, name: str) -> uuid.UUID:
    return session.scalars(select(DirectoryService.id).where(DirectoryService.name == name)).one()


def _names(response_json: dict[str, object]) -> list[str]:
    items = response_json["items"]
    assert isinstance(items, list)
    return [item["name"] for item in items]


def test_search_by_need(client: TestClient, session: Session, directory: Directory) -> None:
    headers = auth(session, directory.world.police_user)
    found = client.get("/api/services?need=domestic-abuse", headers=headers)
    assert found.status_code == 200
    assert _names(found.json()) == ["Domestic abuse outreach", "Victim support after crime"]
    assert found.json()["total"] == 2


def test_search_by_district_and_postcode_area(
    client: TestClient, session: Session, directory: Directory
) -> None:
    headers = auth(session, directory.world.council_user)
    in_woking = _names(client.get("/api/services?district=woking", headers=headers).json())
    assert "Youth diversion programme" in in_woking and "Safe Haven crisis café" in in_woking
    assert "Housing and homelessness advice" not in in_woking  # east Surrey only
    at_gu21 = _names(client.get("/api/services?district=GU21", headers=headers).json())
    assert at_gu21 == ["Drug and alcohol recovery service"]  # the Woking Recovery Centre
    both = client.get("/api/services?need=mental-health-crisis&district=Guildford",
                      headers=headers).json()
    assert _names(both) == ["Safe Haven crisis café"]
    none = client.get("/api/services?need=mental-health-crisis&district=Tandridge",
                      headers=headers).json()
    assert none["total"] == 0


def test_search_by_words_treats_wildcards_as_text(
    client: TestClient, session: Session, directory: Directory
) -> None:
    headers = auth(session, directory.world.police_user)
    assert _names(client.get("/api/services?q=crisis", headers=headers).json()) == [
        "Safe Haven crisis café"]
    assert client.get("/api/services?q=%25", headers=headers).json()["total"] == 0
    assert client.get("/api/services?need=%25", headers=headers).json()["total"] == 0


def test_one_service_with_its_locations(
    client: TestClient, session: Session, directory: Directory
) -> None:
    sid = _id(session, "Domestic abuse outreach")
    read = client.get(f"/api/services/{sid}", headers=auth(session, directory.world.police_user))
    assert read.status_code == 200
    body = read.json()
    assert body["organization_name"] == "Surrey Domestic Abuse Outreach"
    assert [loc["postal_code"] for loc in body["locations"]] == ["GU1 4LH", "RH1 1PB"]
    assert body["phones"] == ["01483 000101"] and body["partner_organisation_id"] is None
    assert client.get(f"/api/services/{uuid.uuid4()}",
                      headers=auth(session, directory.world.police_user)).status_code == 404


def test_signing_in_is_needed(client: TestClient, directory: Directory) -> None:
    assert client.get("/api/services").status_code == 401


def test_the_office_imports_through_the_api(
    client: TestClient, session: Session, office_user: object
) -> None:
    from safetyhub.auth.models import User

    assert isinstance(office_user, User)
    response = client.post("/api/services/import", headers=auth(session, office_user),
                           files={"file": ("d.zip", as_zip(small_csv()), "application/zip")})
    assert response.status_code == 200, response.text
    assert response.json()["services"] == 3
    assert counts(session)[:5] == (2, 3, 2, 2, 3)


def test_an_invalid_import_lists_problems_and_stores_nothing(
    client: TestClient, session: Session, directory: Directory
) -> None:
    before = counts(session)
    bad = json_bytes(one_service(), one_service(id="svc-2", name=None, service_at_locations=[]))
    response = client.post("/api/services/import", headers=auth(session, directory.office_user),
                           files={"file": ("d.json", bad, "application/json")})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"file": "d.json", "record": "services[1]", "field": "name", "problem": "is required"}]
    assert counts(session) == before


def test_a_directory_file_over_the_general_body_limit_is_imported(
    client: TestClient, session: Session, directory: Directory
) -> None:
    # About 2 MB of JSON: over the 1 MB general limit, within the 5 MB import one.
    services = [one_service(id=f"svc-big-{n}", name=f"Big service {n}",
                            description="x" * 4_000, service_at_locations=[], attributes=[])
                for n in range(500)]
    response = client.post("/api/services/import", headers=auth(session, directory.office_user),
                           files={"file": ("big.json", json_bytes(*services), "application/json")})
    assert response.status_code == 200, response.text[:300]
    assert response.json()["services_added"] == 500


def test_a_practitioner_cannot_import(
    client: TestClient, session: Session, directory: Directory
) -> None:
    before = counts(session)
    response = client.post("/api/services/import",
                           headers=auth(session, directory.world.police_user),
                           files={"file": ("d.json", json_bytes(one_service()), "text/json")})
    assert response.status_code == 403
    assert counts(session) == before


def test_export_json_and_csv(client: TestClient, session: Session, directory: Directory) -> None:
    headers = auth(session, directory.world.housing_user)
    as_json = client.get("/api/services/export?format=json", headers=headers)
    assert as_json.status_code == 200
    assert len(json.loads(as_json.content)) == 6
    as_csv = client.get("/api/services/export?format=csv", headers=headers)
    assert as_csv.headers["content-type"] == "application/zip"
    again = client.post("/api/services/import", headers=auth(session, directory.office_user),
                        files={"file": ("back.zip", as_csv.content, "application/zip")})
    assert again.json()["services_added"] == 0 and again.json()["services_updated"] == 0


def _refer(client: TestClient, session: Session, user: object, service_id: uuid.UUID,
           **more: object) -> dict[str, object]:
    from safetyhub.auth.models import User

    assert isinstance(user, User)
    response = client.post("/api/referrals", headers=auth(session, user), json={
        "service_id": str(service_id), "reason": "Victim of burglary; wants support.",
        "lawful_basis": LawfulBasis.consent.value, "consent_obtained": True, **more})
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_referral_to_a_partner_service_reaches_its_inbox(
    client: TestClient, session: Session, directory: Directory
) -> None:
    sid = _id(session, "Victim support after crime")
    sent = _refer(client, session, directory.world.police_user, sid)
    assert sent["to_organisation_id"] == str(directory.victim_support.id)
    assert (sent["service_id"], sent["service_name"], sent["external"]) == (
        str(sid), "Victim support after crime", False)
    inbox = client.get("/api/referrals?box=inbox",
                       headers=auth(session, directory.victim_support_user)).json()
    assert [r["id"] for r in inbox["items"]] == [sent["id"]]
    accepted = client.post(f"/api/referrals/{sent['id']}/accept",
                           headers=auth(session, directory.victim_support_user))
    assert accepted.json()["state"] == "accepted"
    [event] = audit_events(session, "send_referral")
    assert summary(event)["after"]["service_id"] == str(sid)


def test_referral_to_a_service_outside_the_hub_stays_with_the_sender(
    client: TestClient, session: Session, directory: Directory
) -> None:
    world = directory.world
    sent = _refer(client, session, world.council_user, _id(session, "Safe Haven crisis café"))
    assert sent["to_organisation_id"] == sent["from_organisation_id"] == str(world.council.id)
    assert sent["external"] is True
    # The sender's agency records the service's answer; the state machine is the usual one.
    headers = auth(session, world.council_user)
    assert client.post(f"/api/referrals/{sent['id']}/accept", headers=headers).status_code == 200
    done = client.post(f"/api/referrals/{sent['id']}/complete", headers=headers,
                       json={"outcome": "Attended the café twice."})
    assert done.json()["state"] == "completed"


def test_other_agencies_cannot_see_a_referral_to_a_service(
    client: TestClient, session: Session, directory: Directory
) -> None:
    world = directory.world
    sent = _refer(client, session, world.police_user, _id(session, "Victim support after crime"))
    for user in (world.council_user, world.housing_user, directory.office_user):
        assert client.get(f"/api/referrals/{sent['id']}",
                          headers=auth(session, user)).status_code == 404
        assert client.post(f"/api/referrals/{sent['id']}/accept",
                           headers=auth(session, user)).status_code == 404
    external = _refer(client, session, world.police_user,
                      _id(session, "Safe Haven crisis café"))
    assert client.get(f"/api/referrals/{external['id']}",
                      headers=auth(session, world.council_user)).status_code == 404


def test_a_referral_names_the_service_or_its_agency_not_another(
    client: TestClient, session: Session, directory: Directory
) -> None:
    world = directory.world
    response = client.post("/api/referrals", headers=auth(session, world.police_user), json={
        "service_id": str(_id(session, "Victim support after crime")),
        "to_organisation_id": str(world.housing.id), "reason": "x",
        "lawful_basis": LawfulBasis.cda_1998_s115.value, "consent_obtained": False})
    assert response.status_code == 422
    neither = client.post("/api/referrals", headers=auth(session, world.police_user), json={
        "reason": "x", "lawful_basis": LawfulBasis.cda_1998_s115.value,
        "consent_obtained": False})
    assert neither.status_code == 422
    missing = client.post("/api/referrals", headers=auth(session, world.police_user), json={
        "service_id": str(uuid.uuid4()), "reason": "x",
        "lawful_basis": LawfulBasis.cda_1998_s115.value, "consent_obtained": False})
    assert missing.status_code == 404
    assert session.scalar(select(Referral.id)) is None


def test_a_defunct_service_takes_no_referrals(
    client: TestClient, session: Session, directory: Directory
) -> None:
    closed = one_service(name="Closed drop-in", status="defunct", attributes=[])
    response = client.post("/api/services/import", headers=auth(session, directory.office_user),
                           files={"file": ("d.json", json_bytes(closed), "application/json")})
    assert response.status_code == 200, response.text
    old = _id(session, "Closed drop-in")
    refused = client.post("/api/referrals", headers=auth(session, directory.world.police_user),
                          json={"service_id": str(old), "reason": "x",
                                "lawful_basis": LawfulBasis.cda_1998_s115.value,
                                "consent_obtained": False})
    assert refused.status_code == 422
    assert "Closed drop-in" not in _names(client.get(
        "/api/services?q=drop-in", headers=auth(session, directory.world.police_user)).json())


def test_the_office_matches_a_service_to_a_partner(
    client: TestClient, session: Session, directory: Directory
) -> None:
    sid = _id(session, "Domestic abuse outreach")
    path = f"/api/services/{sid}/partner"
    body = {"partner_organisation_id": str(directory.world.housing.id)}
    assert client.put(path, headers=auth(session, directory.world.police_user),
                      json=body).status_code == 403
    matched = client.put(path, headers=auth(session, directory.office_user), json=body)
    assert matched.json()["partner_organisation_name"] == "Elm Housing Association"
    sent = _refer(client, session, directory.world.police_user, sid)
    assert sent["to_organisation_id"] == str(directory.world.housing.id)
    assert [e.object_type for e in audit_events(session, "match_directory_partner")] == [
        "directory_organization"]
