"""Indicators about a place: repeat incidents, escalation, and exploitation signs at a vulnerable
person's home (cuckooing). Pure functions over plain facts."""

from __future__ import annotations

from datetime import datetime

from safetyhub.risk.config import (
    ExploitationParams,
    OccurrenceParams,
    PlaceEscalationParams,
    RepeatPlaceParams,
)
from safetyhub.risk.indicators.common import (
    Indicator,
    IndicatorResult,
    Level,
    Reason,
    flatten,
    in_window,
    incident_refs,
    occurrences,
    rising,
    unique_refs,
    window_start,
)
from safetyhub.risk.indicators.facts import IncidentFact, PlaceFacts, PlaceIncident

NEW_ASSOCIATES = "new_associates"


def repeat_place(facts: PlaceFacts, params: RepeatPlaceParams, occurrence: OccurrenceParams,
                 as_of: datetime) -> IndicatorResult | None:
    """>= repeat_at qualifying incidents at the place in the window (>= high_at: high).

    Reports of the same occurrence by several agencies count once.
    """
    if not params.enabled:
        return None
    qualifying = [
        p.incident for p in facts.incidents
        if p.incident.category in params.categories
        and in_window(p.incident.occurred_at, as_of, params.window_days)
    ]
    groups = occurrences(qualifying, occurrence.same_occurrence_hours)
    if len(groups) < params.repeat_at:
        return None
    reports = flatten(groups)
    reason = Reason(
        "repeat_place", params.window_days, window_start(as_of, params.window_days), as_of,
        {"occurrences": len(groups), "reports": len(reports),
         "agencies": len({i.organisation_id for i in reports}), "threshold": params.repeat_at},
    )
    level = Level.high if len(groups) >= params.high_at else Level.medium
    return IndicatorResult(Indicator.repeat_place, level, params.weight * len(groups),
                           (reason,), unique_refs(incident_refs(reports)))


def place_escalation(facts: PlaceFacts, params: PlaceEscalationParams,
                     occurrence: OccurrenceParams, severity: dict[str, int], as_of: datetime
                     ) -> IndicatorResult | None:
    """Rising frequency or severity of incidents at the place: the recent window against the
    baseline window before it (the person rule's tests, over the place's incidents).

    Only incidents of `categories` count (none listed: every category); reports of the same
    occurrence by several agencies count once. Both rising at once: high.
    """
    if not params.enabled:
        return None
    span = params.recent_days + params.baseline_days
    incidents = [
        p.incident for p in facts.incidents
        if (not params.categories or p.incident.category in params.categories)
        and in_window(p.incident.occurred_at, as_of, span)
    ]
    groups = occurrences(incidents, occurrence.same_occurrence_hours)
    reasons, recent = rising(groups, params, severity, as_of)
    if not reasons:
        return None
    level = Level.high if len(reasons) == 2 else Level.medium
    return IndicatorResult(
        Indicator.place_escalation, level, params.weight * recent * len(reasons),
        tuple(reasons), unique_refs(incident_refs(flatten(groups))),
    )


def vulnerable_residents(facts: PlaceFacts, params: ExploitationParams, as_of: datetime
                         ) -> tuple[set[str], list[IncidentFact]]:
    """People the place is a vulnerable person's home for, and the concerns that say so.

    With `residents_only`, the person must live there (their record's address is the place).
    """
    keys: set[str] = set()
    concerns: list[IncidentFact] = []
    for item in facts.incidents:
        incident = item.incident
        if (incident.category in params.vulnerability_categories
                and in_window(incident.occurred_at, as_of, params.lookback_days)):
            people = {p.person_key for p in item.parties if p.role in params.vulnerability_roles
                      and (p.lives_here or not params.residents_only)}
            if people:
                keys |= people
                concerns.append(incident)
    return keys, concerns


def _new_associates(facts: PlaceFacts, roles: tuple[str, ...], residents: set[str],
                    as_of: datetime, params: ExploitationParams
                    ) -> tuple[set[str], list[IncidentFact]]:
    start = window_start(as_of, params.window_days)
    seen_before: set[str] = set()
    recent: list[PlaceIncident] = []
    for item in facts.incidents:
        when = item.incident.occurred_at
        if when < start and in_window(when, as_of, params.lookback_days):
            seen_before |= {p.person_key for p in item.parties}
        elif start <= when < as_of:
            recent.append(item)
    new: set[str] = set()
    incidents: list[IncidentFact] = []
    for item in recent:
        found = {p.person_key for p in item.parties if p.role in roles} - residents - seen_before
        if found:
            new |= found
            incidents.append(item.incident)
    return new, incidents


def exploitation(facts: PlaceFacts, params: ExploitationParams, occurrence: OccurrenceParams,
                 as_of: datetime) -> IndicatorResult | None:
    """Signs of exploitation (cuckooing) at a vulnerable person's home, scored by their weights.

    The place must be a vulnerable person's home (a vulnerability concern about someone was
    recorded there). Each configured signal counts in the recent window: incidents of its
    categories (one occurrence at several agencies once), or new associates: people first seen
    there in the window, in the signal's roles, other than the residents.
    """
    if not params.enabled:
        return None
    residents, concerns = vulnerable_residents(facts, params, as_of)
    if not residents:
        return None
    present: dict[str, int] = {}
    contributing: list[IncidentFact] = []
    total = 0.0
    for name, signal in sorted(params.signals.items()):
        if name == NEW_ASSOCIATES or (signal.roles and not signal.categories):
            people, incidents = _new_associates(facts, signal.roles, residents, as_of, params)
            count = len(people)
        else:
            matching = [
                p.incident for p in facts.incidents
                if p.incident.category in signal.categories
                and in_window(p.incident.occurred_at, as_of, params.window_days)
            ]
            groups = occurrences(matching, occurrence.same_occurrence_hours)
            count, incidents = len(groups), flatten(groups)
        if count >= signal.at_least:
            present[name] = count
            contributing += incidents
            total += signal.weight
    if total < params.alert_at:
        return None
    reason = Reason(
        "exploitation", params.window_days, window_start(as_of, params.window_days), as_of,
        {"signals": len(present), "score": round(total, 2), "threshold": params.alert_at,
         "vulnerability_concerns": len(concerns), **present},
    )
    level = Level.high if total >= params.high_at else Level.medium
    return IndicatorResult(Indicator.exploitation, level, params.weight * total, (reason,),
                           unique_refs(incident_refs([*concerns, *contributing])),
                           frozenset(present))
