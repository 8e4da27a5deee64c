"""Explanations filtered by the access policy: rules and counts for everyone the alert reaches,
contributing records only as far as the reader may see them (rule 4), each reveal audited
(rule 5)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.incidents.models import Incident
from safetyhub.organisations.models import Organisation
from safetyhub.people.models import PersonRecord
from safetyhub.places.models import Place
from safetyhub.risk.config import load_config
from safetyhub.risk.indicators import evaluate_person, evaluate_place
from safetyhub.risk.indicators.common import IndicatorResult
from safetyhub.risk.loading import (
    identity_of,
    load_person_facts,
    load_place_facts,
    person_key,
    place_key,
    records_of_subjects,
)
from safetyhub.risk.queries import open_alert_ids
from safetyhub.risk.raising import reasons_json
from safetyhub.risk.schemas import (
    ContributingRecordRead,
    ExplanationRead,
    HiddenRecordsRead,
    IndicatorResultRead,
    ReasonRead,
)
from safetyhub.risk.texts import INDICATOR_NAMES, RULE_TEXTS, SIGNAL_NAMES, rule_text
from safetyhub.sharing import policy
from safetyhub.timeutil import utcnow

INCIDENT = "incident"
PERSON_RECORD = "person_record"


@dataclass(frozen=True)
class ExplainPanel:
    """What a profile's "explain" panel shows (templates/risk/_explain_panel.html)."""

    results: list[IndicatorResultRead]
    indicator_names: dict[str, str] = field(default_factory=lambda: INDICATOR_NAMES)
    rule_texts: dict[str, str] = field(default_factory=lambda: RULE_TEXTS)
    signal_names: dict[str, str] = field(default_factory=lambda: SIGNAL_NAMES)


@dataclass(frozen=True)
class Ref:
    """A contributing record: its type, id and owning agency."""

    record_type: str
    record_id: uuid.UUID
    owner_organisation_id: uuid.UUID


def reasons_read(reasons: Iterable[dict[str, Any]]) -> list[ReasonRead]:
    """Stored reasons in their read shape, each with its English sentence."""
    return [ReasonRead(rule=r["rule"], text=rule_text(r), window_days=r["window_days"],
                       window_start=r["window_start"], window_end=r["window_end"],
                       counts=r.get("counts", {})) for r in reasons]


