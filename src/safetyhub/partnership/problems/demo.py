"""Demo: a repeat ASB place in the synthetic county worked through SARA, its response started
about three months ago, and a newer area problem still in scanning; all through the verbs."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import User
from safetyhub.auth.service import actor_for
from safetyhub.incidents.models import Incident, IncidentCategory
from safetyhub.organisations.models import Organisation
from safetyhub.partnership.problems import service
from safetyhub.partnership.problems.models import ActionStatus, ProblemStage
from safetyhub.partnership.problems.reads import start_of
from safetyhub.partnership.problems.schemas import ProblemCreate, ProblemUpdate
from safetyhub.places.models import Place
from safetyhub.sharing.vocabulary import Purpose

OFFICER = "alex.morgan@surrey-police.example"
COUNCIL_OFFICER = "priya.shah@guildford-council.example"
PARTNERS = ("Guildford Borough Council", "Wey Valley Homes")
ASB = (IncidentCategory.asb_personal, IncidentCategory.asb_nuisance,
       IncidentCategory.asb_environmental)
RESPONSE_DAYS_AGO = 90


def _user(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).first()


def _busiest_place(session: Session, organisation_id: uuid.UUID, today: date,
                   skip: set[uuid.UUID]) -> uuid.UUID | None:
    """The place with most of the agency's ASB incidents in the year before `today`."""
    return session.scalar(
        select(Incident.place_id)
        .where(Incident.organisation_id == organisation_id,
               Incident.category.in_([c.value for c in ASB]),
               Incident.place_id.is_not(None), Incident.place_id.not_in(skip or {uuid.uuid4()}),
               Incident.occurred_at >= start_of(today - timedelta(days=365)),
               Incident.occurred_at < start_of(today + timedelta(days=1)))
        .group_by(Incident.place_id).order_by(func.count().desc(), Incident.place_id).limit(1)
    )


def _repeat_place(session: Session, officer: Actor, council: Actor | None, today: date,
                  place_id: uuid.UUID, partners: list[uuid.UUID]) -> None:
    place = session.get(Place, place_id)
    name = place.address.split(",")[0] if place else "the estate"
    problem = service.open_problem(session, actor=officer, details=ProblemCreate(
        title=f"Repeat anti-social behaviour at {name}",
        description="Residents report groups gathering in the evenings, noise and damage. "
                    "Calls to police and the council have risen over the last year.",
        place_ids=[place_id], partner_organisation_ids=partners, categories=list(ASB)))
    incidents = session.scalars(
        select(Incident.id).where(Incident.place_id == place_id,
                                  Incident.organisation_id == officer.organisation_id,
                                  Incident.category.in_([c.value for c in ASB]),
                                  Incident.occurred_at < start_of(today + timedelta(days=1)))
        .order_by(Incident.occurred_at.desc()).limit(40))
    for incident_id in incidents:
        service.link_incident(session, actor=officer, problem_id=problem.id,
                              incident_id=incident_id)
    service.update_problem(session, actor=officer, problem_id=problem.id, changes=ProblemUpdate(
        stage=ProblemStage.response,
        response_started_on=today - timedelta(days=RESPONSE_DAYS_AGO),
        assessment_window_days=RESPONSE_DAYS_AGO,
        victim_notes="Older residents of the ground-floor flats; two report repeated "
                     "harassment and feel unsafe after dark.",
        offender_notes="A group of six to eight teenagers from the wider estate, mostly "
                       "after school and on Friday evenings.",
        location_notes="Unlit footpath and a broken door entry system give shelter and "
                       "an easy way in and out.",
    ))
    police_org = officer.organisation_id
    assert police_org is not None
    service.add_action(session, actor=officer, problem_id=problem.id,
                       organisation_id=police_org, owner_id=officer.user_id,
                       text="Targeted patrols on Friday evenings and engagement with the "
                            "youth service.", due_on=today + timedelta(days=30))
    if council is not None and council.organisation_id in partners:
        action = service.add_action(
            session, actor=council, problem_id=problem.id,
            organisation_id=council.organisation_id, owner_id=council.user_id,
            text="Repair the lighting on the footpath and the door entry system.",
            due_on=today - timedelta(days=20))
        service.update_action(session, actor=council, problem_id=problem.id,
                              action_id=action.id, status=ActionStatus.done)


def _area_problem(session: Session, officer: Actor, place_id: uuid.UUID,
                  partners: list[uuid.UUID]) -> None:
    place = session.get(Place, place_id)
    if place is None or not (place.lsoa_code or place.district):
        return
    service.open_problem(session, actor=officer, details=ProblemCreate(
        title=f"Environmental ASB in {place.district or place.lsoa_code}",
        description="Fly-tipping and graffiti reported across the neighbourhood.",
        area_lsoa_code=place.lsoa_code, area_district=None if place.lsoa_code else place.district,
        partner_organisation_ids=partners[:1],
        categories=[IncidentCategory.asb_environmental, IncidentCategory.criminal_damage_arson]))


def seed_demo(session: Session, *, today: date) -> None:
    """Two problems led by the police officer with council and housing partners."""
    user = _user(session, OFFICER)
    if user is None:
        return
    officer = actor_for(user).with_purpose(Purpose.crime_prevention)
    council_user = _user(session, COUNCIL_OFFICER)
    council = actor_for(council_user).with_purpose(Purpose.crime_prevention) \
        if council_user else None
    partners = list(session.scalars(select(Organisation.id)
                                    .where(Organisation.name.in_(PARTNERS))))
    busiest = _busiest_place(session, user.organisation_id, today, set())
    if busiest is None:
        return
    _repeat_place(session, officer, council, today, busiest, partners)
    second = _busiest_place(session, user.organisation_id, today, {busiest})
    if second is not None:
        _area_problem(session, officer, second, partners)
