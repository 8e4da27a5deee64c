"""What every indicator shares: results with reasons, windows, and counting occurrences once."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from statistics import fmean

from safetyhub.risk.config import RisingParams
from safetyhub.risk.indicators.facts import IncidentFact


class Indicator(StrEnum):
    """The indicators SafetyHub ships."""

    repeat_victim = "repeat_victim"
    repeat_place = "repeat_place"
    known_to_many = "known_to_many"
    escalation = "escalation"
    place_escalation = "place_escalation"
    domestic_abuse_escalation = "domestic_abuse_escalation"
    marac_repeat = "marac_repeat"
    exploitation = "exploitation"
    mental_health = "mental_health"


class Level(StrEnum):
    """How strongly an indicator fires."""

    medium = "medium"
    high = "high"


@dataclass(frozen=True)
class RecordRef:
    """A contributing record and the agency that owns it."""

    record_type: str  # "incident" or "person_record"
    record_id: uuid.UUID
    owner_organisation_id: uuid.UUID


@dataclass(frozen=True)
class Reason:
    """One rule that fired: its code, its window and the counts behind it (never content)."""

    rule: str
    window_days: int
    window_start: datetime
    window_end: datetime
    counts: dict[str, int | float] = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator's finding about one subject, with everything needed to explain it."""

    indicator: Indicator
    level: Level
    score: float
    reasons: tuple[Reason, ...]
    records: tuple[RecordRef, ...]
    # Facts routing needs (for example Right Care, Right Person's "immediate_risk", "crime").
    flags: frozenset[str] = frozenset()

    @property
    def incident_ids(self) -> frozenset[uuid.UUID]:
        """Ids of the contributing incidents."""
        return frozenset(r.record_id for r in self.records if r.record_type == "incident")


def window_start(as_of: datetime, days: int) -> datetime:
    """The start of a window of `days` days ending at `as_of`."""
    return as_of - timedelta(days=days)


def in_window(moment: datetime, as_of: datetime, days: int) -> bool:
    """Whether `moment` falls in the `days` days before `as_of` (start inclusive, end not)."""
    return window_start(as_of, days) <= moment < as_of


def incident_refs(incidents: Iterable[IncidentFact]) -> list[RecordRef]:
    """Contributing-record references of incidents."""
    return [RecordRef("incident", i.incident_id, i.organisation_id) for i in incidents]


def unique_refs(refs: Iterable[RecordRef]) -> tuple[RecordRef, ...]:
    """References without repeats, in a stable order."""
    return tuple(sorted(set(refs), key=lambda r: (r.record_type, str(r.record_id))))


def same_occurrence(first: IncidentFact, other: IncidentFact, hours: float) -> bool:
    """Two reports describe one occurrence: other agencies, close in time, the same place."""
    if first.organisation_id == other.organisation_id:
        return False
    if abs(other.occurred_at - first.occurred_at) > timedelta(hours=hours):
        return False
    return first.place_id is None or other.place_id is None or first.place_id == other.place_id


def occurrences(incidents: Iterable[IncidentFact], hours: float) -> list[list[IncidentFact]]:
    """Group reports of the same occurrence (rule: one incident at several agencies counts once).

    Each group starts at its earliest report; a later report joins it when another agency made
    it within `hours` at the same place (or without a place) and no report of the group is from
    that agency already.
    """
    unique = {i.incident_id: i for i in incidents}
    groups: list[list[IncidentFact]] = []
    within = timedelta(hours=hours)
    for incident in sorted(unique.values(), key=lambda i: (i.occurred_at, str(i.incident_id))):
        joined = None
        for group in reversed(groups[-8:]):  # only recent groups can be within the hours
            if incident.occurred_at - group[0].occurred_at > within:
                break  # this group's first report, and every older group's, is too early
            if all(same_occurrence(g, incident, hours) for g in group):
                joined = group
                break
        if joined is None:
            groups.append([incident])
        else:
            joined.append(incident)
    return groups


def flatten(groups: Sequence[Sequence[IncidentFact]]) -> list[IncidentFact]:
    """Every report of the groups."""
    return [incident for group in groups for incident in group]


def _severity(group: list[IncidentFact], severity: dict[str, int]) -> int:
    return max(severity.get(i.category, 1) for i in group)


def rising(groups: list[list[IncidentFact]], params: RisingParams, severity: dict[str, int],
           as_of: datetime) -> tuple[list[Reason], int]:
    """The escalation reasons over occurrences (rising frequency, rising severity) and how many
    occurrences fall in the recent window.

    Frequency: >= min_recent occurrences recently, at >= frequency_factor times the baseline
    rate (with >= min_baseline occurrences before). Severity: the recent occurrences' mean
    severity is >= severity_increase above the baseline's.
    """
    recent_start = window_start(as_of, params.recent_days)
    recent = [g for g in groups if g[0].occurred_at >= recent_start]
    baseline = [g for g in groups if g[0].occurred_at < recent_start]
    reasons: list[Reason] = []
    recent_rate = len(recent) / params.recent_days
    baseline_rate = len(baseline) / params.baseline_days
    if (len(recent) >= params.min_recent and len(baseline) >= params.min_baseline
            and recent_rate >= params.frequency_factor * baseline_rate):
        reasons.append(Reason(
            "escalation_frequency", params.recent_days, recent_start, as_of,
            {"recent": len(recent), "baseline": len(baseline),
             "baseline_days": params.baseline_days,
             "factor": round(recent_rate / baseline_rate, 1) if baseline_rate else 0},
        ))
    if len(recent) >= params.min_recent_for_severity and len(baseline) >= max(
            1, params.min_baseline):
        recent_mean = fmean(_severity(g, severity) for g in recent)
        baseline_mean = fmean(_severity(g, severity) for g in baseline)
        if recent_mean - baseline_mean >= params.severity_increase:
            reasons.append(Reason(
                "escalation_severity", params.recent_days, recent_start, as_of,
                {"recent": len(recent), "baseline": len(baseline),
                 "recent_severity": round(recent_mean, 1),
                 "baseline_severity": round(baseline_mean, 1)},
            ))
    return reasons, len(recent)
