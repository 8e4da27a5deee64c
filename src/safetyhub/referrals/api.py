"""Referrals API routes (thin: they call referrals.service)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.referrals import service
from safetyhub.referrals.models import ReferralState
from safetyhub.referrals.schemas import (
    ReferralBox,
    ReferralComplete,
    ReferralCreate,
    ReferralDecline,
    ReferralPage,
    ReferralRead,
)

router = APIRouter(tags=["referrals"])


@router.get("/referrals", response_model=ReferralPage)
def list_referrals(
    session: DbSession,
    actor: CurrentActor,
    box: ReferralBox | None = None,
    state: ReferralState | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int | None, Query(ge=1)] = None,
) -> ReferralPage:
    """Referrals your agency sent (outbox) or received (inbox); others' need an agreement."""
    return service.list_referrals(
        session, actor=actor, box=box, state=state, page=page, page_size=page_size
    )


@router.post("/referrals", response_model=ReferralRead, status_code=201)
def send_referral(session: DbSession, actor: CurrentActor, body: ReferralCreate) -> ReferralRead:
    """Refer a person and/or case to another agency or to a listed service (`service_id`)."""
    referral = service.send_referral(
        session, actor=actor, to_organisation_id=body.to_organisation_id, reason=body.reason,
        lawful_basis=body.lawful_basis, consent_obtained=body.consent_obtained,
        person_record_id=body.person_record_id, case_id=body.case_id, service_id=body.service_id,
    )
    return service.read_of(session, referral)


@router.get("/referrals/{referral_id}", response_model=ReferralRead)
def get_referral(
    session: DbSession, actor: CurrentActor, referral_id: uuid.UUID
) -> ReferralRead:
    """One referral you may see."""
    return service.get_referral(session, actor=actor, referral_id=referral_id)


@router.post("/referrals/{referral_id}/accept", response_model=ReferralRead)
def accept_referral(
    session: DbSession, actor: CurrentActor, referral_id: uuid.UUID
) -> ReferralRead:
    """Accept a referral sent to your agency."""
    referral = service.accept_referral(session, actor=actor, referral_id=referral_id)
    return service.read_of(session, referral)


@router.post("/referrals/{referral_id}/decline", response_model=ReferralRead)
def decline_referral(
    session: DbSession, actor: CurrentActor, referral_id: uuid.UUID, body: ReferralDecline
) -> ReferralRead:
    """Decline a referral sent to your agency, with the reason."""
    referral = service.decline_referral(
        session, actor=actor, referral_id=referral_id, reason=body.reason
    )
    return service.read_of(session, referral)


@router.post("/referrals/{referral_id}/complete", response_model=ReferralRead)
def complete_referral(
    session: DbSession, actor: CurrentActor, referral_id: uuid.UUID, body: ReferralComplete
) -> ReferralRead:
    """Complete an accepted referral, with its outcome."""
    referral = service.complete_referral(
        session, actor=actor, referral_id=referral_id, outcome=body.outcome
    )
    return service.read_of(session, referral)
