"""Server-rendered pages: sign-in, sign-out and the home page (the full interface is issue 3)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from safetyhub.auth import service as auth_service
from safetyhub.auth.actor import Actor
from safetyhub.auth.dependencies import DbSession, parse_purpose
from safetyhub.auth.models import AuthSession, User
from safetyhub.config import get_settings
from safetyhub.errors import NotAuthenticated, PermissionDenied
from safetyhub.organisations.models import Organisation
from safetyhub.sharing.vocabulary import Purpose
from safetyhub.text import N_
from safetyhub.web import i18n
from safetyhub.web.labels import label

SESSION_COOKIE = "safetyhub_session"
PRE_SESSION_CSRF_COOKIE = "safetyhub_csrf"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True
)
templates.env.filters.update(
    local_time=i18n.format_datetime,
    datetime=i18n.format_datetime,
    date=i18n.format_date,
    number=i18n.format_number,
    label=label,
)
templates.env.globals.update(language_names=i18n.LANGUAGE_NAMES)
router = APIRouter(include_in_schema=False)


def _harden(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"
    return response


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """Render a page in the user's language, with security headers."""
    locale = i18n.locale_from_request(request)
    with i18n.using_locale(locale):
        response = templates.TemplateResponse(
            request, template, {"lang": locale, **context}, status_code=status_code
        )
    response.headers["Content-Language"] = locale
    return _harden(response)


def safe_next(path: str | None) -> str:
    """A local path to go back to (never another site: no open redirects)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def error_page(
    request: Request, status: int, title: str, detail: str, headers: dict[str, str] | None = None
) -> Response:
    """The one page for every error; never a stack trace."""
    if status == 401:
        return RedirectResponse("/sign-in", status_code=303)
    with i18n.using_locale(i18n.locale_from_request(request)):
        title, detail = i18n.gettext(title), i18n.gettext(detail)
    response = render(request, "error.html", status_code=status, title=title, detail=detail)
    response.headers.update(headers or {})
    return response


class PageUser:
    """The signed-in page user: their session, user, organisation and Actor."""

    def __init__(self, auth_session: AuthSession, user: User, organisation: Organisation) -> None:
        self.auth_session = auth_session
        self.user = user
        self.organisation = organisation
        self.actor: Actor = auth_service.actor_for(user, auth_session.purpose)

    @property
    def csrf_token(self) -> str:
        return self.auth_session.csrf_token or ""


def page_user(request: Request, session: DbSession) -> PageUser:
    """The user behind the session cookie, or NotAuthenticated (a redirect to sign-in)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NotAuthenticated("Sign in to continue.")
    auth_session, user = auth_service.session_for_token(session, token, kind="web")
    organisation = session.get(Organisation, user.organisation_id)
    assert organisation is not None
    return PageUser(auth_session, user, organisation)


SignedInUser = Annotated[PageUser, Depends(page_user)]


def check_csrf(expected: str | None, submitted: str) -> None:
    """Refuse a form whose CSRF token does not match the session's."""
    if not expected or not secrets.compare_digest(expected, submitted):
        raise PermissionDenied(
            N_("This form has expired. Go back, reload the page and try again.")
        )


def _sign_in_form(request: Request, error: str | None = None, status_code: int = 200,
                  email: str = "") -> Response:
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
        with i18n.using_locale(i18n.locale_from_request(request)):
            error = i18n.gettext(auth_service.WRONG_CREDENTIALS)
        return _sign_in_form(request, error, 401, email=email)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE, signed_in.token, httponly=True, samesite="lax",
        secure=get_settings().secure_cookies, max_age=get_settings().session_hours * 3600,
    )
    response.delete_cookie(PRE_SESSION_CSRF_COOKIE)
    return _harden(response)


@router.post("/sign-out")
def sign_out(
    session: DbSession, user: SignedInUser, csrf_token: Annotated[str, Form(max_length=100)]
) -> Response:
    """End the page session."""
    check_csrf(user.csrf_token, csrf_token)
    auth_service.sign_out(session, auth_session=user.auth_session)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return _harden(response)


@router.post("/purpose")
def declare_purpose(
    session: DbSession,
    user: SignedInUser,
    csrf_token: Annotated[str, Form(max_length=100)],
    purpose: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Declare (or clear) the purpose for reading other agencies' data this session."""
    check_csrf(user.csrf_token, csrf_token)
    auth_service.set_session_purpose(
        session, auth_session=user.auth_session, purpose=parse_purpose(purpose)
    )
    return _harden(RedirectResponse("/", status_code=303))


def home_context(session: Session, user: PageUser) -> dict[str, Any]:
    """What the home page shows (extended by the domains as they arrive)."""
    from safetyhub.web.home import my_work

    return my_work(session, user.actor)


@router.get("/")
def home(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """My work: the user's own cases, incidents and referrals."""
    return render(
        request, "home.html", user=user, purposes=list(Purpose), **home_context(session, user)
    )


@router.get("/language/{code}")
def choose_language(code: str, next: str | None = None) -> Response:
    """Switch the interface language (remembered in a cookie) and go back."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in i18n.SUPPORTED:
        response.set_cookie(
            i18n.LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax",
            secure=get_settings().secure_cookies, httponly=True,
        )
    return _harden(response)


@router.get("/healthz")
def healthz() -> HTMLResponse:
    """Liveness probe."""
    return HTMLResponse("ok")
