"""Case verbs (open, add member/subject/incident/action/note, close) and the policy-filtered reads.

Audit summaries carry ids, states and dates, never the free text (titles, notes, outcomes):
the audit log can never be pruned, so it must not become a second copy of personal data.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.auth.models import User
from safetyhub.cases import permissions, queries
from safetyhub.cases.models import (
    ActionState,
    Case,
    CaseAction,
    CaseIncident,
    CaseKind,
    CaseMember,
    CaseNote,
    CaseStatus,
    CaseSubject,
    RiskLevel,
)
from safetyhub.cases.schemas import (
    ActionDue,
    CaseActionRead,
    CaseDetailRead,
    CaseIncidentRead,
    CaseNoteRead,
    CasePage,
    CaseRead,
    CaseSubjectRead,
    OrganisationRef,
)
from safetyhub.config import get_settings
from safetyhub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from safetyhub.incidents.models import Incident
from safetyhub.organisations.models import Organisation
from safetyhub.people.models import PersonRecord
from safetyhub.places.models import Place
from safetyhub.sharing import policy
from safetyhub.sharing.vocabulary import Sensitivity
from safetyhub.timeutil import london_today, utcnow


def _state(case: Case) -> dict[str, Any]:
    return {
        "status": case.status, "kind": case.kind, "risk_level": case.risk_level,
        "lead_organisation_id": case.lead_organisation_id, "place_id": case.place_id,
        "closed_at": case.closed_at,
    }


def _member_ids(session: Session, case_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.scalars(
        select(CaseMember.organisation_id).where(CaseMember.case_id == case_id)
    ))


def _case_for_change(session: Session, actor: Actor, case_id: uuid.UUID) -> Case:
    """Invisible -> 404, visible but not the actor's to change -> 403, closed -> 409."""
    case = policy.get_visible(session, queries.case_for_change(actor, case_id), "case")
    if not permissions.may_change_case(actor, _member_ids(session, case.id)):
        raise PermissionDenied(
            "Only practitioners and supervisors of a member agency may change this case."
        )
    if case.status == CaseStatus.closed:
        raise Conflict("This case is closed; it takes no further changes.")
    return case


def _visible_person_record(session: Session, actor: Actor, record_id: uuid.UUID) -> PersonRecord:
    return policy.get_visible(
        session, policy.visible_person_records(actor).where(PersonRecord.id == record_id),
        "person record",
    )


def _audit(session: Session, actor: Actor, action: str, object_type: str,
           object_id: uuid.UUID, owner: uuid.UUID, *, before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None) -> None:
    audit.record(
        session, actor=actor, action=action, object_type=object_type, object_id=object_id,
        owner_organisation_id=owner, purpose=actor.purpose, before=before, after=after,
    )


def open_case(
    session: Session, *, actor: Actor, title: str, kind: CaseKind, risk_level: RiskLevel,
    place_id: uuid.UUID | None = None, subject_person_record_ids: list[uuid.UUID] | None = None,
) -> Case:
    """Open a case led by the actor's agency, which also becomes its first member."""
    if not permissions.may_open_case(actor) or actor.organisation_id is None:
        raise PermissionDenied("Only practitioners and supervisors open cases.")
    if place_id is not None:
        policy.get_visible(session, policy.visible_places(actor).where(Place.id == place_id),
                           "place")
    subject_ids = list(dict.fromkeys(subject_person_record_ids or []))
    if subject_ids:
        visible = set(session.scalars(
            select(PersonRecord.id).where(
                PersonRecord.id.in_(subject_ids), policy.person_record_readable(actor)
            )
        ))
        if visible != set(subject_ids):
            raise NotFound("No person record with that id is visible to you.")
    case = Case(
        id=uuid.uuid4(), lead_organisation_id=actor.organisation_id, title=title,
        kind=kind.value, risk_level=risk_level.value, status=CaseStatus.open.value,
        place_id=place_id, opened_by_id=actor.user_id,
    )
    session.add(case)
    session.flush()
    session.add(CaseMember(case_id=case.id, organisation_id=actor.organisation_id))
    session.add_all(CaseSubject(case_id=case.id, person_record_id=rid) for rid in subject_ids)
    session.flush()
    _audit(session, actor, "open_case", "case", case.id, case.lead_organisation_id, after={
        **_state(case), "members": [actor.organisation_id],
        "subject_person_record_ids": subject_ids,
    })
    return case


