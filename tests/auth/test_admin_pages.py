"""The users page: an agency's admin lists, adds and deactivates their own agency's users."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth import service as auth_service
from safetyhub.auth.models import AuthSession, Role, User
from safetyhub.errors import Conflict
from safetyhub.organisations.models import Organisation, OrganisationKind
from tests.conftest import PageClient
from tests.factories import actor, make_org, make_user, web_session_for

Clients = Callable[..., PageClient]


@dataclass
class Agencies:
    """Two agencies, each with an admin and a practitioner."""

    police: Organisation
    council: Organisation
    police_admin: User
    police_officer: User
    council_admin: User
    council_officer: User


@pytest.fixture
def agencies(session: Session) -> Agencies:
    police = make_org(session, kind=OrganisationKind.police)
    council = make_org(session, kind=OrganisationKind.council)
    return Agencies(
        police=police, council=council,
        police_admin=make_user(session, police, Role.admin),
        police_officer=make_user(session, police, Role.practitioner),
        council_admin=make_user(session, council, Role.admin),
        council_officer=make_user(session, council, Role.practitioner),
    )


def new_user(client: PageClient, **overrides: Any) -> dict[str, Any]:
    data = {"csrf_token": client.csrf_token, "full_name": "Robin New",
            "email": "robin.new@police.example", "role": "practitioner",
            "password": "four random words here"}
    data.update(overrides)
    return data


def users_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User)) or 0)


def is_active(session: Session, user: User) -> bool:
    session.refresh(user)
    return user.active


def test_admin_sees_their_own_agencys_users_only(
    page_client: Clients, agencies: Agencies
) -> None:
    a = agencies
    page = page_client(a.police_admin).get("/users")
    assert page.status_code == 200
    assert a.police_officer.email in page.text
    assert a.police_admin.email in page.text
    assert a.council_officer.email not in page.text
    assert a.council_admin.email not in page.text
    assert "Number of users: 2" in page.text
    assert f"/users/{a.police_officer.id}/deactivate" in page.text
    assert f"/users/{a.police_admin.id}/deactivate" not in page.text  # never yourself


def test_practitioner_gets_403_everywhere(
    page_client: Clients, session: Session, agencies: Agencies
) -> None:
    a = agencies
    client = page_client(a.police_officer)
    assert client.get("/users").status_code == 403
    assert client.get("/users/new").status_code == 403
    before = users_count(session)
    assert client.post("/users/new", data=new_user(client)).status_code == 403
    assert users_count(session) == before
    colleague = make_user(session, a.police)
    response = client.post(f"/users/{colleague.id}/deactivate",
                           data={"csrf_token": client.csrf_token})
    assert response.status_code == 403
    assert is_active(session, colleague)


def test_admin_adds_a_user(page_client: Clients, session: Session, agencies: Agencies) -> None:
    a = agencies
    client = page_client(a.police_admin)
    form = client.get("/users/new")
    assert form.status_code == 200
    assert "At least 12 characters" in form.text
    assert 'value="partnership_office"' not in form.text  # not a role a police admin gives
    added = client.post("/users/new", data=new_user(client, email=" Robin.New@Police.example "),
                        follow_redirects=False)
    assert added.status_code == 303, added.text
    user = session.scalars(select(User).where(User.email == "robin.new@police.example")).one()
    assert user.organisation_id == a.police.id
    assert user.role == "practitioner"
    assert user.active
    assert session.scalar(select(func.count()).where(
        AuditEvent.action == "add_user", AuditEvent.object_id == str(user.id))) == 1
    listing = client.get(added.headers["location"])
    assert "Robin New has been added" in listing.text
    assert "robin.new@police.example" in listing.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_name": " "}, "Enter the user&#39;s full name"),
        ({"email": ""}, "Enter the user&#39;s email address"),
        ({"email": "not-an-email"}, "Enter an email address in the right format"),
        ({"role": "overlord"}, "Choose the user&#39;s role"),
        ({"role": "partnership_office"}, "Choose the user&#39;s role"),
        ({"password": "too short"}, "The initial password must be at least 12 characters"),
    ],
)
def test_invalid_new_user_is_explained_and_nothing_written(
    page_client: Clients, session: Session, agencies: Agencies,
    overrides: dict[str, str], message: str,
) -> None:
    client = page_client(agencies.police_admin)
    before = users_count(session)
    response = client.post("/users/new", data=new_user(client, **overrides))
    assert response.status_code == 422
    assert "govuk-error-summary" in response.text
    assert "<title>Error: " in response.text
    assert message in response.text
    assert "four random words here" not in response.text  # a password is never shown back
    assert users_count(session) == before


def test_an_email_already_in_use_is_explained(
    page_client: Clients, session: Session, agencies: Agencies
) -> None:
    a = agencies
    client = page_client(a.police_admin)
    before = users_count(session)
    response = client.post("/users/new", data=new_user(client, email=a.council_officer.email))
    assert response.status_code == 409
    assert "A user with this email address already exists" in response.text
    assert users_count(session) == before


def test_forged_csrf_is_refused_and_nothing_written(
    page_client: Clients, session: Session, agencies: Agencies
) -> None:
    a = agencies
    client = page_client(a.police_admin)
    before = users_count(session)
    assert client.post("/users/new", data=new_user(client, csrf_token="forged")).status_code == 403
    missing = {k: v for k, v in new_user(client).items() if k != "csrf_token"}
    assert client.post("/users/new", data=missing).status_code == 403
    assert users_count(session) == before
    url = f"/users/{a.police_officer.id}/deactivate"
    assert client.post(url, data={"csrf_token": "forged"}).status_code == 403
    assert client.post(url).status_code == 403
    assert is_active(session, a.police_officer)


def test_admin_deactivates_after_confirming(
    page_client: Clients, session: Session, agencies: Agencies
) -> None:
    a = agencies
    web_session_for(session, a.police_officer)  # signed in: deactivating ends it
    client = page_client(a.police_admin)
    url = f"/users/{a.police_officer.id}/deactivate"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "signed out at once" in confirm.text
    assert is_active(session, a.police_officer)  # asking changes nothing
    done = client.post(url, data={"csrf_token": client.csrf_token}, follow_redirects=False)
    assert done.status_code == 303
    assert not is_active(session, a.police_officer)
    assert session.scalar(select(func.count()).where(
        AuditEvent.action == "deactivate_user",
        AuditEvent.object_id == str(a.police_officer.id))) == 1
    live = session.scalars(select(AuthSession).where(
        AuthSession.user_id == a.police_officer.id)).all()
    assert live and all(s.revoked for s in live)
    listing = client.get(done.headers["location"]).text
    assert "has been deactivated" in listing
    assert "Deactivated" in listing
    assert client.get(url).status_code == 409  # already deactivated


def test_admin_gets_404_for_another_agencys_user(
    page_client: Clients, session: Session, agencies: Agencies
) -> None:
    a = agencies
    client = page_client(a.police_admin)
    url = f"/users/{a.council_officer.id}/deactivate"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"csrf_token": client.csrf_token}).status_code == 404
    assert is_active(session, a.council_officer)
    assert session.scalar(select(func.count()).where(
        AuditEvent.action == "deactivate_user",
        AuditEvent.object_id == str(a.council_officer.id))) == 0


def test_admin_cannot_deactivate_themselves(
    page_client: Clients, session: Session, agencies: Agencies
) -> None:
    a = agencies
    client = page_client(a.police_admin)
    url = f"/users/{a.police_admin.id}/deactivate"
    assert client.get(url).status_code == 409
    assert client.post(url, data={"csrf_token": client.csrf_token}).status_code == 409
    assert is_active(session, a.police_admin)


def test_the_service_refuses_self_deactivation(session: Session, agencies: Agencies) -> None:
    admin = agencies.police_admin
    with pytest.raises(Conflict):
        auth_service.deactivate_user(session, actor=actor(admin), user_id=admin.id)
    assert is_active(session, admin)


def test_names_are_shown_as_text(
    page_client: Clients, session: Session, agencies: Agencies
) -> None:
    a = agencies
    a.police_officer.full_name = "<script>alert('name')</script>"
    session.flush()
    client = page_client(a.police_admin)
    for url in ("/users", f"/users/{a.police_officer.id}/deactivate"):
        text = client.get(url).text
        assert "<script>alert" not in text, url
        assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in text, url


def test_users_page_in_german(page_client: Clients, agencies: Agencies) -> None:
    client = page_client(agencies.police_admin)
    client.cookies.set("safetyhub_lang", "de")
    text = client.get("/users").text
    assert "Benutzer hinzufügen" in text
    assert "Anzahl der Benutzer: 2" in text
    assert "Fachkraft" in text or "Administrator" in text
