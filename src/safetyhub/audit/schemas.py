"""API shapes for reading the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class AuditEventRead(BaseModel):
    """One audit event: who did what to which record, for which purpose, when."""

    model_config = ConfigDict(from_attributes=True)

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
    changed_fields: list[str] = Field(
        description="Fields the event changed; their values stay out of the log's reader, "
        "since an admin's role may not read the record itself."
    )


class AuditPage(BaseModel):
    """One page of audit events (newest first) and how many match in all."""

    items: list[AuditEventRead]
    total: int
    page: int
    page_size: int
