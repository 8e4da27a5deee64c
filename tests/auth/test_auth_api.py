"""Sign-in, bearer tokens, throttling, sessions and user management by agency admins."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import AuthSession, Role, User
from safetyhub.organisations.models import Organisation
from safetyhub.timeutil import utcnow
from tests.factories import PASSWORD, headers_for, make_org, make_user

NEW_PASSWORD = "another long passphrase"


def sign_in(client: TestClient, email: str, password: str) -> Any:
    return client.post("/api/auth/token", data={"username": email, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_user_body(**overrides: Any) -> dict[str, Any]:
    # A fresh address each time, so no test depends on another's rows being gone.
    body = {"email": f"new.officer.{secrets.token_hex(4)}@example.org", "full_name": "New Officer",
            "role": "practitioner", "password": NEW_PASSWORD}
    body.update(overrides)
    return body


def users_of(session: Session, org: Organisation) -> int:
    return int(session.scalar(select(func.count()).where(User.organisation_id == org.id)) or 0)


def test_token_from_password_form_works_on_me(client: TestClient, session: Session) -> None:
    org = make_org(session)
    user = make_user(session, org)
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    me = client.get("/api/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["email"] == user.email
    assert me.json()["organisation_name"] == org.name
    signed_in = session.scalar(
        select(func.count()).where(AuditEvent.action == "sign_in",
                                   AuditEvent.object_id == str(user.id))
    )
    assert signed_in == 1


def test_email_is_not_case_sensitive(client: TestClient, session: Session) -> None:
    user = make_user(session, make_org(session))
    assert sign_in(client, user.email.upper(), PASSWORD).status_code == 200


@pytest.mark.parametrize("which", ["wrong password", "unknown email"])
def test_wrong_credentials_are_401(client: TestClient, session: Session, which: str) -> None:
    user = make_user(session, make_org(session))
    email = user.email if which == "wrong password" else "nobody@example.org"
    password = "not the password" if which == "wrong password" else PASSWORD
    response = sign_in(client, email, password)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "access_token" not in response.text


def test_five_failures_then_429_even_with_the_right_password(
    client: TestClient, session: Session
) -> None:
    user = make_user(session, make_org(session))
    for _ in range(5):
        assert sign_in(client, user.email, "guessing wrongly").status_code == 401
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    # Another account is not throttled by this one's failures.
    other = make_user(session, make_org(session))
    assert sign_in(client, other.email, PASSWORD).status_code == 200


@pytest.mark.parametrize("token", ["", "not-a-real-token"])
def test_missing_or_unknown_token_is_401(client: TestClient, token: str) -> None:
    assert client.get("/api/me", headers=bearer(token)).status_code == 401


def test_deactivated_users_token_stops_working(client: TestClient, session: Session) -> None:
    org = make_org(session)
    admin = make_user(session, org, Role.admin)
    user = make_user(session, org)
    token = sign_in(client, user.email, PASSWORD).json()["access_token"]
    assert client.get("/api/me", headers=bearer(token)).status_code == 200
    response = client.post(f"/api/users/{user.id}/deactivate", headers=headers_for(session, admin))
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert client.get("/api/me", headers=bearer(token)).status_code == 401
    assert sign_in(client, user.email, PASSWORD).status_code == 401


def test_expired_session_is_401(client: TestClient, session: Session) -> None:
    user = make_user(session, make_org(session))
    token = secrets.token_urlsafe(32)
    session.add(AuthSession(
        token_hash=hashlib.sha256(token.encode()).hexdigest(), user_id=user.id, kind="api",
        expires_at=utcnow() - timedelta(seconds=1),
    ))
    session.flush()
    assert client.get("/api/me", headers=bearer(token)).status_code == 401


def test_admin_adds_a_user_to_their_own_agency_and_lists_users(
    client: TestClient, session: Session
) -> None:
    org = make_org(session)
    admin = make_user(session, org, Role.admin)
    headers = headers_for(session, admin)
    body = new_user_body()
    response = client.post(f"/api/organisations/{org.id}/users", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["organisation_id"] == str(org.id)
    assert created["role"] == "practitioner"
    assert created["active"] is True
    assert "password" not in response.text
    listed = client.get("/api/users", headers=headers)
    assert listed.status_code == 200
    assert {u["email"] for u in listed.json()} == {admin.email, body["email"]}
    token = sign_in(client, body["email"], NEW_PASSWORD)
    assert token.status_code == 200


def test_passwords_are_stored_as_argon2_hashes(client: TestClient, session: Session) -> None:
    org = make_org(session)
    admin = make_user(session, org, Role.admin)
    body = new_user_body()
    response = client.post(f"/api/organisations/{org.id}/users", json=body,
                           headers=headers_for(session, admin))
    assert response.status_code == 201
    stored = session.scalars(select(User.password_hash).where(User.email == body["email"])).one()
    assert stored.startswith("$argon2id$")
    assert NEW_PASSWORD not in stored
    assert PasswordHasher().verify(stored, NEW_PASSWORD)


def test_other_agency_gets_404(client: TestClient, session: Session) -> None:
    police = make_org(session)
    council = make_org(session)
    council_admin = make_user(session, council, Role.admin)
    police_officer = make_user(session, police)
    headers = headers_for(session, council_admin)
    before = users_of(session, police)
    added = client.post(f"/api/organisations/{police.id}/users", json=new_user_body(),
                        headers=headers)
    assert added.status_code == 404
    assert users_of(session, police) == before
    deactivated = client.post(f"/api/users/{police_officer.id}/deactivate", headers=headers)
    assert deactivated.status_code == 404
    session.expire_all()
    assert session.get(User, police_officer.id).active is True  # type: ignore[union-attr]
    listed = client.get("/api/users", headers=headers).json()
    assert police_officer.email not in {u["email"] for u in listed}


@pytest.mark.parametrize("role", [r for r in Role if r != Role.admin])
def test_only_admins_manage_users(client: TestClient, session: Session, role: Role) -> None:
    org = make_org(session)
    user = make_user(session, org, role)
    colleague = make_user(session, org)
    headers = headers_for(session, user)
    before = users_of(session, org)
    added = client.post(f"/api/organisations/{org.id}/users", json=new_user_body(),
                        headers=headers)
    assert added.status_code in (403, 404)
    assert users_of(session, org) == before
    assert client.get("/api/users", headers=headers).status_code in (403, 404)
    response = client.post(f"/api/users/{colleague.id}/deactivate", headers=headers)
    assert response.status_code in (403, 404)
    session.expire_all()
    assert session.get(User, colleague.id).active is True  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"password": "short"}, 422),
        ({"email": "not an email"}, 422),
        ({"role": "superuser"}, 422),
        ({"full_name": "x" * 201}, 422),
        ({"is_admin": True}, 422),
    ],
)
def test_bad_new_users_are_refused(
    client: TestClient, session: Session, overrides: dict[str, Any], status: int
) -> None:
    org = make_org(session)
    admin = make_user(session, org, Role.admin)
    before = users_of(session, org)
    body = new_user_body(**overrides)
    response = client.post(f"/api/organisations/{org.id}/users", json=body,
                           headers=headers_for(session, admin))
    assert response.status_code == status
    assert users_of(session, org) == before


def test_duplicate_email_is_409(client: TestClient, session: Session) -> None:
    org = make_org(session)
    admin = make_user(session, org, Role.admin)
    existing = make_user(session, org)
    response = client.post(f"/api/organisations/{org.id}/users",
                           json=new_user_body(email=existing.email),
                           headers=headers_for(session, admin))
    assert response.status_code == 409
