"""The batch run's fast path (bulk extract, DuckDB counts, facts for candidates only) finds
exactly what evaluating every subject one by one finds, on a seeded synthetic county."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.risk import service
from safetyhub.risk.candidates import candidate_population
from safetyhub.risk.config import RiskConfig, load_config
from safetyhub.risk.indicators import IndicatorResult, evaluate_person, evaluate_place
from safetyhub.risk.loading import load_person_facts, load_place_facts, place_key
from safetyhub.risk.models import Alert
from safetyhub.risk.population import Population, load_population
from safetyhub.synthetic.generator import generate_county
from safetyhub.synthetic.loader import link_true_identities, load_county

Results = dict[tuple[str, str], IndicatorResult]


def _results(population: Population, config: RiskConfig, as_of: datetime) -> Results:
    found: Results = {}
    for key, person in population.persons.items():
        for result in evaluate_person(person, config, as_of):
            found[(key, result.indicator.value)] = result
    for place_id, place in population.places.items():
        for result in evaluate_place(place, config, as_of):
            found[(place_key(place_id), result.indicator.value)] = result
    return found


@pytest.fixture
def seeded(session: Session) -> datetime:
    """A small synthetic county with its true identities linked; the moment to evaluate at."""
    county = generate_county("small", seed=7)
    load_county(session, county)
    link_true_identities(session, county.truth)
    return datetime.combine(county.today, time(0), tzinfo=UTC)


def test_fast_path_and_per_subject_path_agree_on_a_seeded_county(
        session: Session, seeded: datetime) -> None:
    config = load_config()
    everyone = load_population(session, config, seeded)
    expected = _results(everyone, config, seeded)
    fast, subjects = candidate_population(session, config, seeded)
    assert subjects == everyone.size
    assert fast.size < everyone.size / 4  # the point: far fewer subjects become objects
    assert _results(fast, config, seeded) == expected
    # One subject at a time, as after recording an incident.
    one_by_one = Population(
        load_person_facts(session, list(everyone.persons), config, seeded),
        load_place_facts(session, list(everyone.places), config, seeded))
    assert _results(one_by_one, config, seeded) == expected
    fired = {indicator for _, indicator in expected}
    assert {"repeat_victim", "known_to_many", "repeat_place", "place_escalation"} <= fired


def test_fast_batch_raises_what_the_full_batch_would(session: Session, seeded: datetime) -> None:
    system = Actor.system("cli:risk run")
    report = service.run_batch(session, actor=system, as_of=seeded)
    assert report.raised > 0 and report.evaluated < report.subjects
    alerts = {(a.subject_key, a.indicator) for a in session.scalars(select(Alert))}
    config = load_config()
    assert alerts == set(_results(load_population(session, config, seeded), config, seeded))
    full = service.run_batch(session, actor=system, as_of=seeded, every_subject=True)
    assert full.subjects == report.subjects
    assert (full.raised, full.updated, full.unchanged) == (0, 0, report.raised)
