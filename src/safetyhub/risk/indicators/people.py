"""Indicators about a person (an Identity, or a person record not linked to one).

Each function is pure: plain facts and parameters in, a result or None out.
"""

from __future__ import annotations

from datetime import datetime

from safetyhub.cases.models import CaseStatus
from safetyhub.risk.config import (
    EscalationParams,
    KnownToManyParams,
    OccurrenceParams,
    RepeatVictimParams,
)
from safetyhub.risk.indicators.common import (
    Indicator,
    IndicatorResult,
    Level,
    Reason,
    RecordRef,
    flatten,
    in_window,
    incident_refs,
    occurrences,
    rising,
    unique_refs,
    window_start,
)
from safetyhub.risk.indicators.facts import IncidentFact, PersonFacts


def incidents_in_roles(facts: PersonFacts, roles: tuple[str, ...], as_of: datetime, days: int,
                       categories: tuple[str, ...] | None = None) -> list[IncidentFact]:
    """The subject's incidents in `roles` (and `categories`) within the window."""
    return [
        inv.incident for inv in facts.involvements
        if inv.role in roles and in_window(inv.incident.occurred_at, as_of, days)
        and (categories is None or inv.incident.category in categories)
    ]


def repeat_victim(facts: PersonFacts, params: RepeatVictimParams, occurrence: OccurrenceParams,
                  as_of: datetime) -> IndicatorResult | None:
    """The same person as victim in >= repeat_at incidents in the window (>= high_at: high).

    Reports of one occurrence to several agencies count once.
    """
    if not params.enabled:
        return None
    groups = occurrences(incidents_in_roles(facts, params.roles, as_of, params.window_days),
                         occurrence.same_occurrence_hours)
    count = len(groups)
    if count < params.repeat_at:
        return None
    reports = flatten(groups)
    reason = Reason(
        "repeat_victim", params.window_days, window_start(as_of, params.window_days), as_of,
        {"occurrences": count, "reports": len(reports),
         "agencies": len({i.organisation_id for i in reports}), "threshold": params.repeat_at},
    )
    return IndicatorResult(
        Indicator.repeat_victim, Level.high if count >= params.high_at else Level.medium,
        params.weight * count, (reason,), unique_refs(incident_refs(reports)),
    )


def known_to_many(facts: PersonFacts, params: KnownToManyParams, as_of: datetime
                  ) -> IndicatorResult | None:
    """Records created, or incidents occurring, at >= agencies_at agencies in the window, and
    no open case about the person (nobody is coordinating the agencies)."""
    if not params.enabled:
        return None
    if any(case.status == CaseStatus.open for case in facts.cases):
        return None
    records = [r for r in facts.records if in_window(r.created_at, as_of, params.window_days)]
    incidents = {inv.incident.incident_id: inv.incident for inv in facts.involvements
                 if in_window(inv.incident.occurred_at, as_of, params.window_days)}
    agencies = {r.organisation_id for r in records} | {
        i.organisation_id for i in incidents.values()}
    if len(agencies) < params.agencies_at:
        return None
    refs = [RecordRef("person_record", r.person_record_id, r.organisation_id) for r in records]
    refs += incident_refs(incidents.values())
    reason = Reason(
        "known_to_many", params.window_days, window_start(as_of, params.window_days), as_of,
        {"agencies": len(agencies), "records": len(records), "incidents": len(incidents),
         "threshold": params.agencies_at},
    )
    level = Level.high if len(agencies) >= params.agencies_at + 2 else Level.medium
    return IndicatorResult(Indicator.known_to_many, level, params.weight * len(agencies),
                           (reason,), unique_refs(refs))


def escalation(facts: PersonFacts, params: EscalationParams, occurrence: OccurrenceParams,
               severity: dict[str, int], as_of: datetime) -> IndicatorResult | None:
    """Rising frequency or severity: the recent window against the baseline window before it.

    Frequency: >= min_recent occurrences recently, at >= frequency_factor times the baseline
    rate (with >= min_baseline occurrences before). Severity: the recent occurrences' mean
    severity is >= severity_increase above the baseline's. Both at once: high.
    """
    if not params.enabled:
        return None
    span = params.recent_days + params.baseline_days
    groups = occurrences(incidents_in_roles(facts, params.roles, as_of, span),
                         occurrence.same_occurrence_hours)
    reasons, recent = rising(groups, params, severity, as_of)
    if not reasons:
        return None
    level = Level.high if len(reasons) == 2 else Level.medium
    return IndicatorResult(
        Indicator.escalation, level, params.weight * recent * len(reasons), tuple(reasons),
        unique_refs(incident_refs(flatten(groups))),
    )
