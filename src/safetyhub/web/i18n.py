"""Languages for pages: English and German, from Babel message catalogues.

Catalogues are the `.po` files under `web/translations/<locale>/LC_MESSAGES/` (one file per
area, merged at load time, compiled in memory: no binary `.mo` files in the repository).
"""

from __future__ import annotations

import gettext as stdlib_gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from starlette.requests import Request

from safetyhub.text import N_
from safetyhub.timeutil import LONDON, to_utc

__all__ = ["N_", "format_date", "format_datetime", "format_number", "gettext", "ngettext"]

SUPPORTED = ("en", "de")
DEFAULT = "en"
LANGUAGE_COOKIE = "safetyhub_lang"
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}
TRANSLATIONS = Path(__file__).parent / "translations"

_current: ContextVar[str] = ContextVar("safetyhub_locale", default=DEFAULT)


def merged_catalog(locale: str) -> Catalog:
    """All `.po` files of `locale`, merged into one catalogue."""
    merged = Catalog(locale=locale)
    for po_file in sorted((TRANSLATIONS / locale / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if message.id and message.string:
                    merged.add(message.id, message.string)
    return merged


@lru_cache(maxsize=len(SUPPORTED))
def translations_for(locale: str) -> stdlib_gettext.NullTranslations:
    """Compiled translations for `locale` (English is the source language)."""
    if locale == DEFAULT:
        return stdlib_gettext.NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, merged_catalog(locale))
    buffer.seek(0)
    return Translations(buffer)


def current_locale() -> str:
    """The locale of the page being rendered."""
    return _current.get()


@contextmanager
def using_locale(locale: str) -> Iterator[None]:
    """Render in `locale` within the block."""
    token = _current.set(locale if locale in SUPPORTED else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    """Translate `message` into the current locale."""
    return translations_for(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with plural forms."""
    return translations_for(current_locale()).ngettext(singular, plural, n)


def locale_from_request(request: Request) -> str:
    """The chosen language: the cookie, else the browser's preference, else English."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in SUPPORTED:
        return chosen
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in SUPPORTED:
            return code
    return DEFAULT


# English pages are British English: dates like "5 Mar 2024", times on the 24-hour clock.
_BABEL_LOCALES = {"en": "en_GB", "de": "de_DE"}


def _babel_locale() -> Locale:
    try:
        return Locale.parse(_BABEL_LOCALES.get(current_locale(), current_locale()))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT)


def format_datetime(value: datetime | None) -> str:
    """A timestamp shown in Europe/London, formatted for the current locale (no seconds)."""
    if value is None:
        return ""
    moment = to_utc(value)
    locale = _babel_locale()
    day = babel_format_date(moment.astimezone(LONDON).date(), "medium", locale=locale)
    return f"{day}, {babel_format_time(moment, 'short', tzinfo=LONDON, locale=locale)}"


def format_date(value: date | datetime | None, fmt: str = "medium") -> str:
    """A date formatted for the current locale."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_utc(value).astimezone(LONDON).date()
    return babel_format_date(value, fmt, locale=_babel_locale())


def format_number(value: float | int | None) -> str:
    """A number formatted for the current locale (1,234.5 / 1.234,5)."""
    if value is None:
        return ""
    return format_decimal(value, locale=_babel_locale())


PACKAGE = Path(__file__).resolve().parent.parent
EXTRACTION_METHODS = [
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]
EXTRACTION_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def extracted_messages() -> set[str]:
    """Every message id marked for translation in the package's templates and code."""
    from babel.messages.extract import extract_from_dir

    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE),
        method_map=EXTRACTION_METHODS,
        keywords=EXTRACTION_KEYWORDS,
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        # A plural entry is filed under its singular id (the plural is part of the same entry).
        singular = message[0] if isinstance(message, tuple) else message
        if singular:
            found.add(singular)
    return found


def missing_translations(locale: str) -> list[str]:
    """Message ids with no translation in `locale`'s catalogues (sorted)."""
    catalog = merged_catalog(locale)
    return sorted(m for m in extracted_messages() if not catalog.get(m) or not catalog[m].string)
