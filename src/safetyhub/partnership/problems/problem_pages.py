"""One problem's pages: scanning, analysis, response and assessment, and their forms."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.analytics.charts import bar_chart
from safetyhub.analytics.maps import HEIGHT, WIDTH
from safetyhub.auth.dependencies import DbSession
from safetyhub.auth.models import User
from safetyhub.errors import InvalidInput, NotFound
from safetyhub.incidents.models import IncidentCategory
from safetyhub.partnership.problems import (
    choices,
    permissions,
    queries,
    reads,
    scan_map,
    service,
)
from safetyhub.partnership.problems.models import ActionStatus, ProblemStage
from safetyhub.partnership.problems.schemas import (
    MAX_ACTION_TEXT,
    MAX_NOTES,
    MAX_WINDOW_DAYS,
    MIN_WINDOW_DAYS,
    ProblemUpdate,
)
from safetyhub.text import N_
from safetyhub.timeutil import london_today
from safetyhub.web.forms import (
    Csrf,
    DateQuestion,
    FormErrors,
    done_message,
    parse_uuid,
    read_date,
    read_text,
    required_uuid,
)
from safetyhub.web.labels import LABELS
from safetyhub.web.rendering import redirect, render, translate
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

DONE: dict[str, str] = {
    "opened": N_("Problem opened"),
    "linked": N_("Incidents linked"),
    "unlinked": N_("Incident unlinked"),
    "place": N_("Place added"),
    "place-removed": N_("Place removed"),
    "analysis": N_("Analysis saved"),
    "action": N_("Action added"),
    "status": N_("Action updated"),
    "stage": N_("Problem updated"),
    "partner": N_("Partner agency added"),
    "assessment": N_("Assessment saved"),
}
STAGE_LABELS: dict[str, str] = {
    "scanning": N_("Scanning"), "analysis": N_("Analysis"), "response": N_("Response"),
    "assessment": N_("Assessment"), "closed": N_("Closed"),
}
STATUS_LABELS: dict[str, str] = {
    "planned": N_("Planned"), "in_progress": N_("In progress"), "done": N_("Done"),
    "dropped": N_("Dropped"),
}
Words = Annotated[str, Form(max_length=MAX_NOTES * 2)]
Short = Annotated[str, Form(max_length=300)]
Ids = Annotated[list[str], Form(max_length=200)]
Filter = Annotated[str, Query(max_length=100)]


def _page(request: Request, session: Session, user: PageUser, problem_id: uuid.UUID, tab: str,
          *, status_code: int = 200, errors: FormErrors | None = None,
          form: dict[str, Any] | None = None, done: str = "", **context: Any) -> Response:
    problem = reads.read_problem(session, actor=user.actor, problem_id=problem_id)
    row = reads.visible_problem(session, user.actor, problem_id)
    return render(
        request, f"problems/{tab}.html", status_code=status_code, user=user, problem=problem,
        tab=tab, errors=errors or FormErrors(), form=form or {}, done=done_message(DONE, done),
        may_lead=permissions.may_lead_problem(user.actor, row), stage_labels=STAGE_LABELS,
        status_labels=STATUS_LABELS, labels=LABELS, **context,
    )


@router.get("/problems/{problem_id}")
def scanning(
    request: Request, session: DbSession, user: SignedInUser, problem_id: str, done: str = "",
    place: Filter = "", postcode: Filter = "", category: Filter = "",
    occurred_from: Filter = "", occurred_to: Filter = "", place_query: Filter = "",
) -> Response:
    """Scanning: the problem's places, the map of candidate places, linked and found incidents."""
    pid = required_uuid(problem_id, "problem")
    reads.visible_problem(session, user.actor, pid)
    errors = FormErrors()
    first = _iso_date(occurred_from, "occurred-from", errors)
    last = _iso_date(occurred_to, "occurred-to", errors)
    searched = any([place, postcode, category, occurred_from, occurred_to])
    found = reads.search_incidents(
        session, actor=user.actor, problem_id=pid, place=place or None,
        postcode=postcode or None,
        category=category if category in IncidentCategory.__members__ else None,
        occurred_from=first, occurred_to=last,
    ) if searched and not errors else []
    the_map = scan_map.scan_map(session, actor=user.actor, problem_id=pid,
                                today=london_today())
    return _page(
        request, session, user, pid, "scanning", errors=errors, done=done,
        status_code=422 if errors else 200,
        linked=reads.linked_incidents(session, actor=user.actor, problem_id=pid),
        found=found, searched=searched,
        search={"place": place, "postcode": postcode, "category": category,
                "occurred_from": occurred_from, "occurred_to": occurred_to,
                "place_query": place_query},
        categories=[(c.value, LABELS.get(c.value, c.value)) for c in IncidentCategory],
        place_matches=choices.find_places(session, user.actor, place_query) if place_query else [],
        map=the_map, map_width=WIDTH, map_height=HEIGHT,
    )


