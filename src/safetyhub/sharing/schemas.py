"""API shapes for information-sharing agreements."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.vocabulary import DataCategory, LawfulBasis, Purpose

# A partnership has tens of agencies, not thousands: more parties than this is a mistake.
MAX_PARTIES = 100


class AgreementCreate(BaseModel):
    """A new agreement, drafted by an admin of one of its parties."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    parties: list[uuid.UUID] = Field(
        min_length=2, max_length=MAX_PARTIES,
        description="Organisation ids of the parties; must include your own agency.",
    )
    purposes: list[Purpose] = Field(min_length=1, max_length=len(Purpose))
    data_categories: list[DataCategory] = Field(min_length=1, max_length=len(DataCategory))
    lawful_basis: LawfulBasis
    lawful_basis_detail: str = Field(default="", max_length=4000)
    valid_from: date
    valid_to: date

    @model_validator(mode="after")
    def _check(self) -> AgreementCreate:
        if self.valid_to <= self.valid_from:
            raise ValueError("valid_to must be after valid_from")
        if len(set(self.parties)) < 2:
            raise ValueError("an agreement needs at least two different parties")
        if self.lawful_basis == LawfulBasis.other and not self.lawful_basis_detail.strip():
            raise ValueError("lawful_basis 'other' needs lawful_basis_detail")
        return self


class AgreementPartyRead(BaseModel):
    """A party to an agreement and its signature, if it has signed."""

    model_config = ConfigDict(from_attributes=True)

    organisation_id: uuid.UUID
    organisation_name: str
    signed: bool
    signed_at: datetime | None
    signed_by_user_id: uuid.UUID | None
    signed_by_name: str | None


class AgreementRead(BaseModel):
    """An agreement as its parties and the partnership office's register see it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    status: AgreementStatus
    in_force: bool = Field(description="Active and within its validity dates today.")
    parties: list[AgreementPartyRead]
    purposes: list[Purpose]
    data_categories: list[DataCategory]
    lawful_basis: str
    lawful_basis_detail: str
    valid_from: date
    valid_to: date
    drafted_by_organisation_id: uuid.UUID
    created_at: datetime
    revoked_at: datetime | None
    revoked_by_organisation_id: uuid.UUID | None


class AgreementPage(BaseModel):
    """One page of agreements and how many there are in all."""

    items: list[AgreementRead]
    total: int
    page: int
    page_size: int
