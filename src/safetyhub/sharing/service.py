"""Information-sharing agreements: draft, sign, revoke, and read them (the policy's input)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.config import get_settings
from safetyhub.errors import Conflict, InvalidInput, PermissionDenied
from safetyhub.organisations.models import Organisation
from safetyhub.sharing import policy, queries
from safetyhub.sharing.models import (
    AgreementCategory,
    AgreementParty,
    AgreementPurpose,
    AgreementStatus,
    SharingAgreement,
)
from safetyhub.sharing.permissions import (
    may_draft_agreement,
    may_revoke_agreement,
    may_sign_agreement,
)
from safetyhub.sharing.queries import AgreementView
from safetyhub.sharing.vocabulary import (
    SPECIAL_CATEGORY_PURPOSES,
    DataCategory,
    LawfulBasis,
    Purpose,
)
from safetyhub.timeutil import london_today, utcnow

OBJECT_TYPE = "sharing_agreement"
T = TypeVar("T")


def _unique(values: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(values))


def _check_content(
    session: Session, *, actor: Actor, title: str, parties: list[uuid.UUID],
    purposes: list[Purpose], data_categories: list[DataCategory], lawful_basis: LawfulBasis,
    lawful_basis_detail: str, valid_from: date, valid_to: date,
) -> None:
    """Refuse an agreement that could never be lawful or useful (422, nothing written)."""
    problems: list[str] = []
    if not title.strip():
        problems.append("An agreement needs a title.")
    if len(parties) < 2:
        problems.append("An agreement needs at least two different parties.")
    if actor.organisation_id not in parties:
        problems.append("The parties must include your own agency.")
    known = set(session.scalars(select(Organisation.id).where(Organisation.id.in_(parties))))
    if unknown := [str(p) for p in parties if p not in known]:
        problems.append(f"No organisation with id {', '.join(unknown)}.")
    if not purposes:
        problems.append("An agreement needs at least one purpose.")
    if not data_categories:
        problems.append("An agreement needs at least one data category.")
    if DataCategory.special_category in data_categories and not (
        SPECIAL_CATEGORY_PURPOSES & set(purposes)
    ):
        # UK GDPR Art. 9 / DPA 2018 Sch. 1: special category data only for these purposes.
        problems.append(
            "special_category data may only be shared for safeguarding or statutory_review; "
            "add one of those purposes."
        )
    if lawful_basis == LawfulBasis.other and not lawful_basis_detail.strip():
        problems.append("A lawful basis of 'other' needs the detail of the legal gateway.")
    if valid_to <= valid_from:
        problems.append("valid_to must be after valid_from.")
    elif valid_to < london_today():
        problems.append("valid_to is in the past: the agreement would never be in force.")
    if problems:
        raise InvalidInput(" ".join(problems))


def draft_agreement(
    session: Session,
    *,
    actor: Actor,
    title: str,
    parties: Iterable[uuid.UUID],
    purposes: Iterable[Purpose],
    data_categories: Iterable[DataCategory],
    lawful_basis: LawfulBasis,
    lawful_basis_detail: str = "",
    valid_from: date,
    valid_to: date,
) -> SharingAgreement:
    """Draft an agreement between agencies; it grants nothing until every party has signed."""
    party_ids = _unique(parties)
    purpose_list = _unique(Purpose(p) for p in purposes)
    category_list = _unique(DataCategory(c) for c in data_categories)
    if not may_draft_agreement(actor):
        raise PermissionDenied("Only an agency's admin may draft a sharing agreement.")
    _check_content(
        session, actor=actor, title=title, parties=party_ids, purposes=purpose_list,
        data_categories=category_list, lawful_basis=lawful_basis,
        lawful_basis_detail=lawful_basis_detail, valid_from=valid_from, valid_to=valid_to,
    )
    assert actor.organisation_id is not None  # may_draft_agreement checked it
    agreement = SharingAgreement(
        title=title.strip(), lawful_basis=lawful_basis.value,
        lawful_basis_detail=lawful_basis_detail.strip(), valid_from=valid_from,
        valid_to=valid_to, status=AgreementStatus.draft.value,
        drafted_by_organisation_id=actor.organisation_id,
    )
    session.add(agreement)
    session.flush()
    session.add_all(
        [AgreementParty(agreement_id=agreement.id, organisation_id=org) for org in party_ids]
        + [AgreementPurpose(agreement_id=agreement.id, purpose=p.value) for p in purpose_list]
        + [AgreementCategory(agreement_id=agreement.id, category=c.value) for c in category_list]
    )
    session.flush()
    audit.record(
        session, actor=actor, action="draft_agreement", object_type=OBJECT_TYPE,
        object_id=agreement.id, owner_organisation_id=actor.organisation_id,
        after={
            "title": agreement.title, "status": agreement.status,
            "parties": [str(p) for p in party_ids],
            "purposes": [p.value for p in purpose_list],
            "data_categories": [c.value for c in category_list],
            "lawful_basis": agreement.lawful_basis, "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat(),
        },
    )
    return agreement


def _signed(parties: Iterable[AgreementParty]) -> list[str]:
    return sorted(str(p.organisation_id) for p in parties if p.signed_at is not None)


def sign_agreement(
    session: Session, agreement_id: uuid.UUID, *, actor: Actor
) -> SharingAgreement:
    """Sign for the actor's agency; when the last party signs, the agreement becomes active."""
    agreement = queries.agreement_for_update(session, actor, agreement_id)
    parties = queries.parties_of(session, agreement.id)
    if not may_sign_agreement(actor, {p.organisation_id for p in parties}):
        raise PermissionDenied("Only an admin of a party agency may sign this agreement.")
    if agreement.status == AgreementStatus.revoked:
        raise Conflict("This agreement has been revoked; it can no longer be signed.")
    mine = next(p for p in parties if p.organisation_id == actor.organisation_id)
    if mine.signed_at is not None:
        raise Conflict("Your agency has already signed this agreement.")
    if agreement.valid_to < london_today():
        raise Conflict("This agreement has expired; draft a new one instead.")
    before = {"status": agreement.status, "signed": _signed(parties)}
    mine.signed_at = utcnow()
    mine.signed_by_id = actor.user_id
    if all(p.signed_at is not None for p in parties):
        agreement.status = AgreementStatus.active.value
    session.flush()
    audit.record(
        session, actor=actor, action="sign_agreement", object_type=OBJECT_TYPE,
        object_id=agreement.id, owner_organisation_id=agreement.drafted_by_organisation_id,
        before=before, after={"status": agreement.status, "signed": _signed(parties)},
    )
    return agreement


