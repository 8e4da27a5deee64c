"""Case conference verbs: convene, invite, attendance, agenda, notes, actions, minutes, close.

Audit summaries carry ids, codes, dates and counts, never note, action or minutes text: the
audit log cannot be pruned, so it must not become a copy of what was discussed.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.auth.models import User
from safetyhub.cases import service as case_service
from safetyhub.cases.models import ActionState, Case, CaseAction
from safetyhub.conferences import permissions, queries
from safetyhub.conferences.models import (
    Conference,
    ConferenceAction,
    ConferenceActionStatus,
    ConferenceItem,
    ConferenceKind,
    ConferenceMember,
    ConferenceNote,
    ConferenceStatus,
)
from safetyhub.dash.models import DashAssessment
from safetyhub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from safetyhub.organisations.models import Organisation
from safetyhub.risk.models import Alert
from safetyhub.sharing import policy
from safetyhub.sharing.models import AgreementParty, AgreementPurpose, SharingAgreement
from safetyhub.sharing.vocabulary import SPECIAL_CATEGORY_PURPOSES, Purpose
from safetyhub.text import N_
from safetyhub.timeutil import london_today, utcnow


def conference_actor(actor: Actor, conference: Conference) -> Actor:
    """The actor having declared the conference's purpose (reads at a conference are for it)."""
    return actor.with_purpose(Purpose(conference.purpose))


def _audit(session: Session, actor: Actor, conference: Conference, action: str,
           object_type: str, object_id: uuid.UUID, **summary: Any) -> None:
    audit.record(
        session, actor=actor, action=action, object_type=object_type, object_id=object_id,
        owner_organisation_id=conference.chair_organisation_id, purpose=conference.purpose,
        after={"conference_id": conference.id, **summary},
    )


def _scheduled(session: Session, actor: Actor, conference_id: uuid.UUID) -> Conference:
    conference = policy.get_visible(session, queries.conference_by_id(actor, conference_id),
                                    "conference")
    if conference.status != ConferenceStatus.scheduled:
        raise Conflict(N_("This conference is closed."))
    return conference


def _run(session: Session, actor: Actor, conference_id: uuid.UUID) -> Conference:
    conference = _scheduled(session, actor, conference_id)
    if not permissions.may_run_conference(actor, conference):
        raise PermissionDenied("Only the chair's agency runs this conference.")
    return conference


def _party_ids(session: Session, agreement_id: uuid.UUID) -> set[uuid.UUID]:
    return set(session.scalars(select(AgreementParty.organisation_id).where(
        AgreementParty.agreement_id == agreement_id)))


def _check_agreement(session: Session, actor: Actor, agreement_id: uuid.UUID,
                     kind: ConferenceKind, purpose: Purpose) -> SharingAgreement:
    agreement = policy.get_visible(
        session, policy.visible_agreements(actor).where(SharingAgreement.id == agreement_id),
        "sharing agreement",
    )
    in_force = policy.active_agreements().where(SharingAgreement.id == agreement.id)
    if session.scalar(in_force) is None:
        raise InvalidInput(N_("The conference's sharing agreement must be in force."))
    purposes = set(session.scalars(select(AgreementPurpose.purpose).where(
        AgreementPurpose.agreement_id == agreement.id)))
    if purpose.value not in purposes:
        raise InvalidInput(N_("The agreement does not allow sharing for that purpose."))
    if kind == ConferenceKind.marac and purpose not in SPECIAL_CATEGORY_PURPOSES:
        # MARAC discusses DASH assessments: special category data (UK GDPR Art. 9).
        raise InvalidInput(N_("A MARAC shares special category data: choose safeguarding."))
    return agreement


def create_conference(
    session: Session, *, actor: Actor, kind: ConferenceKind, title: str, held_on: date,
    agreement_id: uuid.UUID, purpose: Purpose, member_organisation_ids: list[uuid.UUID],
    chair_user_id: uuid.UUID | None = None,
) -> Conference:
    """Convene a conference chaired by the actor's agency, under an in-force agreement."""
    if not permissions.may_create_conference(actor) or actor.organisation_id is None:
        raise PermissionDenied("Only supervisors and the partnership office convene conferences.")
    agreement = _check_agreement(session, actor, agreement_id, kind, purpose)
    members = [actor.organisation_id, *dict.fromkeys(
        m for m in member_organisation_ids if m != actor.organisation_id)]
    if not set(members) <= _party_ids(session, agreement.id):
        raise InvalidInput(
            N_("Every member agency must be a party to the conference's agreement."))
    chair_id = chair_user_id or actor.user_id
    chair = session.get(User, chair_id) if chair_id else None
    if chair is None or not chair.active or chair.organisation_id != actor.organisation_id:
        raise InvalidInput(N_("The chair must be an active user of your agency."))
    conference = Conference(
        id=uuid.uuid4(), kind=kind.value, title=title, held_on=held_on,
        chair_organisation_id=actor.organisation_id, chair_user_id=chair.id,
        agreement_id=agreement.id, purpose=purpose.value,
        status=ConferenceStatus.scheduled.value, created_by_id=actor.user_id,
    )
    session.add(conference)
    session.flush()
    session.add_all(ConferenceMember(conference_id=conference.id, organisation_id=org,
                                     attended=org == actor.organisation_id) for org in members)
    session.flush()
    _audit(session, actor, conference, "create_conference", "conference", conference.id,
           kind=kind.value, held_on=held_on.isoformat(), agreement_id=agreement.id,
           member_organisation_ids=members, chair_user_id=chair.id)
    return conference


