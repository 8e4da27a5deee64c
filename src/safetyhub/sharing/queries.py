"""Reads of sharing agreements; every one starts from `policy.visible_agreements`."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import User
from safetyhub.organisations.models import Organisation
from safetyhub.sharing import policy
from safetyhub.sharing.models import (
    AgreementCategory,
    AgreementParty,
    AgreementPurpose,
    AgreementStatus,
    SharingAgreement,
)
from safetyhub.sharing.vocabulary import DataCategory, Purpose
from safetyhub.timeutil import london_today


@dataclass(frozen=True)
class PartyView:
    """A party to an agreement with its organisation's name and its signature."""

    organisation_id: uuid.UUID
    organisation_name: str
    signed_at: datetime | None
    signed_by_user_id: uuid.UUID | None
    signed_by_name: str | None

    @property
    def signed(self) -> bool:
        """Whether this party has signed."""
        return self.signed_at is not None


@dataclass(frozen=True)
class AgreementView:
    """An agreement with its parties, purposes and data categories, ready to show."""

    id: uuid.UUID
    title: str
    status: str
    in_force: bool
    parties: list[PartyView]
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


def is_in_force(agreement: SharingAgreement, today: date | None = None) -> bool:
    """The same test as `policy.active_agreements`, for one loaded agreement."""
    day = today or london_today()
    return (
        agreement.status == AgreementStatus.active
        and agreement.valid_from <= day <= agreement.valid_to
    )


def visible_agreements(
    actor: Actor, *, status: AgreementStatus | None = None
) -> Select[tuple[SharingAgreement]]:
    """Agreements the actor may read, optionally with one status, newest first."""
    statement = policy.visible_agreements(actor)
    if status is not None:
        statement = statement.where(SharingAgreement.status == status.value)
    return statement.order_by(SharingAgreement.created_at.desc(), SharingAgreement.id)


def count_of(session: Session, statement: Select[tuple[SharingAgreement]]) -> int:
    """How many rows a (policy-filtered) select would return."""
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return int(session.scalar(counted) or 0)


def agreement_for_update(
    session: Session, actor: Actor, agreement_id: uuid.UUID
) -> SharingAgreement:
    """A visible agreement, locked (PostgreSQL) so two signatures never race; else 404."""
    statement = (
        policy.visible_agreements(actor)
        .where(SharingAgreement.id == agreement_id)
        .with_for_update(of=SharingAgreement)
        # Under the lock, overwrite whatever this session held with the newest committed state.
        .execution_options(populate_existing=True)
    )
    return policy.get_visible(session, statement, "sharing agreement")


def parties_of(session: Session, agreement_id: uuid.UUID) -> list[AgreementParty]:
    """The party rows of one agreement."""
    return list(
        session.scalars(
            select(AgreementParty).where(AgreementParty.agreement_id == agreement_id)
        )
    )


def describe(session: Session, agreements: Sequence[SharingAgreement]) -> list[AgreementView]:
    """Load parties (with names and signatures), purposes and categories for `agreements`."""
    ids = [a.id for a in agreements]
    if not ids:
        return []
    parties: dict[uuid.UUID, list[PartyView]] = defaultdict(list)
    party_rows = session.execute(
        select(AgreementParty, Organisation.name, User.full_name)
        .join(Organisation, Organisation.id == AgreementParty.organisation_id)
        .outerjoin(User, User.id == AgreementParty.signed_by_id)
        .where(AgreementParty.agreement_id.in_(ids))
        .order_by(Organisation.name)
    )
    for party, org_name, signer_name in party_rows:
        parties[party.agreement_id].append(
            PartyView(party.organisation_id, org_name, party.signed_at, party.signed_by_id,
                      signer_name)
        )
    purposes: dict[uuid.UUID, list[Purpose]] = defaultdict(list)
    for agreement_id, purpose in session.execute(
        select(AgreementPurpose.agreement_id, AgreementPurpose.purpose)
        .where(AgreementPurpose.agreement_id.in_(ids))
        .order_by(AgreementPurpose.purpose)
    ):
        purposes[agreement_id].append(Purpose(purpose))
    categories: dict[uuid.UUID, list[DataCategory]] = defaultdict(list)
    for agreement_id, category in session.execute(
        select(AgreementCategory.agreement_id, AgreementCategory.category)
        .where(AgreementCategory.agreement_id.in_(ids))
        .order_by(AgreementCategory.category)
    ):
        categories[agreement_id].append(DataCategory(category))
    today = london_today()
    return [
        AgreementView(
            id=a.id, title=a.title, status=a.status, in_force=is_in_force(a, today),
            parties=parties[a.id], purposes=purposes[a.id], data_categories=categories[a.id],
            lawful_basis=a.lawful_basis, lawful_basis_detail=a.lawful_basis_detail,
            valid_from=a.valid_from, valid_to=a.valid_to,
            drafted_by_organisation_id=a.drafted_by_organisation_id, created_at=a.created_at,
            revoked_at=a.revoked_at, revoked_by_organisation_id=a.revoked_by_organisation_id,
        )
        for a in agreements
    ]
