"""A case review from application to outcome: deadlines, decision, appeal, meeting, figures."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.casereview import service
from safetyhub.casereview.models import CaseReview
from safetyhub.casereview.schemas import CaseReviewApplication
from safetyhub.timeutil import local, utcnow
from tests.casereview.conftest import Partnership, application
from tests.factories import headers_for


def _apply(client: TestClient, **changes: object) -> str:
    response = client.post("/api/asb-case-reviews", json=application(**changes))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_deadlines_are_working_days_from_the_day_the_application_arrives(
    session: Session, world: Partnership
) -> None:
    # Friday evening in London (GMT in November).
    friday = datetime(2026, 11, 27, 18, 30, tzinfo=UTC)
    review, _ = service.apply_for_case_review(
        session, application=CaseReviewApplication.model_validate(application()), now=friday)
    assert review.received_on == date(2026, 11, 27)
    assert review.acknowledge_by == date(2026, 12, 2)
    assert review.decide_by == date(2026, 12, 11)
    assert review.meet_by == date(2026, 12, 25)
    # Just after midnight London time in summer is still the previous day in UTC.
    summer = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    later, _ = service.apply_for_case_review(
        session, application=CaseReviewApplication.model_validate(application()), now=summer)
    assert later.received_on == date(2026, 7, 1)
    assert later.reference != review.reference


def test_not_met_appeal_upheld_then_reviewed_with_recommendations_and_closed(
    client: TestClient, session: Session, world: Partnership
) -> None:
    review_id = _apply(client)
    office = headers_for(session, world.office_user)
    base = f"/api/asb-case-reviews/{review_id}"
    # The decision needs the acknowledgement first.
    early = client.post(f"{base}/decision", json={"decision": "met", "reasons": "x"},
                        headers=office)
    assert early.status_code == 409
    client.post(f"{base}/acknowledgement", json={"lead_organisation_id": str(world.council.id)},
                headers=office)
    council = headers_for(session, world.council_user)
    decided = client.post(f"{base}/decision", headers=council, json={
        "decision": "not_met", "reasons": "Only two complaints in six months."})
    assert decided.status_code == 200 and decided.json()["status"] == "threshold_not_met"

    # A wrong postcode or reference answers the same 404, whatever the reason.
    reference = decided.json()["reference"]
    wrong = client.post("/api/asb-case-reviews/appeals", json={
        "reference": reference, "victim_postcode": "KT1 1AA", "grounds": "I disagree"})
    assert wrong.status_code == 404
    unknown = client.post("/api/asb-case-reviews/appeals", json={
        "reference": "CR-BBBBBBBB", "victim_postcode": "GU2 7XH", "grounds": "I disagree"})
    assert unknown.json()["detail"] == wrong.json()["detail"]
    appealed = client.post("/api/asb-case-reviews/appeals", json={
        "reference": reference.lower(), "victim_postcode": "gu27xh",
        "grounds": "The police logged three calls."})
    assert appealed.status_code == 201
    again = client.post("/api/asb-case-reviews/appeals", json={
        "reference": reference, "victim_postcode": "GU2 7XH", "grounds": "Again"})
    assert again.status_code == 404

    # Only the partnership office decides appeals; the council cannot.
    refused = client.post(f"{base}/appeal-decision", headers=council,
                          json={"outcome": "upheld", "reasons": "x"})
    assert refused.status_code == 403
    upheld = client.post(f"{base}/appeal-decision", headers=office, json={
        "outcome": "upheld", "reasons": "The police calls were missed."})
    assert upheld.status_code == 200
    assert upheld.json()["status"] == "threshold_met"
    assert date.fromisoformat(upheld.json()["meet_by"]) > local(utcnow()).date()

    today = local(utcnow()).date()
    meeting = client.post(f"{base}/meeting", headers=council, json={
        "held_on": today.isoformat(), "summary": "Partners agreed a plan.",
        "attendees": [{"organisation_id": str(world.council.id), "names": "J Smith"},
                      {"organisation_id": str(world.police.id)}]})
    assert meeting.status_code == 200 and meeting.json()["status"] == "reviewed"
    assert len(meeting.json()["attendees"]) == 2
    recommendation = client.post(f"{base}/recommendations", headers=council, json={
        "organisation_id": str(world.housing.id), "text": "Fit window guards.",
        "due_on": (today + timedelta(days=30)).isoformat()})
    assert recommendation.status_code == 201
    rec_id = recommendation.json()["id"]
    past = client.post(f"{base}/recommendations", headers=council, json={
        "organisation_id": str(world.housing.id), "text": "Too late",
        "due_on": (today - timedelta(days=1)).isoformat()})
    assert past.status_code == 422

    # Housing owns a recommendation, so it now sees the review and completes its part.
    housing = headers_for(session, world.housing_user)
    done = client.post(f"{base}/recommendations/{rec_id}/completion", headers=housing)
    assert done.status_code == 200 and done.json()["state"] == "done"

    pdf = client.get(f"{base}/letter.pdf", headers=council)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    closed = client.post(f"{base}/outcome-sent", headers=council)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"

    actions = list(session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_id == review_id).order_by(AuditEvent.seq)))
    for verb in ("apply_case_review", "acknowledge_case_review", "decide_case_review_threshold",
                 "appeal_case_review", "decide_case_review_appeal", "record_case_review_meeting",
                 "send_case_review_outcome"):
        assert verb in actions
    for event in session.scalars(select(AuditEvent).where(AuditEvent.object_id == review_id)):
        assert "Shah" not in event.summary and "three calls" not in event.summary


def test_the_person_who_decided_cannot_decide_the_appeal(
    client: TestClient, session: Session, world: Partnership
) -> None:
    review_id = _apply(client)
    office = headers_for(session, world.office_user)
    base = f"/api/asb-case-reviews/{review_id}"
    client.post(f"{base}/acknowledgement", json={"lead_organisation_id": str(world.office.id)},
                headers=office)
    reference = client.post(f"{base}/decision", headers=office, json={
        "decision": "not_met", "reasons": "No complaints found."}).json()["reference"]
    client.post("/api/asb-case-reviews/appeals", json={
        "reference": reference, "victim_postcode": "GU2 7XH", "grounds": "Please look again"})
    same = client.post(f"{base}/appeal-decision", headers=office,
                       json={"outcome": "dismissed", "reasons": "x"})
    assert same.status_code == 403
    colleague = headers_for(session, world.office_colleague)
    dismissed = client.post(f"{base}/appeal-decision", headers=colleague,
                            json={"outcome": "dismissed", "reasons": "No new evidence."})
    assert dismissed.status_code == 200 and dismissed.json()["status"] == "threshold_not_met"


def test_yearly_figures_count_by_the_year_events_happen(
    client: TestClient, session: Session, world: Partnership
) -> None:
    ids = [_apply(client) for _ in range(4)]
    office = headers_for(session, world.office_user)
    colleague = headers_for(session, world.office_colleague)
    today = local(utcnow()).date()
    for review_id in ids:
        client.post(f"/api/asb-case-reviews/{review_id}/acknowledgement",
                    json={"lead_organisation_id": str(world.police.id)}, headers=office)
    met, met_no_recs, not_met, upheld = (f"/api/asb-case-reviews/{i}" for i in ids)
    for base in (met, met_no_recs):
        client.post(f"{base}/decision", headers=office, json={"decision": "met", "reasons": "3"})
        client.post(f"{base}/meeting", headers=office, json={
            "held_on": today.isoformat(), "summary": "Held.",
            "attendees": [{"organisation_id": str(world.police.id)}]})
    client.post(f"{met}/recommendations", headers=office, json={
        "organisation_id": str(world.police.id), "text": "Patrols.",
        "due_on": (today + timedelta(days=7)).isoformat()})
    for base in (not_met, upheld):
        client.post(f"{base}/decision", headers=office,
                    json={"decision": "not_met", "reasons": "No."})
    reference = session.get(CaseReview, uuid.UUID(ids[3]))
    assert reference is not None
    client.post("/api/asb-case-reviews/appeals", json={
        "reference": reference.reference, "victim_postcode": "GU2 7XH", "grounds": "Why?"})
    client.post(f"{upheld}/appeal-decision", headers=colleague,
                json={"outcome": "upheld", "reasons": "Yes."})
    year = today.year if today.month >= 4 else today.year - 1
    figures = client.get("/api/asb-case-reviews/figures", params={"year": year},
                         headers=headers_for(session, world.housing_user))
    assert figures.status_code == 200
    assert figures.json() == {
        "year": year, "starts_on": f"{year}-04-01", "ends_on": f"{year + 1}-04-01",
        "applications_received": 4, "threshold_not_met": 1, "reviews_carried_out": 2,
        "reviews_with_recommendations": 1, "appeals_lodged": 1, "appeals_upheld": 1,
    }
    previous = client.get("/api/asb-case-reviews/figures", params={"year": year - 1},
                          headers=office).json()
    assert previous["applications_received"] == 0
    assert client.get("/api/asb-case-reviews/figures", params={"year": year}).status_code == 401
