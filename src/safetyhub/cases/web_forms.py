"""Page helpers shared by the cases and referrals pages: form errors, dates, HTMX, pagination."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from fastapi import Request

from safetyhub.errors import NotFound
from safetyhub.pagination import Page, PageLinks, page_links
from safetyhub.text import N_


@dataclass
class FormErrors:
    """Problems with a submitted form: (field id, message id), shown in the summary and inline."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, field_id: str, message: str) -> None:
        """Record a problem with one field (the first one per field wins)."""
        if self.for_field(field_id) is None:
            self.items.append((field_id, message))

    def for_field(self, field_id: str) -> str | None:
        """The message for `field_id`, if it has a problem."""
        return next((message for name, message in self.items if name == field_id), None)

    def __bool__(self) -> bool:
        return bool(self.items)


def is_htmx(request: Request) -> bool:
    """An HTMX request that wants a fragment (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def text_value(value: str | None) -> str:
    """A submitted text field, trimmed ("" when missing)."""
    return (value or "").strip()


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


def parse_date_input(
    day: str | None, month: str | None, year: str | None, errors: FormErrors, field_id: str,
) -> date | None:
    """A GOV.UK date input's three fields as a date, or None with the problem added to errors."""
    parts = [text_value(day), text_value(month), text_value(year)]
    if not any(parts):
        errors.add(field_id, N_("Enter the due date"))
        return None
    if not all(parts):
        errors.add(field_id, N_("The due date must include a day, month and year"))
        return None
    if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
        errors.add(field_id, N_("The due date must be a real date"))
        return None
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        errors.add(field_id, N_("The due date must be a real date"))
        return None


def paginate(
    path: str, params: dict[str, str], page: int, page_size: int, total: int
) -> PageLinks | None:
    """Pagination links keeping the list's filters; None when everything fits on one page."""
    shown = Page[object](items=[], total=total, page=page, page_size=page_size)
    if shown.page_count == 1 and page == 1:
        return None

    def href(number: int) -> str:
        query = {k: v for k, v in params.items() if v} | {"page": str(number)}
        return f"{path}?{urlencode(query)}"

    return page_links(shown, href)