def _iso_date(text: str, anchor: str, errors: FormErrors) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.add(anchor, N_("Enter a date like 2026-03-27"))
        return None


@router.post("/problems/{problem_id}/incidents")
def link_incidents(request: Request, session: DbSession, user: SignedInUser, problem_id: str,
                   csrf_token: Csrf = "", incident_ids: Ids = []) -> Response:  # noqa: B006
    """Link the chosen incidents (each must be visible to the user: 404 otherwise)."""
    check_csrf(user.csrf_token, csrf_token)
    pid = required_uuid(problem_id, "problem")
    chosen = [required_uuid(i, "incident") for i in incident_ids]
    linked = set(session.scalars(queries.linked_ids(pid)))
    for incident_id in chosen:
        if incident_id not in linked:
            service.link_incident(session, actor=user.actor, problem_id=pid,
                                  incident_id=incident_id)
            linked.add(incident_id)
    return redirect(f"/problems/{pid}?done=linked")


@router.post("/problems/{problem_id}/incidents/{incident_id}/unlink")
def unlink_incident(request: Request, session: DbSession, user: SignedInUser, problem_id: str,
                    incident_id: str, csrf_token: Csrf = "") -> Response:
    """Unlink one incident."""
    check_csrf(user.csrf_token, csrf_token)
    pid = required_uuid(problem_id, "problem")
    service.unlink_incident(session, actor=user.actor, problem_id=pid,
                            incident_id=required_uuid(incident_id, "incident"))
    return redirect(f"/problems/{pid}?done=unlinked")


@router.post("/problems/{problem_id}/places")
def add_place(request: Request, session: DbSession, user: SignedInUser, problem_id: str,
              csrf_token: Csrf = "", place_id: Short = "") -> Response:
    """Add a place to the problem."""
    check_csrf(user.csrf_token, csrf_token)
    pid = required_uuid(problem_id, "problem")
    place = required_uuid(place_id, "place")
    reads.visible_problem(session, user.actor, pid)
    if place not in set(session.scalars(queries.place_ids(pid))):  # already there: shown
        service.add_place(session, actor=user.actor, problem_id=pid, place_id=place)
    return redirect(f"/problems/{pid}?done=place")


@router.post("/problems/{problem_id}/places/{place_id}/remove")
def remove_place(request: Request, session: DbSession, user: SignedInUser, problem_id: str,
                 place_id: str, csrf_token: Csrf = "") -> Response:
    """Take a place off the problem; the last place of a problem without an area stays."""
    check_csrf(user.csrf_token, csrf_token)
    pid = required_uuid(problem_id, "problem")
    # The last place of a problem without an area stays: a 422 page says why.
    service.remove_place(session, actor=user.actor, problem_id=pid,
                         place_id=required_uuid(place_id, "place"))
    return redirect(f"/problems/{pid}?done=place-removed")


@router.get("/problems/{problem_id}/analysis")
def analysis(request: Request, session: DbSession, user: SignedInUser, problem_id: str,
             done: str = "") -> Response:
    """Analysis: the victim / offender / location triangle, notes and the monthly chart."""
    pid = required_uuid(problem_id, "problem")
    return _analysis(request, session, user, pid, done=done)


def _analysis(request: Request, session: Session, user: PageUser, pid: uuid.UUID,
              **kwargs: Any) -> Response:
    months = reads.monthly(session, actor=user.actor, problem_id=pid)
    chart = bar_chart(translate(request, N_("Linked incidents by month")),
                      [(m.month, m.count, str(m.count)) for m in months])
    return _page(request, session, user, pid, "analysis", months=months, chart=chart,
                 triangle=reads.triangle(session, actor=user.actor, problem_id=pid), **kwargs)


NOTE_FIELDS = ("victim_notes", "offender_notes", "location_notes", "analysis_notes")


