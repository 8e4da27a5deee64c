"""API shapes for linkage: the review queue, decisions, and what a user sees of an Identity."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from safetyhub.linkage.models import Decision, LinkageDecision
from safetyhub.linkage.service import IdentitySummary, ReviewPair, ReviewQueue
from safetyhub.people.schemas import PersonRecordRead


class DecisionCreate(BaseModel):
    """An analyst's answer about a candidate pair, and why."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    decision: Decision
    reason: str = Field(default="", max_length=2000)


class DecisionRead(BaseModel):
    """A recorded decision."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    candidate_id: uuid.UUID | None
    decision: Decision
    reason: str
    decided_by: str
    created_at: datetime

    @classmethod
    def of(cls, row: LinkageDecision) -> DecisionRead:
        """The read shape of a decision row."""
        return cls.model_validate(row)


class EvidenceRead(BaseModel):
    """One comparison's outcome: the level that agreed and its match weight (bits)."""

    comparison: str
    level: str
    match_weight: float


class ReviewPairRead(BaseModel):
    """A candidate pair side by side, with the field-by-field evidence."""

    id: uuid.UUID
    status: str
    match_probability: float
    match_weight: float
    left: PersonRecordRead
    right: PersonRecordRead
    evidence: list[EvidenceRead]

    @classmethod
    def of(cls, pair: ReviewPair) -> ReviewPairRead:
        """The read shape of a review pair."""
        candidate = pair.candidate
        return cls(
            id=candidate.id, status=candidate.status,
            match_probability=candidate.match_probability,
            match_weight=candidate.match_weight,
            left=PersonRecordRead.of(pair.left.record, pair.left.organisation_name),
            right=PersonRecordRead.of(pair.right.record, pair.right.organisation_name),
            evidence=[EvidenceRead(**e) for e in pair.evidence],
        )


class ReviewQueueRead(BaseModel):
    """Pairs waiting for the analyst, and the progress counts."""

    items: list[ReviewPairRead]
    total: int
    page: int
    page_size: int
    decided: int
    unsure: int
    # Pending pairs with a record this analyst may not see: another agency must review them.
    needs_other_reviewer: int

    @classmethod
    def of(cls, queue: ReviewQueue) -> ReviewQueueRead:
        """The read shape of a queue page."""
        return cls(items=[ReviewPairRead.of(p) for p in queue.items], total=queue.total,
                   page=queue.page, page_size=queue.page_size, decided=queue.decided,
                   unsure=queue.unsure, needs_other_reviewer=queue.hidden)


class IdentitySummaryRead(BaseModel):
    """What the actor may know of a record's Identity."""

    identity_id: uuid.UUID | None
    linked_records: list[PersonRecordRead]
    # Rule 4: agencies holding linked records hidden from the actor, counted, never shown.
    known_to_other_agencies: int

    @classmethod
    def of(cls, summary: IdentitySummary) -> IdentitySummaryRead:
        """The read shape of an identity summary."""
        return cls(identity_id=summary.identity_id,
                   linked_records=[PersonRecordRead.of(v.record, v.organisation_name)
                                   for v in summary.linked_records],
                   known_to_other_agencies=summary.other_agencies)
