"""API shapes for referrals."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StrictBool, StringConstraints

from safetyhub.referrals.models import ReferralState
from safetyhub.sharing.vocabulary import LawfulBasis

MAX_REFERRAL_TEXT = 5_000

ReferralText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_REFERRAL_TEXT)
]


class ReferralBox(StrEnum):
    """Which side of a referral the actor's agency is on."""

    inbox = "inbox"
    outbox = "outbox"


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReferralCreate(_Request):
    """A referral to another agency, or to a listed service (its agency is then implied)."""

    to_organisation_id: uuid.UUID | None = None
    service_id: uuid.UUID | None = None
    person_record_id: uuid.UUID | None = None
    case_id: uuid.UUID | None = None
    reason: ReferralText
    lawful_basis: LawfulBasis
    consent_obtained: StrictBool


class ReferralDecline(_Request):
    """Declining needs a reason the referring agency can act on."""

    reason: ReferralText


class ReferralComplete(_Request):
    """Completing records what was done."""

    outcome: ReferralText


class ReferralRead(BaseModel):
    """A referral as either agency (or a reader through an agreement) sees it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    from_organisation_id: uuid.UUID
    from_organisation_name: str
    to_organisation_id: uuid.UUID
    to_organisation_name: str
    person_record_id: uuid.UUID | None
    case_id: uuid.UUID | None
    service_id: uuid.UUID | None
    service_name: str | None
    # To a listed service outside the hub: the sender's agency records the answers.
    external: bool
    subject_name: str | None
    subject_date_of_birth: date | None
    reason: str
    lawful_basis: str
    consent_obtained: bool
    state: ReferralState
    respond_by: date
    overdue: bool
    decline_reason: str | None
    outcome: str | None
    created_at: datetime
    responded_at: datetime | None
    completed_at: datetime | None


class ReferralPage(BaseModel):
    """One page of visible referrals; `total` counts only visible referrals."""

    items: list[ReferralRead]
    total: int
    page: int
    page_size: int