def _org_names(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = session.execute(select(Organisation.id, Organisation.name)
                           .where(Organisation.id.in_(wanted))).tuples()
    return dict(rows.all())


def explain_records(session: Session, actor: Actor, refs: Sequence[Ref]
                    ) -> tuple[list[ContributingRecordRead], HiddenRecordsRead]:
    """The contributing records the actor may see, and counts of the rest; reveals audited."""
    incident_ids = [r.record_id for r in refs if r.record_type == INCIDENT]
    record_ids = [r.record_id for r in refs if r.record_type == PERSON_RECORD]
    incidents = list(session.scalars(select(Incident).where(
        Incident.id.in_(incident_ids), policy.incident_readable(actor)))) if incident_ids else []
    people = list(session.scalars(select(PersonRecord).where(
        PersonRecord.id.in_(record_ids), policy.person_record_readable(actor)))) if record_ids \
        else []
    names = _org_names(session, [i.organisation_id for i in incidents]
                       + [p.organisation_id for p in people])
    shown = [ContributingRecordRead(
        record_type=INCIDENT, record_id=i.id, organisation_id=i.organisation_id,
        organisation_name=names.get(i.organisation_id, ""), when=i.occurred_at,
        category=i.category) for i in incidents]
    shown += [ContributingRecordRead(
        record_type=PERSON_RECORD, record_id=p.id, organisation_id=p.organisation_id,
        organisation_name=names.get(p.organisation_id, ""), when=p.created_at,
        name=f"{p.given_name} {p.family_name}") for p in people]
    shown.sort(key=lambda r: r.when, reverse=True)
    policy.record_disclosures(session, actor, [
        policy.Disclosure(r.record_type, r.record_id, r.organisation_id) for r in shown])
    seen = {r.record_id for r in shown}
    hidden = [r for r in refs if r.record_id not in seen]
    return shown, HiddenRecordsRead(
        incidents=sum(1 for r in hidden if r.record_type == INCIDENT),
        person_records=sum(1 for r in hidden if r.record_type == PERSON_RECORD),
        agencies=len({r.owner_organisation_id for r in hidden}),
    )


def explanation(session: Session, actor: Actor, reasons: Iterable[dict[str, Any]],
                refs: Sequence[Ref]) -> ExplanationRead:
    """Reasons plus the policy-filtered contributing records."""
    records, hidden = explain_records(session, actor, refs)
    return ExplanationRead(reasons=reasons_read(reasons), records=records, hidden=hidden)


def subject_person_record(session: Session, actor: Actor, subject_key: str
                          ) -> PersonRecord | None:
    """A person record of the subject the actor may read (their own agency's first)."""
    record_ids = records_of_subjects(session, [subject_key]).get(subject_key, [])
    if not record_ids or (actor.organisation_id is None and not actor.is_system):
        return None
    own_first = case((PersonRecord.organisation_id == actor.organisation_id, 0), else_=1)
    return session.scalars(
        select(PersonRecord).where(PersonRecord.id.in_(record_ids),
                                   policy.person_record_readable(actor))
        .order_by(own_first, PersonRecord.created_at, PersonRecord.id).limit(1)).first()


def place_address(session: Session, place_id: uuid.UUID | None) -> str | None:
    """A place's address (places are shared gazetteer data)."""
    if place_id is None:
        return None
    return session.scalar(select(Place.address).where(Place.id == place_id))


def _result_read(session: Session, actor: Actor, result: IndicatorResult,
                 alerts: dict[str, uuid.UUID]) -> IndicatorResultRead:
    refs = [Ref(r.record_type, r.record_id, r.owner_organisation_id) for r in result.records]
    stored = json.loads(reasons_json(result.reasons))
    return IndicatorResultRead(
        indicator=result.indicator.value,
        indicator_name=INDICATOR_NAMES.get(result.indicator.value, result.indicator.value),
        level=result.level.value, score=round(result.score, 3),
        explanation=explanation(session, actor, stored, refs),
        alert_id=alerts.get(result.indicator.value),
    )


def _results_read(session: Session, actor: Actor, subject_key: str,
                  results: list[IndicatorResult]) -> list[IndicatorResultRead]:
    alerts = {indicator: alert_id for alert_id, indicator
              in session.execute(open_alert_ids(actor, subject_key)).tuples()}
    return [_result_read(session, actor, r, alerts) for r in results]


def explain_for_person(session: Session, *, actor: Actor, person_record_id: uuid.UUID,
                       as_of: datetime | None = None) -> list[IndicatorResultRead]:
    """The indicators firing now for the person behind a visible record, policy-filtered."""
    record = policy.get_visible(
        session, policy.visible_person_records(actor).where(PersonRecord.id == person_record_id),
        "person record")
    key = person_key(record.id, identity_of(session, [record.id]).get(record.id))
    now = as_of or utcnow()
    config = load_config()
    facts = load_person_facts(session, [key], config, now).get(key)
    results = evaluate_person(facts, config, now) if facts is not None else []
    return _results_read(session, actor, key, results)


def explain_for_place(session: Session, *, actor: Actor, place_id: uuid.UUID,
                      as_of: datetime | None = None) -> list[IndicatorResultRead]:
    """The indicators firing now for a visible place, policy-filtered."""
    place = policy.get_visible(session, policy.visible_places(actor).where(Place.id == place_id),
                               "place")
    now = as_of or utcnow()
    config = load_config()
    facts = load_place_facts(session, [place.id], config, now)[place.id]
    return _results_read(session, actor, place_key(place.id), evaluate_place(facts, config, now))


def person_panel(session: Session, *, actor: Actor, person_record_id: uuid.UUID) -> ExplainPanel:
    """The explain panel of a person profile."""
    return ExplainPanel(explain_for_person(session, actor=actor,
                                           person_record_id=person_record_id))


def place_panel(session: Session, *, actor: Actor, place_id: uuid.UUID) -> ExplainPanel:
    """The explain panel of a place profile."""
    return ExplainPanel(explain_for_place(session, actor=actor, place_id=place_id))
