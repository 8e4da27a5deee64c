"""Linkage tables: model versions, scored candidate pairs, human decisions, identity history.

Identities and their links live in people.models (Identity, IdentityLink); these tables say
how they came to be, so every merge and split can be explained and every decision replayed.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin


class Decision(StrEnum):
    """An analyst's answer about a pair: match is must-link, non_match is cannot-link."""

    match = "match"
    non_match = "non_match"
    unsure = "unsure"


class CandidateStatus(StrEnum):
    """Where a scored pair stands."""

    auto_linked = "auto_linked"  # at or above the auto-link threshold
    pending = "pending"  # between the thresholds: waiting for an analyst
    decided = "decided"  # an analyst answered match or non_match
    unsure = "unsure"  # an analyst could not tell; kept apart from the queue


class IdentityEventKind(StrEnum):
    """What happened to an Identity."""

    created = "created"
    merged = "merged"
    split = "split"  # type: ignore[assignment]  # shadows str.split; the word is the right one


class RunStatus(StrEnum):
    """A batch run's state."""

    running = "running"
    completed = "completed"
    failed = "failed"


class LinkageModelVersion(IdMixin, CreatedMixin, Base):
    """A trained Splink model (its JSON settings) and when and by whom it was trained."""

    __tablename__ = "linkage_model_versions"

    version: Mapped[int] = mapped_column(unique=True)
    settings_json: Mapped[str] = mapped_column(Text)
    record_count: Mapped[int]
    trained_by: Mapped[str] = mapped_column(String(254))


class LinkageTermFrequency(IdMixin, Base):
    """How common a value is, per model version (term-frequency adjustments when scoring)."""

    __tablename__ = "linkage_term_frequencies"
    __table_args__ = (
        UniqueConstraint("model_version_id", "column_name", "value"),
    )

    model_version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("linkage_model_versions.id"))
    column_name: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(300))
    frequency: Mapped[float]


class LinkageRun(IdMixin, CreatedMixin, Base):
    """One batch re-link of every person record, or one incremental link of a new record."""

    __tablename__ = "linkage_runs"

    kind: Mapped[str] = mapped_column(String(20))  # "batch" or "incremental"
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.running)
    model_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("linkage_model_versions.id")
    )
    started_by: Mapped[str] = mapped_column(String(254))
    finished_at: Mapped[datetime | None]
    record_count: Mapped[int] = mapped_column(default=0)
    pair_count: Mapped[int] = mapped_column(default=0)
    identity_count: Mapped[int] = mapped_column(default=0)
    merges: Mapped[int] = mapped_column(default=0)
    splits: Mapped[int] = mapped_column(default=0)
    queued: Mapped[int] = mapped_column(default=0)


class MatchCandidate(IdMixin, CreatedMixin, Base):
    """A scored pair of person records (left id < right id), auto-linked or for review."""

    __tablename__ = "match_candidates"
    __table_args__ = (
        UniqueConstraint("left_record_id", "right_record_id"),
        Index("ix_match_candidates_status_probability", "status", "match_probability"),
    )

    left_record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person_records.id"),
                                                      index=True)
    right_record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person_records.id"),
                                                       index=True)
    match_probability: Mapped[float]
    match_weight: Mapped[float]
    # Field-by-field evidence: comparison names, level labels and weights (never values).
    evidence_json: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    model_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("linkage_model_versions.id")
    )
    run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("linkage_runs.id"))


class LinkageDecision(IdMixin, CreatedMixin, Base):
    """An analyst's decision about a pair, with who, when and why; the newest per pair wins."""

    __tablename__ = "linkage_decisions"
    __table_args__ = (Index("ix_linkage_decisions_pair", "left_record_id", "right_record_id"),)

    left_record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person_records.id"))
    right_record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person_records.id"))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_by: Mapped[str] = mapped_column(String(254))
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    candidate_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("match_candidates.id"))


class IdentityEvent(IdMixin, CreatedMixin, Base):
    """Provenance: an Identity created, merged into another, or split, by a run or decision."""

    __tablename__ = "identity_events"

    kind: Mapped[str] = mapped_column(String(20))
    identity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identities.id"), index=True)
    # merged: the identity absorbed into identity_id; split: the new identity split off.
    other_identity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("identities.id"),
                                                                index=True)
    person_record_ids: Mapped[str] = mapped_column(Text)  # JSON list of the records moved
    run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("linkage_runs.id"))
    decision_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("linkage_decisions.id"))
    actor: Mapped[str] = mapped_column(String(254))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
