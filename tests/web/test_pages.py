"""Sign-in, sign-out, purpose and home pages: thin, CSRF-protected, escaped, hardened."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import AuthSession, User
from safetyhub.sharing.vocabulary import Purpose
from tests.conftest import PageClient
from tests.factories import PASSWORD, make_org, make_user


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


def _sign_in(client: TestClient, user: User) -> str:
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": user.email, "password": PASSWORD, "csrf_token": _csrf(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return response.headers["set-cookie"]


def test_home_redirects_to_sign_in_when_signed_out(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in"


def test_sign_in_sets_a_hardened_session_cookie(client: TestClient, session: Session) -> None:
    user = make_user(session, make_org(session, "Surrey Police"))
    cookie = _sign_in(client, user).lower()
    assert "safetyhub_session=" in cookie
    assert "httponly" in cookie
    assert "secure" in cookie
    assert "samesite=lax" in cookie
    home = client.get("/")
    assert home.status_code == 200
    assert "Surrey Police" in home.text
    assert "script-src 'self'" in home.headers["content-security-policy"]
    assert "unsafe-inline" not in home.headers["content-security-policy"]


def test_sign_in_without_csrf_token_is_refused(client: TestClient, session: Session) -> None:
    user = make_user(session, make_org(session))
    client.get("/sign-in")
    response = client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert session.scalars(select(AuthSession).where(AuthSession.user_id == user.id)).all() == []


def test_wrong_password_shows_an_error_and_no_session(client: TestClient, session: Session) -> None:
    user = make_user(session, make_org(session))
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": user.email, "password": "wrong password!", "csrf_token": _csrf(page.text)},
    )
    assert response.status_code == 401
    assert "There is a problem" in response.text
    assert "safetyhub_session" not in response.headers.get("set-cookie", "")


def test_sign_out_needs_the_session_csrf_token(client: TestClient, session: Session) -> None:
    user = make_user(session, make_org(session))
    _sign_in(client, user)
    assert client.post("/sign-out", data={"csrf_token": "forged"}).status_code == 403
    token = _csrf(client.get("/").text)
    response = client.post("/sign-out", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_purpose_is_remembered_for_the_session(client: TestClient, session: Session) -> None:
    user = make_user(session, make_org(session))
    _sign_in(client, user)
    token = _csrf(client.get("/").text)
    client.post("/purpose", data={"csrf_token": token, "purpose": "safeguarding"})
    assert "Purpose: Safeguarding" in client.get("/").text
    bad = client.post("/purpose", data={"csrf_token": token, "purpose": "curiosity"})
    assert bad.status_code == 422


def test_names_are_escaped_not_interpreted(client: TestClient, session: Session) -> None:
    user = make_user(session, make_org(session, "<script>alert('org')</script>"))
    user.full_name = "<img src=x onerror=alert(1)>"
    session.flush()
    _sign_in(client, user)
    html = client.get("/").text
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_page_sign_in_is_audited(client: TestClient, session: Session) -> None:
    user = make_user(session, make_org(session))
    _sign_in(client, user)
    events = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "sign_in", AuditEvent.object_id == str(user.id)
        )
    ).all()
    assert len(events) == 1


def test_page_client_fixture_signs_in(
    page_client: Callable[..., PageClient], session: Session
) -> None:
    user = make_user(session, make_org(session, "Waverley Borough Council"))
    client = page_client(user, Purpose.safeguarding)
    home = client.get("/")
    assert home.status_code == 200
    assert "Waverley Borough Council" in home.text
    assert "Purpose: Safeguarding" in home.text