@router.post("/problems/{problem_id}/analysis")
def save_analysis(request: Request, session: DbSession, user: SignedInUser, problem_id: str,
                  csrf_token: Csrf = "", victim_notes: Words = "", offender_notes: Words = "",
                  location_notes: Words = "", analysis_notes: Words = "") -> Response:
    """Save the analysis notes."""
    check_csrf(user.csrf_token, csrf_token)
    pid = required_uuid(problem_id, "problem")
    form = {"victim_notes": victim_notes, "offender_notes": offender_notes,
            "location_notes": location_notes, "analysis_notes": analysis_notes}
    errors = FormErrors()
    values = {name: read_text(name.replace("_", "-"), text, errors, max_length=MAX_NOTES) or ""
              for name, text in form.items()}
    if errors:
        return _analysis(request, session, user, pid, errors=errors, form=form, status_code=422)
    service.update_problem(session, actor=user.actor, problem_id=pid,
                           changes=ProblemUpdate(**values))
    return redirect(f"/problems/{pid}/analysis?done=analysis")


def _users(session: Session, problem: Any, *, lead_only: bool = False) -> list[tuple[str, str]]:
    """Active users of the lead (and, unless `lead_only`, partner) agencies, for owner choices."""
    orgs = {problem.lead_organisation_id}
    if not lead_only:
        orgs |= {oid for oid, _ in problem.partners}
    names = {problem.lead_organisation_id: problem.lead_organisation_name, **dict(problem.partners)}
    rows = session.scalars(select(User).where(User.organisation_id.in_(orgs), User.active)
                           .order_by(User.full_name))
    return [(str(u.id), f"{u.full_name} ({names[u.organisation_id]})") for u in rows]


@router.get("/problems/{problem_id}/response")
def response_page(request: Request, session: DbSession, user: SignedInUser, problem_id: str,
                  done: str = "") -> Response:
    """Response: the actions with owners, due dates and status; the stage."""
    return _response(request, session, user, required_uuid(problem_id, "problem"), done=done)


def _response(request: Request, session: Session, user: PageUser, pid: uuid.UUID,
              **kwargs: Any) -> Response:
    problem = reads.read_problem(session, actor=user.actor, problem_id=pid)
    agencies = [(str(problem.lead_organisation_id), problem.lead_organisation_name),
                *((str(oid), name) for oid, name in problem.partners)]
    partners = set(str(oid) for oid, _ in problem.partners) | {str(problem.lead_organisation_id)}
    others = [(oid, name) for oid, name in choices.other_organisations(session, user.actor)
              if oid not in partners]
    lead_users = _users(session, problem, lead_only=True)
    return _page(request, session, user, pid, "response", agencies=agencies,
                 users=_users(session, problem), others=others, lead_users=lead_users,
                 statuses=[s.value for s in ActionStatus], stages=[s.value for s in ProblemStage],
                 **kwargs)


@router.post("/problems/{problem_id}/actions")
def add_action(request: Request, session: DbSession, user: SignedInUser, problem_id: str,
               csrf_token: Csrf = "", text: Words = "", organisation_id: Short = "",
               owner_id: Short = "", due_day: Short = "", due_month: Short = "",
               due_year: Short = "") -> Response:
    """Add a response action."""
    check_csrf(user.csrf_token, csrf_token)
    pid = required_uuid(problem_id, "problem")
    form = {"text": text, "organisation_id": organisation_id, "owner_id": owner_id,
            "due_day": due_day, "due_month": due_month, "due_year": due_year}
    errors = FormErrors()
    words = read_text("text", text, errors, max_length=MAX_ACTION_TEXT,
                      missing=N_("Enter what will be done"),
                      too_long=N_("The action must be 2,000 characters or fewer"))
    org = parse_uuid(organisation_id)
    if org is None:
        errors.add("organisation-id", N_("Choose the agency that owns the action"))
    due = read_date("due", due_day, due_month, due_year, errors,
                    DateQuestion(missing=N_("Enter the date the action is due")))
    if not errors and words and org and due:
        try:
            service.add_action(session, actor=user.actor, problem_id=pid, organisation_id=org,
                               owner_id=parse_uuid(owner_id), text=words, due_on=due)
            return redirect(f"/problems/{pid}/response?done=action")
        except InvalidInput as error:
            errors.add_text("owner-id", error.detail)
    return _response(request, session, user, pid, errors=errors, form=form, status_code=422)


