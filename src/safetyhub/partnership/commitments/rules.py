"""Pure rules of progress: what is overdue, and the figures of a group of commitments."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from safetyhub.partnership.commitments.models import CLOSED_STATUSES, CommitmentStatus


def is_overdue(due_on: date, status: str, today: date) -> bool:
    """Overdue: due before today (Europe/London) and neither done nor dropped; due today is not."""
    return due_on < today and status not in CLOSED_STATUSES


def rate(part: int, whole: int) -> float | None:
    """`part` of `whole` as a fraction rounded to 3 places; None when there is no whole."""
    return round(part / whole, 3) if whole else None


@dataclass(frozen=True)
class Figures:
    """How a group of commitments stands."""

    total: int
    by_status: dict[str, int]
    done: int
    overdue: int
    done_rate: float | None


def figures(items: Iterable[tuple[date, str]], today: date) -> Figures:
    """The figures of commitments given as (due_on, status); dropped ones leave the done rate."""
    rows = list(items)
    counts = Counter(status for _, status in rows)
    by_status = {status.value: counts.get(status.value, 0) for status in CommitmentStatus}
    done = by_status[CommitmentStatus.done]
    live = len(rows) - by_status[CommitmentStatus.dropped]
    overdue = sum(1 for due_on, status in rows if is_overdue(due_on, status, today))
    return Figures(len(rows), by_status, done, overdue, rate(done, live))
