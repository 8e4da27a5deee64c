"""Rendering pages: the Jinja2 environment, security headers, error pages, safe redirects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from safetyhub.web import i18n
from safetyhub.web.labels import label


def _nav_for(user: Any, path: str) -> Any:
    from safetyhub.web.navigation import nav_for  # imported late: navigation needs sessions

    return nav_for(user, path)


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.add_extension("jinja2.ext.i18n")


def _text_gettext(message: str) -> Markup:
    """A translation is text, never markup: escaped, so a stored value passed to _() by
    mistake (a name, a code) cannot inject HTML."""
    return escape(i18n.gettext(message))


def _text_ngettext(singular: str, plural: str, n: int) -> Markup:
    """The plural form, escaped like `_text_gettext`."""
    return escape(i18n.ngettext(singular, plural, n))


templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    _text_gettext, _text_ngettext, newstyle=True
)
templates.env.filters.update(
    datetime=i18n.format_datetime,
    date=i18n.format_date,
    number=i18n.format_number,
    label=label,
)
templates.env.globals.update(language_names=i18n.LANGUAGE_NAMES, nav_for=_nav_for)


def harden(response: Response) -> Response:
    """Add the security headers every page carries."""
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
    return harden(response)


def translate(request: Request, message: str) -> str:
    """Translate a message into the request's language (for text built in Python)."""
    with i18n.using_locale(i18n.locale_from_request(request)):
        return i18n.gettext(message)


def redirect(url: str) -> Response:
    """A 303 redirect (after a form post), hardened."""
    return harden(RedirectResponse(url, status_code=303))


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
        return redirect("/sign-in")
    response = render(
        request, "error.html", status_code=status,
        title=translate(request, title), detail=translate(request, detail),
    )
    response.headers.update(headers or {})
    return response
