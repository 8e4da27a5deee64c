"""Routing (Right Care, Right Person; case lead; hub) and indicator configuration, as tables."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from safetyhub.errors import InvalidInput
from safetyhub.risk.config import RoutingParams, load_config, merge
from safetyhub.risk.indicators.common import Indicator, IndicatorResult, Level, RecordRef
from safetyhub.risk.indicators.mental_health import CRIME, IMMEDIATE_RISK
from safetyhub.risk.models import RouteReason
from safetyhub.risk.routing import Directory, route
from tests.risk.facts import case_about

POLICE, SABP, ACUTE, COUNCIL, HUB = (uuid.uuid4() for _ in range(5))
DIRECTORY = Directory(
    kinds={POLICE: "police", SABP: "health", ACUTE: "health", COUNCIL: "council",
           HUB: "partnership_office"},
    names={"Surrey Police": POLICE, "Mental Health Trust": SABP, "Acute Trust": ACUTE,
           "Borough Council": COUNCIL, "Commissioner's Office": HUB},
)
DEFAULT = RoutingParams()


def _result(indicator: Indicator, owners: list[uuid.UUID], flags: frozenset[str] = frozenset()
            ) -> IndicatorResult:
    refs = tuple(RecordRef("incident", uuid.uuid4(), owner) for owner in owners)
    return IndicatorResult(indicator, Level.medium, 1.0, (), refs, flags)


ROUTES: list[tuple[str, IndicatorResult, bool, list[tuple[uuid.UUID, RouteReason]]]] = [
    ("mental health goes to the health partner that recorded the crises",
     _result(Indicator.mental_health, [ACUTE, SABP, SABP]), False,
     [(SABP, RouteReason.right_care_health)]),
    ("a real and immediate risk to life adds the police",
     _result(Indicator.mental_health, [SABP], frozenset({IMMEDIATE_RISK})), False,
     [(SABP, RouteReason.right_care_health), (POLICE, RouteReason.right_care_police)]),
    ("a crime to investigate adds the police",
     _result(Indicator.mental_health, [SABP], frozenset({CRIME})), False,
     [(SABP, RouteReason.right_care_health), (POLICE, RouteReason.right_care_police)]),
    ("mental health stays with health even with an open case",
     _result(Indicator.mental_health, [SABP]), True, [(SABP, RouteReason.right_care_health)]),
    ("crises recorded by police only still go to a health partner",
     _result(Indicator.mental_health, [POLICE]), False,
     [(ACUTE, RouteReason.right_care_health)]),
    ("an open case's lead agency",
     _result(Indicator.repeat_victim, [POLICE, POLICE]), True,
     [(COUNCIL, RouteReason.case_lead)]),
    ("otherwise the partnership hub",
     _result(Indicator.repeat_victim, [POLICE, POLICE]), False,
     [(HUB, RouteReason.partnership_hub)]),
]


@pytest.mark.parametrize(("result", "with_case", "expected"),
                         [(r, c, e) for _, r, c, e in ROUTES], ids=[n for n, *_ in ROUTES])
def test_route(result: IndicatorResult, with_case: bool,
               expected: list[tuple[uuid.UUID, RouteReason]]) -> None:
    cases = [case_about("open", lead=COUNCIL)] if with_case else [case_about("closed", POLICE)]
    assert route(result, cases, DIRECTORY, DEFAULT) == expected


def test_configured_partners_win() -> None:
    params = RoutingParams(mental_health_partner="Acute Trust", hub="Commissioner's Office")
    result = _result(Indicator.mental_health, [SABP])
    assert route(result, [], DIRECTORY, params) == [(ACUTE, RouteReason.right_care_health)]


def test_without_a_hub_the_agency_holding_most_evidence_takes_it() -> None:
    directory = Directory({POLICE: "police", COUNCIL: "council"},
                          {"Surrey Police": POLICE, "Borough Council": COUNCIL})
    result = _result(Indicator.repeat_victim, [COUNCIL, POLICE, COUNCIL])
    assert route(result, [], directory, DEFAULT) == [(COUNCIL, RouteReason.fallback)]


def test_a_partnership_overrides_only_what_it_names(tmp_path: Path) -> None:
    override = tmp_path / "ours.toml"
    override.write_text("[repeat_victim]\nwindow_days = 180\nhigh_at = 4\n", encoding="utf-8")
    config = load_config(override)
    shipped = load_config()
    assert config.repeat_victim.window_days == 180
    assert config.repeat_victim.high_at == 4
    assert config.repeat_victim.repeat_at == shipped.repeat_victim.repeat_at
    assert config.exploitation == shipped.exploitation


def test_the_override_file_comes_from_the_settings(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    override = tmp_path / "ours.toml"
    override.write_text("[known_to_many]\nagencies_at = 4\n", encoding="utf-8")
    monkeypatch.setenv("SAFETYHUB_RISK_CONFIG_PATH", str(override))
    from safetyhub.config import get_settings

    get_settings.cache_clear()
    assert load_config().known_to_many.agencies_at == 4


@pytest.mark.parametrize(("text", "message"), [
    ("[repeat_victim]\nwindow_days = -1\n", "repeat_victim.window_days"),
    ("[repeat_victim]\nunknown = 1\n", "repeat_victim.unknown"),
    ("[repeat_victim]\nrepeat_at = 5\nhigh_at = 3\n", "high level"),
    ("[repeat_victim\n", "not valid TOML"),
])
def test_bad_overrides_are_refused_clearly(tmp_path: Path, text: str, message: str) -> None:
    override = tmp_path / "bad.toml"
    override.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        load_config(override)


def test_merge_replaces_values_and_merges_tables() -> None:
    merged = merge({"a": {"x": 1, "y": 2}, "b": [1]}, {"a": {"y": 3}, "b": [2]})
    assert merged == {"a": {"x": 1, "y": 3}, "b": [2]}
