"""Table tests for the place indicators: repeat place, and exploitation (cuckooing) signs."""

from __future__ import annotations

import pytest

from safetyhub.risk.addresses import lives_at
from safetyhub.risk.indicators.facts import PlaceFacts
from safetyhub.risk.indicators.places import exploitation, place_escalation, repeat_place
from tests.risk.facts import (
    AS_OF,
    CONFIG,
    COUNCIL,
    HOME,
    HOUSING,
    POLICE,
    at_place,
    inc,
    place,
)

SMALL = CONFIG.repeat_place.model_copy(update={"repeat_at": 2, "high_at": 3})
ASB = "asb_nuisance"


def _asb(days: float, **extra: object) -> object:
    return at_place(inc(days, category=ASB, place=HOME, **extra))  # type: ignore[arg-type]


REPEAT_PLACE: list[tuple[str, PlaceFacts, str | None]] = [
    ("one incident", place(_asb(10)), None),  # type: ignore[arg-type]
    ("exactly at the threshold", place(_asb(10), _asb(100)), "medium"),  # type: ignore[arg-type]
    ("high", place(_asb(10), _asb(100), _asb(150)), "high"),  # type: ignore[arg-type]
    ("one day outside the window", place(_asb(10), _asb(183)), None),  # type: ignore[arg-type]
    ("the same incident reported to police and the council counts once",
     place(_asb(10), _asb(10, org=COUNCIL, hours=1)), None),  # type: ignore[arg-type]
    ("categories outside the rule do not count",
     place(_asb(10), at_place(inc(20, category="shoplifting", place=HOME))), None),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("facts", "expected"), [(f, e) for _, f, e in REPEAT_PLACE],
                         ids=[name for name, _, _ in REPEAT_PLACE])
def test_repeat_place(facts: PlaceFacts, expected: str | None) -> None:
    result = repeat_place(facts, SMALL, CONFIG.occurrence, AS_OF)
    assert (None if result is None else result.level.value) == expected


def test_shipped_repeat_place_thresholds_are_for_busy_places() -> None:
    busy = place(*[_asb(5 + 12 * k) for k in range(14)])  # type: ignore[arg-type]
    assert repeat_place(busy, CONFIG.repeat_place, CONFIG.occurrence, AS_OF) is None
    facts = place(*[_asb(5 + 11 * k) for k in range(15)])  # type: ignore[arg-type]
    result = repeat_place(facts, CONFIG.repeat_place, CONFIG.occurrence, AS_OF)
    assert result is not None and result.level.value == "medium"
    assert result.reasons[0].counts["occurrences"] == 15


RESIDENT = "identity:resident"


def _concern(days: float = 200, lives_here: bool = True) -> object:
    return at_place(inc(days, org=COUNCIL, category="welfare_concern", place=HOME),
                    (RESIDENT, "subject", lives_here))


def _drugs(days: float, *associates: str) -> object:
    return at_place(inc(days, category="drugs", place=HOME),
                    *[(a, "subject") for a in associates], (RESIDENT, "witness"))


def _visitors(days: float) -> object:
    return at_place(inc(days, org=HOUSING, category=ASB, place=HOME),
                    (f"person:neighbour-{days}", "complainant"))


EXPLOITATION: list[tuple[str, list[object], str | None, set[str]]] = [
    ("drugs, visitors, new associates and an exploitation concern: high",
     [_concern(), _drugs(10, "identity:a"), _drugs(30, "identity:b"), _visitors(15),
      _visitors(40), at_place(inc(20, org=COUNCIL, category="exploitation_concern",
                                  place=HOME))],
     "high", {"drugs", "visitors", "new_associates", "exploitation_concern"}),
    ("exactly at the threshold: three signs",
     [_concern(), _drugs(10, "identity:a"), _drugs(30, "identity:b"), _visitors(15),
      _visitors(40)], "medium", {"drugs", "visitors", "new_associates"}),
    ("two signs only", [_concern(), _drugs(10), _visitors(15), _visitors(40)], None, set()),
    ("a concern about someone who does not live there",
     [_concern(lives_here=False), _drugs(10, "identity:a"), _drugs(30, "identity:b"),
      _visitors(15), _visitors(40)], None, set()),
    ("not a vulnerable person's home",
     [_drugs(10, "identity:a"), _drugs(30, "identity:b"), _visitors(15), _visitors(40)], None,
     set()),
    ("the concern one day outside the lookback",
     [_concern(731), _drugs(10, "identity:a"), _drugs(30, "identity:b"), _visitors(15),
      _visitors(40)], None, set()),
    ("associates seen there before the window are not new",
     [_concern(), _drugs(300, "identity:a", "identity:b"), _drugs(10, "identity:a"),
      _drugs(30, "identity:b"), _visitors(15), _visitors(40)], None, set()),
    ("signs one day outside the window do not count",
     [_concern(), _drugs(121, "identity:a", "identity:b"), _visitors(15), _visitors(40),
      at_place(inc(20, category="missing_episode", place=HOME))], None, set()),
    ("a missing child, an exploitation concern and drugs",
     [_concern(), at_place(inc(10, category="missing_episode", place=HOME)),
      at_place(inc(20, org=COUNCIL, category="exploitation_concern", place=HOME)),
      _drugs(30)], "medium", {"missing_child", "exploitation_concern", "drugs"}),
    ("one visitor complaint made to housing and the council counts once",
     [_concern(), _drugs(10, "identity:a", "identity:b"), _visitors(20),
      at_place(inc(20, org=COUNCIL, category=ASB, place=HOME, hours=1))], None, set()),
]