def add_member_agency(
    session: Session, *, actor: Actor, case_id: uuid.UUID, organisation_id: uuid.UUID
) -> CaseMember:
    """Bring another agency into the case."""
    case = _case_for_change(session, actor, case_id)
    if session.get(Organisation, organisation_id) is None:
        raise NotFound("No organisation with that id.")
    before = _member_ids(session, case.id)
    if organisation_id in before:
        raise Conflict("That agency is already a member of this case.")
    member = CaseMember(case_id=case.id, organisation_id=organisation_id)
    session.add(member)
    session.flush()
    _audit(session, actor, "add_member_agency", "case", case.id, case.lead_organisation_id,
           before={"members": sorted(before, key=str)},
           after={"members": sorted([*before, organisation_id], key=str)})
    return member


def add_subject(
    session: Session, *, actor: Actor, case_id: uuid.UUID, person_record_id: uuid.UUID
) -> CaseSubject:
    """Add a person record the actor may see as a subject of the case."""
    case = _case_for_change(session, actor, case_id)
    record = _visible_person_record(session, actor, person_record_id)
    exists = session.scalar(select(CaseSubject.id).where(
        CaseSubject.case_id == case.id, CaseSubject.person_record_id == record.id
    ))
    if exists is not None:
        raise Conflict("That person record is already a subject of this case.")
    subject = CaseSubject(case_id=case.id, person_record_id=record.id)
    session.add(subject)
    session.flush()
    _audit(session, actor, "add_subject", "case", case.id, case.lead_organisation_id,
           after={"person_record_id": record.id,
                  "person_record_organisation_id": record.organisation_id})
    return subject


def attach_incident(
    session: Session, *, actor: Actor, case_id: uuid.UUID, incident_id: uuid.UUID
) -> CaseIncident:
    """Attach an incident the actor may see; member agencies then see it too (policy rule 2)."""
    case = _case_for_change(session, actor, case_id)
    incident = policy.get_visible(
        session, policy.visible_incidents(actor).where(Incident.id == incident_id), "incident"
    )
    exists = session.scalar(select(CaseIncident.id).where(
        CaseIncident.case_id == case.id, CaseIncident.incident_id == incident.id
    ))
    if exists is not None:
        raise Conflict("That incident is already attached to this case.")
    link = CaseIncident(case_id=case.id, incident_id=incident.id)
    session.add(link)
    session.flush()
    _audit(session, actor, "attach_incident", "case", case.id, case.lead_organisation_id,
           after={"incident_id": incident.id,
                  "incident_organisation_id": incident.organisation_id})
    return link


def add_action(
    session: Session, *, actor: Actor, case_id: uuid.UUID, description: str, due_date: date,
    organisation_id: uuid.UUID, owner_user_id: uuid.UUID | None = None,
) -> CaseAction:
    """Record what a member agency (optionally one of its users) will do, by when."""
    case = _case_for_change(session, actor, case_id)
    if organisation_id not in _member_ids(session, case.id):
        raise InvalidInput("The action must belong to a member agency of this case.")
    if due_date < london_today():
        raise InvalidInput("The due date cannot be in the past.")
    if owner_user_id is not None:
        owner = session.get(User, owner_user_id)
        if owner is None or owner.organisation_id != organisation_id or not owner.active:
            raise InvalidInput("The owner must be an active user of the action's agency.")
    action = CaseAction(
        id=uuid.uuid4(), case_id=case.id, organisation_id=organisation_id,
        owner_user_id=owner_user_id, description=description, due_date=due_date,
        state=ActionState.open.value,
    )
    session.add(action)
    session.flush()
    _audit(session, actor, "add_action", "case_action", action.id, organisation_id, after={
        "case_id": case.id, "organisation_id": organisation_id, "owner_user_id": owner_user_id,
        "due_date": due_date.isoformat(), "state": action.state,
    })
    return action


