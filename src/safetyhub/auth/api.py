"""Sign-in, the current user, and user management for agency admins."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from safetyhub.auth import service
from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.auth.models import Role, User
from safetyhub.auth.schemas import MeRead, TokenRead, UserCreate, UserRead
from safetyhub.errors import NotAuthenticated, NotFound
from safetyhub.organisations.models import Organisation

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=TokenRead)
def issue_token(
    session: DbSession, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> TokenRead:
    """Exchange email (as username) and password for a bearer token."""
    signed_in = service.sign_in(session, email=form.username, password=form.password)
    if signed_in is None:
        session.commit()  # keep the failed attempt: it counts towards the throttle
        raise NotAuthenticated(service.WRONG_CREDENTIALS)
    return TokenRead(
        access_token=signed_in.token, expires_at=signed_in.auth_session.expires_at
    )


@router.get("/me", response_model=MeRead)
def me(session: DbSession, actor: CurrentActor) -> MeRead:
    """Who you are signed in as."""
    user = session.get(User, actor.user_id)
    org = session.get(Organisation, actor.organisation_id)
    if user is None or org is None:
        raise NotFound("No such user.")
    return MeRead(
        id=user.id, email=user.email, full_name=user.full_name,
        organisation_id=org.id, organisation_name=org.name, role=Role(user.role),
        purpose=actor.purpose,
    )


@router.get("/users", response_model=list[UserRead])
def list_users(session: DbSession, actor: CurrentActor) -> list[User]:
    """Users of your own agency (admins only)."""
    assert actor.organisation_id is not None
    return service.list_users(session, actor=actor, organisation_id=actor.organisation_id)


@router.post("/organisations/{organisation_id}/users", response_model=UserRead, status_code=201)
def add_user(
    session: DbSession, actor: CurrentActor, organisation_id: uuid.UUID, body: UserCreate
) -> User:
    """Add a user to an agency; only that agency's admin may."""
    return service.add_user(
        session, actor=actor, email=body.email, full_name=body.full_name,
        organisation_id=organisation_id, role=body.role, password=body.password,
    )


@router.post("/users/{user_id}/deactivate", response_model=UserRead)
def deactivate_user(session: DbSession, actor: CurrentActor, user_id: uuid.UUID) -> User:
    """Stop a user of your own agency signing in."""
    return service.deactivate_user(session, actor=actor, user_id=user_id)
