"""A small partnership for the early-warning tests: police, council, health, housing, the hub."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role, User
from safetyhub.incidents.models import Incident, IncidentCategory, PartyRole
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.people.models import PersonRecord
from safetyhub.places.models import Place
from safetyhub.sharing.vocabulary import Sensitivity
from safetyhub.timeutil import utcnow
from tests.factories import actor, make_incident, make_org, make_user


@dataclass
class Partnership:
    """Agencies and their staff."""

    police: Organisation
    council: Organisation
    health: Organisation
    housing: Organisation
    hub: Organisation
    officer: User
    council_officer: User
    nurse: User
    housing_officer: User
    hub_officer: User
    hub_analyst: User
    hub_admin: User

    def act(self, user: User) -> Actor:
        """The Actor of `user` (purpose safeguarding)."""
        from safetyhub.sharing.vocabulary import Purpose

        return actor(user, Purpose.safeguarding)


@pytest.fixture
def county(session: Session) -> Partnership:
    """Five agencies, one of them the partnership hub, each with staff."""
    police = make_org(session, kind=OrganisationKind.police)
    council = make_org(session, kind=OrganisationKind.council)
    health = make_org(session, kind=OrganisationKind.health)
    housing = make_org(session, kind=OrganisationKind.housing)
    hub = make_org(session, kind=OrganisationKind.partnership_office)
    return Partnership(
        police, council, health, housing, hub,
        officer=make_user(session, police),
        council_officer=make_user(session, council),
        nurse=make_user(session, health),
        housing_officer=make_user(session, housing),
        hub_officer=make_user(session, hub, Role.partnership_office),
        hub_analyst=make_user(session, hub, Role.analyst),
        hub_admin=make_user(session, hub, Role.admin),
    )


def victimise(session: Session, org: Organisation, record: PersonRecord, days_ago: float, *,
              category: IncidentCategory = IncidentCategory.violence_and_sexual_offences,
              place: Place | None = None, role: PartyRole = PartyRole.victim,
              narrative: str = "Assaulted in the street.",
              sensitivity: Sensitivity = Sensitivity.standard) -> Incident:
    """An incident of `org` `days_ago` with `record` in `role`."""
    return make_incident(session, org, place=place, category=category,
                         occurred_at=utcnow() - timedelta(days=days_ago),
                         narrative=narrative, parties=[(record, role)], sensitivity=sensitivity)
