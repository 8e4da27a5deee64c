"""Two agencies' admins draft and sign an agreement in their own browsers; audit and users pages."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from safetyhub.auth.models import Role
from safetyhub.organisations.models import OrganisationKind
from safetyhub.timeutil import london_today
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import PASSWORD, make_org, make_user


def test_two_admins_agree_then_audit_and_users(
    live_server: str, new_page: Callable[..., Any], e2e_sessions: sessionmaker[Session]
) -> None:
    tag = uuid.uuid4().hex[:6]
    with e2e_sessions() as session:
        police = make_org(session, f"Surrey Police {tag}", kind=OrganisationKind.police)
        council = make_org(session, f"Guildford Borough Council {tag}",
                           kind=OrganisationKind.council)
        police_admin = make_user(session, police, Role.admin, email=f"admin.{tag}@police.example")
        police_admin.full_name = "Priya Shah"
        council_admin = make_user(session, council, Role.admin,
                                  email=f"admin.{tag}@council.example")
        council_admin.full_name = "Owen Price"
        officer = make_user(session, police, Role.practitioner,
                            email=f"pcso.{tag}@police.example")
        officer.full_name = "Sam Carter"
        session.commit()
    title = f"Guildford ASB information sharing agreement {tag}"
    base = live_server

    # The police admin drafts the agreement in their own browser.
    police_page = new_page()
    sign_in(police_page, base, police_admin.email, PASSWORD)
    police_page.click("text=Sharing agreements")
    police_page.wait_for_url(f"{base}/sharing-agreements")
    assert_accessible(police_page)
    police_page.click("text=Draft an agreement")
    police_page.wait_for_url(f"{base}/sharing-agreements/new")
    police_page.click("button:has-text('Continue')")
    assert police_page.locator(".govuk-error-summary").is_visible()
    assert police_page.title().startswith("Error: ")
    assert_accessible(police_page)
    screenshot(police_page, "agreement-draft-errors")

    police_page.fill("#title", title)
    police_page.get_by_label(council.name).check()
    police_page.get_by_label("Safeguarding").check()
    police_page.get_by_label("ASB case management").check()
    police_page.get_by_label("Person identifiers").check()
    police_page.get_by_label("Incidents").check()
    police_page.get_by_label("Crime and Disorder Act 1998, section 115").check()
    police_page.fill("#lawful_basis_detail", "Necessary to tackle ASB in Guildford town centre.")
    start, end = london_today(), london_today() + timedelta(days=365)
    for name, day in (("valid_from", start), ("valid_to", end)):
        police_page.fill(f"#{name}-day", str(day.day))
        police_page.fill(f"#{name}-month", str(day.month))
        police_page.fill(f"#{name}-year", str(day.year))
    assert_accessible(police_page)
    screenshot(police_page, "agreement-draft-form")
    police_page.click("button:has-text('Continue')")
    assert police_page.locator("h1").inner_text() == "Check the agreement before you create it"
    assert council.name in police_page.locator(".govuk-summary-list").inner_text()
    assert_accessible(police_page)
    screenshot(police_page, "agreement-check-answers")
    police_page.click("button:has-text('Create draft agreement')")
    police_page.wait_for_url(re.compile(r".*/sharing-agreements/[0-9a-f-]{36}\?done=drafted"))
    agreement_url = police_page.url.split("?")[0]
    banner = police_page.locator(".govuk-notification-banner")
    assert "Draft agreement created" in banner.inner_text()
    police_page.click("button:has-text('Sign this agreement')")
    police_page.wait_for_url(f"{agreement_url}?done=signed")
    assert "Not signed yet" in police_page.locator("table").inner_text()
    assert_accessible(police_page)
    screenshot(police_page, "agreement-signed-by-one")

    # The council admin, in another browser, finds it in the register and signs last.
    council_page = new_page()
    sign_in(council_page, base, council_admin.email, PASSWORD)
    council_page.goto(f"{base}/sharing-agreements")
    council_page.click(f"text={title}")
    council_page.wait_for_url(agreement_url)
    council_page.click("button:has-text('Sign this agreement')")
    council_page.wait_for_url(f"{agreement_url}?done=signed")
    assert "Yes: partners may share under it today" in council_page.content()
    council_page.goto(f"{base}/sharing-agreements?status=active")
    row = council_page.locator("tr", has_text=title)
    assert "Active" in row.inner_text()
    assert_accessible(council_page)
    screenshot(council_page, "agreements-register")

    # Back in the police browser: the register shows it active; revoking asks first.
    police_page.goto(f"{base}/sharing-agreements")
    assert "Active" in police_page.locator("tr", has_text=title).inner_text()
    police_page.goto(agreement_url)
    assert_accessible(police_page)
    screenshot(police_page, "agreement-active")
    police_page.click("text=Revoke this agreement")
    assert police_page.locator("h1").inner_text() == "Revoke this agreement?"
    assert_accessible(police_page)
    screenshot(police_page, "agreement-revoke-confirm")

    # The police admin's audit log, filtered with htmx (the URL follows the filter).
    police_page.click("nav >> text=Audit")
    police_page.wait_for_url(f"{base}/audit")
    assert_accessible(police_page)
    police_page.select_option("#action", "sign_agreement")
    police_page.click("button:has-text('Apply filters')")
    police_page.wait_for_url(re.compile(r".*/audit\?.*action=sign_agreement.*"))
    results = police_page.locator("#audit-results")
    results.locator("text=Number of events: 2").wait_for()
    assert "Owen Price" not in results.inner_text()  # not a police user: shown by address
    assert council_admin.email in results.inner_text()
    assert_accessible(police_page)
    screenshot(police_page, "audit-log")

    # The police admin's users page: add a user, then deactivate one.
    police_page.click("nav >> text=Users")
    police_page.wait_for_url(f"{base}/users")
    assert council_admin.email not in police_page.content()
    assert_accessible(police_page)
    police_page.click("text=Add a user")
    police_page.fill("#full_name", "Robin New")
    police_page.fill("#email", f"robin.{tag}@police.example")
    police_page.get_by_label("Practitioner").check()
    police_page.fill("#password", "four random words here")
    assert_accessible(police_page)
    screenshot(police_page, "users-add")
    police_page.click("button:has-text('Add user')")
    police_page.wait_for_url(re.compile(r".*/users\?added=.*"))
    assert "Robin New has been added" in police_page.content()
    police_page.click(f"a:has-text('Deactivate'):has-text('{officer.full_name}')")
    assert police_page.locator("h1").inner_text() == f"Deactivate {officer.full_name}?"
    assert_accessible(police_page)
    police_page.click("button:has-text('Deactivate user')")
    police_page.wait_for_url(re.compile(r".*/users\?deactivated=.*"))
    assert "Sam Carter has been deactivated" in police_page.content()
    assert_accessible(police_page)
    screenshot(police_page, "users")


def test_agreements_register_in_german(
    live_server: str, new_page: Callable[..., Any], e2e_sessions: sessionmaker[Session]
) -> None:
    tag = uuid.uuid4().hex[:6]
    with e2e_sessions() as session:
        org = make_org(session, f"Waverley Borough Council {tag}", kind=OrganisationKind.council)
        admin = make_user(session, org, Role.admin, email=f"admin.{tag}@waverley.example")
        session.commit()
    page = new_page(locale="de-DE")
    sign_in(page, live_server, admin.email, PASSWORD)
    page.goto(f"{live_server}/sharing-agreements/new")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text() == "Vereinbarung zum Datenaustausch entwerfen"
    assert_accessible(page)
    screenshot(page, "agreement-draft-form-de")
