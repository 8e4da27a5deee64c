"""A case and a referral across agencies in a real browser; a third agency sees none of it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from safetyhub.organisations.models import OrganisationKind
from safetyhub.timeutil import london_today
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import PASSWORD, make_org, make_person_record_row, make_user


def test_case_and_referral_between_two_agencies_hidden_from_a_third(
    live_server: str, new_page: Callable[..., Any], e2e_sessions: sessionmaker[Session]
) -> None:
    tag = uuid.uuid4().hex[:6]
    with e2e_sessions() as session:
        police = make_org(session, f"Surrey Police {tag}", OrganisationKind.police)
        council = make_org(session, f"Guildford Council {tag}", OrganisationKind.council)
        housing = make_org(session, f"Elm Housing {tag}", OrganisationKind.housing)
        officer = make_user(session, police, email=f"officer-{tag}@police.example")
        asb_lead = make_user(session, council, email=f"asb-{tag}@council.example")
        outsider = make_user(session, housing, email=f"tenancy-{tag}@housing.example")
        person = make_person_record_row(session, police, given_name="Jordan",
                                        family_name=f"Taylor{tag}")
        session.commit()
    title = f"Elm Court noise {tag}"

    # Agency A's practitioner opens a case about the person, from the person's link.
    page = new_page()
    sign_in(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/cases/new?person_record_id={person.id}")
    page.fill("#title", title)
    page.check("input[name=kind][value=asb]")
    page.check("input[name=risk_level][value=medium]")
    page.click("button:has-text('Continue')")
    assert page.locator("h1").inner_text() == "Who is the case about?"
    assert page.locator(f"input[name=subject][value='{person.id}']").is_checked()
    assert_accessible(page)
    page.click("button[value=continue]")
    assert "Check your answers" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.click("button:has-text('Open the case')")
    page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}\?done=opened"))
    case_url = page.url.split("?")[0]
    assert "Case opened" in page.locator(".govuk-notification-banner--success").inner_text()

    # ...adds agency B as a member...
    page.select_option("#organisation-id", label=council.name)
    page.click("button:has-text('Add agency')")
    page.wait_for_url(re.compile(r".*done=member.*"))
    assert council.name in page.locator("#members").inner_text()

    # ...and adds an action with a due date (HTMX: no page load).
    due = london_today() + timedelta(days=10)
    page.click("#actions summary")
    page.fill("#description", "Visit the neighbours with the council")
    page.select_option("#action-organisation-id", label=council.name)
    page.fill("#due-date-day", str(due.day))
    page.fill("#due-date-month", str(due.month))
    page.fill("#due-date-year", str(due.year))
    page.click("#add-action")
    page.locator("#actions table").wait_for()
    assert "Visit the neighbours with the council" in page.locator("#actions table").inner_text()
    assert page.url.startswith(case_url) and "done=action" not in page.url
    assert "Action added" in page.locator("#actions-status").inner_text()
    assert_accessible(page)
    screenshot(page, "case-page")

    # ...then refers the person to agency B.
    page.click("#subjects a:has-text('Refer')")
    assert page.locator("h1").inner_text() == "Where and why are you referring?"
    page.select_option("#to-organisation-id", label=council.name)
    page.fill("#reason", "Repeat ASB victim; please assess for a tenancy support visit.")
    page.check("input[name=lawful_basis][value=cda_1998_s115]")
    page.check("input[name=consent][value=no]")
    assert_accessible(page)
    page.click("button:has-text('Continue')")
    assert "Check your answers" in page.locator("h1").inner_text()
    page.click("button:has-text('Send referral')")
    page.wait_for_url(re.compile(r".*/referrals/[0-9a-f-]{36}\?done=sent"))
    referral_url = page.url.split("?")[0]
    assert "Referral sent" in page.locator(".govuk-notification-banner--success").inner_text()

    # Agency B's practitioner finds the referral in the inbox and accepts it.
    other = new_page()
    sign_in(other, live_server, asb_lead.email, PASSWORD)
    other.goto(f"{live_server}/referrals")
    assert f"Taylor{tag}" in other.locator("table").inner_text()
    assert_accessible(other)
    screenshot(other, "referrals-inbox")
    other.locator(f"table a:has-text('Taylor{tag}')").press("Enter")  # by keyboard
    other.wait_for_url(referral_url)
    assert other.url == referral_url
    assert_accessible(other)
    screenshot(other, "referral-page")
    other.click("#accept-referral")
    other.locator("#referral .govuk-inset-text:has-text('Referral accepted')").wait_for()
    assert "Accepted" in other.locator("#referral dl").inner_text()
    assert other.locator("#complete-referral").is_visible()
    other.goto(case_url)  # B is a member now, so the case is open to it
    assert title in other.locator("h1").inner_text()

    # A third agency's practitioner sees none of it.
    third = new_page()
    sign_in(third, live_server, outsider.email, PASSWORD)
    for url in (case_url, referral_url):
        response = third.goto(url)
        assert response is not None and response.status == 404
        assert third.locator("h1").inner_text() == "Not found"
        assert title not in third.content() and f"Taylor{tag}" not in third.content()
    assert_accessible(third)
    third.goto(f"{live_server}/cases")
    assert title not in third.content()
    for box in ("inbox", "outbox"):
        third.goto(f"{live_server}/referrals?box={box}")
        assert f"Taylor{tag}" not in third.content()
