"""Reads of the audit log: an agency's admin sees what its users did and who read its data."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.audit.permissions import may_read_audit_log
from safetyhub.auth.actor import Actor
from safetyhub.config import get_settings
from safetyhub.errors import InvalidInput, PermissionDenied


@dataclass(frozen=True)
class AuditFilters:
    """Optional filters of an audit search."""

    user_id: uuid.UUID | None = None
    object_id: str | None = None
    purpose: str | None = None
    action: str | None = None


@dataclass(frozen=True)
class AuditEventView:
    """An audit event as an admin reads it (field names changed, not their values)."""

    id: uuid.UUID
    seq: int
    at: datetime
    actor_user_id: uuid.UUID | None
    actor_label: str
    organisation_id: uuid.UUID | None
    action: str
    object_type: str
    object_id: str | None
    owner_organisation_id: uuid.UUID | None
    purpose: str | None
    changed_fields: list[str]


@dataclass(frozen=True)
class AuditList:
    """One page of audit events."""

    items: list[AuditEventView]
    total: int
    page: int
    page_size: int


def agency_events(actor: Actor, filters: AuditFilters) -> Select[tuple[AuditEvent]]:
    """Events of the actor's agency: what its users did, or who touched the agency's data."""
    org = actor.organisation_id
    statement = select(AuditEvent).where(
        or_(AuditEvent.organisation_id == org, AuditEvent.owner_organisation_id == org)
    )
    if filters.user_id is not None:
        statement = statement.where(AuditEvent.actor_user_id == filters.user_id)
    if filters.object_id is not None:
        statement = statement.where(AuditEvent.object_id == filters.object_id)
    if filters.purpose is not None:
        statement = statement.where(AuditEvent.purpose == filters.purpose)
    if filters.action is not None:
        statement = statement.where(AuditEvent.action == filters.action)
    return statement


def _changed_fields(summary: str) -> list[str]:
    try:
        content = json.loads(summary)
    except ValueError:
        return []
    if not isinstance(content, dict):
        return []
    fields: set[str] = set()
    for side in ("before", "after"):
        if isinstance(content.get(side), dict):
            fields.update(str(key) for key in content[side])
    return sorted(fields)


def _view(event: AuditEvent) -> AuditEventView:
    return AuditEventView(
        id=event.id, seq=event.seq, at=event.at, actor_user_id=event.actor_user_id,
        actor_label=event.actor_label, organisation_id=event.organisation_id,
        action=event.action, object_type=event.object_type, object_id=event.object_id,
        owner_organisation_id=event.owner_organisation_id, purpose=event.purpose,
        changed_fields=_changed_fields(event.summary),
    )


def search_audit_log(
    session: Session,
    *,
    actor: Actor,
    filters: AuditFilters,
    page: int = 1,
    page_size: int | None = None,
) -> AuditList:
    """A page of the actor's agency's audit events, newest first (admins only)."""
    if not may_read_audit_log(actor):
        raise PermissionDenied("Only your agency's admin may read its audit log.")
    settings = get_settings()
    size = settings.page_size_default if page_size is None else page_size
    if page < 1 or not 1 <= size <= settings.page_size_max:
        raise InvalidInput(
            f"page must be 1 or more and page_size between 1 and {settings.page_size_max}."
        )
    statement = agency_events(actor, filters)
    total = int(
        session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    )
    rows = session.scalars(
        statement.order_by(AuditEvent.seq.desc()).offset((page - 1) * size).limit(size)
    )
    return AuditList([_view(e) for e in rows], total, page, size)
