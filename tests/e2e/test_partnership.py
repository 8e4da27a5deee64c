"""In a real browser: the partnership office sees a meeting and the progress on commitments;
the pages pass the accessibility check."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from safetyhub.auth.models import Role
from safetyhub.organisations.models import OrganisationKind
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import PASSWORD, make_commitment, make_meeting, make_org, make_user


@dataclass(frozen=True)
class Scene:
    """Committed data: the office, two agencies, a meeting and commitments."""

    office_email: str
    meeting_id: str
    council_name: str
    police_name: str


@pytest.fixture
def scene(e2e_sessions: sessionmaker[Session]) -> Scene:
    tag = uuid.uuid4().hex[:6]
    with e2e_sessions() as session:
        office = make_org(session, f"E2E OPCC {tag}", kind=OrganisationKind.partnership_office)
        police = make_org(session, f"E2E Police {tag}")
        council = make_org(session, f"E2E Council {tag}", kind=OrganisationKind.council)
        user = make_user(session, office, Role.partnership_office,
                         email=f"opcc-{tag}@e2e-opcc.example")
        meeting = make_meeting(session, invited=[police, council], attended=[police],
                               title=f"Assembly {tag}", held_on=date.today() - timedelta(days=7))
        make_commitment(session, council, text="Late clinic",
                        due_on=date.today() - timedelta(days=3))
        make_commitment(session, police, priority_code="vawg", status="on_track")
        session.commit()
        return Scene(user.email, str(meeting.id), council.name, police.name)


def test_office_sees_meeting_and_progress(
    new_page: Callable[..., Any], live_server: str, scene: Scene
) -> None:
    page = new_page()
    sign_in(page, live_server, scene.office_email, PASSWORD)
    page.goto(f"{live_server}/partnership/meetings")
    assert_accessible(page)
    screenshot(page, "partnership-meetings")
    page.goto(f"{live_server}/partnership/meetings/{scene.meeting_id}")
    assert "1 of 2 invited organisations attended" in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "partnership-meeting")
    page.goto(f"{live_server}/partnership/progress")
    assert "Late clinic" in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "partnership-progress")
    page.goto(f"{live_server}/partnership/commitments")
    assert_accessible(page)


def test_office_records_a_decision_with_two_actions_and_a_commitment(
    new_page: Callable[..., Any], live_server: str, scene: Scene
) -> None:
    page = new_page()
    sign_in(page, live_server, scene.office_email, PASSWORD)
    page.goto(f"{live_server}/partnership/meetings/{scene.meeting_id}/decisions/new")
    page.click("#record-decision")  # nothing filled in: the error summary, nothing written
    assert "There is a problem" in page.inner_text("main")
    assert_accessible(page)
    page.fill("#decision", "Open a youth hub")
    page.fill("#action-1-text", "Find a building")
    page.select_option("#action-1-owner", label=scene.council_name)
    page.fill("#action-1-due-day", "1")
    page.fill("#action-1-due-month", "3")
    page.fill("#action-1-due-year", "2031")
    page.click("#add-action")
    page.fill("#action-2-text", "Staff the hub")
    page.select_option("#action-2-owner", label=scene.police_name)
    page.fill("#action-2-due-day", "2")
    page.fill("#action-2-due-month", "4")
    page.fill("#action-2-due-year", "2031")
    page.select_option("#commitment-1-organisation", label=scene.council_name)
    page.select_option("#commitment-1-priority", label="Public trust")
    page.fill("#commitment-1-text", "Report on the hub")
    page.fill("#commitment-1-due-day", "30")
    page.fill("#commitment-1-due-month", "6")
    page.fill("#commitment-1-due-year", "2031")
    assert_accessible(page)
    screenshot(page, "partnership-decision")
    page.click("#record-decision")
    main = page.inner_text("main")
    assert "Decision recorded" in main and "Find a building" in main and "Staff the hub" in main
    assert "1 commitment made" in main
    page.click("text=Staff the hub")
    assert_accessible(page)
    screenshot(page, "partnership-action")


def test_priorities_page_and_printed_report(
    new_page: Callable[..., Any], live_server: str, scene: Scene
) -> None:
    page = new_page()
    sign_in(page, live_server, scene.office_email, PASSWORD)
    page.goto(f"{live_server}/partnership/priorities")
    assert_accessible(page)
    screenshot(page, "partnership-priorities")
    page.goto(f"{live_server}/partnership/progress/report")
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.is_visible("#navigation")
    assert not page.is_visible("#report-pdf")
    assert page.is_visible("h1")
    screenshot(page, "partnership-report-print")
