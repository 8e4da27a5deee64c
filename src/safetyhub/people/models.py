"""Person records (what one agency holds) and Identities (the person behind several records)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin
from safetyhub.sharing.vocabulary import Sensitivity


class PersonRecord(IdMixin, CreatedMixin, Base):
    """What ONE agency holds about a person; owned by that agency, never edited by another."""

    __tablename__ = "person_records"
    __table_args__ = (
        Index("ix_person_records_family_given", "family_name", "given_name"),
        Index("ix_person_records_postcode", "postcode"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date | None]
    address: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(30))
    agency_identifier: Mapped[str | None] = mapped_column(String(60))
    # A health agency's record alone reveals health information: such records are special_category.
    sensitivity: Mapped[str] = mapped_column(String(20), default=Sensitivity.standard)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class Identity(IdMixin, CreatedMixin, Base):
    """The person behind several PersonRecords, made by linkage or by a human decision."""

    __tablename__ = "identities"

    label: Mapped[str | None] = mapped_column(String(200))


class IdentityLink(IdMixin, CreatedMixin, Base):
    """Links one PersonRecord to its Identity, with how and how surely."""

    __tablename__ = "identity_links"

    identity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identities.id"), index=True)
    person_record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person_records.id"), unique=True
    )
    method: Mapped[str] = mapped_column(String(40))  # "linkage", "human", "seed"
    match_probability: Mapped[float | None]
