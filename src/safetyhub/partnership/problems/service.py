"""Problem verbs: open, update, add partners and places, link incidents, response actions.

Audit summaries carry ids, codes, dates and the names of changed fields, never notes or titles:
the audit log can never be pruned, so it must not become a second copy of the work.
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
from safetyhub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from safetyhub.incidents.models import Incident
from safetyhub.organisations.models import Organisation
from safetyhub.partnership.problems import permissions, queries
from safetyhub.partnership.problems.models import (
    ActionStatus,
    Problem,
    ProblemAction,
    ProblemIncident,
    ProblemPartner,
    ProblemPlace,
    ProblemStage,
)
from safetyhub.partnership.problems.schemas import ProblemCreate, ProblemUpdate
from safetyhub.places.models import Place
from safetyhub.sharing import policy
from safetyhub.text import N_
from safetyhub.timeutil import london_today, utcnow

OBJECT_TYPE = "problem"


def _record(session: Session, actor: Actor, action: str, problem: Problem,
            before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    audit.record(session, actor=actor, action=action, object_type=OBJECT_TYPE,
                 object_id=problem.id, owner_organisation_id=problem.lead_organisation_id,
                 purpose=actor.purpose, before=before, after=after)


def _partners(session: Session, problem_id: uuid.UUID) -> set[object]:
    return set(session.scalars(queries.partner_ids(problem_id)))


LAST_PLACE = N_("A problem needs at least one place, or an area: add another place first.")
CLOSED = N_("This problem is closed. The lead agency can reopen it by changing its stage.")


def problem_to_work_on(session: Session, actor: Actor, problem_id: uuid.UUID, *,
                       closed_too: bool = False) -> Problem:
    """The visible problem (404) the actor's agency works on (403), locked for the change; a
    closed problem is a record of what was done and changes only by reopening (409)."""
    problem = policy.get_visible(session, queries.problem_for_change(actor, problem_id),
                                 "problem")
    if not permissions.may_work_on_problem(actor, problem, _partners(session, problem.id)):
        raise PermissionDenied("Only the lead and partner agencies' professionals change this.")
    if problem.stage == ProblemStage.closed.value and not closed_too:
        raise Conflict(CLOSED)
    return problem


def _place(session: Session, actor: Actor, place_id: uuid.UUID) -> Place:
    return policy.get_visible(session, policy.visible_places(actor).where(Place.id == place_id),
                              "place")


def _organisation(session: Session, organisation_id: uuid.UUID) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound("No organisation with that id.")
    return org


def open_problem(session: Session, *, actor: Actor, details: ProblemCreate) -> Problem:
    """Open a problem led by the actor's agency, at places and/or in an area."""
    if not permissions.may_open_problem(actor) or actor.organisation_id is None:
        raise PermissionDenied("Only professionals of a partner agency open problems.")
    if not (details.place_ids or details.area_lsoa_code or details.area_district):
        raise InvalidInput("A problem needs at least one place, or an area (LSOA or district).")
    places = [_place(session, actor, pid) for pid in dict.fromkeys(details.place_ids)]
    partners = [_organisation(session, oid)
                for oid in dict.fromkeys(details.partner_organisation_ids)
                if oid != actor.organisation_id]
    problem = Problem(
        id=uuid.uuid4(), title=details.title, description=details.description,
        lead_organisation_id=actor.organisation_id, owner_id=actor.user_id,
        stage=ProblemStage.scanning.value,
        categories=",".join(dict.fromkeys(c.value for c in details.categories)),
        area_lsoa_code=details.area_lsoa_code or None,
        area_district=details.area_district or None, created_by_id=actor.user_id,
        victim_notes="", offender_notes="", location_notes="", analysis_notes="",
        assessment_notes="", assessment_window_days=90,
    )
    session.add(problem)
    session.flush()
    for place in places:
        session.add(ProblemPlace(problem_id=problem.id, place_id=place.id))
    for org in partners:
        session.add(ProblemPartner(problem_id=problem.id, organisation_id=org.id))
    session.flush()
    _record(session, actor, "open_problem", problem, after={
        "stage": problem.stage, "categories": problem.category_list,
        "place_ids": [p.id for p in places], "partner_organisation_ids": [o.id for o in partners],
        "area_lsoa_code": problem.area_lsoa_code, "area_district": problem.area_district,
    })
    return problem


