"""In a real browser: a police officer opens a problem at a repeat ASB place, links incidents
from the search, and reads the analysis, response and assessment pages (axe, screenshots)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from safetyhub.incidents.models import PartyRole
from safetyhub.organisations.models import OrganisationKind
from safetyhub.timeutil import utcnow
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import (
    PASSWORD,
    make_incident,
    make_org,
    make_person_record,
    make_place,
    make_user,
)


@dataclass(frozen=True)
class Scene:
    """Committed data: a police officer, a council partner and a place with repeat ASB."""

    tag: str
    officer_email: str
    council_name: str
    address: str


@pytest.fixture
def scene(e2e_sessions: sessionmaker[Session]) -> Scene:
    tag = uuid.uuid4().hex[:6]
    with e2e_sessions() as session:
        police = make_org(session, f"E2E SARA Police {tag}")
        council = make_org(session, f"E2E SARA Council {tag}", kind=OrganisationKind.council)
        officer = make_user(session, police, email=f"sara-{tag}@e2e-police.example")
        make_user(session, council, email=f"sara-{tag}@e2e-council.example")
        address = f"Skate park {tag}, Hawthorn Lane"
        place = make_place(session, address=address, postcode="GU12 1NW")
        place.latitude, place.longitude = 51.25, -0.72
        neighbour = make_place(session, address=f"Shops {tag}, Hawthorn Lane",
                               postcode="GU12 1NX")
        neighbour.latitude, neighbour.longitude = 51.251, -0.721
        victim = make_person_record(session, police, given_name="Ann", family_name=f"Lee{tag}")
        for days in (5, 20, 40, 70, 100, 130, 160):
            make_incident(session, police, place=place, occurred_at=utcnow() - timedelta(days=days),
                          parties=[(victim, PartyRole.victim)])
        make_incident(session, police, place=neighbour, occurred_at=utcnow() - timedelta(days=12))
        session.commit()
        return Scene(tag, officer.email, council.name, address)


def test_an_officer_works_a_problem_through_sara(
    new_page: Callable[..., Any], live_server: str, scene: Scene
) -> None:
    page = new_page()
    sign_in(page, live_server, scene.officer_email, PASSWORD)
    page.click("a:has-text('Problem solving')")
    assert_accessible(page)
    page.click("text=Open a problem")
    page.fill("#title", f"Skate park ASB {scene.tag}")
    page.fill("#place-query", f"Skate park {scene.tag}")
    page.click("button:has-text('Find places')")
    page.check("#place-1")
    page.check(f"label:has-text('{scene.council_name}')")
    assert_accessible(page)
    screenshot(page, "problems-new")
    page.click("button:has-text('Open the problem')")
    assert page.locator(".govuk-notification-banner--success").is_visible()
    page.fill("#postcode", "GU12 1NW")
    page.click("button:has-text('Search incidents')")
    boxes = page.locator("#found-table input[type=checkbox]")
    assert boxes.count() == 7
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.click("#link-incidents")
    assert page.locator("text=7 linked incidents you may see.").is_visible()
    assert page.locator("#scan-map circle").count() == 2
    assert_accessible(page)
    screenshot(page, "problems-scanning")
    page.click(".govuk-tabs__tab:has-text('Analysis')")
    assert page.locator("text=People recorded as victims: 1.").is_visible()
    assert_accessible(page)
    screenshot(page, "problems-analysis")
    page.click(".govuk-tabs__tab:has-text('Response')")
    start = (utcnow() - timedelta(days=60)).date()
    page.select_option("#stage", "response")
    page.fill("#start-day", str(start.day))
    page.fill("#start-month", str(start.month))
    page.fill("#start-year", str(start.year))
    page.fill("#window-days", "60")
    page.click("form[action$='/stage'] button")
    page.fill("#text", "Repair the lighting on the footpath")
    page.select_option("#organisation-id", label=scene.council_name)
    due = (utcnow() + timedelta(days=30)).date()
    page.fill("#due-day", str(due.day))
    page.fill("#due-month", str(due.month))
    page.fill("#due-year", str(due.year))
    page.click("button:has-text('Add the action')")
    assert page.locator("#actions-table").is_visible()
    assert_accessible(page)
    screenshot(page, "problems-response")
    page.click(".govuk-tabs__tab:has-text('Assessment')")
    assert page.locator("#verdict").is_visible()
    assert page.locator("#before-after-chart-title").count() == 1
    assert_accessible(page)
    screenshot(page, "problems-assessment")
