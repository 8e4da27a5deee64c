"""Referrals API: sending, answering and reading referrals through the access policy."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role
from safetyhub.config import get_settings
from safetyhub.referrals.models import Referral
from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.vocabulary import DataCategory, LawfulBasis, Purpose
from safetyhub.timeutil import add_working_days, london_today, utcnow
from tests.cases.helpers import Partnership, audit_events, auth, summary
from tests.factories import (
    make_agreement,
    make_case,
    make_org,
    make_person_record_row,
    make_referral,
    make_user,
)


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(
        int(session.scalar(select(func.count()).select_from(model)) or 0)
        for model in (Referral, AuditEvent)
    )


def _body(world: Partnership, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "to_organisation_id": str(world.council.id),
        "reason": "Repeat ASB victim; needs a housing needs assessment.",
        "lawful_basis": LawfulBasis.cda_1998_s115.value,
        "consent_obtained": False,
    }
    body.update(changes)
    return body


def test_send_referral_copies_only_the_name_and_date_of_birth(
    client: TestClient, session: Session, world: Partnership
) -> None:
    record = make_person_record_row(session, world.police, given_name="Sam", family_name="Lee",
                                    date_of_birth=date(1984, 2, 29))
    case = make_case(session, world.police)
    response = client.post(
        "/api/referrals", headers=auth(session, world.police_user),
        json=_body(world, person_record_id=str(record.id), case_id=str(case.id)),
    )
    assert response.status_code == 201, response.text
    sent = response.json()
    assert (sent["subject_name"], sent["subject_date_of_birth"]) == ("Sam Lee", "1984-02-29")
    assert (sent["state"], sent["overdue"]) == ("sent", False)
    assert sent["from_organisation_name"] == "Surrey Police"
    assert sent["to_organisation_name"] == "Guildford Borough Council"
    expected = add_working_days(london_today(), get_settings().referral_response_working_days)
    assert sent["respond_by"] == expected.isoformat()
    assert "address" not in sent and "phone" not in sent

    [event] = audit_events(session, "send_referral")
    assert event.object_id == sent["id"]
    assert event.owner_organisation_id == world.police.id
    after = summary(event)["after"]
    assert after["to_organisation_id"] == str(world.council.id)
    assert after["person_record_id"] == str(record.id)
    assert after["state"] == "sent"
    assert "Sam" not in event.summary  # the log keeps ids, not personal details


def test_the_recipient_sees_the_referral_in_its_inbox(
    client: TestClient, session: Session, world: Partnership
) -> None:
    referral = make_referral(session, world.police, world.council)
    inbox = client.get("/api/referrals?box=inbox", headers=auth(session, world.council_user))
    assert [r["id"] for r in inbox.json()["items"]] == [str(referral.id)]
    outbox = client.get("/api/referrals?box=outbox", headers=auth(session, world.council_user))
    assert outbox.json()["total"] == 0
    police_out = client.get("/api/referrals?box=outbox", headers=auth(session, world.police_user))
    assert police_out.json()["total"] == 1
    # Sender and recipient are parties: their reads are not disclosures.
    assert audit_events(session, "read") == []


def test_list_filters_by_state_and_marks_overdue(
    client: TestClient, session: Session, world: Partnership
) -> None:
    late = make_referral(session, world.police, world.council,
                         respond_by=london_today() - timedelta(days=1))
    make_referral(session, world.police, world.council, state="accepted",
                  respond_by=london_today() - timedelta(days=1))
    headers = auth(session, world.council_user)
    sent = client.get("/api/referrals?state=sent", headers=headers).json()
    assert [(r["id"], r["overdue"]) for r in sent["items"]] == [(str(late.id), True)]
    accepted = client.get("/api/referrals?state=accepted", headers=headers).json()
    assert [r["overdue"] for r in accepted["items"]] == [False]  # answered in time or not
    assert client.get(f"/api/referrals/{late.id}", headers=headers).json()["overdue"] is True


def test_cannot_refer_to_ones_own_agency(
    client: TestClient, session: Session, world: Partnership
) -> None:
    before = _counts(session)
    response = client.post("/api/referrals", headers=auth(session, world.police_user),
                           json=_body(world, to_organisation_id=str(world.police.id)))
    assert response.status_code == 422
    assert _counts(session) == before


@pytest.mark.parametrize("field", ["person_record_id", "case_id", "to_organisation_id"])
def test_invisible_or_unknown_ids_are_404_and_nothing_is_written(
    client: TestClient, session: Session, world: Partnership, field: str
) -> None:
    ids = {
        "person_record_id": make_person_record_row(session, world.housing).id,
        "case_id": make_case(session, world.housing).id,
        "to_organisation_id": uuid.uuid4(),
    }
    before = _counts(session)
    for purpose in (None, Purpose.safeguarding):
        response = client.post("/api/referrals", headers=auth(session, world.police_user, purpose),
                               json=_body(world, **{field: str(ids[field])}))
        assert response.status_code == 404
    assert _counts(session) == before


@pytest.mark.parametrize(
    "changes",
    [
        {"lawful_basis": "because"},
        {"lawful_basis": LawfulBasis.consent.value, "consent_obtained": False},
        {"consent_obtained": "yes"},
        {"reason": ""},
        {"reason": "x" * 5_001},
        {"to_organisation_id": "council"},
        {"state": "accepted"},
    ],
    ids=["unknown-basis", "consent-not-obtained", "bool-as-string", "no-reason", "long-reason",
         "bad-uuid", "extra-field"],
)
def test_send_referral_refuses_bad_input(
    client: TestClient, session: Session, world: Partnership, changes: dict[str, object]
) -> None:
    before = _counts(session)
    response = client.post("/api/referrals", headers=auth(session, world.police_user),
                           json=_body(world, **changes))
    assert response.status_code == 422, response.text
    assert _counts(session) == before


def test_malformed_json_and_huge_bodies_are_refused(
    client: TestClient, session: Session, world: Partnership
) -> None:
    headers = {**auth(session, world.police_user), "Content-Type": "application/json"}
    before = _counts(session)
    assert client.post("/api/referrals", content=b"{not json", headers=headers).status_code == 422
    huge = client.post("/api/referrals", headers=headers,
                       json=_body(world, reason="x" * 10_000_000))
    assert huge.status_code == 413
    assert _counts(session) == before


def test_consent_referral_with_consent_is_accepted(
    client: TestClient, session: Session, world: Partnership
) -> None:
    body = _body(world, lawful_basis=LawfulBasis.consent.value, consent_obtained=True)
    response = client.post("/api/referrals", json=body, headers=auth(session, world.police_user))
    assert response.status_code == 201
    assert response.json()["consent_obtained"] is True


def test_an_analyst_may_not_send_a_referral(
    client: TestClient, session: Session, world: Partnership
) -> None:
    analyst = auth(session, world.police_analyst)
    assert client.post("/api/referrals", json=_body(world), headers=analyst).status_code == 403


def test_other_agency_gets_404_and_list_totals_skip_the_referral(
    client: TestClient, session: Session, world: Partnership
) -> None:
    referral = make_referral(session, world.police, world.council)
    url = f"/api/referrals/{referral.id}"
    for purpose in (None, Purpose.safeguarding):
        headers = auth(session, world.housing_user, purpose)
        assert client.get(url, headers=headers).status_code == 404
        assert client.get("/api/referrals", headers=headers).json()["total"] == 0
        assert client.post(f"{url}/accept", headers=headers).status_code == 404
        assert client.post(f"{url}/decline", headers=headers,
                           json={"reason": "no"}).status_code == 404
        assert client.post(f"{url}/complete", headers=headers,
                           json={"outcome": "done"}).status_code == 404
    assert audit_events(session) == []
    session.refresh(referral)
    assert referral.state == "sent"


@pytest.mark.parametrize(
    ("purposes", "categories", "declared"),
    [
        ([Purpose.safeguarding], [DataCategory.referrals], None),
        ([Purpose.safeguarding], [DataCategory.referrals], Purpose.crime_prevention),
        ([Purpose.safeguarding], [DataCategory.case_notes], Purpose.safeguarding),
    ],
    ids=["no-purpose-declared", "purpose-not-covered", "category-not-covered"],
)
def test_an_agreement_that_does_not_cover_referrals_gives_404(
    client: TestClient, session: Session, world: Partnership,
    purposes: list[Purpose], categories: list[DataCategory], declared: Purpose | None,
) -> None:
    referral = make_referral(session, world.police, world.council)
    make_agreement(session, [world.police, world.housing], purposes=purposes,
                   categories=categories)
    headers = auth(session, world.housing_user, declared)
    assert client.get(f"/api/referrals/{referral.id}", headers=headers).status_code == 404
    assert client.get("/api/referrals", headers=headers).json()["total"] == 0


def test_a_covering_agreement_reveals_the_referral_and_audits_the_purpose(
    client: TestClient, session: Session, world: Partnership
) -> None:
    referral = make_referral(session, world.police, world.council)
    make_agreement(session, [world.police, world.housing], purposes=[Purpose.safeguarding],
                   categories=[DataCategory.referrals])
    headers = auth(session, world.housing_user, Purpose.safeguarding)
    response = client.get(f"/api/referrals/{referral.id}", headers=headers)
    assert response.status_code == 200
    assert response.json()["reason"] == referral.reason
    assert client.get("/api/referrals", headers=headers).json()["total"] == 1
    # Inbox and outbox are the agency's own boxes: a reader through an agreement has neither.
    assert client.get("/api/referrals?box=inbox", headers=headers).json()["total"] == 0

    reads = audit_events(session, "read")
    assert len(reads) == 2
    assert {(e.object_type, e.object_id, e.purpose, e.owner_organisation_id) for e in reads} == {
        ("referral", str(referral.id), "safeguarding", world.police.id)
    }
    # Seeing a referral is not answering it.
    assert client.post(f"/api/referrals/{referral.id}/accept", headers=headers).status_code == 403


@pytest.mark.parametrize("change", ["revoke", "expire"])
def test_a_revoked_or_expired_agreement_stops_access_at_once(
    client: TestClient, session: Session, world: Partnership, change: str
) -> None:
    referral = make_referral(session, world.police, world.council)
    agreement = make_agreement(session, [world.police, world.housing],
                               categories=[DataCategory.referrals])
    headers = auth(session, world.housing_user, Purpose.safeguarding)
    assert client.get(f"/api/referrals/{referral.id}", headers=headers).status_code == 200
    if change == "revoke":
        agreement.status = AgreementStatus.revoked.value
        agreement.revoked_at = utcnow()
    else:
        agreement.valid_to = london_today() - timedelta(days=1)
    session.flush()
    assert client.get(f"/api/referrals/{referral.id}", headers=headers).status_code == 404
    assert client.get("/api/referrals", headers=headers).json()["total"] == 0


def test_a_third_agency_sees_none_of_it(
    client: TestClient, session: Session, world: Partnership
) -> None:
    fire = make_org(session, "Surrey Fire and Rescue")
    fire_user = make_user(session, fire, Role.supervisor)
    make_agreement(session, [world.police, world.council], categories=[DataCategory.referrals])
    referral = make_referral(session, world.police, world.council)
    for purpose in (None, *Purpose):
        headers = auth(session, fire_user, purpose)
        assert client.get(f"/api/referrals/{referral.id}", headers=headers).status_code == 404
        assert client.get("/api/referrals", headers=headers).json()["total"] == 0


@pytest.mark.parametrize("query", ["box=spam", "state=lost", "page=0", "page_size=100000"])
def test_list_refuses_bad_query(
    client: TestClient, session: Session, world: Partnership, query: str
) -> None:
    response = client.get(f"/api/referrals?{query}", headers=auth(session, world.police_user))
    assert response.status_code == 422
