"""The threshold rule as a table of cases (pure functions, no database)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from safetyhub.casereview.parameters import parse_parameters
from safetyhub.casereview.rules import (
    Complaint,
    Deadlines,
    Exclusion,
    ThresholdParameters,
    ThresholdRule,
    add_months,
    check_threshold,
    due_dates,
    reporting_year,
    year_bounds,
)
from safetyhub.errors import InvalidInput

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DEFAULT = ThresholdParameters()
POLICE, COUNCIL, HOUSING = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def complaint(days_ago: float, *, reported_after_days: float = 1, org: uuid.UUID = POLICE,
              category: str = "asb_nuisance", who: str | None = "victim",
              place: str | None = None, reported_at: datetime | None = None) -> Complaint:
    occurred = NOW - timedelta(days=days_ago)
    return Complaint(
        incident_id=uuid.uuid4(), organisation_id=org, category=category, occurred_at=occurred,
        reported_at=reported_at or occurred + timedelta(days=reported_after_days),
        complainant_key=who, place_key=place,
    )


@pytest.mark.parametrize(
    ("complaints", "met", "counted"),
    [
        pytest.param([complaint(10), complaint(40), complaint(70)], True, 3, id="exactly-3"),
        pytest.param([complaint(10), complaint(40)], False, 2, id="two-only"),
        pytest.param([complaint(10), complaint(40), complaint(70), complaint(100)], True, 4,
                     id="four"),
    ],
)
def test_three_qualifying_complaints_meet_the_default_threshold(
    complaints: list[Complaint], met: bool, counted: int
) -> None:
    result = check_threshold(complaints, now=NOW, params=DEFAULT)
    assert result.met is met
    assert result.qualifying_complaints == counted
    assert result.rule == (ThresholdRule.complaints if met else None)


def test_a_complaint_one_day_outside_six_months_does_not_count() -> None:
    six_months_ago = add_months(NOW, -6)
    inside = Complaint(uuid.uuid4(), POLICE, "asb_nuisance",
                       six_months_ago - timedelta(days=2), six_months_ago, "victim")
    outside = Complaint(uuid.uuid4(), POLICE, "asb_nuisance",
                        six_months_ago - timedelta(days=3), six_months_ago - timedelta(days=1),
                        "victim")
    recent = [complaint(5), complaint(50)]
    assert check_threshold([*recent, inside], now=NOW, params=DEFAULT).met
    result = check_threshold([*recent, outside], now=NOW, params=DEFAULT)
    assert not result.met
    assert result.qualifying_complaints == 2
    assert result.excluded == {Exclusion.outside_window: 1}


def test_a_complaint_made_more_than_a_month_after_the_behaviour_does_not_count() -> None:
    occurred = NOW - timedelta(days=100)
    on_time = Complaint(uuid.uuid4(), POLICE, "asb_personal", occurred, add_months(occurred, 1),
                        "victim")
    late = Complaint(uuid.uuid4(), POLICE, "asb_personal", occurred,
                     add_months(occurred, 1) + timedelta(days=1), "victim")
    recent = [complaint(5), complaint(50)]
    assert check_threshold([*recent, on_time], now=NOW, params=DEFAULT).met
    result = check_threshold([*recent, late], now=NOW, params=DEFAULT)
    assert not result.met
    assert result.excluded == {Exclusion.reported_late: 1}


def test_one_incident_reported_to_two_agencies_counts_once() -> None:
    first = complaint(30, org=POLICE)
    same = Complaint(uuid.uuid4(), COUNCIL, "asb_nuisance", first.occurred_at + timedelta(
        minutes=45), first.reported_at + timedelta(hours=3), "victim")
    result = check_threshold([first, same, complaint(60)], now=NOW, params=DEFAULT)
    assert not result.met
    assert result.qualifying_complaints == 2
    assert result.duplicates == 1
    assert set(result.counted_incident_ids) >= {first.incident_id, same.incident_id}


def test_the_same_place_at_the_same_time_is_one_incident_and_a_later_one_is_not() -> None:
    a = complaint(30, who="p1", place="place-1")
    b = Complaint(uuid.uuid4(), HOUSING, "asb_nuisance", a.occurred_at + timedelta(minutes=30),
                  a.reported_at, "p2", "place-1")
    c = Complaint(uuid.uuid4(), HOUSING, "asb_nuisance", a.occurred_at + timedelta(hours=3),
                  a.reported_at, "p1", "place-1")
    result = check_threshold([a, b, c], now=NOW, params=DEFAULT)
    assert result.qualifying_complaints == 2 and result.duplicates == 1


def test_an_explicit_link_joins_complaints_far_apart_in_time() -> None:
    a, b, c = complaint(10), complaint(12), complaint(40)
    assert check_threshold([a, b, c], now=NOW, params=DEFAULT).met
    linked = check_threshold([a, b, c], now=NOW, params=DEFAULT,
                             links=[(a.incident_id, b.incident_id)])
    assert not linked.met and linked.qualifying_complaints == 2


def test_other_categories_and_future_complaints_do_not_count() -> None:
    result = check_threshold(
        [complaint(10), complaint(20), complaint(30, category="burglary"),
         complaint(-2, reported_after_days=0)],
        now=NOW, params=DEFAULT,
    )
    assert not result.met and result.qualifying_complaints == 2


def test_a_single_hate_incident_meets_the_threshold_only_where_the_variant_is_on() -> None:
    hate = complaint(20, category="hate_incident")
    assert not check_threshold([hate], now=NOW, params=DEFAULT).met
    local = ThresholdParameters(single_hate_incident=True)
    result = check_threshold([hate], now=NOW, params=local)
    assert result.met and result.rule == ThresholdRule.hate_incident
    assert result.hate_incidents == 1
    stale = complaint(300, category="hate_incident")
    assert not check_threshold([stale], now=NOW, params=local).met


@pytest.mark.parametrize(("people", "met"), [(4, False), (5, True), (6, True)])
def test_five_complaints_from_different_people_meet_the_local_variant(
    people: int, met: bool
) -> None:
    local = ThresholdParameters(distinct_complainants=5)
    community = [complaint(10 + i, who=f"person-{i}", place="park") for i in range(people)]
    # One person complaining to a second agency is still one person.
    community.append(complaint(10, who="person-0", org=COUNCIL, place="park"))
    result = check_threshold([], now=NOW, params=local, community=community)
    assert result.met is met
    assert result.distinct_complainants == people
    assert not check_threshold([], now=NOW, params=DEFAULT, community=community).met


def test_deadlines_are_working_days_from_receipt() -> None:
    friday = date(2026, 11, 27)
    due = due_dates(friday, Deadlines())
    assert due.acknowledge_by == date(2026, 12, 2)  # Mon, Tue, Wed
    assert due.decide_by == date(2026, 12, 11)
    assert due.meet_by == date(2026, 12, 25)
    assert due_dates(friday, Deadlines(acknowledge=1, decide=2, meet=5)).meet_by == date(
        2026, 12, 4)


def test_reporting_years_start_in_april_by_default() -> None:
    assert reporting_year(date(2026, 3, 31), 4) == 2025
    assert reporting_year(date(2026, 4, 1), 4) == 2026
    assert year_bounds(2026, 4) == (date(2026, 4, 1), date(2027, 4, 1))
    assert reporting_year(date(2026, 1, 1), 1) == 2026


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(datetime(2026, 8, 31, tzinfo=UTC), -6) == datetime(2026, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)


def test_parameters_parse_local_overrides_and_refuse_nonsense() -> None:
    params = parse_parameters({"threshold": {"complaints": 4},
                               "variants": {"distinct_complainants": 5},
                               "deadlines": {"meet": 15}})
    assert params.threshold.complaints == 4 and params.threshold.distinct_complainants == 5
    assert params.deadlines.meet == 15 and params.deadlines.acknowledge == 3
    with pytest.raises(InvalidInput):
        parse_parameters({"threshold": {"complaints": 0}})
    with pytest.raises(InvalidInput):
        parse_parameters({"threshold": {"unknown_key": 1}})
