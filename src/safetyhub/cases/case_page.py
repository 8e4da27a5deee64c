"""What the case page shows around the case itself: names, choices for its forms, its timeline.

The timeline is built from the case's own dated rows (never from the audit log, which
practitioners do not read), and only from what the reader may already see on the page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import User
from safetyhub.cases import permissions
from safetyhub.cases.models import ActionState, CaseIncident, CaseMember, CaseStatus, CaseSubject
from safetyhub.cases.schemas import CaseDetailRead
from safetyhub.organisations.models import Organisation
from safetyhub.timeutil import london_today


@dataclass(frozen=True)
class OwnerOption:
    """A user who may own an action: an active case worker of a member agency."""

    id: uuid.UUID
    name: str
    organisation_id: uuid.UUID


@dataclass(frozen=True)
class TimelineEntry:
    """One dated fact about the case; the template words it by `kind`."""

    at: datetime
    kind: str
    detail: dict[str, Any]


def owner_options(session: Session, member_ids: list[uuid.UUID]) -> list[OwnerOption]:
    """Active practitioners and supervisors of the member agencies, by name."""
    rows = session.scalars(
        select(User)
        .where(
            User.organisation_id.in_(member_ids),
            User.active.is_(True),
            User.role.in_([role.value for role in permissions.CASE_WORKER_ROLES]),
        )
        .order_by(User.full_name, User.id)
    )
    return [OwnerOption(u.id, u.full_name, u.organisation_id) for u in rows]


def user_names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Full names of the users with these ids (action owners)."""
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).tuples()
    return dict(list(rows))


def organisation_names(session: Session) -> dict[uuid.UUID, str]:
    """Every partner agency's name (the partnership's membership is known to its members)."""
    return dict(list(session.execute(select(Organisation.id, Organisation.name)).tuples()))


def timeline(session: Session, detail: CaseDetailRead) -> list[TimelineEntry]:
    """The case's history, oldest first, from what the reader can see on the page."""
    names = organisation_names(session)
    entries = [TimelineEntry(detail.created_at, "opened",
                             {"agency": detail.lead_organisation_name})]
    members = session.execute(
        select(CaseMember.organisation_id, CaseMember.created_at).where(
            CaseMember.case_id == detail.id,
            CaseMember.organisation_id != detail.lead_organisation_id,
        )
    ).tuples()
    entries += [TimelineEntry(at, "member", {"agency": names.get(org, "")}) for org, at in members]
    subject_names = {s.person_record_id: f"{s.given_name} {s.family_name}"
                     for s in detail.subjects}
    subjects = session.execute(
        select(CaseSubject.person_record_id, CaseSubject.created_at).where(
            CaseSubject.case_id == detail.id,
            CaseSubject.person_record_id.in_(list(subject_names)),
        )
    ).tuples()
    entries += [TimelineEntry(at, "subject", {"name": subject_names[record_id]})
                for record_id, at in subjects]
    incident_categories = {i.incident_id: i.category for i in detail.incidents}
    incidents = session.execute(
        select(CaseIncident.incident_id, CaseIncident.created_at).where(
            CaseIncident.case_id == detail.id,
            CaseIncident.incident_id.in_(list(incident_categories)),
        )
    ).tuples()
    entries += [TimelineEntry(at, "incident", {"category": incident_categories[incident_id]})
                for incident_id, at in incidents]
    for action in detail.actions:
        entries.append(TimelineEntry(action.created_at, "action", {
            "agency": names.get(action.organisation_id, ""), "description": action.description,
        }))
        if action.completed_at is not None:
            entries.append(TimelineEntry(action.completed_at, "action_done",
                                         {"description": action.description}))
    entries += [TimelineEntry(note.created_at, "note", {
        "agency": names.get(note.organisation_id, ""), "sensitivity": note.sensitivity.value,
    }) for note in detail.notes]
    if detail.closed_at is not None:
        entries.append(TimelineEntry(detail.closed_at, "closed", {}))
    # Rows made in one request share a timestamp; keep opening first and closing last.
    order = {"opened": 0, "closed": 2}
    return sorted(entries, key=lambda e: (e.at, order.get(e.kind, 1)))


def case_page_context(
    session: Session, actor: Actor, detail: CaseDetailRead
) -> dict[str, Any]:
    """Everything the case page needs besides the case: names, permissions, form choices."""
    member_ids = [m.id for m in detail.members]
    is_open = detail.status == CaseStatus.open
    may_change = is_open and permissions.may_change_case(actor, member_ids)
    names = organisation_names(session)
    today = london_today()
    owners = owner_options(session, member_ids) if may_change else []
    return {
        "case": detail,
        "may_change": may_change,
        "may_close": is_open and permissions.may_work_cases(actor)
        and actor.organisation_id == detail.lead_organisation_id,
        "organisation_names": names,
        "owner_names": user_names(session, {a.owner_user_id for a in detail.actions
                                            if a.owner_user_id is not None}),
        "overdue_ids": {a.id for a in detail.actions if a.state == ActionState.open
                        and a.due_date is not None and a.due_date < today},
        "other_organisations": sorted(
            ((org_id, name) for org_id, name in names.items() if org_id not in member_ids),
            key=lambda pair: pair[1],
        ) if may_change else [],
        "owners_by_agency": [
            (member, [o for o in owners if o.organisation_id == member.id])
            for member in detail.members
        ],
        "notes_newest_first": list(reversed(detail.notes)),
        "timeline": timeline(session, detail),
    }
