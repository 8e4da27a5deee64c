"""The DASH API: scoring, judgement, escalation and repeat across agencies, and visibility."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role, User
from safetyhub.dash.checklist import checklist
from safetyhub.dash.models import DashAnswer, DashAssessment
from safetyhub.incidents.models import IncidentCategory, PartyRole
from safetyhub.organisations.models import OrganisationKind
from safetyhub.people.models import Identity, IdentityLink, PersonRecord
from safetyhub.sharing.vocabulary import DataCategory, Purpose, Sensitivity
from safetyhub.timeutil import local, utcnow
from tests.factories import (
    headers_for,
    make_agreement,
    make_incident,
    make_org,
    make_person_record,
    make_user,
)


class World:
    """Police assess; Victim Support may read through an agreement; housing may not."""

    def __init__(self, session: Session) -> None:
        self.police = make_org(session, kind=OrganisationKind.police)
        self.support = make_org(session, kind=OrganisationKind.victim_support)
        self.housing = make_org(session, kind=OrganisationKind.housing)
        self.office = make_org(session, kind=OrganisationKind.partnership_office)
        self.officer = make_user(session, self.police)
        self.sergeant = make_user(session, self.police, Role.supervisor)
        self.idva = make_user(session, self.support)
        self.idva_lead = make_user(session, self.support, Role.supervisor)
        self.housing_officer = make_user(session, self.housing)
        self.office_user = make_user(session, self.office, Role.partnership_office)
        self.victim = make_person_record(session, self.police, given_name="Dana",
                                         family_name="Morgan")


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def answers(yes: int, **notes: str) -> list[dict[str, str]]:
    keys = checklist().keys
    return [{"question": key, "answer": "yes" if i < yes else ("not_known" if i == 23 else "no"),
             "note": notes.get(key, "")} for i, key in enumerate(keys)]


def assess(client: TestClient, session: Session, user: User, record: PersonRecord,
           yes: int, **extra: object) -> dict[str, object]:
    response = client.post("/api/dash-assessments", headers=headers_for(session, user), json={
        "person_record_id": str(record.id), "answers": answers(yes), **extra})
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.mark.parametrize(("ticks", "level", "marac"),
                         [(9, "standard", False), (10, "medium", False), (13, "medium", False),
                          (14, "high", True)])
def test_the_level_follows_the_bands_and_high_suggests_marac(
    client: TestClient, session: Session, world: World, ticks: int, level: str, marac: bool
) -> None:
    body = assess(client, session, world.officer, world.victim, ticks)
    assert body["ticks"] == ticks and body["level"] == level
    assert body["actuarial_level"] == level and body["marac_suggested"] is marac
    codes = [r["code"] for r in body["reasons"]]  # type: ignore[attr-defined]
    assert codes[0] == "ticks"
    assert ("visible_high_risk" in codes) is marac
    assert f"{ticks} of 24 questions answered yes" in body["reasons"][0]["text"]  # type: ignore[index]
    assert body["question_count"] == 24


def test_judgement_raises_with_a_reason_and_may_not_lower(
    client: TestClient, session: Session, world: World
) -> None:
    raised = assess(client, session, world.officer, world.victim, 4,
                    judgement_level="high", judgement_reason="Threats to kill last night")
    assert raised["actuarial_level"] == "standard" and raised["level"] == "high"
    assert raised["marac_reasons"] == ["professional_judgement"]
    headers = headers_for(session, world.officer)
    before = session.scalar(select(func.count(DashAssessment.id)))
    lowered = client.post("/api/dash-assessments", headers=headers, json={
        "person_record_id": str(world.victim.id), "answers": answers(15),
        "judgement_level": "medium", "judgement_reason": "She says it is calmer"})
    assert lowered.status_code == 422 and "never lower" in lowered.json()["detail"]
    no_reason = client.post("/api/dash-assessments", headers=headers, json={
        "person_record_id": str(world.victim.id), "answers": answers(3),
        "judgement_level": "medium"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["detail"]
    assert session.scalar(select(func.count(DashAssessment.id))) == before


def test_escalation_and_repeat_count_incidents_at_every_agency(
    client: TestClient, session: Session, world: World
) -> None:
    # Housing and victim support hold the same person; linkage joined the records.
    housing_record = make_person_record(session, world.housing, given_name="Dana",
                                        family_name="Morgan")
    identity = Identity(label="Dana")
    session.add(identity)
    session.flush()
    for record in (world.victim, housing_record):
        session.add(IdentityLink(identity_id=identity.id, person_record_id=record.id,
                                 method="human"))
    session.flush()
    now = utcnow()
    for days in (300, 100):
        make_incident(session, world.housing, category=IncidentCategory.domestic_abuse,
                      occurred_at=now - timedelta(days=days),
                      parties=[(housing_record, PartyRole.victim)])
    two = assess(client, session, world.officer, world.victim, 2)
    assert two["marac_suggested"] is False and two["incidents_in_window"] == 2
    make_incident(session, world.police, category=IncidentCategory.domestic_abuse,
                  occurred_at=now - timedelta(days=5), parties=[(world.victim, PartyRole.victim)])
    three = assess(client, session, world.officer, world.victim, 2)
    assert three["marac_reasons"] == ["escalation"]
    assert "3 domestic abuse incidents" in " ".join(
        r["text"] for r in three["reasons"])  # type: ignore[attr-defined]

    referred = client.post(f"/api/dash-assessments/{three['id']}/marac-referral",
                           headers=headers_for(session, world.officer),
                           json={"meeting_on": (local(now).date() + timedelta(days=7))
                                 .isoformat()})
    assert referred.status_code == 200 and referred.json()["marac_meeting_on"]
    # A further incident at housing after the referral: the next assessment is a repeat.
    make_incident(session, world.housing, category=IncidentCategory.domestic_abuse,
                  occurred_at=utcnow() + timedelta(seconds=1),
                  parties=[(housing_record, PartyRole.victim)])
    repeat = assess(client, session, world.officer, world.victim, 1)
    assert "repeat" in repeat["marac_reasons"]  # type: ignore[operator]


def test_every_question_must_be_answered_once_and_nothing_partial_is_stored(
    client: TestClient, session: Session, world: World
) -> None:
    headers = headers_for(session, world.officer)
    base = {"person_record_id": str(world.victim.id)}
    cases = [
        {**base, "answers": answers(3)[:23]},
        {**base, "answers": [*answers(3), {"question": "made_up", "answer": "yes"}][1:]},
        {**base, "answers": [*answers(3), answers(3)[0]]},
        {**base, "answers": [{**answers(3)[0], "answer": "maybe"}, *answers(3)[1:]]},
        {**base, "answers": answers(3), "notes": "x" * 20_001},
        {**base, "answers": answers(3), "level": "low"},
        {"person_record_id": "not-a-uuid", "answers": answers(3)},
    ]
    for body in cases:
        response = client.post("/api/dash-assessments", headers=headers, json=body)
        assert response.status_code == 422, body
    assert session.scalar(select(func.count(DashAssessment.id))) == 0
    assert session.scalar(select(func.count(DashAnswer.id))) == 0


def test_another_agency_gets_404_unless_an_agreement_names_special_category(
    client: TestClient, session: Session, world: World
) -> None:
    created = assess(client, session, world.officer, world.victim, 15,
                     notes="Disclosed pregnancy and strangulation")
    url = f"/api/dash-assessments/{created['id']}"
    assert client.get(url).status_code == 401
    housing = client.get(url, headers=headers_for(session, world.housing_officer,
                                                  Purpose.safeguarding))
    assert housing.status_code == 404
    assert "Morgan" not in housing.text
    # An agreement for safeguarding that does not name special category data is not enough.
    make_agreement(session, [world.police, world.support], purposes=[Purpose.safeguarding],
                   categories=[DataCategory.person_identifiers, DataCategory.incidents])
    assert client.get(url, headers=headers_for(session, world.idva, Purpose.safeguarding)
                      ).status_code == 404
    make_agreement(session, [world.police, world.support], purposes=[Purpose.safeguarding],
                   categories=[DataCategory.special_category, DataCategory.person_identifiers])
    crime = client.get(url, headers=headers_for(session, world.idva, Purpose.crime_prevention))
    assert crime.status_code == 404
    found = client.get(url, headers=headers_for(session, world.idva, Purpose.safeguarding))
    assert found.status_code == 200 and found.json()["level"] == "high"
    reads = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "read", AuditEvent.object_type == "dash_assessment")).all()
    assert [e.organisation_id for e in reads] == [world.support.id]
    assert reads[0].purpose == "safeguarding"
    # The partnership office's role never reads special category data.
    office = client.get(url, headers=headers_for(session, world.office_user,
                                                 Purpose.safeguarding))
    assert office.status_code == 404
    assert client.get(f"/api/dash-assessments/{uuid.uuid4()}",
                      headers=headers_for(session, world.officer)).status_code == 404


def test_assessing_a_person_the_actor_may_not_see_is_404_and_audit_keeps_no_answers(
    client: TestClient, session: Session, world: World
) -> None:
    hidden = make_person_record(session, world.housing, sensitivity=Sensitivity.standard)
    response = client.post("/api/dash-assessments", headers=headers_for(session, world.officer),
                           json={"person_record_id": str(hidden.id), "answers": answers(3)})
    assert response.status_code == 404
    created = assess(client, session, world.officer, world.victim, 3,
                     notes="Disclosed pregnancy")
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "complete_dash_assessment")).one()
    summary = json.loads(event.summary)
    assert summary["after"]["ticks"] == 3 and "pregnancy" not in event.summary
    assert event.object_id == created["id"]


def test_only_the_assessing_agency_refers_and_the_marac_list_is_for_chairs(
    client: TestClient, session: Session, world: World
) -> None:
    make_agreement(session, [world.police, world.support], purposes=[Purpose.safeguarding],
                   categories=[DataCategory.special_category, DataCategory.person_identifiers])
    created = assess(client, session, world.officer, world.victim, 16)
    meeting = (local(utcnow()).date() + timedelta(days=3)).isoformat()
    refer = f"/api/dash-assessments/{created['id']}/marac-referral"
    other = client.post(refer, json={"meeting_on": meeting},
                        headers=headers_for(session, world.idva, Purpose.safeguarding))
    assert other.status_code == 403
    past = client.post(refer, json={"meeting_on": "2020-01-01"},
                       headers=headers_for(session, world.officer))
    assert past.status_code == 422

    sergeant = headers_for(session, world.sergeant)
    listing = client.get("/api/marac", headers=sergeant).json()
    assert [c["assessment_id"] for c in listing["suggested"]] == [created["id"]]
    assert listing["upcoming"] == []
    assert client.post(refer, json={"meeting_on": meeting},
                       headers=headers_for(session, world.officer)).status_code == 200
    assert client.post(refer, json={"meeting_on": meeting},
                       headers=headers_for(session, world.officer)).status_code == 409
    listing = client.get("/api/marac", headers=sergeant).json()
    assert [c["assessment_id"] for c in listing["upcoming"]] == [created["id"]]
    assert listing["upcoming"][0]["person_name"] == "Dana Morgan"
    assert listing["suggested"] == [] and listing["hidden_upcoming"] == 0
    # Victim support's chair sees it through the agreement; the office only counts it.
    support = client.get("/api/marac", headers=headers_for(session, world.idva_lead,
                                                           Purpose.safeguarding)).json()
    assert len(support["upcoming"]) == 1
    office = client.get("/api/marac", headers=headers_for(session, world.office_user)).json()
    assert office["upcoming"] == [] and office["hidden_upcoming"] == 1
    assert client.get("/api/marac", headers=headers_for(session, world.officer)
                      ).status_code == 403

