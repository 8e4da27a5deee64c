"""Sharing agreement routes (thin: they call sharing.service)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.sharing import service
from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.queries import AgreementView
from safetyhub.sharing.schemas import AgreementCreate, AgreementPage, AgreementRead

router = APIRouter(tags=["sharing"])


def _read(view: AgreementView) -> AgreementRead:
    return AgreementRead.model_validate(view)


@router.post("/sharing-agreements", response_model=AgreementRead, status_code=201)
def draft_agreement(
    session: DbSession, actor: CurrentActor, body: AgreementCreate
) -> AgreementRead:
    """Draft an agreement between your agency and others (admins); nobody has signed yet."""
    agreement = service.draft_agreement(
        session, actor=actor, title=body.title, parties=body.parties, purposes=body.purposes,
        data_categories=body.data_categories, lawful_basis=body.lawful_basis,
        lawful_basis_detail=body.lawful_basis_detail, valid_from=body.valid_from,
        valid_to=body.valid_to,
    )
    return _read(service.describe_agreement(session, agreement))


@router.get("/sharing-agreements", response_model=AgreementPage)
def list_agreements(
    session: DbSession,
    actor: CurrentActor,
    status: AgreementStatus | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int | None, Query(ge=1)] = None,
) -> AgreementPage:
    """Agreements your agency is party to (the partnership office sees the whole register)."""
    listing = service.list_agreements(
        session, actor=actor, status=status, page=page, page_size=page_size
    )
    return AgreementPage(
        items=[_read(v) for v in listing.items], total=listing.total, page=listing.page,
        page_size=listing.page_size,
    )


@router.get("/sharing-agreements/{agreement_id}", response_model=AgreementRead)
def get_agreement(
    session: DbSession, actor: CurrentActor, agreement_id: uuid.UUID
) -> AgreementRead:
    """One agreement: parties and who signed when, purposes, categories, basis, validity."""
    return _read(service.get_agreement(session, agreement_id, actor=actor))


@router.post("/sharing-agreements/{agreement_id}/sign", response_model=AgreementRead)
def sign_agreement(
    session: DbSession, actor: CurrentActor, agreement_id: uuid.UUID
) -> AgreementRead:
    """Sign for your agency (admins of a party); the last signature makes it active."""
    agreement = service.sign_agreement(session, agreement_id, actor=actor)
    return _read(service.describe_agreement(session, agreement))


@router.post("/sharing-agreements/{agreement_id}/revoke", response_model=AgreementRead)
def revoke_agreement(
    session: DbSession, actor: CurrentActor, agreement_id: uuid.UUID
) -> AgreementRead:
    """Revoke the agreement (an admin of any party); it stops granting access at once."""
    agreement = service.revoke_agreement(session, agreement_id, actor=actor)
    return _read(service.describe_agreement(session, agreement))