def invite_agency(
    session: Session, *, actor: Actor, conference_id: uuid.UUID, organisation_id: uuid.UUID
) -> ConferenceMember:
    """Invite another agency (a party to the conference's agreement)."""
    conference = _run(session, actor, conference_id)
    if session.get(Organisation, organisation_id) is None:
        raise NotFound("No organisation with that id.")
    if organisation_id not in _party_ids(session, conference.agreement_id):
        raise InvalidInput(N_("Only a party to the conference's agreement can be invited."))
    if organisation_id in queries.member_ids(session, conference.id):
        raise Conflict(N_("That agency is already invited."))
    member = ConferenceMember(conference_id=conference.id, organisation_id=organisation_id)
    session.add(member)
    session.flush()
    _audit(session, actor, conference, "invite_conference_agency", "conference", conference.id,
           organisation_id=organisation_id)
    return member


def record_attendance(
    session: Session, *, actor: Actor, conference_id: uuid.UUID, organisation_id: uuid.UUID,
    attended: bool,
) -> ConferenceMember:
    """Record whether an invited agency attended (only attending agencies read the notes)."""
    conference = _run(session, actor, conference_id)
    member = session.scalars(select(ConferenceMember).where(
        ConferenceMember.conference_id == conference.id,
        ConferenceMember.organisation_id == organisation_id)).first()
    if member is None:
        raise InvalidInput(N_("That agency is not invited to this conference."))
    before = member.attended
    member.attended = attended
    session.flush()
    _audit(session, actor, conference, "record_conference_attendance", "conference",
           conference.id, organisation_id=organisation_id, attended_before=before,
           attended=attended)
    return member


def add_item(
    session: Session, *, actor: Actor, conference_id: uuid.UUID, case_id: uuid.UUID | None = None,
    alert_id: uuid.UUID | None = None, dash_assessment_id: uuid.UUID | None = None,
) -> ConferenceItem:
    """Put a case, alert or MARAC referral the actor may see on the agenda."""
    conference = _scheduled(session, actor, conference_id)
    if not permissions.may_add_item(actor, queries.member_ids(session, conference.id)):
        raise PermissionDenied("Only professionals of an invited agency add agenda items.")
    assert actor.organisation_id is not None  # a professional always has an agency
    chosen = [x for x in (case_id, alert_id, dash_assessment_id) if x is not None]
    if len(chosen) != 1:
        raise InvalidInput(N_("Choose exactly one case, alert or DASH assessment."))
    reader = conference_actor(actor, conference)
    if case_id is not None:
        policy.get_visible(session, policy.visible_cases(reader).where(Case.id == case_id), "case")
    elif alert_id is not None:
        policy.get_visible(session, policy.visible_alerts(reader).where(Alert.id == alert_id),
                           "alert")
    else:
        policy.get_visible(session, policy.visible_dash_assessments(reader).where(
            DashAssessment.id == dash_assessment_id), "DASH assessment")
    if session.scalar(queries.same_item(conference.id, case_id, alert_id, dash_assessment_id)):
        raise Conflict(N_("That is already on the agenda."))
    position = int(session.scalar(select(func.count(ConferenceItem.id)).where(
        ConferenceItem.conference_id == conference.id)) or 0) + 1
    item = ConferenceItem(
        id=uuid.uuid4(), conference_id=conference.id, position=position, case_id=case_id,
        alert_id=alert_id, dash_assessment_id=dash_assessment_id,
        added_by_organisation_id=actor.organisation_id,
    )
    session.add(item)
    session.flush()
    _audit(session, actor, conference, "add_conference_item", "conference_item", item.id,
           case_id=case_id, alert_id=alert_id, dash_assessment_id=dash_assessment_id,
           position=position)
    return item


def _taking_part(session: Session, actor: Actor, conference_id: uuid.UUID) -> Conference:
    conference = _scheduled(session, actor, conference_id)
    allowed = permissions.may_take_part(actor, queries.attending_ids(session, conference.id))
    if not allowed or not queries.may_read_discussion(session, actor, conference.id):
        raise PermissionDenied(
            "Only professionals of an attending agency, under the agreement, take part.")
    return conference


def add_note(
    session: Session, *, actor: Actor, conference_id: uuid.UUID, item_id: uuid.UUID, text: str
) -> ConferenceNote:
    """Record a discussion note on an agenda item (visible only to attending agencies)."""
    conference = _taking_part(session, actor, conference_id)
    item = queries.item_of(session, conference.id, item_id)
    assert actor.organisation_id is not None
    note = ConferenceNote(id=uuid.uuid4(), conference_id=conference.id, item_id=item.id,
                          organisation_id=actor.organisation_id, author_id=actor.user_id,
                          text=text)
    session.add(note)
    session.flush()
    _audit(session, actor, conference, "add_conference_note", "conference_note", note.id,
           item_id=item.id, characters=len(text))
    return note


