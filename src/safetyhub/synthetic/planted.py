"""What the planted patterns record about themselves, and small helpers they share."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from safetyhub.synthetic.people import TruePerson
from safetyhub.synthetic.rows import IncidentRow, PlaceRow

_FRIMLEY_DISTRICTS = frozenset({"Surrey Heath", "Runnymede", "Spelthorne", "Elmbridge", "Woking"})


@dataclass
class Planted:
    """Intent of every planted pattern (the ground truth is evaluated from the rows)."""

    multi_agency: list[TruePerson] = field(default_factory=list)
    repeat_victims: list[TruePerson] = field(default_factory=list)
    repeat_near_misses: list[TruePerson] = field(default_factory=list)
    domestic_abuse: list[dict[str, Any]] = field(default_factory=list)
    cuckooed: list[dict[str, Any]] = field(default_factory=list)
    known_to_many: list[TruePerson] = field(default_factory=list)
    known_to_many_near_misses: list[TruePerson] = field(default_factory=list)
    hotspots: list[dict[str, Any]] = field(default_factory=list)
    case_reviews: list[TruePerson] = field(default_factory=list)
    case_review_near_misses: list[tuple[TruePerson, str]] = field(default_factory=list)
    # Anchors the demo's casework hangs on (all in Guildford, where the demo users work).
    anchors: dict[str, Any] = field(default_factory=dict)


@dataclass
class HotspotPlan:
    """A public place with concentrated ASB, its incidents and the youths seen there."""

    place: PlaceRow
    incidents: list[IncidentRow]
    youths: list[TruePerson]


def spaced(rng: random.Random, n: int, low: float, high: float, gap: float) -> list[float]:
    """n days-ago values in [low, high], oldest first, consecutive ones at least `gap` apart."""
    gap = min(gap, (high - low) / max(n - 1, 1))
    slack = (high - low) - gap * (n - 1)
    offsets = sorted(rng.uniform(0, slack) for _ in range(n))
    recent_first = [low + u + gap * i for i, u in enumerate(offsets)]
    return list(reversed(recent_first))


def acute_for(district: str) -> str:
    """The acute hospital trust serving a district."""
    return "frimley" if district in _FRIMLEY_DISTRICTS else "royal_surrey"


def ids(rows: list[Any]) -> list[str]:
    """String ids of rows, for the ground truth JSON."""
    return [str(r.id) for r in rows]
