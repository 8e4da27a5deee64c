"""Analysts' decisions about pairs: match (must-link), non-match (cannot-link) or unsure.

The newest decision about a pair wins, and every clustering (batch or incremental) honours it,
so a human decision survives every re-run. Deciding applies at once: a match merges the two
Identities, a non-match splits them at their weakest edges.
"""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.config import get_settings
from safetyhub.errors import NotFound, PermissionDenied
from safetyhub.linkage import clustering, queries
from safetyhub.linkage.identities import Provenance, identity_of, members_of, reconcile
from safetyhub.linkage.models import CandidateStatus, Decision, LinkageDecision, MatchCandidate
from safetyhub.linkage.permissions import may_review_pairs

Pair = clustering.Pair


def effective_decisions(session: Session) -> tuple[set[Pair], set[Pair]]:
    """(must-link, cannot-link) pairs of record ids as text, the newest decision per pair."""
    newest: dict[Pair, str] = {}
    statement = select(LinkageDecision.left_record_id, LinkageDecision.right_record_id,
                       LinkageDecision.decision).order_by(LinkageDecision.created_at,
                                                          LinkageDecision.id)
    for left, right, decision in session.execute(statement):
        newest[clustering.ordered(str(left), str(right))] = decision
    must = {pair for pair, d in newest.items() if d == Decision.match}
    cannot = {pair for pair, d in newest.items() if d == Decision.non_match}
    return must, cannot


def _edges_among(session: Session, records: list[uuid.UUID]) -> list[clustering.Edge]:
    rows = session.execute(
        select(MatchCandidate.left_record_id, MatchCandidate.right_record_id,
               MatchCandidate.match_probability)
        .where(MatchCandidate.left_record_id.in_(records),
               MatchCandidate.right_record_id.in_(records))
    )
    return [clustering.Edge(*clustering.ordered(str(a), str(b)), p) for a, b, p in rows]


def _recluster(session: Session, records: list[uuid.UUID], provenance: Provenance) -> None:
    """Cluster these records again from their stored edges and the decisions; write the result."""
    auto = get_settings().linkage_auto_link_threshold
    must, cannot = effective_decisions(session)
    nodes = sorted(str(r) for r in records)
    assignment = clustering.cluster(nodes, _edges_among(session, records), threshold=auto,
                                    must=must, cannot=cannot, use_splink=False)
    groups = [[uuid.UUID(m) for m in members] for members in clustering.groups(assignment)]
    best: dict[uuid.UUID, float] = {}
    for edge in _edges_among(session, records):
        if assignment[edge.left] == assignment[edge.right] and edge.probability >= auto:
            for node in (edge.left, edge.right):
                best[uuid.UUID(node)] = max(best.get(uuid.UUID(node), 0.0), edge.probability)
    reconcile(session, groups, best, provenance=provenance, method="human")


def decide(session: Session, *, actor: Actor, candidate_id: uuid.UUID, decision: Decision,
           reason: str) -> LinkageDecision:
    """Record an analyst's decision about a pair they may see, and apply it to the Identities."""
    if not may_review_pairs(actor):
        raise PermissionDenied("Only analysts review linkage pairs.")
    candidate = session.scalars(queries.reviewable_candidates(actor)
                                .where(MatchCandidate.id == candidate_id)).first()
    if candidate is None:
        raise NotFound("No candidate pair with that id is visible to you.")
    row = LinkageDecision(
        left_record_id=candidate.left_record_id, right_record_id=candidate.right_record_id,
        decision=decision.value, reason=reason.strip(), decided_by_id=actor.user_id,
        decided_by=actor.label, organisation_id=actor.organisation_id, candidate_id=candidate.id,
    )
    session.add(row)
    before = candidate.status
    candidate.status = (CandidateStatus.unsure if decision is Decision.unsure
                        else CandidateStatus.decided).value
    session.flush()
    # The "why" stays in linkage_decisions: the append-only audit log keeps no free text.
    audit.record(session, actor=actor, action="decide_linkage_pair",
                 object_type="match_candidate", object_id=candidate.id,
                 before={"status": before},
                 after={"decision": decision.value, "decision_id": str(row.id),
                        "match_probability": round(candidate.match_probability, 4),
                        "left_record": str(candidate.left_record_id),
                        "right_record": str(candidate.right_record_id)})
    provenance = Provenance(actor, decision_id=row.id)
    left, right = candidate.left_record_id, candidate.right_record_id
    left_identity, right_identity = identity_of(session, left), identity_of(session, right)
    if decision is Decision.match:
        members = {left, right}
        for identity in (left_identity, right_identity):
            if identity is not None:
                members |= set(members_of(session, identity))
        _recluster(session, sorted(members, key=str), provenance)
    elif decision is Decision.non_match and left_identity is not None and \
            left_identity == right_identity:
        _recluster(session, members_of(session, left_identity), provenance)
    return row


def decisions_about(session: Session, record_id: uuid.UUID) -> list[LinkageDecision]:
    """Every decision about pairs that include a record, newest first."""
    return list(session.scalars(
        select(LinkageDecision)
        .where(or_(LinkageDecision.left_record_id == record_id,
                   LinkageDecision.right_record_id == record_id))
        .order_by(LinkageDecision.created_at.desc())
    ))
