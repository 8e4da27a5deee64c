"""Select statements for cases, each starting from the access policy."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, and_, func, or_, select

from safetyhub.auth.actor import Actor
from safetyhub.cases.models import (
    ActionState,
    Case,
    CaseAction,
    CaseIncident,
    CaseMember,
    CaseNote,
    CaseStatus,
    CaseSubject,
)
from safetyhub.incidents.models import Incident
from safetyhub.organisations.models import Organisation
from safetyhub.people.models import PersonRecord
from safetyhub.sharing import policy


def visible_case(actor: Actor, case_id: uuid.UUID) -> Select[tuple[Case]]:
    """The case with this id, if the actor may read it."""
    return policy.visible_cases(actor).where(Case.id == case_id)


def case_for_change(actor: Actor, case_id: uuid.UUID) -> Select[tuple[Case]]:
    """The visible case, row-locked so changes to one case (and its closing) run one at a time."""
    return (
        visible_case(actor, case_id)
        .with_for_update(of=Case)
        .execution_options(populate_existing=True)
    )


def visible_cases_with_lead(
    actor: Actor, status: CaseStatus | None = None
) -> Select[tuple[Case, str]]:
    """Visible cases (newest first) with their lead agency's name."""
    statement = (
        policy.visible_cases(actor)
        .add_columns(Organisation.name)
        .join(Organisation, Organisation.id == Case.lead_organisation_id)
    )
    if status is not None:
        statement = statement.where(Case.status == status.value)
    return statement.order_by(Case.created_at.desc(), Case.id)


def count_of(statement: Select[tuple[Case, str]]) -> Select[tuple[int]]:
    """How many rows `statement` selects (only visible rows, since it starts from the policy)."""
    return select(func.count()).select_from(statement.order_by(None).subquery())


def member_case_ids_among(
    organisation_id: uuid.UUID | None, case_ids: list[uuid.UUID]
) -> Select[tuple[uuid.UUID]]:
    """Which of `case_ids` the organisation is a member of."""
    return select(CaseMember.case_id).where(
        CaseMember.organisation_id == organisation_id, CaseMember.case_id.in_(case_ids)
    )


def member_organisations(case_id: uuid.UUID) -> Select[tuple[Organisation]]:
    """The member agencies of a case, by name."""
    return (
        select(Organisation)
        .join(CaseMember, CaseMember.organisation_id == Organisation.id)
        .where(CaseMember.case_id == case_id)
        .order_by(Organisation.name)
    )


def visible_subjects(actor: Actor, case_id: uuid.UUID) -> Select[tuple[PersonRecord, str]]:
    """The case's subjects the actor may read, with the owning agency's name."""
    return (
        select(PersonRecord, Organisation.name)
        .join(CaseSubject, CaseSubject.person_record_id == PersonRecord.id)
        .join(Organisation, Organisation.id == PersonRecord.organisation_id)
        .where(CaseSubject.case_id == case_id, policy.person_record_readable(actor))
        .order_by(PersonRecord.family_name, PersonRecord.given_name, PersonRecord.id)
    )


def subject_count(case_id: uuid.UUID) -> Select[tuple[int]]:
    """How many subjects the case has (visible or not)."""
    return select(func.count()).select_from(CaseSubject).where(CaseSubject.case_id == case_id)


def visible_attached_incidents(
    actor: Actor, case_id: uuid.UUID
) -> Select[tuple[Incident, str]]:
    """The case's incidents the actor may read, with the owning agency's name."""
    return (
        select(Incident, Organisation.name)
        .join(CaseIncident, CaseIncident.incident_id == Incident.id)
        .join(Organisation, Organisation.id == Incident.organisation_id)
        .where(CaseIncident.case_id == case_id, policy.incident_readable(actor))
        .order_by(Incident.occurred_at.desc(), Incident.id)
    )


def incident_count(case_id: uuid.UUID) -> Select[tuple[int]]:
    """How many incidents are attached to the case (visible or not)."""
    return select(func.count()).select_from(CaseIncident).where(CaseIncident.case_id == case_id)


def visible_notes(actor: Actor, case_id: uuid.UUID) -> Select[tuple[CaseNote]]:
    """The case's notes the actor may read, oldest first."""
    return (
        policy.visible_case_notes(actor)
        .where(CaseNote.case_id == case_id)
        .order_by(CaseNote.created_at, CaseNote.id)
    )


def actions_of(case_id: uuid.UUID) -> Select[tuple[CaseAction]]:
    """The actions of a case (the caller has already checked the case is visible)."""
    return (
        select(CaseAction)
        .where(CaseAction.case_id == case_id)
        .order_by(CaseAction.due_date.is_(None), CaseAction.due_date, CaseAction.created_at)
    )


def action_for_change(case_id: uuid.UUID, action_id: uuid.UUID) -> Select[tuple[CaseAction]]:
    """One action of a case, row-locked for a state change."""
    return (
        select(CaseAction)
        .where(CaseAction.id == action_id, CaseAction.case_id == case_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def my_open_cases(actor: Actor) -> Select[tuple[Case, str]]:
    """Open cases the actor's agency is a member of, newest first."""
    return visible_cases_with_lead(actor, CaseStatus.open).where(
        Case.id.in_(policy.member_case_ids(actor.organisation_id))
    )


def my_actions_due(actor: Actor) -> Select[tuple[CaseAction, str]]:
    """Open actions on open visible cases owned by the actor, or by their agency with no owner."""
    mine = or_(
        CaseAction.owner_user_id == actor.user_id,
        and_(
            CaseAction.owner_user_id.is_(None),
            CaseAction.organisation_id == actor.organisation_id,
        ),
    )
    return (
        select(CaseAction, Case.title)
        .join(Case, Case.id == CaseAction.case_id)
        .where(
            policy.case_readable(actor),
            Case.status == CaseStatus.open.value,
            CaseAction.state == ActionState.open.value,
            mine,
        )
        .order_by(CaseAction.due_date.is_(None), CaseAction.due_date, CaseAction.created_at)
    )
