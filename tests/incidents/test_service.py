"""Incident service functions used by pages: the home page's recent incidents."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from safetyhub.auth.models import Role
from safetyhub.incidents import service
from safetyhub.organisations.models import OrganisationKind
from safetyhub.sharing.vocabulary import DataCategory, Purpose, Sensitivity
from safetyhub.timeutil import utcnow
from tests.factories import actor, make_agreement, make_incident, make_org, make_user


def test_recent_incidents_are_my_agencys_newest_first(session: Session) -> None:
    police = make_org(session, "Surrey Police")
    council = make_org(session, "Guildford Borough Council", kind=OrganisationKind.council)
    make_agreement(session, [police, council], categories=[DataCategory.incidents])
    now = utcnow()
    old, new, middle = (make_incident(session, police, occurred_at=now - timedelta(days=d))
                        for d in (9, 1, 5))
    make_incident(session, council, occurred_at=now)
    officer = actor(make_user(session, police), Purpose.safeguarding)
    views = service.recent_incidents_of_my_agency(session, actor=officer, limit=2)
    assert [view.incident.id for view in views] == [new.id, middle.id]
    assert {view.organisation_name for view in views} == {"Surrey Police"}
    assert len(service.recent_incidents_of_my_agency(session, actor=officer, limit=10)) == 3
    assert old.id in {v.incident.id for v in
                      service.recent_incidents_of_my_agency(session, actor=officer)}


def test_recent_incidents_respect_the_role_cap(session: Session) -> None:
    police = make_org(session, "Surrey Police")
    make_incident(session, police, sensitivity=Sensitivity.special_category)
    visible = make_incident(session, police)
    analyst = actor(make_user(session, police, Role.analyst))
    views = service.recent_incidents_of_my_agency(session, actor=analyst, limit=5)
    assert [view.incident.id for view in views] == [visible.id]
