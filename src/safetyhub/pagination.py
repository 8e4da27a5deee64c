"""Paging for policy-filtered lists: checked page requests, pages, and counting in SQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from safetyhub.config import get_settings
from safetyhub.errors import InvalidInput

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    """Which page of a list to answer (1-based), already checked against the settings."""

    page: int
    page_size: int

    @property
    def offset(self) -> int:
        """Rows to skip before this page."""
        return (self.page - 1) * self.page_size


def page_request(page: int = 1, page_size: int | None = None) -> PageRequest:
    """A checked page request: default and maximum page sizes come from the settings."""
    settings = get_settings()
    size = settings.page_size_default if page_size is None else page_size
    if page < 1:
        raise InvalidInput("page starts at 1.")
    if size < 1 or size > settings.page_size_max:
        raise InvalidInput(f"page_size must be between 1 and {settings.page_size_max}.")
    return PageRequest(page=page, page_size=size)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a policy-filtered list; `total` counts only rows the actor may see."""

    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def page_count(self) -> int:
        """How many pages the whole list has (at least one)."""
        return max(1, -(-self.total // self.page_size))


def count_of(session: Session, statement: Select[Any]) -> int:
    """How many rows `statement` answers (counted in SQL, so hidden rows are never counted)."""
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return int(session.scalar(counted) or 0)


@dataclass(frozen=True)
class PageLink:
    """One numbered link of a pagination block; `number` None is an ellipsis."""

    number: int | None
    href: str = ""
    current: bool = False


@dataclass(frozen=True)
class PageLinks:
    """The links of a pagination block: previous, the numbered pages, next."""

    previous: str | None
    next: str | None
    items: list[PageLink]


def page_links(page: Page[Any], href: Callable[[int], str]) -> PageLinks:
    """Links for `page`: the first, last, current and neighbouring pages, with ellipses between."""
    last = page.page_count
    wanted = {1, last, page.page - 1, page.page, page.page + 1}
    items: list[PageLink] = []
    previous_number = 0
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if number - previous_number > 1:
            items.append(PageLink(None))
        items.append(PageLink(number, href(number), number == page.page))
        previous_number = number
    return PageLinks(
        previous=href(page.page - 1) if 1 < page.page <= last + 1 else None,
        next=href(page.page + 1) if page.page < last else None,
        items=items,
    )
