"""SARA assessment: exact counts, windows and p-value on a constructed set of incidents."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from safetyhub.incidents.models import IncidentCategory
from safetyhub.organisations.models import Organisation
from safetyhub.partnership.problems import reads, service
from safetyhub.partnership.problems.schemas import ProblemCreate, ProblemUpdate
from safetyhub.places.models import Place
from safetyhub.timeutil import london_today
from tests.cases.helpers import Partnership
from tests.factories import actor, make_incident, make_place

SECOND = timedelta(seconds=1)


def test_before_and_after_counts_windows_and_p_value(session: Session, world: Partnership) -> None:
    me = actor(world.police_user)
    today = london_today()
    start = today - timedelta(days=200)
    place = make_place(session, address="Rec ground, Stoke Road")
    elsewhere = make_place(session, address="High Street 1")
    problem = service.open_problem(session, actor=me, details=ProblemCreate(
        title="Rec ground ASB", place_ids=[place.id],
        categories=[IncidentCategory.asb_nuisance, IncidentCategory.asb_personal]))
    service.update_problem(session, actor=me, problem_id=problem.id,
                           changes=ProblemUpdate(response_started_on=start))
    before_start, after_end = reads.start_of(start - timedelta(days=90)), reads.start_of(
        start + timedelta(days=90))
    response = reads.start_of(start)

    def at(when: datetime, org: Organisation | None = None, where: Place | None = None,
           category: IncidentCategory = IncidentCategory.asb_nuisance) -> None:
        make_incident(session, org or world.police, place=where or place, occurred_at=when,
                      category=category)

    # Window boundaries: the before window includes its first instant, excludes the start.
    at(before_start)
    at(before_start - SECOND)                       # outside: one second too early
    at(response - SECOND)                           # before, last instant
    at(response)                                    # after, first instant
    at(after_end - SECOND)                          # after, last instant
    at(after_end)                                   # outside: the after window has ended
    for day in range(18):
        at(before_start + timedelta(days=3 + day * 4))
    for day in range(3):
        at(response + timedelta(days=10 + day * 20))
    # Not counted: another category, another place, and an incident the viewer may not see.
    at(response + timedelta(days=5), category=IncidentCategory.burglary)
    at(response + timedelta(days=5), where=elsewhere)
    at(response + timedelta(days=6), org=world.housing)

    result = reads.assess(session, actor=me, problem_id=problem.id)
    assert result is not None
    assert (result.before, result.after) == (20, 5)
    assert (result.before_from, result.before_to) == (start - timedelta(days=90),
                                                      start - timedelta(days=1))
    assert (result.after_from, result.after_to) == (start, start + timedelta(days=89))
    assert result.after_days == 90 and result.after_complete
    assert result.p_value == pytest.approx(0.0040773, abs=1e-6)
    assert result.verdict == "fewer"
    assert result.not_shown == 1
    assert result.rate_ratio == pytest.approx(0.25)


def test_a_running_after_window_is_shorter_and_compares_rates(
    session: Session, world: Partnership
) -> None:
    me = actor(world.police_user)
    today = london_today()
    start = today - timedelta(days=30)
    place = make_place(session)
    problem = service.open_problem(session, actor=me, details=ProblemCreate(
        title="Elm Court", place_ids=[place.id]))
    service.update_problem(session, actor=me, problem_id=problem.id,
                           changes=ProblemUpdate(response_started_on=start,
                                                 assessment_window_days=60))
    for days in (5, 15, 25, 35, 45, 55):
        make_incident(session, world.police, place=place,
                      occurred_at=reads.start_of(start) - timedelta(days=days))
    make_incident(session, world.police, place=place,
                  occurred_at=reads.start_of(start) + timedelta(days=2))
    result = reads.assess(session, actor=me, problem_id=problem.id)
    assert result is not None
    assert result.after_days == 31 and not result.after_complete
    assert result.after_to == today
    assert (result.before, result.after) == (6, 1)
    assert result.before_rate_per_30_days == 3.0
    assert result.after_rate_per_30_days == pytest.approx(30 / 31, abs=0.01)


def test_no_assessment_before_the_response_starts(session: Session, world: Partnership) -> None:
    me = actor(world.police_user)
    problem = service.open_problem(session, actor=me, details=ProblemCreate(
        title="Elm Court", area_district="Guildford"))
    assert reads.assess(session, actor=me, problem_id=problem.id) is None
