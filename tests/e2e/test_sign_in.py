"""Signing in and out in a real browser, in English and German, accessibly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import PASSWORD, make_org, make_user


def test_sign_in_home_and_sign_out(
    live_server: str, new_page: Callable[..., Any], e2e_sessions: sessionmaker[Session]
) -> None:
    with e2e_sessions() as session:
        org = make_org(session, "E2E Borough Council")
        user = make_user(session, org, email="asb.officer@e2e-council.example")
        session.commit()
    page = new_page()
    page.goto(f"{live_server}/sign-in")
    assert_accessible(page)
    screenshot(page, "sign-in")
    sign_in(page, live_server, user.email, PASSWORD)
    assert page.locator("h1").inner_text() == "My work"
    assert "E2E Borough Council" in page.locator("header").inner_text()
    assert_accessible(page)
    screenshot(page, "home")
    page.click("text=Sign out")
    page.wait_for_url(f"{live_server}/sign-in")


def test_wrong_password_shows_the_error_summary(
    live_server: str, new_page: Callable[..., Any]
) -> None:
    page = new_page()
    page.goto(f"{live_server}/sign-in")
    page.fill("#email", "nobody@example.org")
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)


def test_german_interface(live_server: str, new_page: Callable[..., Any]) -> None:
    page = new_page()
    page.goto(f"{live_server}/sign-in")
    page.click("a[lang=de]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Bei SafetyHub anmelden"
    assert page.locator("html").get_attribute("lang") == "de"
    assert_accessible(page)
    screenshot(page, "sign-in-de")
