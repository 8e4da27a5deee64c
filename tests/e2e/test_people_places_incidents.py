"""In a real browser: record an incident with the keyboard alone, then find the person and place."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from safetyhub.organisations.models import OrganisationKind
from safetyhub.sharing.vocabulary import DataCategory, Purpose
from safetyhub.timeutil import local, utcnow
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import (
    PASSWORD,
    make_agreement,
    make_org,
    make_person_record,
    make_place,
    make_user,
)


@dataclass(frozen=True)
class Scene:
    """Committed data for one run: two agencies, an agreement, two people and a place."""

    email: str
    outsider_email: str
    own_family: str
    shared_family: str
    shared_agency: str
    agreement: str
    address: str


@pytest.fixture
def scene(e2e_sessions: sessionmaker[Session]) -> Scene:
    tag = uuid.uuid4().hex[:6]
    with e2e_sessions() as session:
        police = make_org(session, f"E2E Police {tag}")
        council = make_org(session, f"E2E Council {tag}", kind=OrganisationKind.council)
        officer = make_user(session, police, email=f"pcso-{tag}@e2e-police.example")
        fire = make_org(session, f"E2E Fire {tag}", kind=OrganisationKind.fire)
        outsider = make_user(session, fire, email=f"officer-{tag}@e2e-fire.example")
        agreement = make_agreement(
            session, [police, council], purposes=[Purpose.safeguarding],
            categories=[DataCategory.person_identifiers, DataCategory.incidents],
            title=f"E2E community safety ISA {tag}",
        )
        make_person_record(session, police, given_name="Robin", family_name=f"Ashdown{tag}")
        make_person_record(session, council, given_name="Kit", family_name=f"Brennan{tag}",
                           address="4 Larch Court, Guildford")
        make_place(session, address=f"{tag} Larch Court, Guildford", postcode="GU1 4RR")
        session.commit()
        return Scene(officer.email, outsider.email, f"Ashdown{tag}", f"Brennan{tag}", council.name,
                     agreement.title, f"{tag} Larch Court, Guildford")


def tab_to(page: Any, selector: str, presses: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def press_and_wait(page: Any, key: str) -> None:
    """Press a key that submits a form, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def heading(page: Any) -> str:
    return str(page.locator("h1").inner_text()).strip()