def complete_action(
    session: Session, *, actor: Actor, case_id: uuid.UUID, action_id: uuid.UUID
) -> CaseAction:
    """Mark an open action done."""
    return _set_action_state(session, actor, case_id, action_id, ActionState.done)


def reopen_action(
    session: Session, *, actor: Actor, case_id: uuid.UUID, action_id: uuid.UUID
) -> CaseAction:
    """Mark a done action open again (it was not done after all)."""
    return _set_action_state(session, actor, case_id, action_id, ActionState.open)


def _set_action_state(session: Session, actor: Actor, case_id: uuid.UUID,
                      action_id: uuid.UUID, state: ActionState) -> CaseAction:
    """Done (with its time) or open again: one audit event of the change."""
    case = _case_for_change(session, actor, case_id)
    action = session.scalars(queries.action_for_change(case.id, action_id)).first()
    if action is None:
        raise NotFound("No action with that id on this case.")
    if action.state == state:
        raise Conflict("This action is already complete." if state == ActionState.done
                       else "This action is open already.")
    before = {"state": action.state, "completed_at": action.completed_at}
    action.state = state.value
    action.completed_at = utcnow() if state == ActionState.done else None
    session.flush()
    _audit(session, actor, "complete_action" if state == ActionState.done else "reopen_action",
           "case_action", action.id, action.organisation_id, before=before,
           after={"state": action.state, "completed_at": action.completed_at})
    return action


def add_note(
    session: Session, *, actor: Actor, case_id: uuid.UUID, text: str, sensitivity: Sensitivity
) -> CaseNote:
    """Add a note owned by the author's agency."""
    case = _case_for_change(session, actor, case_id)
    assert actor.organisation_id is not None  # a case worker always has an agency
    note = CaseNote(
        id=uuid.uuid4(), case_id=case.id, organisation_id=actor.organisation_id,
        author_id=actor.user_id, text=text, sensitivity=sensitivity.value,
    )
    session.add(note)
    session.flush()
    _audit(session, actor, "add_note", "case_note", note.id, actor.organisation_id, after={
        "case_id": case.id, "sensitivity": note.sensitivity, "characters": len(text),
    })
    return note


def close_case(session: Session, *, actor: Actor, case_id: uuid.UUID, outcome: str) -> Case:
    """Close the case with its outcome (lead agency only)."""
    case = policy.get_visible(session, queries.case_for_change(actor, case_id), "case")
    if not permissions.may_close_case(actor, case):
        raise PermissionDenied("Only the lead agency's practitioners and supervisors close a case.")
    if case.status == CaseStatus.closed:
        raise Conflict("This case is already closed.")
    before = _state(case)
    case.status = CaseStatus.closed.value
    case.outcome = outcome
    case.closed_at = utcnow()
    session.flush()
    _audit(session, actor, "close_case", "case", case.id, case.lead_organisation_id,
           before=before, after={**_state(case), "outcome_recorded": True})
    return case


# Reads: every one starts from the policy; revealing another agency's records is audited
# (rule 5). They answer the domain's read shapes, which pages and the API both use.


def summary_of(session: Session, case: Case) -> CaseRead:
    """The summary of a case the caller already holds."""
    lead = session.get(Organisation, case.lead_organisation_id)
    return _summary(case, lead.name if lead else "")


def _summary(case: Case, lead_name: str) -> CaseRead:
    return CaseRead.model_validate({
        **{k: getattr(case, k) for k in CaseRead.model_fields if k != "lead_organisation_name"},
        "lead_organisation_name": lead_name,
    })


def _page_size(page_size: int | None) -> int:
    settings = get_settings()
    size = settings.page_size_default if page_size is None else page_size
    if not 1 <= size <= settings.page_size_max:
        raise InvalidInput(f"page_size must be between 1 and {settings.page_size_max}.")
    return size


