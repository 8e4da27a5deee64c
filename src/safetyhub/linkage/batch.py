"""The batch job: train (or reuse) the model, score every pair, cluster, write Identities.

All-or-nothing: the job runs in one transaction that the caller commits once, so an
interrupted run leaves the previous Identities exactly as they were.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.config import get_settings
from safetyhub.errors import Conflict, PermissionDenied
from safetyhub.linkage import clustering, model
from safetyhub.linkage.decisions import effective_decisions
from safetyhub.linkage.identities import Provenance, reconcile
from safetyhub.linkage.models import (
    CandidateStatus,
    LinkageModelVersion,
    LinkageRun,
    LinkageTermFrequency,
    MatchCandidate,
    RunStatus,
)
from safetyhub.linkage.permissions import may_run_linkage
from safetyhub.linkage.records import ALL_FIELDS, all_records
from safetyhub.timeutil import utcnow

Progress = Callable[[str, float], None]
BATCH = 5_000


def _quiet(_step: str, _fraction: float) -> None:
    return None


def active_model(session: Session) -> LinkageModelVersion | None:
    """The newest trained model version."""
    return session.scalars(
        select(LinkageModelVersion).order_by(LinkageModelVersion.version.desc()).limit(1)
    ).first()


def save_model(session: Session, *, actor: Actor, settings: dict[str, Any], table: pa.Table
               ) -> LinkageModelVersion:
    """Store a trained model as the next version, with its term frequencies."""
    latest = session.scalar(select(func.max(LinkageModelVersion.version))) or 0
    version = LinkageModelVersion(
        version=latest + 1, settings_json=model.settings_json(settings),
        record_count=table.num_rows, trained_by=actor.label,
    )
    session.add(version)
    session.flush()
    rows = [
        {"id": uuid.uuid4(), "model_version_id": version.id, "column_name": column,
         "value": value[:300], "frequency": frequency}
        for column, values in model.term_frequencies(table).items()
        for value, frequency in values.items()
    ]
    for start in range(0, len(rows), BATCH):
        session.execute(insert(LinkageTermFrequency), rows[start:start + BATCH])
    audit.record(session, actor=actor, action="train_linkage_model",
                 object_type="linkage_model", object_id=version.id,
                 after={"version": version.version, "records": table.num_rows})
    return version


def evidence_json(pair: model.ScoredPair) -> str:
    """A pair's evidence as stored: comparison, level label, match weight."""
    return json.dumps([{"comparison": e.comparison, "level": e.level,
                        "match_weight": e.match_weight} for e in pair.evidence])


@dataclass(frozen=True)
class RunReport:
    """What a batch run did."""

    run_id: uuid.UUID
    model_version: int
    records: int
    pairs: int
    identities: int
    merges: int
    splits: int
    queued: int


def _store_candidates(session: Session, pairs: list[model.ScoredPair], *, run: LinkageRun,
                      version: LinkageModelVersion, auto: float) -> int:
    """Replace undecided candidates with this run's; decided ones keep their status."""
    decided = set(session.execute(
        select(MatchCandidate.left_record_id, MatchCandidate.right_record_id)
        .where(MatchCandidate.status.in_([CandidateStatus.decided, CandidateStatus.unsure]))
    ).tuples())
    session.execute(delete(MatchCandidate).where(
        MatchCandidate.status.in_([CandidateStatus.auto_linked, CandidateStatus.pending])
    ))
    rows: list[dict[str, Any]] = []
    queued = 0
    for pair in pairs:
        left, right = sorted((uuid.UUID(pair.left_id), uuid.UUID(pair.right_id)), key=str)
        if (left, right) in decided:
            continue
        status = (CandidateStatus.auto_linked if pair.match_probability >= auto
                  else CandidateStatus.pending)
        queued += status is CandidateStatus.pending
        rows.append({"id": uuid.uuid4(), "created_at": utcnow(), "left_record_id": left,
                     "right_record_id": right, "match_probability": pair.match_probability,
                     "match_weight": pair.match_weight, "evidence_json": evidence_json(pair),
                     "status": status.value, "model_version_id": version.id, "run_id": run.id})
    for start in range(0, len(rows), BATCH):
        session.execute(insert(MatchCandidate), rows[start:start + BATCH])
    return queued


def run_batch(session: Session, *, actor: Actor, retrain: bool = False,
              progress: Progress = _quiet) -> RunReport:
    """Re-link every person record: the hub's batch job (system actor)."""
    if not may_run_linkage(actor):
        raise PermissionDenied("Only the hub's batch job re-links every record.")
    settings = get_settings()
    auto, review = settings.linkage_auto_link_threshold, settings.linkage_review_threshold
    progress("Reading person records", 0.0)
    rows = list(all_records(session))
    if not rows:
        raise Conflict("There are no person records to link.")
    table = model.records_table(rows)
    version = None if retrain else active_model(session)
    if version is None:
        progress("Training the model (expectation maximisation)", 0.1)
        trained = model.train([table], fields=set(ALL_FIELDS))
        version = save_model(session, actor=actor, settings=trained, table=table)
    run = LinkageRun(kind="batch", status=RunStatus.running, model_version_id=version.id,
                     started_by=actor.label, record_count=len(rows))
    session.add(run)
    session.flush()
    progress("Scoring candidate pairs", 0.4)
    saved = json.loads(version.settings_json)
    pairs = model.scored_pairs(model.predict([table], saved, threshold=review), saved)
    progress("Storing candidates for review", 0.6)
    queued = _store_candidates(session, pairs, run=run, version=version, auto=auto)
    progress("Clustering into identities", 0.7)
    must, cannot = effective_decisions(session)
    edges = [clustering.Edge(*clustering.ordered(p.left_id, p.right_id), p.match_probability)
             for p in pairs]
    nodes = [row["unique_id"] for row in rows]
    assignment = clustering.cluster(nodes, edges, threshold=auto, must=must, cannot=cannot)
    best: dict[uuid.UUID, float] = {}
    for edge in edges:
        if edge.probability >= auto and assignment[edge.left] == assignment[edge.right]:
            for node in (edge.left, edge.right):
                key = uuid.UUID(node)
                best[key] = max(best.get(key, 0.0), edge.probability)
    progress("Writing identities", 0.85)
    clusters = [[uuid.UUID(m) for m in members] for members in clustering.groups(assignment)]
    report = reconcile(session, clusters, best, provenance=Provenance(actor, run_id=run.id))
    run.status = RunStatus.completed
    run.finished_at = utcnow()
    run.pair_count = len(pairs)
    run.identity_count = len(clusters)
    run.merges, run.splits, run.queued = report.merges, report.splits, queued
    audit.record(session, actor=actor, action="run_linkage", object_type="linkage_run",
                 object_id=run.id, after={
                     "model_version": version.version, "records": len(rows),
                     "pairs": len(pairs), "identities": len(clusters),
                     "identities_created": report.identities_created, "merges": report.merges,
                     "splits": report.splits, "queued": queued})
    session.flush()
    progress("Done", 1.0)
    return RunReport(run.id, version.version, len(rows), len(pairs), len(clusters),
                     report.merges, report.splits, queued)
