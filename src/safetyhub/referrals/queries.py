"""Select statements for referrals, each starting from the access policy."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from safetyhub.auth.actor import Actor
from safetyhub.organisations.models import Organisation
from safetyhub.referrals.directory.models import DirectoryService
from safetyhub.referrals.models import Referral, ReferralState
from safetyhub.referrals.schemas import ReferralBox
from safetyhub.sharing import policy

# A referral with its sender's, recipient's and any listed service's names.
ReferralRow = tuple[Referral, str, str, str | None]


def visible_referrals_with_names(
    actor: Actor, box: ReferralBox | None = None, state: ReferralState | None = None
) -> Select[ReferralRow]:
    """Visible referrals (newest first) with both agencies' and any listed service's names."""
    sender = aliased(Organisation)
    recipient = aliased(Organisation)
    statement = (
        policy.visible_referrals(actor)
        .add_columns(sender.name, recipient.name, DirectoryService.name)
        .join(sender, sender.id == Referral.from_organisation_id)
        .join(recipient, recipient.id == Referral.to_organisation_id)
        .outerjoin(DirectoryService, DirectoryService.id == Referral.service_id)
    )
    if box == ReferralBox.inbox:
        statement = statement.where(Referral.to_organisation_id == actor.organisation_id)
    elif box == ReferralBox.outbox:
        statement = statement.where(Referral.from_organisation_id == actor.organisation_id)
    if state is not None:
        statement = statement.where(Referral.state == state.value)
    return statement.order_by(Referral.created_at.desc(), Referral.id)


def visible_referral(actor: Actor, referral_id: uuid.UUID) -> Select[ReferralRow]:
    """One visible referral with both agencies' names."""
    return visible_referrals_with_names(actor).where(Referral.id == referral_id)


def referral_for_change(actor: Actor, referral_id: uuid.UUID) -> Select[tuple[Referral]]:
    """The visible referral, row-locked so two answers cannot both pass the state check."""
    return (
        policy.visible_referrals(actor)
        .where(Referral.id == referral_id)
        .with_for_update(of=Referral)
        .execution_options(populate_existing=True)
    )


def count_of(statement: Select[ReferralRow]) -> Select[tuple[int]]:
    """How many rows `statement` selects."""
    return select(func.count()).select_from(statement.order_by(None).subquery())


def waiting_for(actor: Actor) -> Select[ReferralRow]:
    """Referrals sent to the actor's agency and not yet answered, soonest deadline first."""
    return (
        visible_referrals_with_names(actor, ReferralBox.inbox, ReferralState.sent)
        .order_by(None)
        .order_by(Referral.respond_by, Referral.created_at, Referral.id)
    )
