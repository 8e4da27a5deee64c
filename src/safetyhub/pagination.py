"""Paging for policy-filtered lists: checked page requests, pages, and counting in SQL."""

from __future__ import annotations

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