# Fields that change what the problem is or who runs it: the lead agency's call.
LEAD_FIELDS = frozenset({"stage", "owner_id", "categories", "area_lsoa_code", "area_district",
                         "response_started_on", "assessment_window_days"})
# Fields whose values the audit log may keep (codes and dates; notes are only named).
AUDITED_VALUES = frozenset({"stage", "owner_id", "categories", "area_lsoa_code",
                            "area_district", "response_started_on", "assessment_window_days"})
NOT_EMPTY = frozenset({"title", "stage", "categories", "assessment_window_days"})
TEXT_FIELDS = frozenset({"description", "victim_notes", "offender_notes", "location_notes",
                         "analysis_notes", "assessment_notes"})


def update_problem(
    session: Session, *, actor: Actor, problem_id: uuid.UUID, changes: ProblemUpdate
) -> Problem:
    """Change a problem's details, analysis notes, stage or response start."""
    problem = problem_to_work_on(session, actor, problem_id, closed_too=True)
    fields = changes.model_dump(exclude_unset=True)
    if problem.stage == ProblemStage.closed.value and (
            fields.keys() != {"stage"} or fields["stage"] == ProblemStage.closed):
        raise Conflict(CLOSED)
    if fields.keys() & LEAD_FIELDS and not permissions.may_lead_problem(actor, problem):
        raise PermissionDenied("Only the lead agency changes the stage, owner, scope or dates.")
    for name in NOT_EMPTY & fields.keys():
        if fields[name] is None:
            raise InvalidInput(f"{name} cannot be empty.")
    for name in TEXT_FIELDS & fields.keys():
        fields[name] = fields[name] or ""
    if fields.get("owner_id") is not None:
        owner = session.get(User, fields["owner_id"])
        if owner is None or not owner.active or owner.organisation_id != actor.organisation_id:
            raise InvalidInput("The owner must be an active user of the lead agency.")
    if "categories" in fields:
        fields["categories"] = ",".join(dict.fromkeys(c.value for c in changes.categories or []))
    if "stage" in fields:
        fields["stage"] = ProblemStage(fields["stage"]).value
    for name in ("area_lsoa_code", "area_district"):
        if name in fields:
            fields[name] = fields[name] or None
    if fields.get("response_started_on") and fields["response_started_on"] > london_today():
        raise InvalidInput("The response cannot start in the future.")
    before = {name: getattr(problem, name) for name in fields if name in AUDITED_VALUES}
    changed = sorted(name for name, value in fields.items() if getattr(problem, name) != value)
    for name, value in fields.items():
        setattr(problem, name, value)
    if not (problem.area_lsoa_code or problem.area_district
            or session.scalar(queries.place_ids(problem.id).limit(1))):
        raise InvalidInput("A problem needs at least one place, or an area (LSOA or district).")
    session.flush()
    _record(session, actor, "update_problem", problem, before=before, after={
        **{name: getattr(problem, name) for name in fields if name in AUDITED_VALUES},
        "changed": changed,
    })
    return problem


def add_partner(
    session: Session, *, actor: Actor, problem_id: uuid.UUID, organisation_id: uuid.UUID
) -> Problem:
    """Invite another agency to work the problem with the lead."""
    problem = problem_to_work_on(session, actor, problem_id)
    if not permissions.may_lead_problem(actor, problem):
        raise PermissionDenied("Only the lead agency invites partners.")
    _organisation(session, organisation_id)
    if organisation_id == problem.lead_organisation_id or organisation_id in _partners(
        session, problem.id
    ):
        raise Conflict("That agency already works on this problem.")
    session.add(ProblemPartner(problem_id=problem.id, organisation_id=organisation_id))
    session.flush()
    _record(session, actor, "add_problem_partner", problem,
            after={"organisation_id": organisation_id})
    return problem


def add_place(
    session: Session, *, actor: Actor, problem_id: uuid.UUID, place_id: uuid.UUID
) -> Problem:
    """Add a place the problem is at."""
    problem = problem_to_work_on(session, actor, problem_id)
    _place(session, actor, place_id)
    if place_id in set(session.scalars(queries.place_ids(problem.id))):
        raise Conflict("That place is already part of this problem.")
    session.add(ProblemPlace(problem_id=problem.id, place_id=place_id))
    session.flush()
    _record(session, actor, "add_problem_place", problem, after={"place_id": place_id})
    return problem


