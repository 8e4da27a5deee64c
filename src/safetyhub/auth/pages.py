"""Sign-in, sign-out, the declared purpose and the language switch."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from safetyhub.auth import service as auth_service
from safetyhub.auth.dependencies import DbSession, parse_purpose
from safetyhub.config import get_settings
from safetyhub.web import i18n
from safetyhub.web.rendering import redirect, render, safe_next, translate
from safetyhub.web.session import SESSION_COOKIE, SignedInUser, check_csrf

PRE_SESSION_CSRF_COOKIE = "safetyhub_csrf"

router = APIRouter(include_in_schema=False)


def _sign_in_form(
    request: Request, error: str | None = None, status_code: int = 200, email: str = ""
) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "auth/sign_in.html", status_code=status_code,
                      csrf_token=token, error=error, email=email)
    response.set_cookie(
        PRE_SESSION_CSRF_COOKIE, token, httponly=True, samesite="strict",
        secure=get_settings().secure_cookies, max_age=3600,
    )
    return response


@router.get("/sign-in")
def sign_in_page(request: Request) -> Response:
    """The sign-in form."""
    return _sign_in_form(request)


@router.post("/sign-in")
def sign_in(
    request: Request,
    session: DbSession,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=100)],
) -> Response:
    """Check the credentials and start a page session."""
    check_csrf(request.cookies.get(PRE_SESSION_CSRF_COOKIE), csrf_token)
    signed_in = auth_service.sign_in(session, email=email, password=password, kind="web")
    if signed_in is None:
        session.commit()  # keep the failed attempt: it counts towards the throttle
        error = translate(request, auth_service.WRONG_CREDENTIALS)
        return _sign_in_form(request, error, 401, email=email)
    response = redirect("/")
    response.set_cookie(
        SESSION_COOKIE, signed_in.token, httponly=True, samesite="lax",
        secure=get_settings().secure_cookies, max_age=get_settings().session_hours * 3600,
    )
    response.delete_cookie(PRE_SESSION_CSRF_COOKIE)
    return response


@router.post("/sign-out")
def sign_out(
    session: DbSession, user: SignedInUser, csrf_token: Annotated[str, Form(max_length=100)]
) -> Response:
    """End the page session."""
    check_csrf(user.csrf_token, csrf_token)
    auth_service.sign_out(session, auth_session=user.auth_session)
    response = redirect("/sign-in")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/purpose")
def declare_purpose(
    session: DbSession,
    user: SignedInUser,
    csrf_token: Annotated[str, Form(max_length=100)],
    purpose: Annotated[str, Form(max_length=40)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Declare (or clear) the purpose for reading other agencies' data this session."""
    check_csrf(user.csrf_token, csrf_token)
    auth_service.set_session_purpose(
        session, auth_session=user.auth_session, purpose=parse_purpose(purpose)
    )
    return redirect(safe_next(next))


@router.get("/language/{code}")
def choose_language(code: str, next: str | None = None) -> Response:
    """Switch the interface language (remembered in a cookie) and go back."""
    response = redirect(safe_next(next))
    if code in i18n.SUPPORTED:
        response.set_cookie(
            i18n.LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax",
            secure=get_settings().secure_cookies, httponly=True,
        )
    return response
