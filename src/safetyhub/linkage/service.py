"""Linkage verbs for requests: link a new record, the review queue, what a user sees of an Identity.

Identities are built by the hub (every record is compared with every other, whoever owns it);
what a user learns from them goes through the access policy: linked records they may read,
and for the rest at most "known to N other agencies" (rule 4).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import insert, select, tuple_
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.config import get_settings
from safetyhub.errors import NotFound, PermissionDenied
from safetyhub.linkage import model, queries
from safetyhub.linkage.batch import active_model, evidence_json
from safetyhub.linkage.identities import Provenance, identity_of, members_of, reconcile
from safetyhub.linkage.models import (
    CandidateStatus,
    LinkageModelVersion,
    LinkageRun,
    LinkageTermFrequency,
    MatchCandidate,
    RunStatus,
)
from safetyhub.linkage.permissions import may_review_pairs
from safetyhub.linkage.records import candidate_records, records_by_id
from safetyhub.pagination import Page, PageRequest, count_of
from safetyhub.people import queries as people_queries
from safetyhub.people.models import PersonRecord
from safetyhub.people.service import PersonRecordView, disclosure_of
from safetyhub.sharing import policy
from safetyhub.timeutil import utcnow

HUB = Actor.system("linkage:incremental")


@dataclass(frozen=True)
class LinkOutcome:
    """What linking a new record did: linked, queued for review, or its own new Identity."""

    status: str  # "linked", "queued", "unlinked" or "no_model"
    identity_id: uuid.UUID
    match_probability: float | None
    queued: int


def _frequencies(session: Session, version: LinkageModelVersion, rows: list[dict[str, Any]]
                 ) -> dict[str, pa.Table]:
    wanted = {(column, str(row[column])) for row in rows for column in model.TF_COLUMNS
              if row.get(column)}
    found: dict[str, dict[str, float]] = {column: {} for column in model.TF_COLUMNS}
    if wanted:
        statement = select(LinkageTermFrequency.column_name, LinkageTermFrequency.value,
                           LinkageTermFrequency.frequency).where(
            LinkageTermFrequency.model_version_id == version.id,
            tuple_(LinkageTermFrequency.column_name, LinkageTermFrequency.value).in_(
                sorted(wanted)),
        )
        for column, value, frequency in session.execute(statement):
            found[column][value] = frequency
    rarest = 1.0 / max(version.record_count, 1)
    for column, value in wanted:
        # A value the model never saw is as rare as a value can be in that data.
        found[column].setdefault(value, rarest)
    return model.tf_lookup_tables(found)


def _singleton(session: Session, record_id: uuid.UUID, run: LinkageRun | None) -> uuid.UUID:
    reconcile(session, [[record_id]], {},
              provenance=Provenance(HUB, run_id=None if run is None else run.id))
    identity = identity_of(session, record_id)
    assert identity is not None
    return identity


def link_new_person_record(session: Session, *, actor: Actor, record_id: uuid.UUID
                           ) -> LinkOutcome:
    """Link a just-created record (same request): join the best Identity or queue for review."""
    record = session.get(PersonRecord, record_id)
    if record is None:
        raise NotFound("No person record with that id.")
    existing = identity_of(session, record_id)
    if existing is not None:
        return LinkOutcome("linked", existing, None, 0)
    settings = get_settings()
    auto, review = settings.linkage_auto_link_threshold, settings.linkage_review_threshold
    version = active_model(session)
    candidates = candidate_records(session, record) if version is not None else []
    if version is None or not candidates:
        identity = _singleton(session, record_id, None)
        status = "no_model" if version is None else "unlinked"
        _audit_link(session, actor, record, identity, status, None, 0)
        return LinkOutcome(status, identity, None, 0)
    run = LinkageRun(kind="incremental", status=RunStatus.running, model_version_id=version.id,
                     started_by=actor.label, record_count=1 + len(candidates))
    session.add(run)
    session.flush()
    new_rows = records_by_id(session, [record_id])
    saved = json.loads(version.settings_json)
    predicted = model.predict_between(
        model.records_table(new_rows), model.records_table(candidates), saved,
        threshold=review, tf_tables=_frequencies(session, version, new_rows + candidates),
    )
    pairs = sorted(model.scored_pairs(predicted, saved), key=lambda p: -p.match_probability)
    best = pairs[0] if pairs and pairs[0].match_probability >= auto else None
    target = identity_of(session, uuid.UUID(best.right_id)) if best else None
    rows, queued = [], 0
    for pair in pairs:
        other = uuid.UUID(pair.right_id)
        joins = pair.match_probability >= auto and (
            pair is best or (target is not None and identity_of(session, other) == target))
        queued += not joins
        left, right = sorted((record_id, other), key=str)
        rows.append({"id": uuid.uuid4(), "created_at": utcnow(), "left_record_id": left,
                     "right_record_id": right, "match_probability": pair.match_probability,
                     "match_weight": pair.match_weight, "evidence_json": evidence_json(pair),
                     "status": (CandidateStatus.auto_linked if joins
                                else CandidateStatus.pending).value,
                     "model_version_id": version.id, "run_id": run.id})
    if rows:
        session.execute(insert(MatchCandidate), rows)
    if best is not None:
        partner = uuid.UUID(best.right_id)
        members = members_of(session, target) if target is not None else [partner]
        reconcile(session, [[record_id, *members]], {record_id: best.match_probability,
                                                     partner: best.match_probability},
                  provenance=Provenance(HUB, run_id=run.id))
        linked = identity_of(session, record_id)
        assert linked is not None
        identity, status, probability = linked, "linked", best.match_probability
    else:
        identity = _singleton(session, record_id, run)
        status, probability = ("queued" if queued else "unlinked"), None
    run.status, run.finished_at, run.pair_count, run.queued = (
        RunStatus.completed, utcnow(), len(pairs), queued)
    _audit_link(session, actor, record, identity, status, probability, queued)
    return LinkOutcome(status, identity, probability, queued)


def _audit_link(session: Session, actor: Actor, record: PersonRecord, identity: uuid.UUID,
                status: str, probability: float | None, queued: int) -> None:
    audit.record(session, actor=HUB if actor.is_system else actor, action="link_person_record",
                 object_type="person_record", object_id=record.id,
                 owner_organisation_id=record.organisation_id,
                 after={"status": status, "identity": str(identity), "queued": queued,
                        "match_probability": None if probability is None
                        else round(probability, 4)})


@dataclass(frozen=True)
class IdentitySummary:
    """What the actor may learn of a record's Identity."""

    identity_id: uuid.UUID | None
    linked_records: list[PersonRecordView]
    other_agencies: int  # agencies holding linked records hidden from the actor


