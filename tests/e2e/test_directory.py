"""The service directory in a real browser: import, search by need and area, refer a person."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from safetyhub.auth.models import Role
from safetyhub.organisations.models import OrganisationKind
from safetyhub.referrals.directory.demo import sample_bytes
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import PASSWORD, make_org, make_person_record_row, make_user


def test_import_search_and_refer_to_a_listed_service(
    live_server: str, new_page: Callable[..., Any], e2e_sessions: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    tag = uuid.uuid4().hex[:6]
    with e2e_sessions() as session:
        office = make_org(session, f"OPCC {tag}", OrganisationKind.partnership_office, None)
        police = make_org(session, f"Police {tag}", OrganisationKind.police)
        support = make_org(session, f"Victim Support {tag}", OrganisationKind.victim_support)
        keeper = make_user(session, office, Role.partnership_office,
                           email=f"office-{tag}@opcc.example")
        officer = make_user(session, police, email=f"officer-{tag}@police.example")
        helper = make_user(session, support, email=f"helper-{tag}@vs.example")
        person = make_person_record_row(session, police, given_name="Sam",
                                        family_name=f"Lee{tag}")
        session.commit()
    sample = tmp_path / "surrey_services.json"
    sample.write_bytes(sample_bytes())

    # The partnership office imports the directory...
    page = new_page()
    sign_in(page, live_server, keeper.email, PASSWORD)
    page.goto(f"{live_server}/services/import")
    assert_accessible(page)
    page.set_input_files("#file", str(sample))
    page.click("button:has-text('Import')")
    assert "Directory imported" in page.locator(".govuk-notification-banner--success").inner_text()
    # ...and says Victim Support runs the victim support service.
    page.goto(f"{live_server}/services?q=victim")
    page.click("a:has-text('Victim support after crime')")
    page.select_option("#partner_organisation_id", label=support.name)
    page.click("button:has-text('Save partner agency')")
    page.wait_for_url(re.compile(r".*done=matched"))

    # A police officer searches by need and area and refers a person to the service.
    officer_page = new_page()
    sign_in(officer_page, live_server, officer.email, PASSWORD)
    officer_page.click("nav a:has-text('Services')")
    officer_page.select_option("#need", label="Support after crime")
    officer_page.fill("#district", "Guildford")
    officer_page.click("form button:has-text('Search')")
    results = officer_page.locator("ul[aria-labelledby=results]").inner_text()
    assert "Victim support after crime" in results and "Drug and alcohol" not in results
    assert_accessible(officer_page)
    screenshot(officer_page, "services-search")
    officer_page.click("a:has-text('Victim support after crime')")
    assert officer_page.locator("h1").inner_text() == "Victim support after crime"
    assert_accessible(officer_page)
    screenshot(officer_page, "service-page")
    officer_page.click("a:has-text('Refer a person to this service')")
    assert officer_page.locator("h1").inner_text() == "Who is the referral about?"
    service_id = officer_page.locator("input[name=service_id]").input_value()
    officer_page.goto(f"{live_server}/referrals/new?service_id={service_id}"
                      f"&person_record_id={person.id}")
    officer_page.fill("#reason", "Burglary victim; would like support.")
    officer_page.check("input[name=lawful_basis][value=consent]")
    officer_page.check("input[name=consent][value=yes]")
    assert_accessible(officer_page)
    officer_page.click("button:has-text('Continue')")
    assert support.name in officer_page.locator("dl").inner_text()
    officer_page.click("button:has-text('Send referral')")
    officer_page.wait_for_url(re.compile(r".*/referrals/[0-9a-f-]{36}\?done=sent"))

    # It lands in Victim Support's inbox.
    inbox = new_page()
    sign_in(inbox, live_server, helper.email, PASSWORD)
    inbox.goto(f"{live_server}/referrals")
    assert f"Lee{tag}" in inbox.locator("table").inner_text()
