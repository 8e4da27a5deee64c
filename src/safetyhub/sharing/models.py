"""Information-sharing agreements as data: parties, purposes and data categories."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin


class AgreementStatus(StrEnum):
    """draft -> active (every party signed) -> revoked."""

    draft = "draft"
    active = "active"
    revoked = "revoked"


class SharingAgreement(IdMixin, CreatedMixin, Base):
    """An information-sharing agreement between partner agencies."""

    __tablename__ = "sharing_agreements"

    title: Mapped[str] = mapped_column(String(200))
    lawful_basis: Mapped[str] = mapped_column(String(100))
    lawful_basis_detail: Mapped[str] = mapped_column(Text, default="")
    valid_from: Mapped[date]
    valid_to: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=AgreementStatus.draft, index=True)
    drafted_by_organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    revoked_at: Mapped[datetime | None]
    revoked_by_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id")
    )


class AgreementParty(IdMixin, Base):
    """An organisation party to an agreement, and its signature."""

    __tablename__ = "agreement_parties"
    __table_args__ = (UniqueConstraint("agreement_id", "organisation_id"),)

    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sharing_agreements.id"), index=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    signed_at: Mapped[datetime | None]
    signed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class AgreementPurpose(IdMixin, Base):
    """A purpose the agreement allows sharing for."""

    __tablename__ = "agreement_purposes"
    __table_args__ = (UniqueConstraint("agreement_id", "purpose"),)

    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sharing_agreements.id"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(40))


class AgreementCategory(IdMixin, Base):
    """A data category the agreement covers."""

    __tablename__ = "agreement_categories"
    __table_args__ = (UniqueConstraint("agreement_id", "category"),)

    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sharing_agreements.id"), index=True
    )
    category: Mapped[str] = mapped_column(String(40))
