"""Evaluating indicators for subjects and applying the results as alerts (after a change, and
in batch). Reads here are the system's; users see results only through risk.explain."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.risk.config import RiskConfig
from safetyhub.risk.indicators import evaluate_person, evaluate_place
from safetyhub.risk.indicators.facts import PersonFacts, PlaceFacts
from safetyhub.risk.loading import load_person_facts, load_place_facts, place_key
from safetyhub.risk.raising import AlertIndex, Outcome, apply_result
from safetyhub.risk.routing import Directory, load_directory, route

FLUSH_EVERY = 500


@dataclass
class Evaluation:
    """Everything one evaluation run shares: parameters, clock, agencies, alerts on record."""

    session: Session
    actor: Actor
    config: RiskConfig
    as_of: datetime
    directory: Directory
    index: AlertIndex


def _person_keys_of(facts: PersonFacts) -> list[str]:
    if not facts.subject_key.startswith("identity:"):
        return []
    records = {r.person_record_id for r in facts.records} | {
        i.person_record_id for i in facts.involvements}
    return [f"person:{rid}" for rid in sorted(records, key=str)]


def apply_person(run: Evaluation, facts: PersonFacts) -> Outcome:
    """Evaluate one person subject and raise or update its alerts."""
    outcome = Outcome()
    person_keys = _person_keys_of(facts)
    for result in evaluate_person(facts, run.config, run.as_of):
        routes = route(result, facts.cases, run.directory, run.config.routing)
        outcome.add(apply_result(run.session, actor=run.actor, subject_key=facts.subject_key,
                                 result=result, routes=routes, index=run.index,
                                 person_keys=person_keys))
    return outcome


def apply_place(run: Evaluation, facts: PlaceFacts) -> Outcome:
    """Evaluate one place and raise or update its alerts."""
    outcome = Outcome()
    for result in evaluate_place(facts, run.config, run.as_of):
        routes = route(result, facts.cases, run.directory, run.config.routing)
        outcome.add(apply_result(run.session, actor=run.actor,
                                 subject_key=place_key(facts.place_id), result=result,
                                 routes=routes, index=run.index))
    return outcome


def evaluate_subjects(session: Session, *, actor: Actor, config: RiskConfig, as_of: datetime,
                      person_keys: Iterable[str], place_ids: Iterable[uuid.UUID]) -> Outcome:
    """Evaluate the given people and places now, in the caller's transaction."""
    persons = load_person_facts(session, person_keys, config, as_of)
    places = load_place_facts(session, place_ids, config, as_of)
    keys = set(persons) | {place_key(p) for p in places}
    for facts in persons.values():
        keys |= set(_person_keys_of(facts))
    run = Evaluation(session, actor, config, as_of, load_directory(session),
                     AlertIndex.load(session, keys))
    outcome = Outcome()
    for person in persons.values():
        outcome.add(apply_person(run, person))
    for place in places.values():
        outcome.add(apply_place(run, place))
    return outcome


def evaluate_population(run: Evaluation, persons: Iterable[PersonFacts],
                        places: Iterable[PlaceFacts],
                        advance: Callable[[int], None] = lambda _: None) -> Outcome:
    """Evaluate every subject given (the batch run), reporting progress as it goes."""
    outcome = Outcome()
    done = 0
    for person in persons:
        outcome.add(apply_person(run, person))
        done += 1
        if done % FLUSH_EVERY == 0:
            run.session.flush()
            outcome.alerts.clear()  # the batch reports counts, not alert objects
            advance(FLUSH_EVERY)
    for place in places:
        outcome.add(apply_place(run, place))
        done += 1
        if done % FLUSH_EVERY == 0:
            run.session.flush()
            outcome.alerts.clear()
            advance(FLUSH_EVERY)
    run.session.flush()
    advance(done % FLUSH_EVERY)
    return outcome