def test_record_an_incident_with_the_keyboard_then_find_the_person(
    live_server: str, new_page: Callable[..., Any], scene: Scene
) -> None:
    page = new_page()
    sign_in(page, live_server, scene.email, PASSWORD)
    page.select_option("#purpose", "safeguarding")
    page.click("text=Set purpose")
    page.wait_for_load_state()

    page.goto(f"{live_server}/incidents/new")
    assert heading(page) == "What happened?"
    assert_accessible(page)
    screenshot(page, "incident-form-what")

    # (a) What happened and when: a select, a date and a time, typed.
    tab_to(page, "#category")
    page.keyboard.type("Hate incident")
    assert page.eval_on_selector("#category", "e => e.value") == "hate_incident"
    moment = local(utcnow() - timedelta(hours=2))
    tab_to(page, "#when-day")
    for text in (str(moment.day), str(moment.month), str(moment.year), f"{moment.hour:02d}"):
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    page.keyboard.type(f"{moment.minute:02d}")
    press_and_wait(page, "Enter")

    # (b) Where: look the place up by postcode, choose it with the space bar.
    assert heading(page) == "Where did it happen?"
    tab_to(page, "#place_query")
    page.keyboard.type("GU1 4RR")
    press_and_wait(page, "Enter")
    place = page.locator("label", has_text=scene.address)
    assert place.get_attribute("for") == "place_choice"  # the only place found comes first
    tab_to(page, "#place_choice")
    page.keyboard.press("Space")
    assert page.is_checked("#place_choice")
    assert_accessible(page)
    screenshot(page, "incident-form-where")
    tab_to(page, "button[value=continue]")
    press_and_wait(page, "Enter")

    # (c) Who: the officer's own record as victim, the council's shared record as witness.
    assert heading(page) == "Who was involved?"
    for family, presses in ((scene.own_family, 0), (scene.shared_family, 2)):
        tab_to(page, "#person_query")
        page.keyboard.type(family)
        press_and_wait(page, "Enter")
        tab_to(page, "#person")
        page.keyboard.press("Space")
        tab_to(page, "#role")
        for _ in range(presses):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Space")
        tab_to(page, "button[value=add]")
        press_and_wait(page, "Enter")
    added = page.locator(".govuk-summary-list").inner_text()
    assert "Robin" in added and "Victim" in added and "Kit" in added and "Witness" in added
    assert_accessible(page)
    screenshot(page, "incident-form-who")
    tab_to(page, "button[value=continue]")
    press_and_wait(page, "Enter")

    # (d) The account, with a script in it that must stay text.
    assert heading(page) == "Describe what happened"
    tab_to(page, "#narrative")
    page.keyboard.type("Abuse shouted at Kit outside the shop. <script>alert(1)</script>")
    assert_accessible(page)
    screenshot(page, "incident-form-details")
    tab_to(page, "button[value=continue]")
    press_and_wait(page, "Enter")

    # (e) Check the answers, then record.
    assert heading(page) == "Check your answers before recording the incident"
    assert scene.address in page.locator("#place").inner_text()
    assert_accessible(page)
    screenshot(page, "incident-form-check")
    tab_to(page, "form[action='/incidents/new/check'] > button:not([formaction])")
    press_and_wait(page, "Enter")

    assert heading(page) == "Hate incident"
    incident_url = page.url.split("?")[0]
    assert page.locator(".govuk-notification-banner--success").is_visible()
    assert "<script>alert(1)</script>" in page.locator("#narrative").inner_text()
    assert page.locator("script:not([src])").count() == 0
    assert_accessible(page)
    screenshot(page, "incident")

    # Find the shared person by search and open the profile.
    page.goto(f"{live_server}/search")
    page.fill("#name", scene.shared_family)
    page.click("button:has-text('Search')")
    result = page.locator("#search-results a", has_text=f"Kit {scene.shared_family}")
    result.wait_for()
    assert scene.shared_agency in page.locator("#search-results").inner_text()
    assert_accessible(page)
    screenshot(page, "search")
    result.click()
    page.wait_for_load_state()
    person_url = page.url
    assert heading(page) == f"Kit {scene.shared_family}"
    assert f"Agreement: {scene.agreement}" in page.locator(".govuk-summary-list").inner_text()
    assert "Hate incident" in page.locator("table").last.inner_text()
    assert_accessible(page)
    screenshot(page, "person")

    # The place, found by its address: the incident is counted in this month.
    page.goto(f"{live_server}/search?place={scene.address.split()[0]}")
    page.click(f"#search-results a:has-text('{scene.address}')")
    page.wait_for_load_state()
    assert heading(page) == scene.address
    assert "1" in page.locator("#incidents-by-month").inner_text()
    assert_accessible(page)
    screenshot(page, "place")

    page.goto(f"{live_server}/incidents?category=hate_incident")
    assert page.locator("#incident-results a", has_text="Hate incident").count() >= 1
    assert_accessible(page)
    screenshot(page, "incidents")

    # An agency with no agreement sees none of it, even with a purpose declared.
    outsider = new_page()
    sign_in(outsider, live_server, scene.outsider_email, PASSWORD)
    outsider.select_option("#purpose", "safeguarding")
    outsider.click("text=Set purpose")
    outsider.wait_for_load_state()
    for url in (incident_url, person_url):
        response = outsider.goto(url)
        assert response is not None and response.status == 404
        assert heading(outsider) == "Not found"
        assert scene.shared_family not in outsider.content()
    outsider.goto(f"{live_server}/search?name={scene.shared_family}")
    results = outsider.locator("#search-results").inner_text()
    assert scene.shared_family not in results and "Also known to 1 other agency" in results
    outsider.goto(f"{live_server}/search?place={scene.address.split()[0]}")
    outsider.click(f"#search-results a:has-text('{scene.address}')")
    outsider.wait_for_load_state()
    assert "No incidents at this place that you may see." in outsider.content()