def _disclose_cases(session: Session, actor: Actor, cases: list[Case]) -> None:
    """A non-member reading a case through an agreement is a disclosure by the lead agency."""
    member_of = set(session.scalars(
        queries.member_case_ids_among(actor.organisation_id, [c.id for c in cases])
    ))
    policy.record_disclosures(session, actor, (
        policy.Disclosure("case", c.id, c.lead_organisation_id)
        for c in cases if c.id not in member_of
    ))


def list_cases(
    session: Session, *, actor: Actor, status: CaseStatus | None = None, page: int = 1,
    page_size: int | None = None,
) -> CasePage:
    """A page of the cases the actor may read (newest first); the total counts only those."""
    size = _page_size(page_size)
    if page < 1:
        raise InvalidInput("page must be 1 or more.")
    statement = queries.visible_cases_with_lead(actor, status)
    total = int(session.scalar(queries.count_of(statement)) or 0)
    rows = session.execute(statement.limit(size).offset((page - 1) * size)).all()
    _disclose_cases(session, actor, [case for case, _ in rows])
    return CasePage(
        items=[_summary(case, name) for case, name in rows], total=total, page=page,
        page_size=size,
    )


def get_case(session: Session, *, actor: Actor, case_id: uuid.UUID) -> CaseDetailRead:
    """A case with the subjects, incidents and notes the actor may see; the rest is counted."""
    case = policy.get_visible(session, queries.visible_case(actor, case_id), "case")
    members = list(session.scalars(queries.member_organisations(case.id)))
    lead_name = next((m.name for m in members if m.id == case.lead_organisation_id), "")
    subjects = session.execute(queries.visible_subjects(actor, case.id)).all()
    incidents = session.execute(queries.visible_attached_incidents(actor, case.id)).all()
    notes = list(session.scalars(queries.visible_notes(actor, case.id)))
    actions = list(session.scalars(queries.actions_of(case.id)))
    _disclose_cases(session, actor, [case])
    policy.record_disclosures(session, actor, [
        *(policy.Disclosure("person_record", r.id, r.organisation_id) for r, _ in subjects),
        *(policy.Disclosure("incident", i.id, i.organisation_id) for i, _ in incidents),
        *(policy.Disclosure("case_note", n.id, n.organisation_id) for n in notes),
    ])
    return CaseDetailRead(
        **_summary(case, lead_name).model_dump(),
        members=[OrganisationRef.model_validate(m) for m in members],
        subjects=[
            CaseSubjectRead(
                person_record_id=r.id, organisation_id=r.organisation_id, organisation_name=name,
                given_name=r.given_name, family_name=r.family_name, date_of_birth=r.date_of_birth,
            )
            for r, name in subjects
        ],
        hidden_subject_count=int(session.scalar(queries.subject_count(case.id)) or 0)
        - len(subjects),
        incidents=[
            CaseIncidentRead(
                incident_id=i.id, organisation_id=i.organisation_id, organisation_name=name,
                category=i.category, occurred_at=i.occurred_at, sensitivity=i.sensitivity,
            )
            for i, name in incidents
        ],
        hidden_incident_count=int(session.scalar(queries.incident_count(case.id)) or 0)
        - len(incidents),
        actions=[CaseActionRead.model_validate(a) for a in actions],
        notes=[CaseNoteRead.model_validate(n) for n in notes],
    )


def my_open_cases(session: Session, *, actor: Actor, limit: int = 10) -> list[CaseRead]:
    """Open cases of the actor's agency, newest first (the home page)."""
    rows = session.execute(queries.my_open_cases(actor).limit(limit)).all()
    return [_summary(case, name) for case, name in rows]


def my_actions_due(session: Session, *, actor: Actor, limit: int = 10) -> list[ActionDue]:
    """Open actions for the actor (or unowned ones of their agency), soonest due first."""
    today = london_today()
    rows = session.execute(queries.my_actions_due(actor).limit(limit)).all()
    return [
        ActionDue(
            **CaseActionRead.model_validate(action).model_dump(), case_title=title,
            overdue=action.due_date is not None and action.due_date < today,
        )
        for action, title in rows
    ]
