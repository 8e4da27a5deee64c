"""Table tests for the person indicators: thresholds, window edges, one incident at two agencies."""

from __future__ import annotations

import uuid

import pytest

from safetyhub.risk.indicators.common import Level
from safetyhub.risk.indicators.domestic_abuse import domestic_abuse_escalation, marac_repeat
from safetyhub.risk.indicators.facts import PersonFacts
from safetyhub.risk.indicators.mental_health import CRIME, IMMEDIATE_RISK, mental_health_crises
from safetyhub.risk.indicators.people import escalation, known_to_many, repeat_victim
from tests.risk.facts import (
    AS_OF,
    CONFIG,
    COUNCIL,
    HEALTH,
    HOME,
    HOUSING,
    IDVA,
    POLICE,
    ago,
    case_about,
    inc,
    person,
    rec,
)

V = "victim"
S = "subject"
W = "witness"
OTHER_PLACE = uuid.uuid4()


def _level(result: object) -> str | None:
    return None if result is None else result.level.value  # type: ignore[attr-defined]


REPEAT_VICTIM: list[tuple[str, PersonFacts, str | None]] = [
    ("one incident", person((inc(10), V)), None),
    ("exactly at the threshold: two in 12 months", person((inc(10), V), (inc(200), V)),
     "medium"),
    ("three in 12 months is high", person((inc(10), V), (inc(100), V), (inc(300), V)), "high"),
    ("the window's first moment counts", person((inc(10), V), (inc(365), V)), "medium"),
    ("one day outside the window", person((inc(10), V), (inc(366), V)), None),
    ("witness, not victim", person((inc(10), V), (inc(20), W)), None),
    ("the same incident at two agencies counts once",
     person((inc(10, place=HOME), V), (inc(10, org=HEALTH, place=HOME, hours=1), V)), None),
    ("two agencies, one occurrence, plus another: repeat, not high",
     person((inc(10, place=HOME), V), (inc(10, org=HEALTH, place=HOME, hours=1), V),
            (inc(90), V)), "medium"),
    ("the same agency twice the same night is two incidents",
     person((inc(10, place=HOME), V), (inc(10, place=HOME, hours=1), V)), "medium"),
    ("two agencies hours apart are two incidents",
     person((inc(10, place=HOME), V), (inc(10, org=HEALTH, place=HOME, hours=5), V)), "medium"),
    ("two agencies at two places are two incidents",
     person((inc(10, place=HOME), V), (inc(10, org=HEALTH, place=OTHER_PLACE, hours=1), V)),
     "medium"),
]


@pytest.mark.parametrize(("facts", "expected"), [(f, e) for _, f, e in REPEAT_VICTIM],
                         ids=[name for name, _, _ in REPEAT_VICTIM])
def test_repeat_victim(facts: PersonFacts, expected: str | None) -> None:
    result = repeat_victim(facts, CONFIG.repeat_victim, CONFIG.occurrence, AS_OF)
    assert _level(result) == expected


def test_repeat_victim_explains_itself() -> None:
    first = inc(10, place=HOME)
    again = inc(10, org=HEALTH, place=HOME, hours=1)
    third = inc(90)
    result = repeat_victim(person((first, V), (again, V), (third, V)), CONFIG.repeat_victim,
                           CONFIG.occurrence, AS_OF)
    assert result is not None
    (reason,) = result.reasons
    assert reason.rule == "repeat_victim"
    assert reason.window_days == 365
    assert reason.window_end == AS_OF
    assert reason.counts == {"occurrences": 2, "reports": 3, "agencies": 2, "threshold": 2}
    assert result.incident_ids == {first.incident_id, again.incident_id, third.incident_id}


