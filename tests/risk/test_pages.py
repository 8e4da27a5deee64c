"""Alert pages: the routed agency works its alerts; others see nothing; forms, CSRF, German."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.risk import service
from safetyhub.risk.models import Alert
from safetyhub.sharing.vocabulary import DataCategory, Purpose
from safetyhub.timeutil import london_today
from tests.conftest import PageClient
from tests.factories import make_agreement, make_case, make_person_record, make_place
from tests.risk.conftest import Partnership, victimise

Clients = Callable[..., PageClient]


def _alert(session: Session, county: Partnership, **names: str) -> Alert:
    victim = make_person_record(session, county.police, **names)
    victimise(session, county.police, victim, 100)
    incident = victimise(session, county.police, victim, 1)
    (alert,) = service.evaluate_after_incident(session, actor=county.act(county.officer),
                                               incident_id=incident.id)
    return alert


def _fresh(session: Session, alert: Alert) -> Alert:
    """The alert as the database has it now (the request changed it in its own session)."""
    session.refresh(alert)
    return alert


def _audits(session: Session, action: str) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == action)) or 0)


def test_the_hub_sees_its_alert_and_only_counts_of_hidden_records(
        session: Session, county: Partnership, page_client: Clients) -> None:
    alert = _alert(session, county, given_name="Jo", family_name="Marsh")
    client = page_client(county.hub_officer, Purpose.safeguarding)
    listing = client.get("/alerts")
    assert listing.status_code == 200
    assert f"/alerts/{alert.id}" in listing.text
    assert "A person known to other agencies" in listing.text
    page = client.get(f"/alerts/{alert.id}")
    assert page.status_code == 200
    assert "Why this alert was raised" in page.text
    assert "Victim in 2 incidents in 365 days" in page.text
    assert "2 incidents recorded by other agencies" in page.text
    assert "Marsh" not in page.text
    assert "Acknowledge alert" in page.text


def test_with_an_agreement_the_page_names_the_person_and_links_records(
        session: Session, county: Partnership, page_client: Clients) -> None:
    alert = _alert(session, county, given_name="Jo", family_name="Marsh")
    make_agreement(session, [county.police, county.hub],
                   categories=[DataCategory.incidents, DataCategory.person_identifiers])
    page = page_client(county.hub_officer, Purpose.safeguarding).get(f"/alerts/{alert.id}")
    assert "Jo Marsh" in page.text
    assert len(re.findall(r'href="/incidents/[0-9a-f-]{36}"', page.text)) == 2


def test_another_agency_sees_nothing(session: Session, county: Partnership,
                                     page_client: Clients) -> None:
    alert = _alert(session, county)
    client = page_client(county.officer, Purpose.safeguarding)
    listing = client.get("/alerts")
    assert "0 alerts" in listing.text and str(alert.id) not in listing.text
    assert client.get(f"/alerts/{alert.id}").status_code == 404
    response = client.post(f"/alerts/{alert.id}/acknowledge",
                           data={"csrf_token": client.csrf_token})
    assert response.status_code == 404
    assert _fresh(session, alert).state == "new"
    assert client.get("/alerts/not-an-id").status_code == 404


def test_acknowledge_needs_the_csrf_token(session: Session, county: Partnership,
                                          page_client: Clients) -> None:
    alert = _alert(session, county)
    client = page_client(county.hub_officer, Purpose.safeguarding)
    for data in ({}, {"csrf_token": "forged"}):
        assert client.post(f"/alerts/{alert.id}/acknowledge", data=data).status_code == 403
    assert _fresh(session, alert).state == "new" and _audits(session, "acknowledge_alert") == 0
    response = client.post(f"/alerts/{alert.id}/acknowledge",
                           data={"csrf_token": client.csrf_token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/alerts/{alert.id}?done=acknowledged"
    assert _fresh(session, alert).state == "acknowledged"
    assert _audits(session, "acknowledge_alert") == 1
    assert "Alert acknowledged" in client.get(response.headers["location"]).text


def test_dismiss_needs_a_reason_and_shows_it_escaped(session: Session, county: Partnership,
                                                     page_client: Clients) -> None:
    alert = _alert(session, county)
    client = page_client(county.hub_officer, Purpose.safeguarding)
    blank = client.post(f"/alerts/{alert.id}/dismiss",
                        data={"csrf_token": client.csrf_token, "reason": "  "})
    assert blank.status_code == 422
    assert "There is a problem" in blank.text and "Error:" in blank.text
    assert "Enter why the alert needs no action" in blank.text
    assert _fresh(session, alert).state == "new" and _audits(session, "dismiss_alert") == 0
    hostile = "<script>alert(1)</script> seen by the team"
    done = client.post(f"/alerts/{alert.id}/dismiss",
                       data={"csrf_token": client.csrf_token, "reason": hostile})
    assert done.status_code == 200 and _fresh(session, alert).state == "dismissed"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; seen by the team" in done.text
    assert "<script>alert(1)</script>" not in done.text


def test_snooze_and_action_forms(session: Session, county: Partnership,
                                 page_client: Clients) -> None:
    alert = _alert(session, county)
    client = page_client(county.hub_officer, Purpose.safeguarding)
    past = london_today() - timedelta(days=3)
    bad = client.post(f"/alerts/{alert.id}/snooze", data={
        "csrf_token": client.csrf_token, "until-day": str(past.day),
        "until-month": str(past.month), "until-year": str(past.year)})
    assert bad.status_code == 422
    assert "Snooze until a date after today and within 90 days" in bad.text
    assert client.post(f"/alerts/{alert.id}/snooze", data={
        "csrf_token": client.csrf_token, "until-day": "31", "until-month": "2",
        "until-year": "2030"}).status_code == 422
    soon = london_today() + timedelta(days=10)
    client.post(f"/alerts/{alert.id}/snooze", data={
        "csrf_token": client.csrf_token, "until-day": str(soon.day),
        "until-month": str(soon.month), "until-year": str(soon.year)})
    assert _fresh(session, alert).snoozed_until == soon
    neither = client.post(f"/alerts/{alert.id}/action", data={"csrf_token": client.csrf_token})
    assert neither.status_code == 422 and "Choose either a case or a referral" in neither.text
    case = make_case(session, county.hub, title="Joint work on repeat victimisation")
    page = client.get(f"/alerts/{alert.id}")
    assert "Joint work on repeat victimisation" in page.text
    hidden = make_case(session, county.police)
    refused = client.post(f"/alerts/{alert.id}/action",
                          data={"csrf_token": client.csrf_token, "case_id": str(hidden.id)})
    assert refused.status_code == 422 and _fresh(session, alert).state == "new"
    client.post(f"/alerts/{alert.id}/action",
                data={"csrf_token": client.csrf_token, "case_id": str(case.id)})
    assert _fresh(session, alert).state == "actioned"
    assert alert.actioned_case_id == case.id


def test_an_analyst_reads_but_does_not_work_alerts(session: Session, county: Partnership,
                                                   page_client: Clients) -> None:
    alert = _alert(session, county)
    client = page_client(county.hub_analyst, Purpose.safeguarding)
    page = client.get(f"/alerts/{alert.id}")
    assert page.status_code == 200 and "Acknowledge alert" not in page.text
    refused = client.post(f"/alerts/{alert.id}/acknowledge",
                          data={"csrf_token": client.csrf_token})
    assert refused.status_code == 403 and _fresh(session, alert).state == "new"


def test_pages_in_german(session: Session, county: Partnership, page_client: Clients) -> None:
    alert = _alert(session, county)
    client = page_client(county.hub_officer, Purpose.safeguarding)
    client.cookies.set("safetyhub_lang", "de")
    listing = client.get("/alerts")
    assert "Warnmeldungen für meine Stelle" in listing.text
    page = client.get(f"/alerts/{alert.id}")
    assert "Opfer in 2 Vorfällen in 365 Tagen" in page.text
    assert "Warum diese Warnmeldung ausgelöst wurde" in page.text


def test_home_page_lists_alerts_for_my_agency(session: Session, county: Partnership,
                                              page_client: Clients) -> None:
    alert = _alert(session, county)
    home = page_client(county.hub_officer, Purpose.safeguarding).get("/")
    assert "Alerts for my agency" in home.text and f"/alerts/{alert.id}" in home.text
    police_home = page_client(county.officer, Purpose.safeguarding).get("/")
    assert f"/alerts/{alert.id}" not in police_home.text


def test_profiles_show_the_explain_panel(session: Session, county: Partnership,
                                         page_client: Clients) -> None:
    victim = make_person_record(session, county.police)
    home = make_place(session, address="Flat 9, Heron Court, Guildford")
    victimise(session, county.police, victim, 100, place=home)
    victimise(session, county.police, victim, 1, place=home)
    client = page_client(county.officer, Purpose.safeguarding)
    person = client.get(f"/people/{victim.id}")
    assert person.status_code == 200
    assert "Early warning" in person.text and "Victim in 2 incidents" in person.text
    place = client.get(f"/places/{home.id}")
    assert "No early-warning indicator fires" in place.text
