"""Referral verbs (send, accept, decline, complete) and the policy-filtered reads.

Audit summaries carry ids, states and dates, never the reason or outcome text: the audit log
can never be pruned, so it must not become a second copy of personal data.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.cases.models import Case
from safetyhub.config import get_settings
from safetyhub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from safetyhub.organisations.models import Organisation
from safetyhub.people.models import PersonRecord
from safetyhub.referrals import permissions, queries
from safetyhub.referrals.directory import service as directory
from safetyhub.referrals.directory.models import DirectoryService
from safetyhub.referrals.models import Referral, ReferralState
from safetyhub.referrals.schemas import ReferralBox, ReferralPage, ReferralRead
from safetyhub.sharing import policy
from safetyhub.sharing.vocabulary import LawfulBasis
from safetyhub.timeutil import add_working_days, london_today, utcnow


def _state(referral: Referral) -> dict[str, Any]:
    return {
        "state": referral.state, "responded_at": referral.responded_at,
        "completed_at": referral.completed_at,
    }


def _recipient(
    session: Session, actor: Actor, to_organisation_id: uuid.UUID | None,
    service_id: uuid.UUID | None,
) -> uuid.UUID:
    """The receiving agency: the one named, or the partner agency of the listed service.

    A listed service whose organization is not a partner agency cannot answer in the hub, so
    the referral is addressed to the sender's own agency (an external referral): it stays in
    its inbox and its practitioners record the service's answer; nobody else sees it.
    """
    if service_id is not None:
        _, partner = directory.referral_target(session, actor=actor, service_id=service_id)
        recipient = partner if partner is not None else actor.organisation_id
        if recipient is None:
            raise PermissionDenied("Only practitioners and supervisors send referrals.")
        if to_organisation_id is not None and to_organisation_id != recipient:
            raise InvalidInput("A referral to a listed service goes to the agency providing it.")
        return recipient
    if to_organisation_id is None:
        raise InvalidInput("Choose the agency or the listed service to refer to.")
    if to_organisation_id == actor.organisation_id:
        raise InvalidInput("A referral goes to another agency, not your own.")
    return to_organisation_id


def send_referral(
    session: Session, *, actor: Actor, to_organisation_id: uuid.UUID | None, reason: str,
    lawful_basis: LawfulBasis, consent_obtained: bool, person_record_id: uuid.UUID | None = None,
    case_id: uuid.UUID | None = None, service_id: uuid.UUID | None = None,
) -> Referral:
    """Refer a person and/or case to an agency or a listed service (only name and DOB copied)."""
    if not permissions.may_send_referral(actor) or actor.organisation_id is None:
        raise PermissionDenied("Only practitioners and supervisors send referrals.")
    to_organisation_id = _recipient(session, actor, to_organisation_id, service_id)
    if session.get(Organisation, to_organisation_id) is None:
        raise NotFound("No organisation with that id.")
    if lawful_basis == LawfulBasis.consent and not consent_obtained:
        raise InvalidInput("A referral made on consent needs the consent to have been obtained.")
    record = None
    if person_record_id is not None:
        visible = policy.visible_person_records(actor)
        record = policy.get_visible(
            session, visible.where(PersonRecord.id == person_record_id), "person record"
        )
    if case_id is not None:
        policy.get_visible(session, policy.visible_cases(actor).where(Case.id == case_id), "case")
    referral = Referral(
        id=uuid.uuid4(), from_organisation_id=actor.organisation_id,
        to_organisation_id=to_organisation_id, person_record_id=person_record_id,
        case_id=case_id, reason=reason, lawful_basis=lawful_basis.value,
        consent_obtained=consent_obtained, state=ReferralState.sent.value,
        respond_by=add_working_days(london_today(), get_settings().referral_response_working_days),
        sent_by_id=actor.user_id, service_id=service_id,
        # The minimum necessary for the recipient to identify the person (CDA 1998 s.115).
        subject_name=f"{record.given_name} {record.family_name}" if record else None,
        subject_date_of_birth=record.date_of_birth if record else None,
    )
    session.add(referral)
    session.flush()
    audit.record(
        session, actor=actor, action="send_referral", object_type="referral",
        object_id=referral.id, owner_organisation_id=actor.organisation_id,
        purpose=actor.purpose,
        after={
            **_state(referral), "from_organisation_id": referral.from_organisation_id,
            "to_organisation_id": to_organisation_id, "person_record_id": person_record_id,
            "person_record_organisation_id": record.organisation_id if record else None,
            "case_id": case_id, "service_id": service_id,
            "lawful_basis": referral.lawful_basis,
            "consent_obtained": consent_obtained, "respond_by": referral.respond_by.isoformat(),
        },
    )
    return referral


def _answer(
    session: Session, actor: Actor, referral_id: uuid.UUID, *, action: str,
    allowed_from: ReferralState, to_state: ReferralState, **changes: str,
) -> Referral:
    """Move a referral the receiving agency answers from `allowed_from` to `to_state`."""
    referral = policy.get_visible(
        session, queries.referral_for_change(actor, referral_id), "referral"
    )
    if not permissions.may_answer_referral(actor, referral):
        raise PermissionDenied(
            "Only practitioners and supervisors of the receiving agency answer a referral."
        )
    if referral.state != allowed_from:
        raise Conflict(f"This referral is {referral.state}; it cannot be {to_state} now.")
    before = _state(referral)
    referral.state = to_state.value
    if to_state == ReferralState.completed:
        referral.completed_at = utcnow()
    else:
        referral.responded_at = utcnow()
    for name, value in changes.items():
        setattr(referral, name, value)
    session.flush()
    audit.record(
        session, actor=actor, action=action, object_type="referral", object_id=referral.id,
        owner_organisation_id=referral.from_organisation_id, purpose=actor.purpose,
        before=before,
        after={**_state(referral), **{f"{name}_recorded": True for name in changes}},
    )
    return referral


def accept_referral(session: Session, *, actor: Actor, referral_id: uuid.UUID) -> Referral:
    """Accept a referral sent to the actor's agency."""
    return _answer(session, actor, referral_id, action="accept_referral",
                   allowed_from=ReferralState.sent, to_state=ReferralState.accepted)