KNOWN_TO_MANY: list[tuple[str, PersonFacts, str | None]] = [
    ("records at three agencies in 90 days",
     person(records=[rec(10, POLICE), rec(40, COUNCIL), rec(80, HEALTH)]), "medium"),
    ("two agencies only", person(records=[rec(10, POLICE), rec(40, COUNCIL)]), None),
    ("the third record one day outside 90 days",
     person(records=[rec(10, POLICE), rec(40, COUNCIL), rec(91, HEALTH)]), None),
    ("the third record exactly 90 days ago",
     person(records=[rec(10, POLICE), rec(40, COUNCIL), rec(90, HEALTH)]), "medium"),
    ("an incident at a third agency counts",
     person((inc(5, org=HEALTH), S), records=[rec(10, POLICE), rec(40, COUNCIL)]), "medium"),
    ("an open case coordinates them",
     person(records=[rec(10, POLICE), rec(40, COUNCIL), rec(80, HEALTH)],
            cases=[case_about("open")]), None),
    ("a closed case does not",
     person(records=[rec(10, POLICE), rec(40, COUNCIL), rec(80, HEALTH)],
            cases=[case_about("closed")]), "medium"),
    ("five agencies is high",
     person(records=[rec(1, POLICE), rec(2, COUNCIL), rec(3, HEALTH), rec(4, HOUSING),
                     rec(5, IDVA)]), "high"),
]


@pytest.mark.parametrize(("facts", "expected"), [(f, e) for _, f, e in KNOWN_TO_MANY],
                         ids=[name for name, _, _ in KNOWN_TO_MANY])
def test_known_to_many(facts: PersonFacts, expected: str | None) -> None:
    assert _level(known_to_many(facts, CONFIG.known_to_many, AS_OF)) == expected


ESCALATION: list[tuple[str, PersonFacts, str | None]] = [
    ("three recent after one before: rising frequency",
     person((inc(200, category="asb_nuisance"), S), (inc(10, category="asb_nuisance"), S),
            (inc(30, category="asb_nuisance"), S), (inc(60, category="asb_nuisance"), S)),
     "medium"),
    ("no history: nothing to rise from",
     person((inc(10), S), (inc(30), S), (inc(60), S)), None),
    ("two recent is below the minimum",
     person((inc(200, category="asb_nuisance"), S), (inc(10, category="asb_nuisance"), S),
            (inc(30, category="asb_nuisance"), S)), None),
    ("rising severity: nuisance before, violence now",
     person((inc(200, category="asb_nuisance"), V), (inc(10), V), (inc(30), V)), "medium"),
    ("rising frequency and severity at once is high",
     person((inc(200, category="asb_nuisance"), V), (inc(10), V), (inc(30), V), (inc(60), V)),
     "high"),
    ("three recent reports but two are one occurrence",
     person((inc(200, category="asb_nuisance"), S),
            (inc(10, category="asb_nuisance", place=HOME), S),
            (inc(10, org=COUNCIL, category="asb_nuisance", place=HOME, hours=1), S),
            (inc(30, category="asb_nuisance"), S)), None),
    ("history older than the baseline window does not count",
     person((inc(400, category="asb_nuisance"), S), (inc(10), S), (inc(30), S), (inc(60), S)),
     None),
]


@pytest.mark.parametrize(("facts", "expected"), [(f, e) for _, f, e in ESCALATION],
                         ids=[name for name, _, _ in ESCALATION])
def test_escalation(facts: PersonFacts, expected: str | None) -> None:
    result = escalation(facts, CONFIG.escalation, CONFIG.occurrence, CONFIG.severity, AS_OF)
    assert _level(result) == expected


DA = "domestic_abuse"
DOMESTIC_ABUSE: list[tuple[str, PersonFacts, str | None]] = [
    ("exactly three in 12 months: MARAC",
     person((inc(10, category=DA), V), (inc(60, category=DA), V), (inc(300, category=DA), V)),
     "high"),
    ("two", person((inc(10, category=DA), V), (inc(60, category=DA), V)), None),
    ("the first one day outside 12 months",
     person((inc(10, category=DA), V), (inc(60, category=DA), V), (inc(366, category=DA), V)),
     None),
    ("police and the IDVA reporting the same incident count once",
     person((inc(10, category=DA, place=HOME), V),
            (inc(10, org=IDVA, category=DA, place=HOME, hours=2), V),
            (inc(60, category=DA), V)), None),
    ("the perpetrator's incidents are not victimisation",
     person((inc(10, category=DA), S), (inc(60, category=DA), S), (inc(90, category=DA), S)),
     None),
    ("other categories do not count",
     person((inc(10, category=DA), V), (inc(60, category=DA), V), (inc(90), V)), None),
]