def remove_place(
    session: Session, *, actor: Actor, problem_id: uuid.UUID, place_id: uuid.UUID
) -> Problem:
    """Take a place off the problem (it keeps at least one place, or an area)."""
    problem = problem_to_work_on(session, actor, problem_id)
    link = session.scalars(select(ProblemPlace).where(
        ProblemPlace.problem_id == problem.id, ProblemPlace.place_id == place_id)).first()
    if link is None:
        raise NotFound("That place is not part of this problem.")
    places = set(session.scalars(queries.place_ids(problem.id)))
    if places == {place_id} and not (problem.area_lsoa_code or problem.area_district):
        raise InvalidInput(LAST_PLACE)
    session.delete(link)
    session.flush()
    _record(session, actor, "remove_problem_place", problem, before={"place_id": place_id})
    return problem


def link_incident(
    session: Session, *, actor: Actor, problem_id: uuid.UUID, incident_id: uuid.UUID
) -> Problem:
    """Link an incident the actor may see (404 otherwise) to the problem."""
    problem = problem_to_work_on(session, actor, problem_id)
    incident = policy.get_visible(
        session, policy.visible_incidents(actor).where(Incident.id == incident_id), "incident"
    )
    if incident.id in set(session.scalars(queries.linked_ids(problem.id))):
        raise Conflict("That incident is already linked to this problem.")
    session.add(ProblemIncident(problem_id=problem.id, incident_id=incident.id,
                                linked_by_organisation_id=actor.organisation_id))
    session.flush()
    _record(session, actor, "link_problem_incident", problem, after={
        "incident_id": incident.id, "incident_organisation_id": incident.organisation_id,
    })
    return problem


def unlink_incident(
    session: Session, *, actor: Actor, problem_id: uuid.UUID, incident_id: uuid.UUID
) -> Problem:
    """Unlink an incident the actor may see from the problem."""
    problem = problem_to_work_on(session, actor, problem_id)
    policy.get_visible(
        session, policy.visible_incidents(actor).where(Incident.id == incident_id), "incident"
    )
    link = session.scalar(select(ProblemIncident).where(
        ProblemIncident.problem_id == problem.id, ProblemIncident.incident_id == incident_id
    ))
    if link is None:
        raise NotFound("That incident is not linked to this problem.")
    session.delete(link)
    session.flush()
    _record(session, actor, "unlink_problem_incident", problem,
            after={"incident_id": incident_id})
    return problem


def add_action(
    session: Session, *, actor: Actor, problem_id: uuid.UUID, organisation_id: uuid.UUID,
    text: str, due_on: date, owner_id: uuid.UUID | None = None,
) -> ProblemAction:
    """Add a response action owned by the lead or a partner agency (and optionally a user)."""
    problem = problem_to_work_on(session, actor, problem_id)
    working = _partners(session, problem.id) | {problem.lead_organisation_id}
    if organisation_id not in working:
        raise InvalidInput("An action belongs to the lead or a partner agency.")
    if owner_id is not None:
        owner = session.get(User, owner_id)
        if owner is None or not owner.active or owner.organisation_id != organisation_id:
            raise InvalidInput("The action's owner must be an active user of that agency.")
    action = ProblemAction(id=uuid.uuid4(), problem_id=problem.id,
                           organisation_id=organisation_id, owner_id=owner_id, text=text,
                           due_on=due_on, status=ActionStatus.planned.value)
    session.add(action)
    session.flush()
    _record(session, actor, "add_problem_action", problem, after={
        "action_id": action.id, "organisation_id": organisation_id, "owner_id": owner_id,
        "due_on": due_on.isoformat(), "status": action.status,
    })
    return action


def update_action(
    session: Session, *, actor: Actor, problem_id: uuid.UUID, action_id: uuid.UUID,
    status: ActionStatus,
) -> ProblemAction:
    """Move a response action to `status`."""
    problem = problem_to_work_on(session, actor, problem_id)
    action = session.scalar(select(ProblemAction).where(
        ProblemAction.id == action_id, ProblemAction.problem_id == problem.id
    ))
    if action is None:
        raise NotFound("No action with that id on this problem.")
    before = action.status
    action.status = status.value
    action.completed_at = utcnow() if status == ActionStatus.done else None
    session.flush()
    _record(session, actor, "update_problem_action", problem,
            before={"action_id": action.id, "status": before},
            after={"action_id": action.id, "status": action.status})
    return action
