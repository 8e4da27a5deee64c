"""In a real browser: a supervisor convenes a community MARAC, puts a case on the agenda and
records a discussion note, and agrees an action after correcting a refused due date; the pages
pass the accessibility check."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from safetyhub.auth.models import Role
from safetyhub.organisations.models import OrganisationKind
from safetyhub.sharing.vocabulary import DataCategory, Purpose
from safetyhub.timeutil import london_today
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import PASSWORD, make_agreement, make_case, make_org, make_user


@dataclass(frozen=True)
class Scene:
    """Committed data: police chair, a council partner, an agreement and a police case."""

    tag: str
    chair_email: str
    council_name: str
    agreement_title: str
    case_title: str


@pytest.fixture
def scene(e2e_sessions: sessionmaker[Session]) -> Scene:
    tag = uuid.uuid4().hex[:6]
    with e2e_sessions() as session:
        police = make_org(session, f"E2E Conf Police {tag}")
        council = make_org(session, f"E2E Conf Council {tag}", kind=OrganisationKind.council)
        chair = make_user(session, police, Role.supervisor, email=f"chair-{tag}@e2e.example")
        title = f"E2E ASB protocol {tag}"
        make_agreement(session, [police, council], title=title,
                       purposes=[Purpose.asb_case_management],
                       categories=[DataCategory.case_notes, DataCategory.person_identifiers])
        case = make_case(session, police, members=[council], title=f"Noise at Elm Court {tag}")
        session.commit()
        return Scene(tag, chair.email, council.name, title, case.title)


def test_a_chair_convenes_a_conference_and_records_a_note(
    new_page: Callable[..., Any], live_server: str, scene: Scene
) -> None:
    page = new_page()
    sign_in(page, live_server, scene.chair_email, PASSWORD)
    page.click("nav >> text=Case conferences")
    assert_accessible(page)
    screenshot(page, "conferences-list")
    page.click("text=Convene a conference")
    page.click("button:has-text('Convene the conference')")  # nothing filled in: errors
    assert page.title().startswith("Error:")
    assert_accessible(page)
    screenshot(page, "conferences-new-error")
    page.check("#kind-2")  # community MARAC
    page.fill("#title", f"Community MARAC {scene.tag}")
    day = london_today() + timedelta(days=7)
    page.fill("#held-day", str(day.day))
    page.fill("#held-month", str(day.month))
    page.fill("#held-year", str(day.year))
    page.select_option("#agreement", label=scene.agreement_title)
    page.select_option("#purpose", "asb_case_management")
    page.check(f"label:has-text('{scene.council_name}')")
    page.click("button:has-text('Convene the conference')")
    page.wait_for_selector(f"h1:has-text('Community MARAC {scene.tag}')")
    page.select_option("#record", label=scene.case_title)
    page.click("button:has-text('Add to the agenda')")
    page.wait_for_selector(f"a:has-text('{scene.case_title}')")
    page.fill("textarea[name=text]", "Partners agreed a joint visit.")
    page.click("button:has-text('Add note')")
    page.wait_for_selector("text=Partners agreed a joint visit.")
    assert_accessible(page)
    screenshot(page, "conferences-conference")
    # An action due yesterday: the page comes back with the error summary and the answers.
    page.fill("#description", "Joint visit to Elm Court")
    past = london_today() - timedelta(days=1)
    page.fill("#due-day", str(past.day))
    page.fill("#due-month", str(past.month))
    page.fill("#due-year", str(past.year))
    page.click("button:has-text('Agree the action')")
    page.wait_for_selector(".govuk-error-summary >> text=The due date cannot be in the past.")
    assert page.title().startswith("Error:")
    assert page.input_value("#description") == "Joint visit to Elm Court"
    assert_accessible(page)
    screenshot(page, "conferences-action-error")
    page.fill("#due-year", str(day.year))
    page.fill("#due-month", str(day.month))
    page.fill("#due-day", str(day.day))
    page.click("button:has-text('Agree the action')")
    page.wait_for_selector("td:has-text('Joint visit to Elm Court')")
    assert page.locator(".govuk-error-summary").count() == 0
