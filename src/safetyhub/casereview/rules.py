"""The ASB Case Review threshold (ASB, Crime and Policing Act 2014 s.104) as pure functions.

The national default: 3 qualifying complaints about ASB in the last 6 months, each made within
one month of the behaviour; one incident reported to several agencies counts once. Local
variants (by configuration): N complaints from different people about the same problem, and a
single hate incident. Nothing here reads the database: the query builds the `Complaint`s.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from safetyhub.timeutil import add_working_days


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months later (earlier if negative), clamped."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class ThresholdParameters:
    """What counts as a qualifying complaint and how many are needed (see parameters.toml)."""

    complaints: int = 3
    window_months: int = 6
    reported_within_months: int = 1
    same_incident_tolerance_minutes: int = 120
    asb_categories: frozenset[str] = frozenset({"asb_personal", "asb_nuisance",
                                                "asb_environmental"})
    complainant_roles: frozenset[str] = frozenset({"complainant", "victim"})
    distinct_complainants: int = 0
    single_hate_incident: bool = False
    hate_categories: frozenset[str] = frozenset({"hate_incident"})


@dataclass(frozen=True)
class Deadlines:
    """Working days from receipt to acknowledge, to decide the threshold, to hold the review."""

    acknowledge: int = 3
    decide: int = 10
    meet: int = 20


@dataclass(frozen=True)
class CaseReviewParameters:
    """Everything a partnership configures about its case reviews."""

    threshold: ThresholdParameters = field(default_factory=ThresholdParameters)
    deadlines: Deadlines = field(default_factory=Deadlines)
    year_starts_month: int = 4


@dataclass(frozen=True)
class Complaint:
    """One complaint as an agency recorded it: an incident, who complained, where."""

    incident_id: uuid.UUID
    organisation_id: uuid.UUID
    category: str
    occurred_at: datetime
    reported_at: datetime
    # Complaints with the same key were made by the same person (or about the same place).
    complainant_key: str | None = None
    place_key: str | None = None


class ThresholdRule(StrEnum):
    """Which rule met the threshold."""

    complaints = "complaints"
    hate_incident = "hate_incident"
    distinct_complainants = "distinct_complainants"


class Exclusion(StrEnum):
    """Why a complaint did not qualify."""

    not_asb = "not_asb"
    outside_window = "outside_window"
    reported_late = "reported_late"


@dataclass(frozen=True)
class ThresholdResult:
    """The outcome of the check, with the counts that explain it."""

    met: bool
    rule: ThresholdRule | None
    # Qualifying complaints after counting one incident reported to several agencies once.
    qualifying_complaints: int
    needed: int
    counted_incident_ids: tuple[uuid.UUID, ...]
    duplicates: int = 0
    excluded: dict[Exclusion, int] = field(default_factory=dict)
    hate_incidents: int = 0
    distinct_complainants: int = 0


def exclusion(complaint: Complaint, *, now: datetime, params: ThresholdParameters,
              categories: frozenset[str]) -> Exclusion | None:
    """Why `complaint` does not qualify, or None when it does."""
    if complaint.category not in categories:
        return Exclusion.not_asb
    # "In the last 6 months" counts from when the complaint was made.
    if not add_months(now, -params.window_months) <= complaint.reported_at <= now:
        return Exclusion.outside_window
    # Each complaint must be made within one month of the behaviour.
    if complaint.reported_at > add_months(complaint.occurred_at, params.reported_within_months):
        return Exclusion.reported_late
    return None


def same_incident_groups(
    complaints: Sequence[Complaint], *, tolerance: timedelta,
    links: Iterable[tuple[uuid.UUID, uuid.UUID]] = (),
) -> list[list[Complaint]]:
    """Group complaints that are one incident: the same person or place within `tolerance`, or
    explicitly linked; each group counts once."""
    ordered = sorted(complaints, key=lambda c: (c.occurred_at, str(c.incident_id)))
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        parent[root(i)] = root(j)

    for i, first in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            second = ordered[j]
            if second.occurred_at - first.occurred_at > tolerance:
                break
            same_person = first.complainant_key is not None and (
                first.complainant_key == second.complainant_key)
            same_place = first.place_key is not None and first.place_key == second.place_key
            if same_person or same_place:
                join(i, j)
    position = {c.incident_id: i for i, c in enumerate(ordered)}
    for left, right in links:
        if left in position and right in position:
            join(position[left], position[right])
    groups: dict[int, list[Complaint]] = {}
    for i, complaint in enumerate(ordered):
        groups.setdefault(root(i), []).append(complaint)
    return list(groups.values())


def _qualifying(complaints: Sequence[Complaint], now: datetime, params: ThresholdParameters,
                categories: frozenset[str]) -> tuple[list[Complaint], dict[Exclusion, int]]:
    kept: list[Complaint] = []
    excluded: dict[Exclusion, int] = {}
    for complaint in complaints:
        reason = exclusion(complaint, now=now, params=params, categories=categories)
        if reason is None:
            kept.append(complaint)
        elif reason != Exclusion.not_asb:
            excluded[reason] = excluded.get(reason, 0) + 1
    return kept, excluded


def check_threshold(
    own: Sequence[Complaint], *, now: datetime, params: ThresholdParameters,
    community: Sequence[Complaint] = (), links: Iterable[tuple[uuid.UUID, uuid.UUID]] = (),
) -> ThresholdResult:
    """Whether the victim's complaints (`own`), or a local variant, meet the threshold.

    `community` holds complaints by anyone about the same problem, for the distinct-people
    variant (counted by distinct complainant).
    """
    links = list(links)
    tolerance = timedelta(minutes=params.same_incident_tolerance_minutes)
    asb, excluded = _qualifying(own, now, params, params.asb_categories)
    groups = same_incident_groups(asb, tolerance=tolerance, links=links)
    counted = tuple(c.incident_id for group in groups for c in group)
    hate: list[list[Complaint]] = []
    if params.single_hate_incident:
        hate_complaints, _ = _qualifying(own, now, params, params.hate_categories)
        hate = same_incident_groups(hate_complaints, tolerance=tolerance, links=links)
    distinct = 0
    if params.distinct_complainants > 0:
        # Different people: one person complaining to several agencies is still one person.
        people, _ = _qualifying(community, now, params, params.asb_categories)
        distinct = len({c.complainant_key for c in people if c.complainant_key is not None})
    rule: ThresholdRule | None = None
    if len(groups) >= params.complaints:
        rule = ThresholdRule.complaints
    elif hate:
        rule = ThresholdRule.hate_incident
        counted += tuple(c.incident_id for group in hate for c in group)
    elif params.distinct_complainants > 0 and distinct >= params.distinct_complainants:
        rule = ThresholdRule.distinct_complainants
    return ThresholdResult(
        met=rule is not None, rule=rule, qualifying_complaints=len(groups),
        needed=params.complaints, counted_incident_ids=counted,
        duplicates=len(asb) - len(groups), excluded=excluded, hate_incidents=len(hate),
        distinct_complainants=distinct,
    )


@dataclass(frozen=True)
class DueDates:
    """The dates a case review is due to be acknowledged, decided and reviewed by."""

    acknowledge_by: date
    decide_by: date
    meet_by: date


def due_dates(received_on: date, deadlines: Deadlines) -> DueDates:
    """Deadlines in working days from the day the application arrived."""
    return DueDates(
        acknowledge_by=add_working_days(received_on, deadlines.acknowledge),
        decide_by=add_working_days(received_on, deadlines.decide),
        meet_by=add_working_days(received_on, deadlines.meet),
    )


def reporting_year(day: date, year_starts_month: int) -> int:
    """The year (by its first calendar year) that `day` falls in, for the published figures."""
    return day.year if day.month >= year_starts_month else day.year - 1


def year_bounds(year: int, year_starts_month: int) -> tuple[date, date]:
    """The first day of reporting year `year` and the first day of the next one."""
    return date(year, year_starts_month, 1), date(year + 1, year_starts_month, 1)
