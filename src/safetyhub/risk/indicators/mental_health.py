"""Repeated mental-health crises, with the facts Right Care, Right Person routes on."""

from __future__ import annotations

from datetime import datetime

from safetyhub.risk.config import MentalHealthParams, OccurrenceParams
from safetyhub.risk.indicators.common import (
    Indicator,
    IndicatorResult,
    Level,
    Reason,
    flatten,
    incident_refs,
    occurrences,
    unique_refs,
    window_start,
)
from safetyhub.risk.indicators.facts import IncidentFact, PersonFacts
from safetyhub.risk.indicators.people import incidents_in_roles

# Right Care, Right Person (2023): police attend a mental-health concern only when there is a
# real and immediate risk to life or of serious harm, or a crime to investigate.
IMMEDIATE_RISK = "immediate_risk"
CRIME = "crime"


def mentions_immediate_risk(incident: IncidentFact, terms: tuple[str, ...]) -> bool:
    """Whether the recorded narrative names a real and immediate risk (configured words)."""
    text = incident.narrative.lower()
    return any(term.lower() in text for term in terms)


def mental_health_crises(facts: PersonFacts, params: MentalHealthParams,
                         occurrence: OccurrenceParams, as_of: datetime
                         ) -> IndicatorResult | None:
    """>= repeat_at mental-health crises in the window (>= high_at: high).

    Flags `immediate_risk` when a crisis narrative names one, and `crime` when the person is
    involved in a crime in the same window; routing then adds the police (RCRP).
    """
    if not params.enabled:
        return None
    crises = incidents_in_roles(facts, params.roles, as_of, params.window_days,
                                params.categories)
    groups = occurrences(crises, occurrence.same_occurrence_hours)
    if len(groups) < params.repeat_at:
        return None
    reports = flatten(groups)
    crimes = incidents_in_roles(facts, ("subject", "victim"), as_of, params.window_days,
                                params.crime_categories)
    flags = set()
    if any(mentions_immediate_risk(i, params.immediate_risk_terms) for i in reports):
        flags.add(IMMEDIATE_RISK)
    if crimes:
        flags.add(CRIME)
    reason = Reason(
        "mental_health", params.window_days, window_start(as_of, params.window_days), as_of,
        {"occurrences": len(groups), "reports": len(reports),
         "agencies": len({i.organisation_id for i in reports}), "crimes": len(crimes),
         "threshold": params.repeat_at},
    )
    level = Level.high if len(groups) >= params.high_at or flags else Level.medium
    return IndicatorResult(Indicator.mental_health, level, params.weight * len(groups),
                           (reason,), unique_refs(incident_refs([*reports, *crimes])),
                           frozenset(flags))
