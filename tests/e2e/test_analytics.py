"""The public dashboard and the analysts' picture in a browser: accessible, no records shown."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from safetyhub.auth.models import Role
from safetyhub.organisations.models import OrganisationKind
from tests.analytics.conftest import load_fixture_data
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import PASSWORD, make_org, make_user


def test_public_dashboard_and_picture(
    live_server: str, new_page: Callable[..., Any], e2e_sessions: sessionmaker[Session]
) -> None:
    with e2e_sessions() as session:
        load_fixture_data(session)
        org = make_org(session, f"Commissioner's office {uuid.uuid4().hex[:6]}",
                       kind=OrganisationKind.partnership_office)
        analyst = make_user(session, org, Role.analyst)
        email = analyst.email
        session.commit()

    page = new_page()
    page.goto(f"{live_server}/public")
    assert page.locator("h1").inner_text() == "Crime and anti-social behaviour in the county"
    assert "Open Government Licence v3.0" in page.locator("#attribution").inner_text()
    assert page.locator("#district-table tbody tr").count() >= 2
    assert "On or near" not in page.content()
    assert_accessible(page)
    screenshot(page, "analytics-public")
    page.select_option("#from", "2024-02")
    page.click("button[type=submit]")
    page.wait_for_url("**/public?from=2024-02*")
    assert "2024-01" not in page.locator("#county-table").inner_text()

    sign_in(page, live_server, email, PASSWORD)
    page.goto(f"{live_server}/picture")
    assert page.locator("#picture-map circle").count() >= 3
    assert page.locator("#inequality-table tbody tr").count() == 4
    assert_accessible(page)
    screenshot(page, "analytics-picture")
    page.select_option("#district", "Woking")
    page.click("#picture-filters button[type=submit]")
    page.wait_for_url("**/picture?*district=Woking*")
    assert "Guildford" not in page.locator("#district-table").inner_text()

    german = new_page(locale="de-DE")
    german.context.add_cookies([{"name": "safetyhub_lang", "value": "de", "url": live_server}])
    german.goto(f"{live_server}/public")
    assert "Grafschaft" in german.locator("h1").inner_text()
    screenshot(german, "analytics-public-de")
