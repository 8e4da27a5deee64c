"""The linkage API: review queue, decisions, identity summary (SQLite + PostgreSQL)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role
from safetyhub.linkage.batch import run_batch
from safetyhub.linkage.identities import identity_of
from safetyhub.linkage.models import LinkageDecision, MatchCandidate
from safetyhub.organisations.models import OrganisationKind
from safetyhub.sharing.vocabulary import Purpose
from tests.factories import headers_for, make_agreement, make_org, make_user
from tests.linkage.db import HUB, County, install_model, make_county


@pytest.fixture
def county(session: Session, trained_settings: dict[str, Any]) -> County:
    """A linked county with pairs waiting for review."""
    county = make_county(session, n=80)
    install_model(session, trained_settings)
    run_batch(session, actor=HUB)
    return county


def _analyst_headers(session: Session, county: County, *, agreement: bool = True
                     ) -> dict[str, str]:
    if agreement:
        make_agreement(session, [county.police, county.council])
    analyst = make_user(session, county.police, Role.analyst)
    return headers_for(session, analyst, Purpose.safeguarding)


def _pending(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(MatchCandidate)
                              .where(MatchCandidate.status == "pending")) or 0)


def test_queue_shows_pairs_side_by_side_with_evidence(
    client: TestClient, session: Session, county: County
) -> None:
    response = client.get("/api/linkage/review-queue",
                          headers=_analyst_headers(session, county))
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == _pending(session) > 0
    pair = body["items"][0]
    assert {pair["left"]["organisation_name"], pair["right"]["organisation_name"]} <= {
        county.police.name, county.council.name}
    comparisons = {e["comparison"] for e in pair["evidence"]}
    assert {"given_name", "family_name", "date_of_birth", "postcode"} <= comparisons
    assert all(isinstance(e["match_weight"], float) for e in pair["evidence"])
    probabilities = [p["match_probability"] for p in body["items"]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert body["needs_other_reviewer"] == 0


def test_queue_hides_pairs_with_a_record_the_analyst_may_not_see(
    client: TestClient, session: Session, county: County
) -> None:
    headers = _analyst_headers(session, county, agreement=False)
    body = client.get("/api/linkage/review-queue", headers=headers).json()
    shown = {(p["left"]["id"], p["right"]["id"]) for p in body["items"]}
    council_ids = {str(i) for label, i in county.ids.items() if label.endswith("-1")}
    assert not any(left in council_ids or right in council_ids for left, right in shown)
    assert body["needs_other_reviewer"] == _pending(session) - body["total"] > 0
    assert session.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.action == "read")) == 0


def test_other_agency_gets_404_for_a_pair_and_its_decision(
    client: TestClient, session: Session, county: County
) -> None:
    candidate = session.scalars(select(MatchCandidate)
                                .where(MatchCandidate.status == "pending")).first()
    assert candidate is not None
    stranger = make_org(session, kind=OrganisationKind.fire)
    headers = headers_for(session, make_user(session, stranger, Role.analyst),
                          Purpose.safeguarding)
    assert client.get(f"/api/linkage/candidates/{candidate.id}",
                      headers=headers).status_code == 404
    response = client.post(f"/api/linkage/candidates/{candidate.id}/decision",
                           json={"decision": "match"}, headers=headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert client.post(f"/api/linkage/candidates/{uuid.uuid4()}/decision",
                       json={"decision": "match"}, headers=headers).status_code == 404
    assert session.scalar(select(func.count()).select_from(LinkageDecision)) == 0


def test_deciding_a_match_merges_and_is_audited(
    client: TestClient, session: Session, county: County
) -> None:
    headers = _analyst_headers(session, county)
    pair = client.get("/api/linkage/review-queue", headers=headers).json()["items"][0]
    response = client.post(f"/api/linkage/candidates/{pair['id']}/decision",
                           json={"decision": "match", "reason": "Same school records"},
                           headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["decision"] == "match"
    assert identity_of(session, uuid.UUID(pair["left"]["id"])) == identity_of(
        session, uuid.UUID(pair["right"]["id"]))
    queue = client.get("/api/linkage/review-queue", headers=headers).json()
    assert queue["decided"] == 1 and pair["id"] not in {p["id"] for p in queue["items"]}
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "decide_linkage_pair")) == 1


@pytest.mark.parametrize("body", [
    {"decision": "maybe"}, {"decision": "match", "reason": "x" * 2001},
    {"decision": "match", "colour": "red"}, {"reason": "no decision"}, {"decision": 1},
])
def test_bad_decisions_answer_422_and_write_nothing(
    client: TestClient, session: Session, county: County, body: dict[str, Any]
) -> None:
    headers = _analyst_headers(session, county)
    pair = client.get("/api/linkage/review-queue", headers=headers).json()["items"][0]
    response = client.post(f"/api/linkage/candidates/{pair['id']}/decision", json=body,
                           headers=headers)
    assert response.status_code == 422
    assert session.scalar(select(func.count()).select_from(LinkageDecision)) == 0


def test_malformed_json_is_refused(client: TestClient, session: Session, county: County) -> None:
    headers = _analyst_headers(session, county) | {"Content-Type": "application/json"}
    pair = session.scalars(select(MatchCandidate)).first()
    assert pair is not None
    response = client.post(f"/api/linkage/candidates/{pair.id}/decision", content=b"{nope",
                           headers=headers)
    assert response.status_code == 422


def test_practitioners_do_not_review(client: TestClient, session: Session, county: County
                                    ) -> None:
    headers = headers_for(session, make_user(session, county.police), Purpose.safeguarding)
    assert client.get("/api/linkage/review-queue", headers=headers).status_code == 403
    assert client.get("/api/linkage/review-queue").status_code == 401


def test_identity_summary_counts_hidden_agencies_only(
    client: TestClient, session: Session, county: County
) -> None:
    person = next(p for p in county.people if len(p.records) == 2 and identity_of(
        session, county.ids[f"p{p.key}-0"]) == identity_of(session, county.ids[f"p{p.key}-1"]))
    police_id, council_id = county.ids[f"p{person.key}-0"], county.ids[f"p{person.key}-1"]
    headers = headers_for(session, make_user(session, county.police), Purpose.safeguarding)
    body = client.get(f"/api/linkage/person-records/{police_id}/identity",
                      headers=headers).json()
    assert body == {"identity_id": str(identity_of(session, police_id)), "linked_records": [],
                    "known_to_other_agencies": 1}
    assert client.get(f"/api/linkage/person-records/{council_id}/identity",
                      headers=headers).status_code == 404