def add_action(
    session: Session, *, actor: Actor, conference_id: uuid.UUID, organisation_id: uuid.UUID,
    description: str, due_date: date, item_id: uuid.UUID | None = None,
    create_case_action: bool = False,
) -> ConferenceAction:
    """Agree an action owned by a member agency; optionally also on the item's case."""
    conference = _taking_part(session, actor, conference_id)
    if organisation_id not in queries.member_ids(session, conference.id):
        raise InvalidInput(N_("The action must belong to an agency invited to the conference."))
    if due_date < london_today():
        raise InvalidInput(N_("The due date cannot be in the past."))
    item = queries.item_of(session, conference.id, item_id) if item_id is not None else None
    case_action_id = None
    if create_case_action:
        if item is None or item.case_id is None:
            raise InvalidInput(N_("A case action needs an agenda item about a case."))
        # Through the cases verb, audited with the conference's purpose.
        case_action_id = case_service.add_action(
            session, actor=conference_actor(actor, conference), case_id=item.case_id,
            description=description, due_date=due_date, organisation_id=organisation_id,
        ).id
    action = ConferenceAction(
        id=uuid.uuid4(), conference_id=conference.id, item_id=item.id if item else None,
        organisation_id=organisation_id, description=description, due_date=due_date,
        status=ConferenceActionStatus.open.value, case_action_id=case_action_id,
    )
    session.add(action)
    session.flush()
    _audit(session, actor, conference, "add_conference_action", "conference_action", action.id,
           organisation_id=organisation_id, due_date=due_date.isoformat(),
           item_id=action.item_id, case_action_id=case_action_id)
    return action


def update_action_status(
    session: Session, *, actor: Actor, conference_id: uuid.UUID, action_id: uuid.UUID,
    status: ConferenceActionStatus,
) -> ConferenceAction:
    """Mark an action done, cancelled or open again (owning agency or the chair's agency)."""
    conference = policy.get_visible(session, queries.conference_by_id(actor, conference_id),
                                    "conference")
    action = policy.get_visible(session, queries.action_by_id(actor, conference.id, action_id),
                                "conference action")
    if not permissions.may_update_action(actor, conference, action.organisation_id):
        raise PermissionDenied("Only the owning agency or the chair's agency updates an action.")
    before = action.status
    if before == status:
        raise Conflict(N_("The action already has that status."))
    completed_on_case = reopened_on_case = False
    if status == ConferenceActionStatus.done and action.case_action_id is not None:
        completed_on_case = _sync_case_action(session, actor, conference, action, done=True)
    elif (status == ConferenceActionStatus.open and before == ConferenceActionStatus.done
          and action.case_action_id is not None):
        reopened_on_case = _sync_case_action(session, actor, conference, action, done=False)
    action.status = status.value
    action.completed_at = utcnow() if status == ConferenceActionStatus.done else None
    session.flush()
    _audit(session, actor, conference, "update_conference_action", "conference_action",
           action.id, status_before=before, status=status.value,
           case_action_id=action.case_action_id, completed_on_case=completed_on_case,
           reopened_on_case=reopened_on_case)
    return action


def _sync_case_action(session: Session, actor: Actor, conference: Conference,
                      action: ConferenceAction, *, done: bool) -> bool:
    """Complete (`done`) or open again the linked case action through the cases verb (its
    permission check and audit, with the conference's purpose); False when the case action is
    so already."""
    linked = session.scalars(select(CaseAction).where(
        CaseAction.id == action.case_action_id)).one()
    if (linked.state == ActionState.done) == done:
        return False
    verb = case_service.complete_action if done else case_service.reopen_action
    verb(session, actor=conference_actor(actor, conference), case_id=linked.case_id,
         action_id=linked.id)
    return True


def record_minutes(
    session: Session, *, actor: Actor, conference_id: uuid.UUID, minutes: str
) -> Conference:
    """Record (or replace) the minutes while the conference is open."""
    conference = _run(session, actor, conference_id)
    had = conference.minutes is not None
    conference.minutes = minutes
    session.flush()
    _audit(session, actor, conference, "record_conference_minutes", "conference", conference.id,
           replaced=had, characters=len(minutes))
    return conference


def close_conference(session: Session, *, actor: Actor, conference_id: uuid.UUID) -> Conference:
    """Close the conference: minutes are final, no more notes, items or actions."""
    conference = _run(session, actor, conference_id)
    if not conference.minutes:
        raise InvalidInput(N_("Record the minutes before closing the conference."))
    conference.status = ConferenceStatus.closed.value
    conference.closed_at = utcnow()
    session.flush()
    _audit(session, actor, conference, "close_conference", "conference", conference.id,
           status=conference.status, items=len(queries.items_of(session, conference.id)))
    return conference