@router.post("/problems/{problem_id}/actions/{action_id}")
def update_action(request: Request, session: DbSession, user: SignedInUser, problem_id: str,
                  action_id: str, csrf_token: Csrf = "", status: Short = "") -> Response:
    """Change an action's status."""
    check_csrf(user.csrf_token, csrf_token)
    pid = required_uuid(problem_id, "problem")
    if status not in {s.value for s in ActionStatus}:
        raise InvalidInput(N_("Choose a status from the list."))
    service.update_action(session, actor=user.actor, problem_id=pid,
                          action_id=required_uuid(action_id, "action"),
                          status=ActionStatus(status))
    return redirect(f"/problems/{pid}/response?done=status")


@router.post("/problems/{problem_id}/stage")
def change_stage(request: Request, session: DbSession, user: SignedInUser, problem_id: str,
                 csrf_token: Csrf = "", stage: Short = "", start_day: Short = "",
                 start_month: Short = "", start_year: Short = "",
                 window_days: Short = "", owner_id: Short = "") -> Response:
    """The lead agency moves the stage and sets when the response started."""
    check_csrf(user.csrf_token, csrf_token)
    pid = required_uuid(problem_id, "problem")
    errors = FormErrors()
    form = {"stage": stage, "start_day": start_day, "start_month": start_month,
            "start_year": start_year, "window_days": window_days}
    if stage not in {s.value for s in ProblemStage}:
        errors.add("stage", N_("Choose a stage"))
    start = read_date("start", start_day, start_month, start_year, errors,
                      DateQuestion(past_only=True))
    window = int(window_days) if window_days.isdigit() else None
    if window_days and (window is None or not MIN_WINDOW_DAYS <= window <= MAX_WINDOW_DAYS):
        errors.add("window-days", N_("Enter a number of days from 7 to 730"))
    if errors:
        return _response(request, session, user, pid, errors=errors, form=form,
                         status_code=422)
    changes: dict[str, Any] = {"stage": ProblemStage(stage)}
    if start is not None:
        changes["response_started_on"] = start
    if window is not None:
        changes["assessment_window_days"] = window
    if parse_uuid(owner_id) is not None:
        changes["owner_id"] = parse_uuid(owner_id)
    service.update_problem(session, actor=user.actor, problem_id=pid,
                           changes=ProblemUpdate(**changes))
    return redirect(f"/problems/{pid}/response?done=stage")


@router.post("/problems/{problem_id}/partners")
def add_partner(request: Request, session: DbSession, user: SignedInUser, problem_id: str,
                csrf_token: Csrf = "", organisation_id: Short = "") -> Response:
    """The lead agency invites another agency."""
    check_csrf(user.csrf_token, csrf_token)
    pid = required_uuid(problem_id, "problem")
    org = parse_uuid(organisation_id)
    if org is None:
        raise NotFound("No organisation with that id.")
    service.add_partner(session, actor=user.actor, problem_id=pid, organisation_id=org)
    return redirect(f"/problems/{pid}/response?done=partner")


@router.get("/problems/{problem_id}/assessment")
def assessment(request: Request, session: DbSession, user: SignedInUser, problem_id: str,
               done: str = "") -> Response:
    """Assessment: before and after the response, the test and its verdict."""
    return _assessment(request, session, user, required_uuid(problem_id, "problem"), done=done)


def _assessment(request: Request, session: Session, user: PageUser, pid: uuid.UUID,
                **kwargs: Any) -> Response:
    result = reads.assess(session, actor=user.actor, problem_id=pid)
    chart = None
    if result is not None:
        chart = bar_chart(translate(request, N_("Incidents before and after the response")), [
            (translate(request, N_("Before")), result.before, str(result.before)),
            (translate(request, N_("After")), result.after, str(result.after)),
        ])
    return _page(request, session, user, pid, "assessment", result=result, chart=chart,
                 **kwargs)


@router.post("/problems/{problem_id}/assessment")
def save_assessment(request: Request, session: DbSession, user: SignedInUser, problem_id: str,
                    csrf_token: Csrf = "", assessment_notes: Words = "") -> Response:
    """Save what the partners conclude."""
    check_csrf(user.csrf_token, csrf_token)
    pid = required_uuid(problem_id, "problem")
    errors = FormErrors()
    text = read_text("assessment-notes", assessment_notes, errors, max_length=MAX_NOTES)
    if errors:
        return _assessment(request, session, user, pid, errors=errors, status_code=422,
                           form={"assessment_notes": assessment_notes})
    service.update_problem(session, actor=user.actor, problem_id=pid,
                           changes=ProblemUpdate(assessment_notes=text or ""))
    return redirect(f"/problems/{pid}/assessment?done=assessment")
