"""Audit log routes: read-only, for each agency's admin; nothing here writes the log."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from safetyhub.audit.queries import AuditFilters, search_audit_log
from safetyhub.audit.schemas import AuditEventRead, AuditPage
from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.sharing.vocabulary import Purpose

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=AuditPage)
def search_audit(
    session: DbSession,
    actor: CurrentActor,
    user_id: uuid.UUID | None = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    purpose: Purpose | None = None,
    action: Annotated[str | None, Query(max_length=60)] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int | None, Query(ge=1)] = None,
) -> AuditPage:
    """Your agency's audit events: what its users did and who read its data (admins only)."""
    filters = AuditFilters(
        user_id=user_id, object_id=object_id,
        purpose=purpose.value if purpose is not None else None, action=action,
    )
    listing = search_audit_log(
        session, actor=actor, filters=filters, page=page, page_size=page_size
    )
    return AuditPage(
        items=[AuditEventRead.model_validate(e) for e in listing.items], total=listing.total,
        page=listing.page, page_size=listing.page_size,
    )
