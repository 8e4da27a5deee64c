"""Linkage selects, each starting from the access policy."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, Select, and_, not_, select
from sqlalchemy.orm import InstrumentedAttribute

from safetyhub.auth.actor import Actor
from safetyhub.linkage.models import CandidateStatus, MatchCandidate
from safetyhub.people.models import PersonRecord
from safetyhub.sharing import policy


def _readable_ids(actor: Actor) -> Select[tuple[uuid.UUID]]:
    return select(PersonRecord.id).where(policy.person_record_readable(actor))


def _readable(column: InstrumentedAttribute[uuid.UUID], actor: Actor) -> ColumnElement[bool]:
    return column.in_(_readable_ids(actor))


def both_readable(actor: Actor) -> ColumnElement[bool]:
    """Condition: the actor may read both records of the candidate pair."""
    return and_(_readable(MatchCandidate.left_record_id, actor),
                _readable(MatchCandidate.right_record_id, actor))


def reviewable_candidates(actor: Actor) -> Select[tuple[MatchCandidate]]:
    """Candidate pairs whose two records the actor may see."""
    return select(MatchCandidate).where(both_readable(actor))


def queue(actor: Actor) -> Select[tuple[MatchCandidate]]:
    """Pairs waiting for a decision that the actor may review, most likely first."""
    return (reviewable_candidates(actor)
            .where(MatchCandidate.status == CandidateStatus.pending)
            .order_by(MatchCandidate.match_probability.desc(), MatchCandidate.id))


def hidden_pending(actor: Actor) -> Select[tuple[MatchCandidate]]:
    """Pending pairs with a record the actor may not see (counted, never shown)."""
    return select(MatchCandidate).where(
        MatchCandidate.status == CandidateStatus.pending, not_(both_readable(actor))
    )


def with_status(actor: Actor, status: CandidateStatus) -> Select[tuple[MatchCandidate]]:
    """Reviewable pairs in one status (for the progress count)."""
    return reviewable_candidates(actor).where(MatchCandidate.status == status)
