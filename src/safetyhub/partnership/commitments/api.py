"""Commitments JSON API routes (thin: they call the service)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.partnership.commitments import reads, service
from safetyhub.partnership.commitments.schemas import (
    CommitmentCreate,
    CommitmentRead,
    CommitmentStatusUpdate,
    PriorityCreate,
    PriorityRead,
    ProgressCreate,
    ProgressReport,
)

router = APIRouter(tags=["commitments"])


@router.get("/partnership/priorities", response_model=list[PriorityRead])
def list_priorities(session: DbSession, actor: CurrentActor) -> list[PriorityRead]:
    """The priorities of the Community Safety Agreement."""
    return reads.list_priorities(session, actor=actor)


@router.post("/partnership/priorities", response_model=PriorityRead, status_code=201)
def add_priority(session: DbSession, actor: CurrentActor, body: PriorityCreate) -> PriorityRead:
    """Add a priority (the partnership office)."""
    priority = service.add_priority(session, actor=actor, code=body.code, name=body.name)
    return PriorityRead.model_validate(priority)


@router.get("/partnership/commitments", response_model=list[CommitmentRead])
def list_commitments(
    session: DbSession, actor: CurrentActor, priority_id: uuid.UUID | None = None,
    organisation_id: uuid.UUID | None = None, overdue: bool = False,
) -> list[CommitmentRead]:
    """Commitments, by priority and/or organisation; `overdue=true` for the overdue only."""
    return reads.list_commitments(session, actor=actor, priority_id=priority_id,
                                  organisation_id=organisation_id, overdue_only=overdue)


@router.post("/partnership/commitments", response_model=CommitmentRead, status_code=201)
def make_commitment(session: DbSession, actor: CurrentActor, body: CommitmentCreate
                    ) -> CommitmentRead:
    """Record an organisation's commitment (the partnership office)."""
    commitment = service.make_commitment(
        session, actor=actor, organisation_id=body.organisation_id, priority_id=body.priority_id,
        text=body.text, due_on=body.due_on, owner_user_id=body.owner_user_id,
    )
    return reads.get_commitment(session, actor=actor, commitment_id=commitment.id)


@router.get("/partnership/progress", response_model=ProgressReport)
def progress(session: DbSession, actor: CurrentActor) -> ProgressReport:
    """Progress per priority and per organisation, with the overdue commitments."""
    return reads.progress_report(session, actor=actor)


@router.get("/partnership/commitments/{commitment_id}", response_model=CommitmentRead)
def get_commitment(session: DbSession, actor: CurrentActor, commitment_id: uuid.UUID
                   ) -> CommitmentRead:
    """One commitment with its evidence of progress."""
    return reads.get_commitment(session, actor=actor, commitment_id=commitment_id)


@router.put("/partnership/commitments/{commitment_id}/status", response_model=CommitmentRead)
def set_status(session: DbSession, actor: CurrentActor, commitment_id: uuid.UUID,
               body: CommitmentStatusUpdate) -> CommitmentRead:
    """Set the status (the committed organisation or the partnership office)."""
    service.set_commitment_status(session, actor=actor, commitment_id=commitment_id,
                                  status=body.status)
    return reads.get_commitment(session, actor=actor, commitment_id=commitment_id)


@router.post("/partnership/commitments/{commitment_id}/progress",
             response_model=CommitmentRead, status_code=201)
def add_progress(session: DbSession, actor: CurrentActor, commitment_id: uuid.UUID,
                 body: ProgressCreate) -> CommitmentRead:
    """Add evidence of progress (the committed organisation or the partnership office)."""
    service.add_progress(session, actor=actor, commitment_id=commitment_id, text=body.text,
                         noted_on=body.noted_on)
    return reads.get_commitment(session, actor=actor, commitment_id=commitment_id)