@pytest.mark.parametrize(("parts", "expected", "signals"),
                         [(p, e, s) for _, p, e, s in EXPLOITATION],
                         ids=[name for name, _, _, _ in EXPLOITATION])
def test_exploitation(parts: list[object], expected: str | None, signals: set[str]) -> None:
    facts = place(*parts)  # type: ignore[arg-type]
    result = exploitation(facts, CONFIG.exploitation, CONFIG.occurrence, AS_OF)
    assert (None if result is None else result.level.value) == expected
    if result is not None:
        assert result.flags == signals
        counts = result.reasons[0].counts
        assert counts["signals"] == len(signals)
        assert counts["vulnerability_concerns"] >= 1


def test_exploitation_contributing_records_include_the_concern() -> None:
    concern = _concern()
    facts = place(concern, _drugs(10, "identity:a", "identity:b"), _visitors(15),  # type: ignore[arg-type]
                  _visitors(40))
    result = exploitation(facts, CONFIG.exploitation, CONFIG.occurrence, AS_OF)
    assert result is not None
    assert concern.incident.incident_id in result.incident_ids  # type: ignore[attr-defined]
    assert {r.owner_organisation_id for r in result.records} == {COUNCIL, POLICE, HOUSING}


@pytest.mark.parametrize(("record", "place_address", "expected"), [
    (("98 Hazel Road, Merrow", "GU4 5GX"), ("98 Hazel Road, Merrow", "GU4 5GX"), True),
    (("98 Hazel Rd", "gu45gx"), ("98 Hazel Road, Merrow", "GU4 5GX"), True),
    (("Flat 3, Kestrel House, Elm Rd", "GU1 4RR"), ("Flat 3, Kestrel House, Elm Road", "GU1 4RR"),
     True),
    (("Flat 4, Kestrel House, Elm Rd", "GU1 4RR"), ("Flat 3, Kestrel House, Elm Road", "GU1 4RR"),
     False),
    (("12 Oak Street", "GU1 4RR"), ("Elm Park, Oak Street, Guildford", "GU1 4RR"), False),
    (("98 Hazel Road", None), ("98 Hazel Road", "GU4 5GX"), False),
    (("98 Hazel Road", "GU4 5GY"), ("98 Hazel Road", "GU4 5GX"), False),
])
def test_lives_at(record: tuple[str, str | None], place_address: tuple[str, str],
                  expected: bool) -> None:
    assert lives_at(*record, *place_address) is expected


def _at(days: float, category: str = ASB, **extra: object) -> object:
    return at_place(inc(days, category=category, place=HOME, **extra))  # type: ignore[arg-type]


RECENT_SIX = [_at(5 + 10 * k) for k in range(6)]  # days 5..55: six in the 90-day recent window
BASELINE_TWO = [_at(120), _at(250)]

PLACE_ESCALATION: list[tuple[str, list[object], str | None, set[str]]] = [
    ("exactly at the threshold: six recent against two before", [*RECENT_SIX, *BASELINE_TWO],
     "medium", {"escalation_frequency"}),
    ("one fewer recent incident", [*RECENT_SIX[:5], *BASELINE_TWO], None, set()),
    ("the baseline reaches back exactly 365 days", [*RECENT_SIX, _at(120), _at(364.99)],
     "medium", {"escalation_frequency"}),
    ("one day outside the window: the old incident is not baseline",
     [*RECENT_SIX, _at(120), _at(366)], None, set()),
    ("one day outside the recent window: baseline, not recent",
     [*RECENT_SIX[:5], _at(91), *BASELINE_TWO], None, set()),
    ("the same incident reported to police and the council counts once",
     [*RECENT_SIX[:5], _at(45, org=COUNCIL, hours=1), *BASELINE_TWO], None, set()),
    ("a steady place is not escalating",
     [*RECENT_SIX, *[_at(100 + 20 * k) for k in range(10)]], None, set()),
    ("rising severity: robberies where there was nuisance",
     [*[_at(10 + 10 * k, "robbery") for k in range(4)], *BASELINE_TWO], "medium",
     {"escalation_severity"}),
    ("rising frequency and severity: high",
     [*[_at(5 + 10 * k, "robbery") for k in range(6)], *BASELINE_TWO], "high",
     {"escalation_frequency", "escalation_severity"}),
]


@pytest.mark.parametrize(("parts", "expected", "rules"),
                         [(p, e, r) for _, p, e, r in PLACE_ESCALATION],
                         ids=[name for name, _, _, _ in PLACE_ESCALATION])
def test_place_escalation(parts: list[object], expected: str | None, rules: set[str]) -> None:
    facts = place(*parts)  # type: ignore[arg-type]
    result = place_escalation(facts, CONFIG.place_escalation, CONFIG.occurrence,
                              CONFIG.severity, AS_OF)
    assert (None if result is None else result.level.value) == expected
    if result is not None:
        assert {r.rule for r in result.reasons} == rules
        assert all(r.window_days == 90 for r in result.reasons)
        assert result.reasons[0].counts["recent"] >= 4
        assert len(result.incident_ids) == len(parts)


def test_place_escalation_counts_only_its_categories() -> None:
    robberies = [_at(5 + 10 * k, "robbery") for k in range(6)]
    facts = place(*robberies, *BASELINE_TWO)  # type: ignore[arg-type]
    only_asb = CONFIG.place_escalation.model_copy(update={"categories": (ASB,)})
    assert place_escalation(facts, only_asb, CONFIG.occurrence, CONFIG.severity, AS_OF) is None
    off = CONFIG.place_escalation.model_copy(update={"enabled": False})
    assert place_escalation(facts, off, CONFIG.occurrence, CONFIG.severity, AS_OF) is None
