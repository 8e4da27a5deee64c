"""Sharing agreements through the API: lifecycle, who may do what, and validation."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import User
from safetyhub.organisations.models import Organisation
from safetyhub.sharing.models import AgreementStatus, SharingAgreement
from safetyhub.sharing.vocabulary import DataCategory, LawfulBasis, Purpose
from safetyhub.timeutil import london_today
from tests.factories import headers_for, make_agreement
from tests.sharing.conftest import Partnership

URL = "/api/sharing-agreements"


def payload(*parties: Organisation, **overrides: Any) -> dict[str, Any]:
    """A valid agreement body between `parties`, with fields overridden."""
    today = london_today()
    body: dict[str, Any] = {
        "title": "Guildford ASB information sharing agreement",
        "parties": [str(p.id) for p in parties],
        "purposes": [Purpose.asb_case_management.value, Purpose.safeguarding.value],
        "data_categories": [DataCategory.person_identifiers.value, DataCategory.incidents.value],
        "lawful_basis": LawfulBasis.cda_1998_s115.value,
        "lawful_basis_detail": "Disclosure to relevant authorities for ASB case management.",
        "valid_from": today.isoformat(),
        "valid_to": (today + timedelta(days=365)).isoformat(),
    }
    body.update(overrides)
    return body


def draft(client: TestClient, session: Session, admin: User, *parties: Organisation) -> str:
    response = client.post(URL, json=payload(*parties), headers=headers_for(session, admin))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def agreements_drafted_by(session: Session, org: Organisation) -> int:
    return int(
        session.scalar(
            select(func.count()).where(SharingAgreement.drafted_by_organisation_id == org.id)
        )
        or 0
    )


def test_lifecycle_draft_sign_by_each_party_then_revoke(
    client: TestClient, session: Session, partners: Partnership
) -> None:
    p = partners
    response = client.post(
        URL, json=payload(p.police, p.council), headers=headers_for(session, p.police_admin)
    )
    assert response.status_code == 201, response.text
    drafted = response.json()
    agreement_id = drafted["id"]
    assert drafted["status"] == "draft"
    assert drafted["in_force"] is False
    assert {party["organisation_name"] for party in drafted["parties"]} == {
        p.police.name, p.council.name,
    }
    assert all(party["signed"] is False for party in drafted["parties"])
    assert drafted["purposes"] == ["asb_case_management", "safeguarding"]
    assert drafted["data_categories"] == ["incidents", "person_identifiers"]
    assert drafted["lawful_basis"] == LawfulBasis.cda_1998_s115.value

    first = client.post(f"{URL}/{agreement_id}/sign", headers=headers_for(session, p.police_admin))
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "draft"  # the council has not signed yet
    police_party = next(
        party for party in first.json()["parties"] if party["organisation_id"] == str(p.police.id)
    )
    assert police_party["signed"] is True
    assert police_party["signed_by_user_id"] == str(p.police_admin.id)
    assert police_party["signed_by_name"] == p.police_admin.full_name
    assert police_party["signed_at"] is not None

    second = client.post(
        f"{URL}/{agreement_id}/sign", headers=headers_for(session, p.council_admin)
    )
    assert second.status_code == 200, second.text
    assert second.json()["status"] == "active"
    assert second.json()["in_force"] is True

    revoked = client.post(
        f"{URL}/{agreement_id}/revoke", headers=headers_for(session, p.council_admin)
    )
    assert revoked.status_code == 200, revoked.text
    body = revoked.json()
    assert body["status"] == "revoked"
    assert body["in_force"] is False
    assert body["revoked_by_organisation_id"] == str(p.council.id)
    assert body["revoked_at"] is not None

    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == agreement_id)
        .order_by(AuditEvent.seq)
    ).all()
    assert actions == ["draft_agreement", "sign_agreement", "sign_agreement", "revoke_agreement"]


def test_active_only_after_every_party_signs(
    client: TestClient, session: Session, partners: Partnership
) -> None:
    p = partners
    agreement_id = draft(client, session, p.police_admin, p.police, p.council, p.health)
    for admin, expected in (
        (p.health_admin, "draft"), (p.police_admin, "draft"), (p.council_admin, "active"),
    ):
        response = client.post(f"{URL}/{agreement_id}/sign", headers=headers_for(session, admin))
        assert response.status_code == 200, response.text
        assert response.json()["status"] == expected


def test_signing_twice_is_a_conflict(
    client: TestClient, session: Session, partners: Partnership
) -> None:
    p = partners
    agreement_id = draft(client, session, p.police_admin, p.police, p.council)
    headers = headers_for(session, p.police_admin)
    assert client.post(f"{URL}/{agreement_id}/sign", headers=headers).status_code == 200
    again = client.post(f"{URL}/{agreement_id}/sign", headers=headers)
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")


def test_revoked_agreement_cannot_be_signed_or_revoked_again(
    client: TestClient, session: Session, partners: Partnership
) -> None:
    p = partners
    agreement_id = draft(client, session, p.police_admin, p.police, p.council)
    police = headers_for(session, p.police_admin)
    revoke = client.post(f"{URL}/{agreement_id}/revoke", headers=police)
    assert revoke.status_code == 200
    council = headers_for(session, p.council_admin)
    assert client.post(f"{URL}/{agreement_id}/sign", headers=council).status_code == 409
    assert client.post(f"{URL}/{agreement_id}/revoke", headers=council).status_code == 409
    assert client.get(f"{URL}/{agreement_id}", headers=council).json()["status"] == "revoked"


def test_expired_agreement_is_not_in_force_and_cannot_be_signed(
    client: TestClient, session: Session, partners: Partnership
) -> None:
    p = partners
    today = london_today()
    expired = make_agreement(
        session, [p.police, p.council], valid_from=today - timedelta(days=400),
        valid_to=today - timedelta(days=1),
    )
    unsigned = make_agreement(
        session, [p.police, p.council], status=AgreementStatus.draft,
        valid_from=today - timedelta(days=400), valid_to=today - timedelta(days=1),
    )
    headers = headers_for(session, p.police_admin)
    shown = client.get(f"{URL}/{expired.id}", headers=headers).json()
    assert shown["status"] == "active"
    assert shown["in_force"] is False
    assert client.post(f"{URL}/{unsigned.id}/sign", headers=headers).status_code == 409


def test_non_admin_of_a_party_may_read_but_not_act(
    client: TestClient, session: Session, partners: Partnership
) -> None:
    p = partners
    agreement_id = draft(client, session, p.police_admin, p.police, p.council)
    headers = headers_for(session, p.police_practitioner)
    assert client.get(f"{URL}/{agreement_id}", headers=headers).status_code == 200
    assert client.post(f"{URL}/{agreement_id}/sign", headers=headers).status_code == 403
    assert client.post(f"{URL}/{agreement_id}/revoke", headers=headers).status_code == 403
    before = agreements_drafted_by(session, p.police)
    drafted = client.post(URL, json=payload(p.police, p.council), headers=headers)
    assert drafted.status_code == 403
    assert agreements_drafted_by(session, p.police) == before


def test_other_agency_gets_404(
    client: TestClient, session: Session, partners: Partnership
) -> None:
    p = partners
    agreement_id = draft(client, session, p.police_admin, p.police, p.council)
    outsider = headers_for(session, p.health_admin)
    assert client.get(f"{URL}/{agreement_id}", headers=outsider).status_code == 404
    assert client.post(f"{URL}/{agreement_id}/sign", headers=outsider).status_code == 404
    assert client.post(f"{URL}/{agreement_id}/revoke", headers=outsider).status_code == 404
    listing = client.get(URL, headers=outsider).json()
    assert agreement_id not in {item["id"] for item in listing["items"]}
    assert listing["total"] == 0
    status = client.get(f"{URL}/{agreement_id}", headers=headers_for(session, p.police_admin))
    assert status.json()["status"] == "draft"


def test_unknown_agreement_id_is_404(
    client: TestClient, session: Session, partners: Partnership
) -> None:
    headers = headers_for(session, partners.police_admin)
    assert client.get(f"{URL}/{uuid.uuid4()}", headers=headers).status_code == 404
    assert client.get(f"{URL}/not-a-uuid", headers=headers).status_code == 422


def test_partnership_office_reads_the_register_but_cannot_sign(
    client: TestClient, session: Session, partners: Partnership
) -> None:
    p = partners
    agreement_id = draft(client, session, p.police_admin, p.police, p.council)
    office = headers_for(session, p.office_user)
    assert client.get(f"{URL}/{agreement_id}", headers=office).status_code == 200
    listed = {item["id"] for item in client.get(URL, headers=office).json()["items"]}
    assert agreement_id in listed
    assert client.post(f"{URL}/{agreement_id}/sign", headers=office).status_code == 403
    assert client.post(f"{URL}/{agreement_id}/revoke", headers=office).status_code == 403


def test_list_filters_by_status_and_counts_only_visible(
    client: TestClient, session: Session, partners: Partnership
) -> None:
    p = partners
    active = make_agreement(session, [p.police, p.council])
    drafted = make_agreement(session, [p.police, p.health], status=AgreementStatus.draft)
    make_agreement(session, [p.council, p.health])  # not the police's
    headers = headers_for(session, p.police_practitioner)
    everything = client.get(URL, headers=headers).json()
    assert {item["id"] for item in everything["items"]} == {str(active.id), str(drafted.id)}
    assert everything["total"] == 2
    only_active = client.get(URL, params={"status": "active"}, headers=headers).json()
    assert [item["id"] for item in only_active["items"]] == [str(active.id)]
    assert only_active["total"] == 1
    paged = client.get(URL, params={"page_size": 1, "page": 2}, headers=headers).json()
    assert len(paged["items"]) == 1
    assert paged["total"] == 2
    assert client.get(URL, params={"status": "lapsed"}, headers=headers).status_code == 422
    assert client.get(URL, params={"page_size": 10_000}, headers=headers).status_code == 422


def test_reading_needs_a_token(client: TestClient) -> None:
    assert client.get(URL).status_code == 401


@pytest.mark.parametrize(
    ("case", "overrides"),
    [
        ("one party", {"parties": "own"}),
        ("same party twice", {"parties": "own twice"}),
        ("no purposes", {"purposes": []}),
        ("no categories", {"data_categories": []}),
        ("valid_to before valid_from", {"valid_to": "2020-01-01"}),
        ("valid_to equals valid_from", {"valid_to": "today"}),
        ("ended in the past", {"valid_from": "2020-01-01", "valid_to": "2020-06-01"}),
        ("unknown purpose", {"purposes": ["curiosity"]}),
        ("unknown category", {"data_categories": ["shoe_sizes"]}),
        ("unknown lawful basis", {"lawful_basis": "because"}),
        ("other basis without detail", {"lawful_basis": "Other (see detail)",
                                        "lawful_basis_detail": ""}),
        ("special category for crime prevention", {
            "purposes": ["crime_prevention"], "data_categories": ["special_category"],
        }),
        ("empty title", {"title": ""}),
        ("oversized title", {"title": "x" * 201}),
        ("oversized detail", {"lawful_basis_detail": "x" * 4001}),
        ("unknown field", {"retention": "forever"}),
        ("wrong type", {"parties": "everyone"}),
        ("bad date", {"valid_from": "next tuesday"}),
        ("unknown organisation", {"parties": "unknown"}),
        ("own agency not a party", {"parties": "others"}),
    ],
)
def test_invalid_agreements_answer_422_and_write_nothing(
    client: TestClient, session: Session, partners: Partnership, case: str,
    overrides: dict[str, Any],
) -> None:
    p = partners
    body = payload(p.police, p.council, **overrides)
    parties = {
        "own": [str(p.police.id)],
        "own twice": [str(p.police.id), str(p.police.id)],
        "unknown": [str(p.police.id), str(uuid.uuid4())],
        "others": [str(p.council.id), str(p.health.id)],
    }
    if isinstance(overrides.get("parties"), str) and overrides["parties"] in parties:
        body["parties"] = parties[overrides["parties"]]
    if body["valid_to"] == "today":
        body["valid_to"] = body["valid_from"]
    before = agreements_drafted_by(session, p.police)
    response = client.post(URL, json=body, headers=headers_for(session, p.police_admin))
    assert response.status_code == 422, (case, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"]
    assert agreements_drafted_by(session, p.police) == before


def test_malformed_json_is_422(
    client: TestClient, session: Session, partners: Partnership
) -> None:
    headers = {**headers_for(session, partners.police_admin), "Content-Type": "application/json"}
    response = client.post(URL, content=b"{not json", headers=headers)
    assert response.status_code == 422


def test_huge_body_is_refused(
    client: TestClient, session: Session, partners: Partnership
) -> None:
    p = partners
    body = payload(p.police, p.council, lawful_basis_detail="x" * 2_000_000)
    before = agreements_drafted_by(session, p.police)
    response = client.post(URL, json=body, headers=headers_for(session, p.police_admin))
    assert response.status_code == 413
    assert agreements_drafted_by(session, p.police) == before


def test_duplicate_purposes_are_stored_once(
    client: TestClient, session: Session, partners: Partnership
) -> None:
    p = partners
    body = payload(p.police, p.council, purposes=["safeguarding", "safeguarding"])
    response = client.post(URL, json=body, headers=headers_for(session, p.police_admin))
    assert response.status_code == 201, response.text
    assert response.json()["purposes"] == ["safeguarding"]


def test_dates_round_trip(client: TestClient, session: Session, partners: Partnership) -> None:
    p = partners
    start = london_today() + timedelta(days=10)
    end = date(start.year + 2, 3, 31)
    body = payload(p.police, p.council, valid_from=start.isoformat(), valid_to=end.isoformat())
    created = client.post(URL, json=body, headers=headers_for(session, p.police_admin)).json()
    assert (created["valid_from"], created["valid_to"]) == (start.isoformat(), end.isoformat())
