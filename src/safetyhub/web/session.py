"""The signed-in page user (cookie session), and CSRF checks for every form."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from safetyhub.auth import service as auth_service
from safetyhub.auth.actor import Actor
from safetyhub.auth.dependencies import DbSession
from safetyhub.auth.models import AuthSession, Role, User
from safetyhub.errors import NotAuthenticated, PermissionDenied
from safetyhub.organisations.models import Organisation
from safetyhub.text import N_

SESSION_COOKIE = "safetyhub_session"


class PageUser:
    """The signed-in page user: their session, user, organisation and Actor."""

    def __init__(self, auth_session: AuthSession, user: User, organisation: Organisation) -> None:
        self.auth_session = auth_session
        self.user = user
        self.organisation = organisation
        self.actor: Actor = auth_service.actor_for(user, auth_session.purpose)

    @property
    def csrf_token(self) -> str:
        """The session's CSRF secret, put in every form."""
        return self.auth_session.csrf_token or ""

    @property
    def purpose(self) -> str | None:
        """The purpose declared for this session, if any."""
        return self.auth_session.purpose

    @property
    def is_admin(self) -> bool:
        """Whether the user administers their agency."""
        return self.user.role == Role.admin


def page_user(request: Request, session: DbSession) -> PageUser:
    """The user behind the session cookie, or NotAuthenticated (a redirect to sign-in)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NotAuthenticated(N_("Sign in to continue."))
    auth_session, user = auth_service.session_for_token(session, token, kind="web")
    organisation = session.get(Organisation, user.organisation_id)
    assert organisation is not None
    return PageUser(auth_session, user, organisation)


SignedInUser = Annotated[PageUser, Depends(page_user)]


def check_csrf(expected: str | None, submitted: str | None) -> None:
    """Refuse a form whose CSRF token does not match the session's."""
    if not expected or not submitted or not secrets.compare_digest(expected, submitted):
        raise PermissionDenied(
            N_("This form has expired. Go back, reload the page and try again.")
        )
