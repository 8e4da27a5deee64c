"""Reading page answers (text, dates, times, postcodes) into values or GOV.UK-style problems."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from fastapi import Request

from safetyhub.places.schemas import normalise_postcode
from safetyhub.text import N_
from safetyhub.timeutil import LONDON, local, to_utc, utcnow
from safetyhub.web.rendering import translate

EARLIEST_YEAR = 1900


@dataclass(frozen=True)
class Problem:
    """An answer the page cannot take: the input to link to, and the (untranslated) message."""

    anchor: str
    message: str
    params: dict[str, str | int] = field(default_factory=dict)


def problems_text(request: Request, problems: Iterable[Problem]) -> dict[str, str]:
    """Anchor -> translated message, in page order (the first problem per input wins)."""
    text: dict[str, str] = {}
    for problem in problems:
        if problem.anchor not in text:
            message = translate(request, problem.message)
            text[problem.anchor] = message % problem.params if problem.params else message
    return text


def today_in_london() -> date:
    """The partnership's today (Europe/London), not the server's."""
    return local(utcnow()).date()


def read_text(
    anchor: str, value: str | None, problems: list[Problem], *, max_length: int,
    missing: str | None = None, too_long: str = N_("Enter %(max)s characters or fewer"),
) -> str | None:
    """A stripped answer, or None when blank; a problem when required and blank or too long."""
    text = (value or "").strip()
    if not text:
        if missing is not None:
            problems.append(Problem(anchor, missing))
        return None
    if len(text) > max_length:
        problems.append(Problem(anchor, too_long, {"max": max_length}))
        return None
    return text


def read_postcode(anchor: str, value: str | None, problems: list[Problem]) -> str | None:
    """A UK postcode in canonical form, None when blank, or a problem."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return normalise_postcode(text)
    except ValueError:
        problems.append(Problem(anchor, N_("Enter a real postcode, like GU1 4RR")))
        return None


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def read_date(
    prefix: str, day: str | None, month: str | None, year: str | None, problems: list[Problem],
    *, missing: str | None = None, past_only: bool = True,
) -> date | None:
    """A date from a GOV.UK date input (`prefix`-day/-month/-year), or None with a problem."""
    parts = {"day": (day or "").strip(), "month": (month or "").strip(),
             "year": (year or "").strip()}
    if not any(parts.values()):
        if missing is not None:
            problems.append(Problem(f"{prefix}-day", missing))
        return None
    empty = [name for name, text in parts.items() if not text]
    if empty:
        problems.append(Problem(f"{prefix}-{empty[0]}",
                                N_("The date must include a day, a month and a year")))
        return None
    numbers = {name: _number(text) for name, text in parts.items()}
    if len(parts["year"]) != 4:
        problems.append(Problem(f"{prefix}-year", N_("The year must include 4 numbers")))
        return None
    try:
        value = date(numbers["year"] or 0, numbers["month"] or 0, numbers["day"] or 0)
    except ValueError:
        problems.append(Problem(f"{prefix}-day", N_("Enter a real date, like 27 3 2007")))
        return None
    if value.year < EARLIEST_YEAR:
        problems.append(Problem(f"{prefix}-year", N_("The date must be in %(year)s or later"),
                                {"year": EARLIEST_YEAR}))
        return None
    if past_only and value > today_in_london():
        problems.append(Problem(f"{prefix}-day", N_("The date must be today or in the past")))
        return None
    return value


def read_time(
    prefix: str, hour: str | None, minute: str | None, problems: list[Problem],
    *, missing: str | None = None,
) -> time | None:
    """A time on the 24-hour clock from `prefix`-hour/-minute inputs, or None with a problem."""
    hour_text, minute_text = (hour or "").strip(), (minute or "").strip()
    if not hour_text and not minute_text:
        if missing is not None:
            problems.append(Problem(f"{prefix}-hour", missing))
        return None
    hours, minutes = _number(hour_text), _number(minute_text or "0")
    if hours is None or minutes is None or hours > 23 or minutes > 59:
        problems.append(Problem(f"{prefix}-hour",
                                N_("Enter a real time on the 24-hour clock, like 14 30")))
        return None
    return time(hours, minutes)


def london_moment(day: date, at: time) -> datetime:
    """A day and time as lived in London, in UTC for storage."""
    return to_utc(datetime.combine(day, at, tzinfo=LONDON))
