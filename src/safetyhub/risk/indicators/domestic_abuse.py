"""Domestic abuse: DASH escalation and the MARAC repeat rule (SafeLives), as pure functions."""

from __future__ import annotations

from datetime import datetime, timedelta

from safetyhub.risk.config import DomesticAbuseParams, OccurrenceParams
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
from safetyhub.risk.indicators.facts import PersonFacts
from safetyhub.risk.indicators.people import incidents_in_roles

VICTIM = ("victim",)


def domestic_abuse_escalation(facts: PersonFacts, params: DomesticAbuseParams,
                              occurrence: OccurrenceParams, as_of: datetime
                              ) -> IndicatorResult | None:
    """3+ domestic-abuse incidents against the same victim in 12 months: refer to MARAC.

    One incident reported to several agencies (police and an IDVA, say) counts once.
    """
    if not params.enabled:
        return None
    groups = occurrences(
        incidents_in_roles(facts, VICTIM, as_of, params.window_days, params.categories),
        occurrence.same_occurrence_hours,
    )
    if len(groups) < params.escalation_at:
        return None
    reports = flatten(groups)
    reason = Reason(
        "domestic_abuse_escalation", params.window_days, window_start(as_of, params.window_days),
        as_of, {"occurrences": len(groups), "reports": len(reports),
                "agencies": len({i.organisation_id for i in reports}),
                "threshold": params.escalation_at},
    )
    return IndicatorResult(Indicator.domestic_abuse_escalation, Level.high,
                           params.weight * len(groups), (reason,),
                           unique_refs(incident_refs(reports)))


def marac_repeat(facts: PersonFacts, params: DomesticAbuseParams, occurrence: OccurrenceParams,
                 as_of: datetime) -> IndicatorResult | None:
    """Any further domestic-abuse incident, at any agency, within 12 months of the last MARAC
    referral: flag the repeat across agencies."""
    if not params.enabled:
        return None
    referrals = [r for r in facts.marac_referrals if r < as_of]
    if not referrals:
        return None
    last = max(referrals)
    until = min(as_of, last + timedelta(days=params.marac_repeat_days))
    after = [
        inv.incident for inv in facts.involvements
        if inv.role in VICTIM and inv.incident.category in params.categories
        and last < inv.incident.occurred_at < until
    ]
    groups = occurrences(after, occurrence.same_occurrence_hours)
    if not groups:
        return None
    reason = Reason(
        "marac_repeat", params.marac_repeat_days, last,
        last + timedelta(days=params.marac_repeat_days),
        {"occurrences": len(groups), "reports": len(after),
         "days_since_referral": (as_of - last).days},
    )
    return IndicatorResult(Indicator.marac_repeat, Level.high, params.weight * len(groups),
                           (reason,), unique_refs(incident_refs(after)))

