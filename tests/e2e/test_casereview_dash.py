"""In a real browser: a member of the public applies for an ASB Case Review without signing in;
a practitioner completes a DASH checklist with the keyboard alone and sees the risk level."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from safetyhub.auth.models import Role
from safetyhub.dash.checklist import checklist
from safetyhub.incidents.models import PartyRole
from safetyhub.organisations.models import OrganisationKind
from safetyhub.timeutil import utcnow
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import PASSWORD, make_incident, make_org, make_person_record, make_user


@dataclass(frozen=True)
class Scene:
    """Committed data for one run: agencies, users, a victim with complaints at two agencies."""

    tag: str
    practitioner_email: str
    office_email: str
    victim_given: str
    victim_family: str
    victim_record_id: str


@pytest.fixture
def scene(e2e_sessions: sessionmaker[Session]) -> Scene:
    tag = uuid.uuid4().hex[:6]
    family = f"Okafor{tag}"
    with e2e_sessions() as session:
        police = make_org(session, f"E2E DA Police {tag}")
        council = make_org(session, f"E2E DA Council {tag}", kind=OrganisationKind.council)
        office = make_org(session, f"E2E OPCC {tag}", kind=OrganisationKind.partnership_office)
        officer = make_user(session, police, email=f"ppu-{tag}@e2e-police.example")
        office_user = make_user(session, office, Role.partnership_office,
                                email=f"opcc-{tag}@e2e-opcc.example")
        at_police = make_person_record(session, police, given_name="Ngozi", family_name=family,
                                       postcode="GU2 7XH")
        at_council = make_person_record(session, council, given_name="Ngozi",
                                        family_name=family, postcode="GU2 7XH")
        for org, record, days in ((police, at_police, 10), (council, at_council, 45),
                                  (police, at_police, 80)):
            make_incident(session, org, occurred_at=utcnow() - timedelta(days=days),
                          parties=[(record, PartyRole.complainant)])
        session.commit()
        return Scene(tag, officer.email, office_user.email, "Ngozi", family, str(at_police.id))


def test_a_member_of_the_public_applies_and_sees_the_reference(
    new_page: Callable[..., Any], live_server: str, scene: Scene
) -> None:
    page = new_page()
    page.goto(f"{live_server}/asb-case-review")
    assert_accessible(page)
    screenshot(page, "casereview-start")
    page.click("text=Start now")
    page.click("button:has-text('Continue')")  # nothing chosen: an error
    assert page.title().startswith("Error:")
    assert_accessible(page)
    screenshot(page, "casereview-apply-error")
    page.check("#who")  # myself
    page.click("button:has-text('Continue')")
    page.fill("#given_name", scene.victim_given)
    page.fill("#family_name", scene.victim_family)
    page.fill("#dob-day", "15")
    page.fill("#dob-month", "6")
    page.fill("#dob-year", "1985")
    page.fill("#address", "12 Elm Court, Guildford")
    page.fill("#postcode", "GU2 7XH")
    assert_accessible(page)
    screenshot(page, "casereview-apply-victim")
    page.click("button:has-text('Continue')")
    page.fill("#email", f"ngozi-{scene.tag}@example.org")
    page.click("button:has-text('Continue')")
    page.fill("#description", "Loud parties and shouting at the flat below, most nights.")
    page.fill("#location", "Elm Court")
    page.check("#agencies")
    assert_accessible(page)
    page.click("button:has-text('Continue')")
    assert "Check your answers" in page.inner_text("h1")
    assert_accessible(page)
    screenshot(page, "casereview-apply-check")
    page.click("button:has-text('Accept and send')")
    page.wait_for_url(f"{live_server}/asb-case-review/apply/confirmation")
    reference = page.inner_text("#reference")
    assert reference.startswith("CR-") and len(reference) == 11
    assert "enough complaints" in page.inner_text("#threshold")
    assert "3 qualifying complaints were counted" in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "casereview-apply-confirmation")

    # The partnership office finds it in the staff list and opens it.
    staff = new_page()
    sign_in(staff, live_server, scene.office_email, PASSWORD)
    staff.goto(f"{live_server}/case-reviews")
    staff.click(f"text={reference}")
    assert reference in staff.inner_text("h1")
    assert_accessible(staff)
    screenshot(staff, "casereview-staff-review")
    staff.goto(f"{live_server}/case-reviews/figures")
    assert_accessible(staff)
    screenshot(staff, "casereview-figures")


def test_a_practitioner_completes_a_dash_checklist_by_keyboard(
    new_page: Callable[..., Any], live_server: str, scene: Scene
) -> None:
    page = new_page()
    sign_in(page, live_server, scene.practitioner_email, PASSWORD)
    page.goto(f"{live_server}/dash-assessments/new?q={scene.victim_family}")
    assert_accessible(page)
    screenshot(page, "dash-choose-person")
    page.goto(f"{live_server}/dash-assessments/new?person_record_id={scene.victim_record_id}")
    assert_accessible(page)
    screenshot(page, "dash-form")
    keys = checklist().keys
    first = f"#answer-{keys[0]}"
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", first):
            break
    # Yes to the first 14 questions (Space), No to the rest (an arrow key moves and selects);
    # Tab passes the question's "Add a note" and reaches the next question.
    for index, key in enumerate(keys):
        assert page.evaluate("() => document.activeElement.name") == f"answer-{key}"
        page.keyboard.press("Space" if index < 14 else "ArrowRight")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
    for _ in range(20):
        if page.evaluate("() => document.activeElement.type === 'submit'"):
            break
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "High" in page.inner_text("#risk-level")
    assert "14 ticks out of 24 questions" in page.inner_text("#risk-level")
    assert "Visible high risk" in page.inner_text("#marac-status")
    assert_accessible(page)
    screenshot(page, "dash-result")
    page.fill("#meeting-day", str((utcnow() + timedelta(days=7)).day))
    page.fill("#meeting-month", str((utcnow() + timedelta(days=7)).month))
    page.fill("#meeting-year", str((utcnow() + timedelta(days=7)).year))
    page.click("button:has-text('Refer to MARAC')")
    assert "Referred to MARAC on" in page.inner_text("#marac-status")
