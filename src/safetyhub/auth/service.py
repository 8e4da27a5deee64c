"""Sign-in, sessions, throttling and user management."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.auth.models import AuthSession, Role, SignInAttempt, User
from safetyhub.auth.passwords import hash_password, verify_password
from safetyhub.auth.permissions import may_manage_users_of
from safetyhub.config import get_settings
from safetyhub.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, TooManyRequests
from safetyhub.organisations.models import Organisation
from safetyhub.text import N_
from safetyhub.timeutil import utcnow

MIN_PASSWORD_LENGTH = 12


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_for(user: User, purpose: str | None = None) -> Actor:
    """The Actor acting as `user`."""
    from safetyhub.sharing.vocabulary import Purpose

    return Actor(
        user_id=user.id,
        organisation_id=user.organisation_id,
        role=Role(user.role),
        label=user.email,
        purpose=Purpose(purpose) if purpose else None,
    )


def _check_throttle(session: Session, email: str, now: datetime) -> None:
    settings = get_settings()
    window_start = now - timedelta(minutes=settings.sign_in_window_minutes)
    failures = session.scalar(
        select(func.count()).where(
            SignInAttempt.email == email,
            SignInAttempt.created_at >= window_start,
            SignInAttempt.succeeded.is_(False),
        )
    )
    if (failures or 0) >= settings.sign_in_max_failures:
        raise TooManyRequests(
            "Too many failed sign-in attempts for this account. Try again later.",
            retry_after_seconds=settings.sign_in_window_minutes * 60,
        )


@dataclass(frozen=True)
class SignedIn:
    """A new session: the raw token (shown once) and its record."""

    token: str
    auth_session: AuthSession
    user: User


def sign_in(
    session: Session, *, email: str, password: str, kind: str = "api"
) -> SignedIn | None:
    """Check credentials (throttled) and open a session; the raw token is returned once.

    A failure answers None with the failed attempt recorded: the caller commits it (so it
    counts towards the throttle) and then reports NotAuthenticated.
    """
    email = email.strip().lower()
    now = utcnow()
    _check_throttle(session, email, now)
    user = session.scalar(select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        session.add(SignInAttempt(email=email, succeeded=False))
        session.flush()
        return None
    session.add(SignInAttempt(email=email, succeeded=True))
    token = secrets.token_urlsafe(32)
    record = AuthSession(
        token_hash=_token_hash(token),
        user_id=user.id,
        kind=kind,
        expires_at=now + timedelta(hours=get_settings().session_hours),
        csrf_token=secrets.token_urlsafe(32) if kind == "web" else None,
    )
    session.add(record)
    audit.record(
        session, actor=actor_for(user), action="sign_in", object_type="user", object_id=user.id,
        owner_organisation_id=user.organisation_id, after={"kind": kind},
    )
    session.flush()
    return SignedIn(token=token, auth_session=record, user=user)


WRONG_CREDENTIALS = N_("Email address or password is not right.")


def session_for_token(session: Session, token: str, *, kind: str) -> tuple[AuthSession, User]:
    """The live session and user behind a token, or NotAuthenticated."""
    row = session.execute(
        select(AuthSession, User)
        .join(User, User.id == AuthSession.user_id)
        .where(AuthSession.token_hash == _token_hash(token), AuthSession.kind == kind)
    ).first()
    if row is None:
        raise NotAuthenticated(N_("Sign in to continue."))
    auth_session, user = row
    if auth_session.revoked or auth_session.expires_at <= utcnow() or not user.active:
        raise NotAuthenticated(N_("Your session has ended. Sign in again."))
    return auth_session, user


def sign_out(session: Session, *, auth_session: AuthSession) -> None:
    """End a session."""
    auth_session.revoked = True
    session.flush()


def set_session_purpose(
    session: Session, *, auth_session: AuthSession, purpose: str | None
) -> None:
    """Remember the purpose a page user declared for this session."""
    auth_session.purpose = purpose
    session.flush()


def _organisation_named(session: Session, name: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        raise NotFound(f"No organisation called {name!r}.")
    return org


def add_user(
    session: Session,
    *,
    actor: Actor,
    email: str,
    full_name: str,
    organisation_id: uuid.UUID,
    role: Role,
    password: str,
) -> User:
    """Create a user of `organisation_id` (an admin of that agency, or the system)."""
    if not may_manage_users_of(actor, organisation_id):
        raise NotFound("No organisation with that id is yours to manage.")
    if session.get(Organisation, organisation_id) is None:
        raise NotFound("No organisation with that id.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")
    email = email.strip().lower()
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"A user with email {email} already exists.")
    user = User(
        email=email,
        full_name=full_name,
        organisation_id=organisation_id,
        role=role.value,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    audit.record(
        session, actor=actor, action="add_user", object_type="user", object_id=user.id,
        owner_organisation_id=organisation_id,
        after={"email": email, "role": role.value, "organisation_id": str(organisation_id)},
    )
    return user


def add_user_to_named_org(
    session: Session, *, actor: Actor, email: str, full_name: str, organisation: str,
    role: Role, password: str,
) -> User:
    """Create a user, naming the organisation (for the CLI)."""
    org = _organisation_named(session, organisation)
    return add_user(
        session, actor=actor, email=email, full_name=full_name, organisation_id=org.id,
        role=role, password=password,
    )


def list_users(session: Session, *, actor: Actor, organisation_id: uuid.UUID) -> list[User]:
    """Users of an agency, for that agency's admin."""
    if not may_manage_users_of(actor, organisation_id):
        raise NotFound("No organisation with that id is yours to manage.")
    return list(
        session.scalars(
            select(User).where(User.organisation_id == organisation_id).order_by(User.email)
        )
    )


def deactivate_user(session: Session, *, actor: Actor, user_id: uuid.UUID) -> User:
    """Stop a user signing in (admins of the user's own agency only)."""
    user = session.get(User, user_id)
    if user is None or not may_manage_users_of(actor, user.organisation_id):
        raise NotFound("No user with that id is yours to manage.")
    if user.id == actor.user_id:
        # An agency must never lock out its own (perhaps only) administrator by a slip.
        raise Conflict(N_("You cannot deactivate your own account. Ask another administrator."))
    before = {"active": user.active}
    user.active = False
    for live in session.scalars(select(AuthSession).where(AuthSession.user_id == user.id)):
        live.revoked = True
    session.flush()
    audit.record(
        session, actor=actor, action="deactivate_user", object_type="user", object_id=user.id,
        owner_organisation_id=user.organisation_id, before=before, after={"active": False},
    )
    return user
