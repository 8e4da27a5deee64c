"""Reads of priorities, commitments and progress, every one starting from the access policy."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import User
from safetyhub.organisations.models import Organisation
from safetyhub.partnership.commitments.models import (
    Commitment,
    CommitmentProgress,
    CommitmentStatus,
    Priority,
)
from safetyhub.partnership.commitments.rules import figures, is_overdue
from safetyhub.partnership.commitments.schemas import (
    CommitmentRead,
    PriorityRead,
    ProgressLine,
    ProgressRead,
    ProgressReport,
)
from safetyhub.sharing import policy
from safetyhub.timeutil import london_today


def list_priorities(session: Session, *, actor: Actor) -> list[PriorityRead]:
    """The agreement's priorities, in order."""
    rows = session.scalars(policy.visible_priorities(actor).order_by(Priority.position,
                                                                     Priority.name))
    return [PriorityRead.model_validate(row) for row in rows]


def organisation_names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Names of the organisations `ids` (partner agencies are public to every user)."""
    if not ids:
        return {}
    rows = session.execute(select(Organisation.id, Organisation.name)
                           .where(Organisation.id.in_(ids)))
    return {row[0]: row[1] for row in rows}


def user_names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Full names of the users `ids` (owners and authors, named on the partnership's record)."""
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    return {row[0]: row[1] for row in rows}


def reads_of(session: Session, actor: Actor, commitments: Sequence[Commitment], *,
             today: date | None = None, with_progress: bool = False) -> list[CommitmentRead]:
    """Commitments as the API answers them (names and overdue computed in batch)."""
    day = today or london_today()
    organisations = organisation_names(session, {c.organisation_id for c in commitments})
    priorities = {p.id: p for p in session.scalars(
        select(Priority).where(Priority.id.in_({c.priority_id for c in commitments})))}
    progress: dict[uuid.UUID, list[CommitmentProgress]] = defaultdict(list)
    if with_progress and commitments:
        for entry in session.scalars(policy.visible_commitment_progress(actor).where(
                CommitmentProgress.commitment_id.in_([c.id for c in commitments])
        ).order_by(CommitmentProgress.noted_on.desc(), CommitmentProgress.created_at.desc())):
            progress[entry.commitment_id].append(entry)
    people = user_names(session, {c.owner_user_id for c in commitments if c.owner_user_id}
                    | {e.author_id for entries in progress.values() for e in entries
                       if e.author_id})
    return [
        CommitmentRead(
            id=c.id, organisation_id=c.organisation_id,
            organisation_name=organisations.get(c.organisation_id, ""),
            priority_id=c.priority_id, priority_code=priorities[c.priority_id].code,
            priority_name=priorities[c.priority_id].name, text=c.text,
            owner_user_id=c.owner_user_id,
            owner_name=people.get(c.owner_user_id) if c.owner_user_id else None,
            due_on=c.due_on, status=CommitmentStatus(c.status),
            overdue=is_overdue(c.due_on, c.status, day),
            decision_id=c.decision_id,
            progress=[ProgressRead(id=e.id, noted_on=e.noted_on, text=e.text,
                                   author_name=people.get(e.author_id) if e.author_id else None,
                                   created_at=e.created_at) for e in progress[c.id]],
        )
        for c in commitments
    ]


def list_commitments(
    session: Session, *, actor: Actor, priority_id: uuid.UUID | None = None,
    organisation_id: uuid.UUID | None = None, overdue_only: bool = False,
    today: date | None = None, decision_id: uuid.UUID | None = None,
) -> list[CommitmentRead]:
    """Commitments, filtered by priority, organisation or decision, the earliest due first."""
    statement = policy.visible_commitments(actor)
    if priority_id is not None:
        statement = statement.where(Commitment.priority_id == priority_id)
    if organisation_id is not None:
        statement = statement.where(Commitment.organisation_id == organisation_id)
    if decision_id is not None:
        statement = statement.where(Commitment.decision_id == decision_id)
    rows = session.scalars(statement.order_by(Commitment.due_on, Commitment.created_at)).all()
    reads = reads_of(session, actor, rows, today=today)
    return [read for read in reads if read.overdue] if overdue_only else reads


def get_commitment(session: Session, *, actor: Actor, commitment_id: uuid.UUID
                   ) -> CommitmentRead:
    """One commitment with its evidence of progress."""
    row = policy.get_visible(
        session, policy.visible_commitments(actor).where(Commitment.id == commitment_id),
        "commitment",
    )
    return reads_of(session, actor, [row], with_progress=True)[0]


def progress_report(session: Session, *, actor: Actor, today: date | None = None
                    ) -> ProgressReport:
    """Progress per priority and per organisation, and every overdue commitment."""
    day = today or london_today()
    rows = session.scalars(policy.visible_commitments(actor).order_by(Commitment.due_on)).all()
    priorities = session.scalars(policy.visible_priorities(actor).order_by(
        Priority.position, Priority.name)).all()
    organisations = organisation_names(session, {c.organisation_id for c in rows})

    def line(key: uuid.UUID, name: str, members: list[Commitment]) -> ProgressLine:
        result = figures(((c.due_on, c.status) for c in members), day)
        return ProgressLine(id=key, name=name, total=result.total, by_status=result.by_status,
                            done=result.done, overdue=result.overdue, done_rate=result.done_rate)

    by_priority = [line(p.id, p.name, [c for c in rows if c.priority_id == p.id])
                   for p in priorities]
    by_organisation = sorted(
        (line(org_id, name, [c for c in rows if c.organisation_id == org_id])
         for org_id, name in organisations.items()),
        key=lambda item: item.name,
    )
    overdue = [c for c in rows if is_overdue(c.due_on, c.status, day)]
    return ProgressReport(today=day, by_priority=by_priority, by_organisation=by_organisation,
                          overdue=reads_of(session, actor, overdue, today=day))
