"""Did the count change? The conditional exact test for two Poisson counts (a pure function).

Under no change in the underlying rate, given n = before + after incidents in total, the
number after is Binomial(n, t_after / (t_before + t_after)) where t are the window lengths
(Przyborowski and Wilenski, 1940). The p-value is two-sided (scipy's binomtest: the
probability of an outcome no more likely than the one observed).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from scipy.stats import binomtest  # type: ignore[import-untyped]

from safetyhub.text import N_

SIGNIFICANCE_LEVEL = 0.05


class Verdict(StrEnum):
    """What the comparison says, in one word."""

    no_incidents = "no_incidents"
    fewer = "fewer"
    more = "more"
    no_clear_change = "no_clear_change"


VERDICT_WORDS: dict[Verdict, str] = {
    Verdict.no_incidents: N_("No incidents in either window: there is nothing to compare."),
    Verdict.fewer: N_("Fewer incidents after the response began, and the fall is unlikely to "
                      "be chance alone."),
    Verdict.more: N_("More incidents after the response began, and the rise is unlikely to be "
                     "chance alone."),
    Verdict.no_clear_change: N_("No clear change: a difference this size could be chance."),
}


@dataclass(frozen=True)
class RateComparison:
    """Counts and rates before and after, the p-value and the verdict."""

    before: int
    after: int
    before_days: int
    after_days: int
    p_value: float
    verdict: Verdict

    @property
    def before_rate(self) -> float:
        """Incidents per 30 days before."""
        return 30 * self.before / self.before_days

    @property
    def after_rate(self) -> float:
        """Incidents per 30 days after."""
        return 30 * self.after / self.after_days

    @property
    def rate_ratio(self) -> float | None:
        """The after rate over the before rate (None when there were none before)."""
        return None if self.before == 0 else self.after_rate / self.before_rate

    @property
    def verdict_words(self) -> str:
        """The verdict in plain English."""
        return VERDICT_WORDS[self.verdict]


def compare_counts(
    before: int, after: int, before_days: int, after_days: int,
    *, alpha: float = SIGNIFICANCE_LEVEL,
) -> RateComparison:
    """Compare `before` incidents in `before_days` days with `after` in `after_days` days."""
    if before < 0 or after < 0:
        raise ValueError("counts cannot be negative")
    if before_days <= 0 or after_days <= 0:
        raise ValueError("both windows need at least one day")
    total = before + after
    if total == 0:
        return RateComparison(before, after, before_days, after_days, 1.0, Verdict.no_incidents)
    share = after_days / (before_days + after_days)
    p_value = float(binomtest(after, total, share, alternative="two-sided").pvalue)
    p_value = min(p_value, 1.0)
    verdict = Verdict.no_clear_change
    if p_value < alpha:
        fewer = after * before_days < before * after_days
        verdict = Verdict.fewer if fewer else Verdict.more
    return RateComparison(before, after, before_days, after_days, p_value, verdict)
