"""The home page shows the user's own agency's work and nothing of an unrelated agency."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from safetyhub.auth.models import Role
from tests.conftest import PageClient
from tests.factories import make_case, make_incident, make_org, make_referral, make_user


def test_home_lists_my_cases_referrals_and_incidents(
    page_client: Callable[..., PageClient], session: Session
) -> None:
    police = make_org(session, "Home Test Police")
    council = make_org(session, "Home Test Council")
    stranger = make_org(session, "Home Test Housing")
    case = make_case(session, police, members=[council], title="Elm Court noise case")
    make_referral(session, council, police, reason="Please visit the flat about the noise")
    make_incident(session, police, narrative="Shouting at the bus stop on the high street")
    make_case(session, stranger, title="Unrelated housing case")
    make_incident(session, stranger, narrative="Hidden housing incident text")

    home = page_client(make_user(session, police)).get("/")
    assert home.status_code == 200
    assert "Elm Court noise case" in home.text
    assert f"/cases/{case.id}" in home.text
    assert "Please visit the flat" in home.text
    assert "Shouting at the bus stop" in home.text
    assert "Unrelated housing case" not in home.text
    assert "Hidden housing incident text" not in home.text


def test_home_of_an_unrelated_agency_shows_none_of_it(
    page_client: Callable[..., PageClient], session: Session
) -> None:
    police = make_org(session, "Home Test Police 2")
    make_case(session, police, title="Police-only case")
    make_incident(session, police, narrative="Police-only incident")
    other = page_client(make_user(session, make_org(session, "Home Test Fire"))).get("/")
    assert "Police-only case" not in other.text
    assert "Police-only incident" not in other.text
    assert "No open cases." in other.text


def test_navigation_follows_the_role(
    page_client: Callable[..., PageClient], session: Session
) -> None:
    org = make_org(session, "Nav Test Council")
    practitioner = page_client(make_user(session, org)).get("/").text
    admin = page_client(make_user(session, org, Role.admin)).get("/").text
    analyst = page_client(make_user(session, org, Role.analyst)).get("/").text
    assert 'href="/incidents/new"' in practitioner
    assert 'href="/users"' not in practitioner and 'href="/audit"' not in practitioner
    assert 'href="/users"' in admin and 'href="/audit"' in admin
    assert 'href="/incidents/new"' not in admin
    assert 'href="/linkage/review"' in analyst
