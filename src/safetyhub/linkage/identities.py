"""Writing clusters to Identities: stable ids across runs, merges and splits with provenance.

A cluster keeps the existing Identity that holds most of its records; an Identity whose
records all moved elsewhere was merged, one that lost only some was split. Every merge and
split writes an IdentityEvent (which records, which run or decision, who) and an audit event
(ids and counts only: the audit log never holds personal data).
"""

from __future__ import annotations

import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.linkage.models import IdentityEvent, IdentityEventKind
from safetyhub.people.models import Identity, IdentityLink

OBJECT_TYPE = "identity"
BATCH = 5_000


@dataclass
class Provenance:
    """Why identities change: the run or decision, and who."""

    actor: Actor
    run_id: uuid.UUID | None = None
    decision_id: uuid.UUID | None = None


@dataclass
class ReconcileReport:
    """What writing the clusters changed."""

    identities_created: int = 0
    merges: int = 0
    splits: int = 0
    links_written: int = 0
    changed_identities: set[uuid.UUID] = field(default_factory=set)


def current_links(session: Session, record_ids: Sequence[uuid.UUID] | None = None
                  ) -> dict[uuid.UUID, uuid.UUID]:
    """record id -> identity id, for all records or the given ones."""
    statement = select(IdentityLink.person_record_id, IdentityLink.identity_id)
    if record_ids is not None:
        statement = statement.where(IdentityLink.person_record_id.in_(record_ids))
    return {record: identity for record, identity in session.execute(statement)}


def _event(session: Session, provenance: Provenance, kind: IdentityEventKind,
           identity_id: uuid.UUID, other: uuid.UUID | None, records: Sequence[uuid.UUID]) -> None:
    session.add(IdentityEvent(
        kind=kind.value, identity_id=identity_id, other_identity_id=other,
        person_record_ids=json.dumps(sorted(str(r) for r in records)),
        run_id=provenance.run_id, decision_id=provenance.decision_id,
        actor=provenance.actor.label, actor_user_id=provenance.actor.user_id,
    ))
    if kind is IdentityEventKind.created:
        return
    action = "merge_identities" if kind is IdentityEventKind.merged else "split_identities"
    detail = {"moved_records": len(records), "into" if kind is IdentityEventKind.merged
              else "split_off": str(other), "run": _opt(provenance.run_id),
              "decision": _opt(provenance.decision_id)}
    audit.record(session, actor=provenance.actor, action=action, object_type=OBJECT_TYPE,
                 object_id=identity_id, after=detail)


def _opt(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def reconcile(session: Session, clusters: Sequence[Sequence[uuid.UUID]],
              best_probability: dict[uuid.UUID, float], *, provenance: Provenance,
              method: str = "linkage") -> ReconcileReport:
    """Make the Identities and links match `clusters` (records not listed are left alone)."""
    record_ids = [r for members in clusters for r in members]
    # Few records (one decision, one new record): look them up; many (a batch): read all.
    current = current_links(session, record_ids if len(record_ids) < 1_000 else None)
    overlap: Counter[tuple[uuid.UUID, int]] = Counter()
    for index, members in enumerate(clusters):
        for record in members:
            if record in current:
                overlap[(current[record], index)] += 1
    owner: dict[int, uuid.UUID] = {}
    claimed: set[uuid.UUID] = set()
    for (identity, index), _count in sorted(overlap.items(),
                                            key=lambda kv: (-kv[1], str(kv[0][0]), kv[0][1])):
        if index not in owner and identity not in claimed:
            owner[index] = identity
            claimed.add(identity)
    report = ReconcileReport()
    new_identities: list[dict[str, object]] = []
    for index in range(len(clusters)):
        if index not in owner:
            owner[index] = uuid.uuid4()
            new_identities.append({"id": owner[index]})
    for start in range(0, len(new_identities), BATCH):
        session.execute(insert(Identity), new_identities[start:start + BATCH])
    report.identities_created = len(new_identities)
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    moves: dict[tuple[uuid.UUID, uuid.UUID], list[uuid.UUID]] = defaultdict(list)
    existing_link_ids = _link_ids(session, [r for r in record_ids if r in current])
    for index, members in enumerate(clusters):
        target = owner[index]
        for record in members:
            probability = best_probability.get(record) if len(members) > 1 else None
            was = current.get(record)
            if was is None:
                inserts.append({"id": uuid.uuid4(), "identity_id": target,
                                "person_record_id": record, "method": method,
                                "match_probability": probability})
            elif was != target:
                moves[(was, target)].append(record)
                updates.append({"id": existing_link_ids[record], "identity_id": target,
                                "method": method, "match_probability": probability})
    for start in range(0, len(inserts), BATCH):
        session.execute(insert(IdentityLink), inserts[start:start + BATCH])
    if updates:
        session.execute(update(IdentityLink), updates)
    report.links_written = len(inserts) + len(updates)
    for (source, target), records in sorted(moves.items(), key=lambda kv: str(kv[0])):
        if source in claimed:
            # The source identity lives on with its other records: these were split off.
            _event(session, provenance, IdentityEventKind.split, source, target, records)
            report.splits += 1
        else:
            _event(session, provenance, IdentityEventKind.merged, target, source, records)
            report.merges += 1
        report.changed_identities |= {source, target}
    session.flush()
    return report


def _link_ids(session: Session, record_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    result: dict[uuid.UUID, uuid.UUID] = {}
    for start in range(0, len(record_ids), BATCH):
        chunk = record_ids[start:start + BATCH]
        statement = select(IdentityLink.person_record_id, IdentityLink.id).where(
            IdentityLink.person_record_id.in_(chunk))
        result.update({record: link for record, link in session.execute(statement)})
    return result


def identity_of(session: Session, record_id: uuid.UUID) -> uuid.UUID | None:
    """The Identity a record is linked to, if any."""
    return session.scalar(
        select(IdentityLink.identity_id).where(IdentityLink.person_record_id == record_id)
    )


def members_of(session: Session, identity_id: uuid.UUID) -> list[uuid.UUID]:
    """The records linked to an Identity."""
    return list(session.scalars(
        select(IdentityLink.person_record_id).where(IdentityLink.identity_id == identity_id)
    ))
