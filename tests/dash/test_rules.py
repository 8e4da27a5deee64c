"""DASH banding, the judgement rule, escalation and repeat as tables of cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from safetyhub.cases.models import RiskLevel
from safetyhub.dash.checklist import checklist, parse_checklist
from safetyhub.dash.rules import (
    Answer,
    Bands,
    MaracReason,
    MaracRules,
    actuarial_level,
    assess,
    is_escalation,
    is_repeat,
    judged_level,
)
from safetyhub.errors import InvalidInput

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BANDS, RULES = Bands(), MaracRules()


def answers(yes: int, total: int = 24) -> dict[str, Answer]:
    return {f"q{i}": Answer.yes if i < yes else Answer.no for i in range(total)}


@pytest.mark.parametrize(
    ("ticks", "level"),
    [(0, RiskLevel.standard), (1, RiskLevel.standard), (9, RiskLevel.standard),
     (10, RiskLevel.medium), (13, RiskLevel.medium), (14, RiskLevel.high),
     (24, RiskLevel.high)],
)
def test_bands_by_ticks(ticks: int, level: RiskLevel) -> None:
    assert actuarial_level(ticks, BANDS) == level
    result = assess(answers(ticks), bands=BANDS, rules=RULES, now=NOW)
    assert result.ticks == ticks and result.level == level
    assert result.marac_suggested is (level == RiskLevel.high)


def test_not_known_is_not_a_tick() -> None:
    mixed = {"a": Answer.yes, "b": Answer.not_known, "c": Answer.no}
    assert assess(mixed, bands=BANDS, rules=RULES, now=NOW).ticks == 1


def test_judgement_may_raise_with_a_reason_and_never_lower() -> None:
    assert judged_level(RiskLevel.standard, RiskLevel.high, "Threats with a knife") == (
        RiskLevel.high)
    assert judged_level(RiskLevel.medium, RiskLevel.medium, None) == RiskLevel.medium
    with pytest.raises(InvalidInput, match="never lower"):
        judged_level(RiskLevel.high, RiskLevel.medium, "Victim says it is calmer")
    with pytest.raises(InvalidInput, match="reason"):
        judged_level(RiskLevel.standard, RiskLevel.medium, "  ")
    raised = assess(answers(5), bands=BANDS, rules=RULES, now=NOW, judgement=RiskLevel.high,
                    judgement_reason="Strangulation last week")
    assert raised.actuarial_level == RiskLevel.standard and raised.level == RiskLevel.high
    assert raised.reasons == (MaracReason.professional_judgement,)
    medium = assess(answers(5), bands=BANDS, rules=RULES, now=NOW, judgement=RiskLevel.medium,
                    judgement_reason="Escalating jealousy")
    assert medium.level == RiskLevel.medium and not medium.marac_suggested


@pytest.mark.parametrize(
    ("days_ago", "escalates"),
    [([10, 100, 300], True), ([10, 100], False), ([10, 100, 366], False),
     ([1, 2, 3, 4], True)],
)
def test_escalation_is_three_incidents_in_twelve_months(
    days_ago: list[int], escalates: bool
) -> None:
    times = [NOW - timedelta(days=d) for d in days_ago]
    assert is_escalation(times, now=NOW, rules=RULES) is escalates
    result = assess(answers(2), bands=BANDS, rules=RULES, now=NOW, incident_times=times)
    assert (MaracReason.escalation in result.reasons) is escalates
    assert is_escalation(times[:2], now=NOW, rules=MaracRules(escalation_incidents=2))


def test_repeat_is_a_further_incident_within_twelve_months_of_the_last_referral() -> None:
    referral = NOW - timedelta(days=200)
    after = [referral + timedelta(days=30)]
    assert is_repeat(referral, after, rules=RULES)
    assert not is_repeat(referral, [referral - timedelta(days=1)], rules=RULES)
    assert not is_repeat(referral, [referral + timedelta(days=366)], rules=RULES)
    assert not is_repeat(None, after, rules=RULES)
    result = assess(answers(3), bands=BANDS, rules=RULES, now=NOW, incident_times=after,
                    last_marac_referral_at=referral)
    assert result.reasons == (MaracReason.repeat,)


def test_the_shipped_checklist_has_the_24_dash_questions_in_english_and_german() -> None:
    shipped = checklist()
    assert len(shipped.questions) == 24
    assert len(set(shipped.keys)) == 24
    assert all(q.text_in("de") != q.text_in("en") for q in shipped.questions)
    assert shipped.questions[0].text_in("en").startswith("Has the current incident")
    assert shipped.bands == Bands(10, 14)


def test_a_local_checklist_replaces_the_questions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "dash.toml"
    local.write_text('[[questions]]\nkey = "one"\ntext = "Only question?"\n'
                     "[bands]\nmedium_from = 1\nhigh_from = 2\n", encoding="utf-8")
    monkeypatch.setenv("SAFETYHUB_DASH_CHECKLIST_FILE", str(local))
    from safetyhub.config import get_settings

    get_settings.cache_clear()
    mine = checklist()
    assert mine.keys == ("one",) and mine.questions[0].text_in("de") == "Only question?"
    assert mine.bands == Bands(1, 2)
    with pytest.raises(InvalidInput):
        parse_checklist({"questions": [{"key": "x"}]})
    with pytest.raises(InvalidInput):
        parse_checklist({"questions": [{"key": "x", "text": "a"}],
                         "bands": {"medium_from": 5, "high_from": 3}})
