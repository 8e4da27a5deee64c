"""Early warning in a real browser: crises recorded by health raise an alert routed by Right
Care, Right Person; the routed agencies see it on their home page and act on it; another agency
gets nothing."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from safetyhub.auth.service import actor_for
from safetyhub.incidents.models import IncidentCategory, PartyRole
from safetyhub.incidents.schemas import IncidentCreate, IncidentPartyCreate
from safetyhub.incidents.service import record_incident
from safetyhub.organisations.models import OrganisationKind
from safetyhub.risk.service import evaluate_after_incident
from safetyhub.timeutil import utcnow
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import PASSWORD, make_org, make_person_record, make_user


def _crisis(session: Session, nurse: Any, record_id: uuid.UUID, days: float,
            narrative: str) -> None:
    """Record a crisis as the health service would, then evaluate it (same transaction)."""
    actor = actor_for(nurse)
    incident = record_incident(session, actor=actor, data=IncidentCreate(
        category=IncidentCategory.mental_health_crisis,
        occurred_at=utcnow() - timedelta(days=days), narrative=narrative,
        parties=[IncidentPartyCreate(person_record_id=record_id, role=PartyRole.subject)]))
    evaluate_after_incident(session, actor=actor, incident_id=incident.id)


def test_crises_raise_an_alert_the_routed_agencies_see_and_acknowledge(
    live_server: str, new_page: Callable[..., Any], e2e_sessions: sessionmaker[Session]
) -> None:
    tag = uuid.uuid4().hex[:6]
    with e2e_sessions() as session:
        health = make_org(session, f"Mental Health Trust {tag}", OrganisationKind.health)
        police = make_org(session, f"County Police {tag}", OrganisationKind.police)
        council = make_org(session, f"Borough Council {tag}", OrganisationKind.council)
        nurse = make_user(session, health, email=f"nurse-{tag}@health.example")
        officer = make_user(session, police, email=f"officer-{tag}@police.example")
        outsider = make_user(session, council, email=f"asb-{tag}@council.example")
        patient = make_person_record(session, health, given_name="Morgan",
                                     family_name=f"Reed{tag}", address="4 Mill Lane, Godalming")
        session.commit()
    with e2e_sessions() as session:
        for days, text in ((40, "Low mood; seen at home by the crisis team."),
                           (20, "Distressed, shouting in the street; calmed and taken home.")):
            _crisis(session, nurse, patient.id, days, text)
        session.commit()
    with e2e_sessions() as session:
        _crisis(session, nurse, patient.id, 1, "Found on the railway bridge at night.")
        session.commit()

    # The health partner sees the alert on its home page, with the rule that raised it.
    page = new_page()
    sign_in(page, live_server, nurse.email, PASSWORD)
    alerts = page.locator("#home-alerts")
    assert f"Morgan Reed{tag}" in alerts.inner_text()
    assert "Repeated mental-health crises" in alerts.inner_text()
    assert_accessible(page)
    screenshot(page, "alerts-home")
    page.click(f"#home-alerts a:has-text('Morgan Reed{tag}')")
    page.wait_for_url(re.compile(r".*/alerts/[0-9a-f-]{36}$"))
    alert_url = page.url
    assert page.locator("h1").inner_text() == f"Morgan Reed{tag}"
    why = page.locator("#why + ul").inner_text()
    assert "3 mental-health crises in 90 days" in why
    routed = page.locator("#alert-summary").inner_text()
    assert health.name in routed and police.name in routed
    assert "police (immediate risk or a crime)" in routed
    assert page.locator("#explanation-records tbody tr").count() == 3
    assert_accessible(page)
    screenshot(page, "alert-detail")

    # Acknowledge it: the state and history change, and it says so.
    page.click("#acknowledge-alert")
    page.wait_for_url(re.compile(r".*\?done=acknowledged"))
    assert "Alert acknowledged" in page.locator(".govuk-notification-banner--success").inner_text()
    assert "Acknowledged" in page.locator("#alert-summary").inner_text()
    assert "Acknowledged" in page.locator("#alert-history").inner_text()
    assert_accessible(page)

    # The list page, filtered to acknowledged alerts.
    page.goto(f"{live_server}/alerts?state=acknowledged")
    assert f"Morgan Reed{tag}" in page.locator("#alerts").inner_text()
    assert_accessible(page)
    screenshot(page, "alerts-list")

    # Police are routed too (a real and immediate risk), but hold none of the health records:
    # they see the rule and the counts, never the content.
    police_page = new_page()
    sign_in(police_page, live_server, officer.email, PASSWORD)
    police_page.goto(alert_url)
    assert police_page.locator("h1").inner_text() == "A person known to other agencies"
    hidden = police_page.locator("#explanation-hidden").inner_text()
    assert "3 incidents recorded by other agencies" in hidden
    assert "railway" not in police_page.content() and f"Reed{tag}" not in police_page.content()
    assert_accessible(police_page)
    screenshot(police_page, "alert-detail-police")

    # A third agency sees nothing: no alert on its home page, and the alert page is not found.
    outsider_page = new_page()
    sign_in(outsider_page, live_server, outsider.email, PASSWORD)
    assert f"Reed{tag}" not in outsider_page.content()
    response = outsider_page.goto(alert_url)
    assert response is not None and response.status == 404