def decline_referral(
    session: Session, *, actor: Actor, referral_id: uuid.UUID, reason: str
) -> Referral:
    """Decline a referral sent to the actor's agency, with the reason."""
    return _answer(session, actor, referral_id, action="decline_referral",
                   allowed_from=ReferralState.sent, to_state=ReferralState.declined,
                   decline_reason=reason)


def complete_referral(
    session: Session, *, actor: Actor, referral_id: uuid.UUID, outcome: str
) -> Referral:
    """Complete an accepted referral, with what was done."""
    return _answer(session, actor, referral_id, action="complete_referral",
                   allowed_from=ReferralState.accepted, to_state=ReferralState.completed,
                   outcome=outcome)


# Reads: every one starts from the policy. A reader who is neither sender nor recipient sees a
# referral only through an agreement, and that read is a disclosure by the sender (rule 5).


def _read(
    referral: Referral, from_name: str, to_name: str, service_name: str | None, today: date
) -> ReferralRead:
    fields = {k: getattr(referral, k) for k in ReferralRead.model_fields if hasattr(referral, k)}
    return ReferralRead.model_validate({
        **fields, "from_organisation_name": from_name, "to_organisation_name": to_name,
        "service_name": service_name,
        "external": referral.to_organisation_id == referral.from_organisation_id,
        "overdue": referral.state == ReferralState.sent and referral.respond_by < today,
    })


def _disclose(session: Session, actor: Actor, referrals: list[Referral]) -> None:
    parties = {actor.organisation_id}
    policy.record_disclosures(session, actor, (
        policy.Disclosure("referral", r.id, r.from_organisation_id)
        for r in referrals
        if not {r.from_organisation_id, r.to_organisation_id} & parties
    ))


def read_of(session: Session, referral: Referral) -> ReferralRead:
    """The read shape of a referral the caller already holds (after a change)."""
    sender = session.get(Organisation, referral.from_organisation_id)
    recipient = session.get(Organisation, referral.to_organisation_id)
    listed = session.get(DirectoryService, referral.service_id) if referral.service_id else None
    return _read(referral, sender.name if sender else "", recipient.name if recipient else "",
                 listed.name if listed else None, london_today())


def list_referrals(
    session: Session, *, actor: Actor, box: ReferralBox | None = None,
    state: ReferralState | None = None, page: int = 1, page_size: int | None = None,
) -> ReferralPage:
    """A page of the referrals the actor may read; the total counts only those."""
    settings = get_settings()
    size = settings.page_size_default if page_size is None else page_size
    if not 1 <= size <= settings.page_size_max:
        raise InvalidInput(f"page_size must be between 1 and {settings.page_size_max}.")
    if page < 1:
        raise InvalidInput("page must be 1 or more.")
    statement = queries.visible_referrals_with_names(actor, box, state)
    total = int(session.scalar(queries.count_of(statement)) or 0)
    rows = session.execute(statement.limit(size).offset((page - 1) * size)).all()
    _disclose(session, actor, [r for r, _, _, _ in rows])
    today = london_today()
    return ReferralPage(
        items=[_read(r, f, t, s, today) for r, f, t, s in rows], total=total, page=page,
        page_size=size,
    )


def get_referral(session: Session, *, actor: Actor, referral_id: uuid.UUID) -> ReferralRead:
    """One referral the actor may read."""
    row = session.execute(queries.visible_referral(actor, referral_id)).first()
    if row is None:
        raise NotFound("No referral with that id is visible to you.")
    referral, from_name, to_name, service_name = row
    _disclose(session, actor, [referral])
    return _read(referral, from_name, to_name, service_name, london_today())


def referrals_waiting_for_my_agency(
    session: Session, *, actor: Actor, limit: int = 10
) -> list[ReferralRead]:
    """Referrals to the actor's agency awaiting an answer, soonest deadline first (home page)."""
    today = london_today()
    rows = session.execute(queries.waiting_for(actor).limit(limit)).all()
    return [_read(r, f, t, s, today) for r, f, t, s in rows]
