"""The home page ("My work") and the health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from safetyhub.auth.dependencies import DbSession
from safetyhub.partnership.meetings.reads import overdue_for_my_organisation
from safetyhub.sharing.vocabulary import Purpose
from safetyhub.web.home import my_work
from safetyhub.web.rendering import error_page, render
from safetyhub.web.session import SignedInUser

router = APIRouter(include_in_schema=False)

__all__ = ["error_page", "router"]


@router.get("/")
def home(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """My work: the user's own cases, actions, referrals waiting, alerts and incidents."""
    return render(
        request, "home.html", user=user, purposes=list(Purpose), **my_work(session, user.actor),
        **overdue_for_my_organisation(session, user.actor),
    )


@router.get("/healthz")
def healthz() -> PlainTextResponse:
    """Liveness probe."""
    return PlainTextResponse("ok")
