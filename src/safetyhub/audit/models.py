"""The append-only, hash-chained audit log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, IdMixin


class AuditEvent(IdMixin, Base):
    """Who did what to which record, for which purpose; each row hashes the previous one."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_org_seq", "organisation_id", "seq"),)

    # Position in the chain: 1, 2, 3, ... with no gaps (a gap means a deleted row).
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime]
    actor_user_id: Mapped[uuid.UUID | None]
    actor_label: Mapped[str] = mapped_column(String(254))
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # The organisation that owns the object (so an agency can see who read its data).
    owner_organisation_id: Mapped[uuid.UUID | None]
    purpose: Mapped[str | None] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON: before/after
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