def revoke_agreement(
    session: Session, agreement_id: uuid.UUID, *, actor: Actor
) -> SharingAgreement:
    """Revoke an agreement for every party at once; from now on it grants nothing."""
    agreement = queries.agreement_for_update(session, actor, agreement_id)
    parties = queries.parties_of(session, agreement.id)
    if not may_revoke_agreement(actor, {p.organisation_id for p in parties}):
        raise PermissionDenied("Only an admin of a party agency may revoke this agreement.")
    if agreement.status == AgreementStatus.revoked:
        raise Conflict("This agreement has already been revoked.")
    before = {"status": agreement.status}
    agreement.status = AgreementStatus.revoked.value
    agreement.revoked_at = utcnow()
    agreement.revoked_by_organisation_id = actor.organisation_id
    session.flush()
    audit.record(
        session, actor=actor, action="revoke_agreement", object_type=OBJECT_TYPE,
        object_id=agreement.id, owner_organisation_id=agreement.drafted_by_organisation_id,
        before=before,
        after={"status": agreement.status, "revoked_at": agreement.revoked_at,
               "revoked_by_organisation_id": str(actor.organisation_id)},
    )
    return agreement


def get_agreement(session: Session, agreement_id: uuid.UUID, *, actor: Actor) -> AgreementView:
    """One visible agreement with its parties, purposes and categories; else 404."""
    statement = policy.visible_agreements(actor).where(SharingAgreement.id == agreement_id)
    agreement = policy.get_visible(session, statement, "sharing agreement")
    return queries.describe(session, [agreement])[0]


def describe_agreement(session: Session, agreement: SharingAgreement) -> AgreementView:
    """The view of an agreement the caller has just changed (so may see)."""
    return queries.describe(session, [agreement])[0]


@dataclass(frozen=True)
class AgreementList:
    """One page of visible agreements."""

    items: list[AgreementView]
    total: int
    page: int
    page_size: int


def list_agreements(
    session: Session,
    *,
    actor: Actor,
    status: AgreementStatus | None = None,
    page: int = 1,
    page_size: int | None = None,
) -> AgreementList:
    """Agreements the actor may see (their agency's; all for the partnership office)."""
    settings = get_settings()
    size = settings.page_size_default if page_size is None else page_size
    if page < 1 or not 1 <= size <= settings.page_size_max:
        raise InvalidInput(
            f"page must be 1 or more and page_size between 1 and {settings.page_size_max}."
        )
    statement = queries.visible_agreements(actor, status=status)
    total = queries.count_of(session, statement)
    rows = list(session.scalars(statement.offset((page - 1) * size).limit(size)))
    return AgreementList(queries.describe(session, rows), total, page, size)
