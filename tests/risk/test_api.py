"""The alerts API: routed agency only (others get 404), states, bad input answers 4xx."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.risk import service
from safetyhub.risk.models import Alert
from safetyhub.sharing.vocabulary import Purpose
from safetyhub.timeutil import london_today
from tests.factories import headers_for, make_case, make_person_record
from tests.risk.conftest import Partnership, victimise


def _alert(session: Session, county: Partnership) -> Alert:
    victim = make_person_record(session, county.police, given_name="Ash", family_name="Lowe")
    victimise(session, county.police, victim, 100)
    incident = victimise(session, county.police, victim, 1)
    (alert,) = service.evaluate_after_incident(session, actor=county.act(county.officer),
                                               incident_id=incident.id)
    return alert


def _fresh(session: Session, alert: Alert) -> Alert:
    """The alert as the database has it now (the request changed it in its own session)."""
    session.refresh(alert)
    return alert


def _audit_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_the_hub_lists_and_reads_its_alert(client: TestClient, session: Session,
                                           county: Partnership) -> None:
    alert = _alert(session, county)
    hub = headers_for(session, county.hub_officer, Purpose.safeguarding)
    listed = client.get("/api/alerts", headers=hub)
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 1 and body["items"][0]["id"] == str(alert.id)
    assert body["items"][0]["indicator_name"] == "Repeat victim"
    detail = client.get(f"/api/alerts/{alert.id}", headers=hub).json()
    assert detail["explanation"]["hidden"] == {"incidents": 2, "person_records": 0,
                                               "agencies": 1}
    assert detail["explanation"]["reasons"][0]["text"].startswith("Victim in 2 incidents")
    assert detail["subject_label"] is None and "Ash" not in str(detail)
    assert detail["routes"][0]["reason"] == "partnership_hub"


def test_other_agency_gets_404(client: TestClient, session: Session,
                               county: Partnership) -> None:
    alert = _alert(session, county)
    police = headers_for(session, county.officer, Purpose.safeguarding)
    assert client.get("/api/alerts", headers=police).json()["total"] == 0
    for response in (
        client.get(f"/api/alerts/{alert.id}", headers=police),
        client.post(f"/api/alerts/{alert.id}/acknowledge", headers=police),
        client.post(f"/api/alerts/{alert.id}/dismiss", headers=police, json={"reason": "No."}),
    ):
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
    assert _fresh(session, alert).state == "new"


def test_states_through_the_api(client: TestClient, session: Session,
                                county: Partnership) -> None:
    alert = _alert(session, county)
    hub = headers_for(session, county.hub_officer, Purpose.safeguarding)
    acknowledged = client.post(f"/api/alerts/{alert.id}/acknowledge", headers=hub)
    assert acknowledged.status_code == 200 and acknowledged.json()["state"] == "acknowledged"
    assert client.post(f"/api/alerts/{alert.id}/acknowledge", headers=hub).status_code == 409
    until = (london_today() + timedelta(days=14)).isoformat()
    snoozed = client.post(f"/api/alerts/{alert.id}/snooze", headers=hub, json={"until": until})
    assert snoozed.json()["snoozed"] is True
    assert client.get("/api/alerts?include_snoozed=false", headers=hub).json()["total"] == 0
    case = make_case(session, county.hub)
    actioned = client.post(f"/api/alerts/{alert.id}/action", headers=hub,
                           json={"case_id": str(case.id)})
    assert actioned.status_code == 200
    assert actioned.json()["state"] == "actioned"
    assert actioned.json()["actioned_case_id"] == str(case.id)
    assert [h["action"] for h in actioned.json()["history"]] == [
        "raised", "acknowledged", "snoozed", "actioned"]
    assert client.get("/api/alerts?state=actioned", headers=hub).json()["total"] == 1
    assert client.get("/api/alerts?state=new", headers=hub).json()["total"] == 0
    assert client.get("/api/alerts?indicator=known_to_many", headers=hub).json()["total"] == 0


def test_bad_input_answers_4xx_and_writes_nothing(client: TestClient, session: Session,
                                                  county: Partnership) -> None:
    alert = _alert(session, county)
    hub = headers_for(session, county.hub_officer, Purpose.safeguarding)
    url = f"/api/alerts/{alert.id}"
    before = _audit_count(session)
    hidden_case = make_case(session, county.police)
    cases = [
        (client.post(f"{url}/action", headers=hub, json={}), 422),
        (client.post(f"{url}/action", headers=hub,
                     json={"case_id": str(hidden_case.id), "referral_id": str(alert.id)}), 422),
        (client.post(f"{url}/action", headers=hub, json={"case_id": str(hidden_case.id)}), 404),
        (client.post(f"{url}/action", headers=hub, json={"case_id": "not-a-uuid"}), 422),
        (client.post(f"{url}/dismiss", headers=hub, json={"reason": "   "}), 422),
        (client.post(f"{url}/dismiss", headers=hub, json={"reason": "x", "extra": 1}), 422),
        (client.post(f"{url}/dismiss", headers=hub, json={"reason": "x" * 2001}), 422),
        (client.post(f"{url}/dismiss", headers=hub, content=b"{not json",
                     ), 422),
        (client.post(f"{url}/dismiss", headers=hub, json={"reason": "x" * 2_000_000}), 413),
        (client.post(f"{url}/snooze", headers=hub, json={"until": "2001-01-01"}), 422),
        (client.post(f"{url}/snooze", headers=hub, json={"until": "soon"}), 422),
        (client.get("/api/alerts?state=closed", headers=hub), 422),
        (client.get("/api/alerts?indicator=astrology", headers=hub), 422),
        (client.get("/api/alerts?page=0", headers=hub), 422),
        (client.get("/api/alerts/not-a-uuid", headers=hub), 422),
        (client.get("/api/alerts"), 401),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
    assert _audit_count(session) == before
    assert _fresh(session, alert).state == "new"


def test_an_admin_reads_no_alerts(client: TestClient, session: Session,
                                  county: Partnership) -> None:
    alert = _alert(session, county)
    admin = headers_for(session, county.hub_admin, Purpose.safeguarding)
    assert client.get("/api/alerts", headers=admin).status_code == 403
    assert client.get(f"/api/alerts/{alert.id}", headers=admin).status_code == 404


def test_indicators_of_a_person_and_a_place(client: TestClient, session: Session,
                                            county: Partnership) -> None:
    victim = make_person_record(session, county.police)
    victimise(session, county.police, victim, 100)
    victimise(session, county.police, victim, 1)
    police = headers_for(session, county.officer, Purpose.safeguarding)
    results = client.get(f"/api/indicators/person-records/{victim.id}", headers=police).json()
    assert [r["indicator"] for r in results] == ["repeat_victim"]
    assert len(results[0]["explanation"]["records"]) == 2
    hub = headers_for(session, county.hub_officer, Purpose.safeguarding)
    assert client.get(f"/api/indicators/person-records/{victim.id}",
                      headers=hub).status_code == 404
