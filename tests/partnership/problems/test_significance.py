"""The significance test as a pure function: a table of cases."""

from __future__ import annotations

from math import comb

import pytest

from safetyhub.partnership.problems.significance import Verdict, compare_counts


def _two_sided_binomial(k: int, n: int, p: float) -> float:
    """The exact two-sided p-value: outcomes no more likely than the one observed."""
    probs = [comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(n + 1)]
    return min(1.0, sum(q for q in probs if q <= probs[k] * (1 + 1e-7)))


@pytest.mark.parametrize(
    ("before", "after", "before_days", "after_days", "verdict"),
    [
        (20, 5, 90, 90, Verdict.fewer),          # p = 0.0041
        (5, 20, 90, 90, Verdict.more),
        (10, 8, 90, 90, Verdict.no_clear_change),
        (0, 0, 90, 90, Verdict.no_incidents),
        (30, 10, 90, 30, Verdict.no_clear_change),  # same rate, shorter after window
        (30, 1, 90, 30, Verdict.fewer),
        (4, 0, 90, 90, Verdict.no_clear_change),  # p = 0.125: too few to tell
        (12, 0, 90, 90, Verdict.fewer),
    ],
)
def test_verdicts_and_exact_p_values(
    before: int, after: int, before_days: int, after_days: int, verdict: Verdict
) -> None:
    result = compare_counts(before, after, before_days, after_days)
    assert result.verdict == verdict
    if before + after:
        share = after_days / (before_days + after_days)
        expected = _two_sided_binomial(after, before + after, share)
        assert result.p_value == pytest.approx(expected, rel=1e-6)
    else:
        assert result.p_value == 1.0


def test_known_values() -> None:
    assert compare_counts(20, 5, 90, 90).p_value == pytest.approx(0.0040773, abs=1e-6)
    assert compare_counts(4, 0, 90, 90).p_value == pytest.approx(0.125)
    equal_rates = compare_counts(30, 10, 90, 30)
    assert equal_rates.p_value == pytest.approx(1.0)
    assert equal_rates.rate_ratio == pytest.approx(1.0)
    assert equal_rates.before_rate == pytest.approx(10.0)


def test_rates_and_ratio() -> None:
    result = compare_counts(18, 3, 90, 45)
    assert (result.before_rate, result.after_rate) == (6.0, 2.0)
    assert result.rate_ratio == pytest.approx(1 / 3)
    assert compare_counts(0, 3, 90, 90).rate_ratio is None


@pytest.mark.parametrize(("args"), [(-1, 0, 90, 90), (1, 1, 0, 90), (1, 1, 90, 0)])
def test_refuses_impossible_inputs(args: tuple[int, int, int, int]) -> None:
    with pytest.raises(ValueError):
        compare_counts(*args)