def identity_summary_for(session: Session, *, actor: Actor, person_record_id: uuid.UUID
                         ) -> IdentitySummary:
    """The linked records the actor may see, and how many other agencies hold hidden ones."""
    policy.get_visible(session, policy.visible_person_records(actor)
                       .where(PersonRecord.id == person_record_id), "person record")
    identity = identity_of(session, person_record_id)
    if identity is None:
        return IdentitySummary(None, [], 0)
    linked = [r for r in members_of(session, identity) if r != person_record_id]
    if not linked:
        return IdentitySummary(identity, [], 0)
    statement = (people_queries.person_records_with_owner(actor)
                 .where(PersonRecord.id.in_(linked))
                 .order_by(PersonRecord.family_name, PersonRecord.id))
    views = [PersonRecordView(record, name) for record, name in session.execute(statement)]
    policy.record_disclosures(session, actor, [disclosure_of(v.record) for v in views])
    hidden = policy.hidden_agency_count(session, actor, PersonRecord.id.in_(linked))
    return IdentitySummary(identity, views, hidden)


@dataclass(frozen=True)
class ReviewPair:
    """A candidate pair side by side, with the field-by-field evidence."""

    candidate: MatchCandidate
    left: PersonRecordView
    right: PersonRecordView
    evidence: list[dict[str, Any]]


@dataclass(frozen=True)
class ReviewQueue(Page[ReviewPair]):
    """A page of pairs waiting for the actor, with the progress counts."""

    decided: int
    unsure: int
    hidden: int  # pending pairs that need a reviewer who may see both records


def _pair(session: Session, actor: Actor, candidate: MatchCandidate) -> ReviewPair:
    statement = people_queries.person_records_with_owner(actor).where(
        PersonRecord.id.in_([candidate.left_record_id, candidate.right_record_id]))
    views = {record.id: PersonRecordView(record, name)
             for record, name in session.execute(statement)}
    policy.record_disclosures(session, actor, [disclosure_of(v.record) for v in views.values()])
    return ReviewPair(candidate, views[candidate.left_record_id],
                      views[candidate.right_record_id], json.loads(candidate.evidence_json))


def _require_reviewer(actor: Actor) -> None:
    if not may_review_pairs(actor):
        raise PermissionDenied("Only analysts review linkage pairs.")


def review_queue(session: Session, *, actor: Actor, page: PageRequest) -> ReviewQueue:
    """Pairs waiting for a decision that the actor may see (both records), most likely first."""
    _require_reviewer(actor)
    statement = queries.queue(actor)
    total = count_of(session, statement)
    candidates = session.scalars(statement.limit(page.page_size).offset(page.offset)).all()
    return ReviewQueue(
        items=[_pair(session, actor, c) for c in candidates], total=total, page=page.page,
        page_size=page.page_size,
        decided=count_of(session, queries.with_status(actor, CandidateStatus.decided)),
        unsure=count_of(session, queries.with_status(actor, CandidateStatus.unsure)),
        hidden=count_of(session, queries.hidden_pending(actor)),
    )


def review_pair(session: Session, *, actor: Actor, candidate_id: uuid.UUID) -> ReviewPair:
    """One candidate pair the actor may review (404 if either record is hidden)."""
    _require_reviewer(actor)
    candidate = session.scalars(queries.reviewable_candidates(actor)
                                .where(MatchCandidate.id == candidate_id)).first()
    if candidate is None:
        raise NotFound("No candidate pair with that id is visible to you.")
    return _pair(session, actor, candidate)