@pytest.mark.parametrize(("facts", "expected"), [(f, e) for _, f, e in DOMESTIC_ABUSE],
                         ids=[name for name, _, _ in DOMESTIC_ABUSE])
def test_domestic_abuse_escalation(facts: PersonFacts, expected: str | None) -> None:
    result = domestic_abuse_escalation(facts, CONFIG.domestic_abuse, CONFIG.occurrence, AS_OF)
    assert _level(result) == expected


MARAC: list[tuple[str, PersonFacts, str | None]] = [
    ("a further incident after the referral",
     person((inc(10, category=DA), V), marac=[ago(100)]), "high"),
    ("no referral", person((inc(10, category=DA), V)), None),
    ("the incident came before the referral",
     person((inc(150, category=DA), V), marac=[ago(100)]), None),
    ("more than 12 months after the referral",
     person((inc(10, category=DA), V), marac=[ago(400)]), None),
    ("the last referral counts",
     person((inc(150, category=DA), V), (inc(10, category=DA), V),
            marac=[ago(200), ago(100)]), "high"),
]


@pytest.mark.parametrize(("facts", "expected"), [(f, e) for _, f, e in MARAC],
                         ids=[name for name, _, _ in MARAC])
def test_marac_repeat(facts: PersonFacts, expected: str | None) -> None:
    result = marac_repeat(facts, CONFIG.domestic_abuse, CONFIG.occurrence, AS_OF)
    assert _level(result) == expected


MH = "mental_health_crisis"


def _crises(n: int, **extra: str) -> list[tuple[object, str]]:
    return [(inc(5 + 20 * k, org=HEALTH, category=MH, **extra), S) for k in range(n)]


MENTAL_HEALTH: list[tuple[str, PersonFacts, str | None, frozenset[str]]] = [
    ("exactly three crises in 90 days", person(*_crises(3)), "medium", frozenset()),
    ("two crises", person(*_crises(2)), None, frozenset()),
    ("five crises is high",
     person(*[(inc(2 + 15 * k, org=HEALTH, category=MH), S) for k in range(5)]), "high",
     frozenset()),
    ("one crisis one day outside 90 days",
     person(*_crises(2), (inc(91, org=HEALTH, category=MH), S)), None, frozenset()),
    ("a named risk to life adds the police",
     person(*_crises(2), (inc(3, org=HEALTH, category=MH, narrative="Took an overdose."), S)),
     "high", frozenset({IMMEDIATE_RISK})),
    ("a crime in the window adds the police",
     person(*_crises(3), (inc(20, category="possession_of_weapons"), S)), "high",
     frozenset({CRIME})),
    ("police and health attending one crisis count once",
     person(*_crises(2), (inc(5, org=POLICE, category=MH, hours=1), S)), None, frozenset()),
]


@pytest.mark.parametrize(("facts", "expected", "flags"),
                         [(f, e, g) for _, f, e, g in MENTAL_HEALTH],
                         ids=[name for name, _, _, _ in MENTAL_HEALTH])
def test_mental_health(facts: PersonFacts, expected: str | None, flags: frozenset[str]) -> None:
    result = mental_health_crises(facts, CONFIG.mental_health, CONFIG.occurrence, AS_OF)
    assert _level(result) == expected
    if result is not None:
        assert result.flags == flags


def test_disabled_indicator_never_fires() -> None:
    params = CONFIG.repeat_victim.model_copy(update={"enabled": False})
    facts = person((inc(10), V), (inc(20), V), (inc(30), V))
    assert repeat_victim(facts, params, CONFIG.occurrence, AS_OF) is None


def test_level_enum_values() -> None:
    assert {level.value for level in Level} == {"medium", "high"}
