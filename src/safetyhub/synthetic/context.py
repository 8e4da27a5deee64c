"""The generator's shared state: one seeded random source, the reference date, the row sink."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from safetyhub.synthetic.rows import Rows

T = TypeVar("T")

# The reference date of a generated county when the caller does not give one: fixed, so the
# same seed always produces the same county.
REFERENCE_DATE = date(2026, 11, 1)


@dataclass
class Context:
    """A seeded random source, the reference date and where new rows go."""

    rng: random.Random
    today: date
    rows: Rows = field(default_factory=Rows)

    @property
    def midnight(self) -> datetime:
        """The start of the reference date in UTC: every window ends here."""
        return datetime.combine(self.today, time(0, 0), tzinfo=UTC)

    def uuid(self) -> uuid.UUID:
        """A random (version 4) UUID drawn from the seeded source, so ids repeat with the seed."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def days_ago(self, days: float, *, hour: int | None = None) -> datetime:
        """A moment `days` before the reference date; with `hour`, at that hour of that day."""
        moment = self.midnight - timedelta(days=days)
        if hour is None:
            return moment.replace(microsecond=0)
        minute = self.rng.randrange(60)
        return moment.replace(hour=hour, minute=minute, second=0, microsecond=0)

    def day(self, days: int) -> date:
        """The date `days` before (negative: after) the reference date."""
        return self.today - timedelta(days=days)

    def pick(self, options: tuple[T, ...] | list[T]) -> T:
        """One of `options`, uniformly."""
        return options[self.rng.randrange(len(options))]
