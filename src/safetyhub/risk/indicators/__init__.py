"""Indicators: pure functions from plain facts and parameters to explained results."""

from __future__ import annotations

from datetime import datetime

from safetyhub.risk.config import RiskConfig
from safetyhub.risk.indicators.common import Indicator, IndicatorResult, Level, Reason, RecordRef
from safetyhub.risk.indicators.domestic_abuse import domestic_abuse_escalation, marac_repeat
from safetyhub.risk.indicators.facts import PersonFacts, PlaceFacts
from safetyhub.risk.indicators.mental_health import mental_health_crises
from safetyhub.risk.indicators.people import escalation, known_to_many, repeat_victim
from safetyhub.risk.indicators.places import exploitation, place_escalation, repeat_place

PERSON_INDICATORS = (
    Indicator.repeat_victim, Indicator.known_to_many, Indicator.escalation,
    Indicator.domestic_abuse_escalation, Indicator.marac_repeat, Indicator.mental_health,
)
PLACE_INDICATORS = (Indicator.repeat_place, Indicator.place_escalation, Indicator.exploitation)


def evaluate_person(facts: PersonFacts, config: RiskConfig, as_of: datetime
                    ) -> list[IndicatorResult]:
    """Every person indicator that fires for the subject, as of `as_of`."""
    occurrence = config.occurrence
    results = [
        repeat_victim(facts, config.repeat_victim, occurrence, as_of),
        known_to_many(facts, config.known_to_many, as_of),
        escalation(facts, config.escalation, occurrence, config.severity, as_of),
        domestic_abuse_escalation(facts, config.domestic_abuse, occurrence, as_of),
        marac_repeat(facts, config.domestic_abuse, occurrence, as_of),
        mental_health_crises(facts, config.mental_health, occurrence, as_of),
    ]
    return [r for r in results if r is not None]


def evaluate_place(facts: PlaceFacts, config: RiskConfig, as_of: datetime
                   ) -> list[IndicatorResult]:
    """Every place indicator that fires for the place, as of `as_of`."""
    results = [
        repeat_place(facts, config.repeat_place, config.occurrence, as_of),
        place_escalation(facts, config.place_escalation, config.occurrence, config.severity,
                         as_of),
        exploitation(facts, config.exploitation, config.occurrence, as_of),
    ]
    return [r for r in results if r is not None]


__all__ = [
    "PERSON_INDICATORS", "PLACE_INDICATORS", "Indicator", "IndicatorResult", "Level",
    "PersonFacts", "PlaceFacts", "Reason", "RecordRef", "evaluate_person", "evaluate_place",
]
