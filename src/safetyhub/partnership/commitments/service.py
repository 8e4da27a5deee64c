"""Commitment verbs (add a priority, make a commitment, set its status, add evidence) and reads.

Audit summaries carry ids, codes, statuses, dates and lengths, never the commitment's text.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.auth.models import User
from safetyhub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from safetyhub.organisations.models import Organisation
from safetyhub.partnership.commitments import permissions
from safetyhub.partnership.commitments.models import (
    Commitment,
    CommitmentProgress,
    CommitmentStatus,
    Priority,
)
from safetyhub.sharing import policy
from safetyhub.text import N_
from safetyhub.timeutil import london_today, utcnow


def add_priority(session: Session, *, actor: Actor, code: str, name: str) -> Priority:
    """Add a priority to the agreement (the partnership office)."""
    if not permissions.may_manage_commitments(actor):
        raise PermissionDenied(
            N_("Only the partnership office changes the agreement's priorities.")
        )
    if session.scalar(select(Priority.id).where(Priority.code == code)) is not None:
        raise Conflict(N_("There is already a priority with that code."))
    position = max(session.scalars(select(Priority.position)).all(), default=0) + 10
    priority = Priority(id=uuid.uuid4(), code=code, name=name, position=position)
    session.add(priority)
    session.flush()
    audit.record(session, actor=actor, action="add_priority", object_type="priority",
                 object_id=priority.id, after={"code": code, "position": position})
    return priority


def _check_owner(session: Session, organisation_id: uuid.UUID, owner_user_id: uuid.UUID | None
                 ) -> None:
    if session.get(Organisation, organisation_id) is None:
        raise NotFound(N_("No organisation with that id."))
    if owner_user_id is not None:
        owner = session.get(User, owner_user_id)
        if owner is None or owner.organisation_id != organisation_id:
            raise InvalidInput(N_("The owner must be a user of the organisation."))


def make_commitment(
    session: Session, *, actor: Actor, organisation_id: uuid.UUID, priority_id: uuid.UUID,
    text: str, due_on: date, owner_user_id: uuid.UUID | None = None,
    decision_id: uuid.UUID | None = None,
) -> Commitment:
    """Record an organisation's commitment under a priority (the partnership office)."""
    if not permissions.may_manage_commitments(actor):
        raise PermissionDenied(N_("Only the partnership office records commitments."))
    if session.get(Priority, priority_id) is None:
        raise NotFound(N_("No priority with that id."))
    _check_owner(session, organisation_id, owner_user_id)
    commitment = Commitment(
        id=uuid.uuid4(), organisation_id=organisation_id, priority_id=priority_id, text=text,
        owner_user_id=owner_user_id, due_on=due_on, status=CommitmentStatus.not_started.value,
        decision_id=decision_id, created_by_id=actor.user_id,
    )
    session.add(commitment)
    session.flush()
    audit.record(
        session, actor=actor, action="make_commitment", object_type="commitment",
        object_id=commitment.id, owner_organisation_id=organisation_id,
        after={"organisation_id": organisation_id, "priority_id": priority_id,
               "owner_user_id": owner_user_id, "due_on": due_on.isoformat(),
               "status": commitment.status, "decision_id": decision_id,
               "text_length": len(text)},
    )
    return commitment


def commitment_for_update(session: Session, actor: Actor, commitment_id: uuid.UUID
                          ) -> Commitment:
    """The commitment if visible (404) and the actor may update it (403)."""
    commitment = policy.get_visible(
        session, policy.visible_commitments(actor).where(Commitment.id == commitment_id),
        "commitment",
    )
    if not permissions.may_update_commitment(actor, commitment):
        raise PermissionDenied(
            N_("Only the partnership office and the committed organisation update a commitment.")
        )
    return commitment


def set_commitment_status(
    session: Session, *, actor: Actor, commitment_id: uuid.UUID, status: CommitmentStatus
) -> Commitment:
    """Set a commitment's status (its organisation's users, or the partnership office)."""
    commitment = commitment_for_update(session, actor, commitment_id)
    before = commitment.status
    if before == status.value:
        return commitment
    commitment.status = status.value
    commitment.status_changed_at = utcnow()
    session.flush()
    audit.record(
        session, actor=actor, action="set_commitment_status", object_type="commitment",
        object_id=commitment.id, owner_organisation_id=commitment.organisation_id,
        before={"status": before}, after={"status": commitment.status},
    )
    return commitment


def add_progress(
    session: Session, *, actor: Actor, commitment_id: uuid.UUID, text: str,
    noted_on: date | None = None,
) -> CommitmentProgress:
    """Add dated evidence of progress (its organisation's users, or the partnership office)."""
    commitment = commitment_for_update(session, actor, commitment_id)
    day = noted_on or london_today()
    if day > london_today():
        raise InvalidInput(N_("Evidence of progress cannot be dated in the future."))
    entry = CommitmentProgress(id=uuid.uuid4(), commitment_id=commitment.id, noted_on=day,
                               text=text, author_id=actor.user_id)
    session.add(entry)
    session.flush()
    audit.record(
        session, actor=actor, action="add_commitment_progress", object_type="commitment",
        object_id=commitment.id, owner_organisation_id=commitment.organisation_id,
        after={"progress_id": entry.id, "noted_on": day.isoformat(), "text_length": len(text)},
    )
    return entry
