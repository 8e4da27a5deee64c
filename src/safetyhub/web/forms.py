"""What every page form shares: problems for the error summary, GOV.UK inputs, HTMX, paging links.

Problems keep their message ids untranslated; `partials/govuk.html` translates them when shown.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import Annotated, Any, Protocol
from urllib.parse import urlencode

from fastapi import Form
from starlette.requests import Request
from starlette.responses import Response

from safetyhub.errors import NotFound
from safetyhub.pagination import Page, PageLinks, page_links
from safetyhub.text import N_
from safetyhub.timeutil import london_today
from safetyhub.web.rendering import render

EARLIEST_YEAR = 1900

# Fields of every page form: the CSRF token, and ids or coded values. Bounds are generous (the
# page says what is wrong with an answer); the app's body-size limit stops floods.
Csrf = Annotated[str, Form(max_length=100)]
Small = Annotated[str, Form(max_length=100)]


@dataclass(frozen=True)
class Problem:
    """An answer the page cannot take: the input to link to, and what to say about it.

    `message` is a message id the template translates (with `params`), like any page text;
    `text`, when set, is said instead, as plain (escaped) text: words from elsewhere, such as a
    service's refusal, which may quote what the user typed.
    """

    anchor: str
    message: str
    params: Mapping[str, str | int] = field(default_factory=dict)
    text: str | None = None


class FormErrors:
    """A form's problems in page order, for the error summary and the inputs' error messages."""

    def __init__(self) -> None:
        self._problems: dict[str, Problem] = {}

    def add(self, anchor: str, message: str, **params: str | int) -> None:
        """Record a problem with one input; the first problem per input is the one shown."""
        self._problems.setdefault(anchor, Problem(anchor, message, params))

    def add_text(self, anchor: str, text: str) -> None:
        """Record a problem in words from elsewhere (shown escaped, never formatted)."""
        self._problems.setdefault(anchor, Problem(anchor, text, text=text))

    def in_words(self, translate: Callable[[str], str]) -> FormErrors:
        """The same problems as plain text in the reader's language (shown escaped)."""
        words = FormErrors()
        for problem in self:
            text = translate(problem.message)
            words.add_text(problem.anchor, text % problem.params if problem.params else text)
        return words

    def get(self, anchor: str) -> Problem | None:
        """The problem with the input `anchor`, if any."""
        return self._problems.get(anchor)

    def __contains__(self, anchor: object) -> bool:
        return anchor in self._problems

    def __iter__(self) -> Iterator[Problem]:
        return iter(list(self._problems.values()))

    def __len__(self) -> int:
        return len(self._problems)


def is_htmx(request: Request) -> bool:
    """An HTMX request that wants a fragment (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def page_or_results(
    request: Request, page: str, results: str, *, invalid: bool = False, **context: Any
) -> Response:
    """A filtered list: the whole page, or for HTMX only its results (`fragment` in context).

    htmx swaps only 2xx answers, so the results answer 200 and show their own error summary;
    the whole page answers 422 when `invalid` (the filters could not be used).
    """
    fragment = is_htmx(request)
    response = render(request, results if fragment else page,
                      status_code=422 if invalid and not fragment else 200,
                      fragment=fragment, **context)
    response.headers["Vary"] = "HX-Request"
    return response


def parse_uuid(value: str | None) -> uuid.UUID | None:
    """A submitted id, or None when empty or malformed."""
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def required_uuid(value: str | None, what: str) -> uuid.UUID:
    """An id from a URL or hidden field; a malformed one is as unknown as a hidden one (404)."""
    parsed = parse_uuid(value)
    if parsed is None:
        raise NotFound(f"No {what} with that id is visible to you.")
    return parsed


def read_text(
    anchor: str, value: str | None, errors: FormErrors, *, max_length: int,
    missing: str | None = None, too_long: str = N_("Enter %(max)s characters or fewer"),
) -> str | None:
    """A stripped answer, or None when blank; a problem when required and blank or too long."""
    text = (value or "").strip()
    if not text:
        if missing is not None:
            errors.add(anchor, missing)
        return None
    if len(text) > max_length:
        errors.add(anchor, too_long, max=max_length)
        return None
    return text


@dataclass(frozen=True)
class DateQuestion:
    """How a GOV.UK date input is read: what it says about each problem, which dates it takes.

    GOV.UK asks messages to name the date (for example "The due date must be a real date").
    """

    missing: str | None = None  # None: the date is optional
    incomplete: str = N_("The date must include a day, a month and a year")
    not_real: str = N_("Enter a real date, like 27 3 2007")
    year_length: str = N_("The year must include 4 numbers")
    earliest_year: int | None = EARLIEST_YEAR
    past_only: bool = False


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def read_date(
    prefix: str, day: str | None, month: str | None, year: str | None, errors: FormErrors,
    question: DateQuestion = DateQuestion(),
) -> date | None:
    """The date of inputs `prefix`-day/-month/-year, or None with a problem on the part to fix."""
    parts = {"day": (day or "").strip(), "month": (month or "").strip(),
             "year": (year or "").strip()}
    if not any(parts.values()):
        if question.missing is not None:
            errors.add(f"{prefix}-day", question.missing)
        return None
    empty = [name for name, text in parts.items() if not text]
    if empty:
        errors.add(f"{prefix}-{empty[0]}", question.incomplete)
        return None
    if len(parts["year"]) != 4:
        errors.add(f"{prefix}-year", question.year_length)
        return None
    numbers = {name: _number(text) for name, text in parts.items()}
    try:
        value = date(numbers["year"] or 0, numbers["month"] or 0, numbers["day"] or 0)
    except ValueError:
        errors.add(f"{prefix}-day", question.not_real)
        return None
    if question.earliest_year is not None and value.year < question.earliest_year:
        errors.add(f"{prefix}-year", N_("The date must be in %(year)s or later"),
                   year=question.earliest_year)
        return None
    if question.past_only and value > london_today():
        errors.add(f"{prefix}-day", N_("The date must be today or in the past"))
        return None
    return value


def read_time(
    prefix: str, hour: str | None, minute: str | None, errors: FormErrors,
    *, missing: str | None = None,
) -> time | None:
    """A time on the 24-hour clock from `prefix`-hour/-minute inputs, or None with a problem."""
    hour_text, minute_text = (hour or "").strip(), (minute or "").strip()
    if not hour_text and not minute_text:
        if missing is not None:
            errors.add(f"{prefix}-hour", missing)
        return None
    hours, minutes = _number(hour_text), _number(minute_text or "0")
    if hours is None or minutes is None or hours > 23 or minutes > 59:
        errors.add(f"{prefix}-hour", N_("Enter a real time on the 24-hour clock, like 14 30"))
        return None
    return time(hours, minutes)


class Listing(Protocol):
    """One page of a list, as every list service answers it."""

    @property
    def total(self) -> int: ...

    @property
    def page(self) -> int: ...

    @property
    def page_size(self) -> int: ...


def list_links(
    listing: Listing, path: str, params: Mapping[str, str | int], *, key: str = "page"
) -> PageLinks:
    """Pagination links of `listing` at `path`, keeping the list's non-empty filters."""
    shown = Page[object](items=[], total=listing.total, page=listing.page,
                         page_size=listing.page_size)
    kept = {name: value for name, value in params.items() if value}

    def href(number: int) -> str:
        return f"{path}?{urlencode({**kept, key: number})}"

    return page_links(shown, href)


def done_message(messages: Mapping[str, str], code: str | None) -> str | None:
    """The success banner's message id for the `done` code a redirect after a change carries."""
    return messages.get(code or "")
