"""The ASB Case Review API: the public application and its threshold check, staff reads."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.casereview.models import CaseReview, CaseReviewComplaint
from safetyhub.config import get_settings
from safetyhub.incidents.models import IncidentCategory, PartyRole
from safetyhub.people.models import Identity, IdentityLink
from tests.casereview.conftest import Partnership, application, complaint, victim_record
from tests.factories import headers_for, make_place


def _reviews(session: Session) -> int:
    return int(session.scalar(select(func.count(CaseReview.id))) or 0)


def test_a_member_of_the_public_applies_and_learns_the_threshold_is_met(
    client: TestClient, session: Session, world: Partnership
) -> None:
    police_record = victim_record(session, world.police)
    council_record = victim_record(session, world.council, date_of_birth=None)
    first = complaint(session, world.police, police_record, 20)
    # The same incident, reported to the council 30 minutes later: counts once.
    complaint(session, world.council, council_record, 0, at=first.occurred_at)
    complaint(session, world.council, council_record, 50)
    complaint(session, world.police, police_record, 90)
    response = client.post("/api/asb-case-reviews", json=application())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["threshold_met"] is True
    assert body["qualifying_complaints"] == 3 and body["complaints_needed"] == 3
    assert body["reference"].startswith("CR-") and len(body["reference"]) == 11
    # The applicant learns no record: only the count, the reference and the deadlines.
    assert set(body) == {"id", "reference", "received_on", "threshold_met",
                         "qualifying_complaints", "complaints_needed", "acknowledge_by",
                         "decide_by"}
    review = session.get(CaseReview, uuid.UUID(body["id"]))
    assert review is not None and review.status == "received"
    counted = session.scalar(select(func.count()).where(
        CaseReviewComplaint.case_review_id == review.id))
    assert counted == 4
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "apply_case_review")).one()
    assert event.actor_label == "public applicant" and event.actor_user_id is None
    assert "Shah" not in event.summary and "windows" not in event.summary
    assert json.loads(event.summary)["after"]["qualifying_complaints"] == 3


def test_two_complaints_and_an_unmatched_person_do_not_meet_the_threshold(
    client: TestClient, session: Session, world: Partnership
) -> None:
    record = victim_record(session, world.police)
    complaint(session, world.police, record, 10)
    complaint(session, world.police, record, 40)
    stranger = victim_record(session, world.council, given_name="Pria",
                             date_of_birth=None, postcode="GU1 1AA")
    complaint(session, world.council, stranger, 20)
    wrong_birthday = victim_record(session, world.council, date_of_birth=None)
    wrong_birthday.postcode = "KT1 1AA"
    complaint(session, world.council, wrong_birthday, 25)
    body = client.post("/api/asb-case-reviews", json=application()).json()
    assert body["threshold_met"] is False and body["qualifying_complaints"] == 2


def test_records_linked_to_the_victims_identity_count(
    client: TestClient, session: Session, world: Partnership
) -> None:
    record = victim_record(session, world.police)
    # Housing holds the victim under a nickname and an old postcode; linkage joined the two.
    alias = victim_record(session, world.housing, given_name="Pri", postcode="KT2 5AA")
    identity = Identity(label="test")
    session.add(identity)
    session.flush()
    session.add_all([
        IdentityLink(identity_id=identity.id, person_record_id=record.id, method="human"),
        IdentityLink(identity_id=identity.id, person_record_id=alias.id, method="human"),
    ])
    session.flush()
    complaint(session, world.police, record, 10)
    complaint(session, world.housing, alias, 40)
    complaint(session, world.housing, alias, 70)
    body = client.post("/api/asb-case-reviews", json=application()).json()
    assert body["threshold_met"] is True and body["qualifying_complaints"] == 3


def test_local_variants_come_from_the_partnership_file(
    client: TestClient, session: Session, world: Partnership, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    local = tmp_path / "local.toml"
    local.write_text("[variants]\nsingle_hate_incident = true\ndistinct_complainants = 5\n",
                     encoding="utf-8")
    monkeypatch.setenv("SAFETYHUB_ASB_CASE_REVIEW_PARAMETERS_FILE", str(local))
    get_settings.cache_clear()
    record = victim_record(session, world.police)
    complaint(session, world.police, record, 10, category=IncidentCategory.hate_incident,
              role=PartyRole.victim)
    body = client.post("/api/asb-case-reviews", json=application()).json()
    assert body["threshold_met"] is True and body["qualifying_complaints"] == 0

    park = make_place(session, address="Rec ground, Park Road", postcode="GU2 7XH")
    for i in range(5):
        neighbour = victim_record(session, world.council, given_name=f"Neighbour{i}",
                                  date_of_birth=None)
        complaint(session, world.council, neighbour, 10 + i, place=park)
    other = application(victim_given_name="Sam", victim_family_name="Jones")
    assert client.post("/api/asb-case-reviews", json=other).json()["threshold_met"] is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"victim_given_name": ""}, "victim_given_name"),
        ({"victim_postcode": "NOT A POSTCODE"}, "victim_postcode"),
        ({"victim_date_of_birth": "2999-01-01"}, "victim_date_of_birth"),
        ({"victim_date_of_birth": "31/02/1980"}, "victim_date_of_birth"),
        ({"problem_description": "x" * 5001}, "problem_description"),
        ({"on_behalf": True, "applicant_name": "A Friend"}, "consent"),
        ({"on_behalf": True, "victim_consent": True}, "own name"),
        ({"contact_email": None}, "email address or a phone"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"agencies_told": ["aliens"]}, "agencies_told"),
        ({"is_admin": True}, "is_admin"),
    ],
)
def test_bad_applications_are_refused_clearly_and_store_nothing(
    client: TestClient, session: Session, changes: dict[str, object], field: str
) -> None:
    response = client.post("/api/asb-case-reviews", json=application(**changes))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in response.json()["detail"]
    assert _reviews(session) == 0
    assert session.scalar(select(func.count(AuditEvent.id))) == 0


def test_malformed_and_oversized_bodies_store_nothing(
    client: TestClient, session: Session
) -> None:
    malformed = client.post("/api/asb-case-reviews", content=b"{not json",
                            headers={"content-type": "application/json"})
    assert malformed.status_code == 422
    huge = client.post("/api/asb-case-reviews",
                       json=application(problem_description="x" * 2_000_000))
    assert huge.status_code == 413
    assert _reviews(session) == 0


def test_a_third_party_applies_with_the_victims_consent(
    client: TestClient, session: Session
) -> None:
    body = application(on_behalf=True, victim_consent=True, applicant_name="Councillor Green",
                       applicant_relationship="Ward councillor", contact_email=None,
                       contact_phone="01483 123456", victim_postcode="gu27xh")
    response = client.post("/api/asb-case-reviews", json=body)
    assert response.status_code == 201
    review = session.get(CaseReview, uuid.UUID(response.json()["id"]))
    assert review is not None and review.on_behalf and review.victim_consent
    assert review.applicant_name == "Councillor Green"
    assert review.victim_postcode == "GU2 7XH"


def test_reading_needs_sign_in_and_another_agency_gets_404(
    client: TestClient, session: Session, world: Partnership
) -> None:
    review_id = client.post("/api/asb-case-reviews", json=application()).json()["id"]
    assert client.get(f"/api/asb-case-reviews/{review_id}").status_code == 401
    office = headers_for(session, world.office_user)
    found = client.get(f"/api/asb-case-reviews/{review_id}", headers=office)
    assert found.status_code == 200
    assert found.json()["victim_family_name"] == "Shah"
    assert found.json()["lead_organisation"] is None
    police = headers_for(session, world.police_user)
    assert client.get(f"/api/asb-case-reviews/{review_id}", headers=police).status_code == 404
    assert client.get("/api/asb-case-reviews", headers=police).json()["total"] == 0
    assert client.get(f"/api/asb-case-reviews/{uuid.uuid4()}",
                      headers=office).status_code == 404
    # Once the council leads, its users see the review; housing (not involved) still gets 404.
    acknowledged = client.post(f"/api/asb-case-reviews/{review_id}/acknowledgement",
                               json={"lead_organisation_id": str(world.council.id)},
                               headers=office)
    assert acknowledged.status_code == 200
    council = headers_for(session, world.council_user)
    assert client.get(f"/api/asb-case-reviews/{review_id}", headers=council).status_code == 200
    assert client.get("/api/asb-case-reviews", headers=council).json()["total"] == 1
    housing = headers_for(session, world.housing_user)
    assert client.get(f"/api/asb-case-reviews/{review_id}", headers=housing).status_code == 404
    changed = client.post(f"/api/asb-case-reviews/{review_id}/decision",
                          json={"decision": "met", "reasons": "x"}, headers=housing)
    assert changed.status_code == 404


def test_staff_see_counted_complaints_only_as_the_policy_allows(
    client: TestClient, session: Session, world: Partnership
) -> None:
    police_record = victim_record(session, world.police)
    council_record = victim_record(session, world.council)
    complaint(session, world.police, police_record, 10)
    complaint(session, world.council, council_record, 40)
    complaint(session, world.council, council_record, 70)
    review_id = client.post("/api/asb-case-reviews", json=application()).json()["id"]
    office = headers_for(session, world.office_user)
    client.post(f"/api/asb-case-reviews/{review_id}/acknowledgement",
                json={"lead_organisation_id": str(world.police.id)}, headers=office)
    seen = client.get(f"/api/asb-case-reviews/{review_id}",
                      headers=headers_for(session, world.police_user)).json()["complaints"]
    assert seen["counted"] == 3 and len(seen["visible_incident_ids"]) == 1
    assert seen["hidden"] == 2 and seen["hidden_agencies"] == 1
