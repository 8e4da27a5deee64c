"""DASH risk levels and the MARAC referral criteria (SafeLives) as pure functions.

Bands by ticks ("yes" answers): below 10 standard, 10-13 medium, 14 and more high (visible
high risk). Professional judgement may raise the actuarial level, never lower it. MARAC
referral on visible high risk, professional judgement (raised to high), escalation (3+
incidents in 12 months) or repeat (a further incident within 12 months of the last MARAC
referral). Every default comes from dash/checklist.toml.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from safetyhub.cases.models import RiskLevel
from safetyhub.errors import InvalidInput
from safetyhub.text import N_

LEVEL_ORDER: dict[RiskLevel, int] = {RiskLevel.standard: 0, RiskLevel.medium: 1,
                                     RiskLevel.high: 2}


class Answer(StrEnum):
    """An answer to one checklist question."""

    yes = "yes"
    no = "no"
    not_known = "not_known"


class MaracReason(StrEnum):
    """Why a MARAC referral is suggested."""

    visible_high_risk = "visible_high_risk"
    professional_judgement = "professional_judgement"
    escalation = "escalation"
    repeat = "repeat"


@dataclass(frozen=True)
class Bands:
    """Ticks from which the level is medium, and high."""

    medium_from: int = 10
    high_from: int = 14


@dataclass(frozen=True)
class MaracRules:
    """Escalation and repeat windows for MARAC referrals."""

    escalation_incidents: int = 3
    escalation_window_days: int = 365
    escalation_categories: frozenset[str] = frozenset({"domestic_abuse"})
    repeat_window_days: int = 365


@dataclass(frozen=True)
class Assessment:
    """The outcome of a checklist: ticks, levels and why MARAC is (or is not) suggested."""

    ticks: int
    actuarial_level: RiskLevel
    level: RiskLevel
    reasons: tuple[MaracReason, ...] = field(default_factory=tuple)
    incidents_in_window: int = 0

    @property
    def marac_suggested(self) -> bool:
        """Any MARAC criterion is met."""
        return bool(self.reasons)


def count_ticks(answers: Mapping[str, Answer]) -> int:
    """The number of questions answered "yes"."""
    return sum(1 for answer in answers.values() if answer == Answer.yes)


def actuarial_level(ticks: int, bands: Bands) -> RiskLevel:
    """The level the ticks alone give."""
    if ticks >= bands.high_from:
        return RiskLevel.high
    if ticks >= bands.medium_from:
        return RiskLevel.medium
    return RiskLevel.standard


JUDGEMENT_LOWERS = N_("Professional judgement may raise the risk level, never lower it.")
JUDGEMENT_NEEDS_REASON = N_("Give the reason for raising the risk level.")


def judged_level(actuarial: RiskLevel, judgement: RiskLevel | None,
                 reason: str | None) -> RiskLevel:
    """The level after professional judgement: raising needs a reason, lowering is refused."""
    if judgement is None or judgement == actuarial:
        return actuarial
    if LEVEL_ORDER[judgement] < LEVEL_ORDER[actuarial]:
        raise InvalidInput(JUDGEMENT_LOWERS)
    if not (reason or "").strip():
        raise InvalidInput(JUDGEMENT_NEEDS_REASON)
    return judgement


def incidents_within(times: Iterable[datetime], *, now: datetime, days: int) -> int:
    """How many of `times` fall in the `days` up to `now`."""
    start = now - timedelta(days=days)
    return sum(1 for moment in times if start <= moment <= now)


def is_escalation(times: Iterable[datetime], *, now: datetime, rules: MaracRules) -> bool:
    """3+ incidents (by default) within the window up to now."""
    return incidents_within(times, now=now, days=rules.escalation_window_days) >= (
        rules.escalation_incidents)


def is_repeat(last_referral_at: datetime | None, times: Iterable[datetime], *,
              rules: MaracRules) -> bool:
    """A further incident, reported to any agency, within the window after the last referral."""
    if last_referral_at is None:
        return False
    end = last_referral_at + timedelta(days=rules.repeat_window_days)
    return any(last_referral_at < moment <= end for moment in times)


def marac_reasons(*, actuarial: RiskLevel, level: RiskLevel, escalation: bool,
                  repeat: bool) -> tuple[MaracReason, ...]:
    """The MARAC criteria met, in the order SafeLives lists them."""
    reasons: list[MaracReason] = []
    if actuarial == RiskLevel.high:
        reasons.append(MaracReason.visible_high_risk)
    elif level == RiskLevel.high:
        reasons.append(MaracReason.professional_judgement)
    if escalation:
        reasons.append(MaracReason.escalation)
    if repeat:
        reasons.append(MaracReason.repeat)
    return tuple(reasons)


def assess(
    answers: Mapping[str, Answer], *, bands: Bands, rules: MaracRules, now: datetime,
    judgement: RiskLevel | None = None, judgement_reason: str | None = None,
    incident_times: Iterable[datetime] = (), last_marac_referral_at: datetime | None = None,
    reported_times: Iterable[datetime] | None = None,
) -> Assessment:
    """Score a checklist and apply judgement, escalation and repeat.

    Escalation counts incidents by when they happened (`incident_times`); repeat by when they
    were reported (`reported_times`, the same times if not given).
    """
    times = list(incident_times)
    ticks = count_ticks(answers)
    actuarial = actuarial_level(ticks, bands)
    level = judged_level(actuarial, judgement, judgement_reason)
    escalation = is_escalation(times, now=now, rules=rules)
    repeat = is_repeat(last_marac_referral_at,
                       times if reported_times is None else reported_times, rules=rules)
    return Assessment(
        ticks=ticks, actuarial_level=actuarial, level=level,
        reasons=marac_reasons(actuarial=actuarial, level=level, escalation=escalation,
                              repeat=repeat),
        incidents_in_window=incidents_within(times, now=now,
                                             days=rules.escalation_window_days),
    )
