"""Shared fixtures for the sharing tests: a small partnership of agencies and their users."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from safetyhub.auth.models import Role, User
from safetyhub.organisations.models import Organisation, OrganisationKind
from tests.factories import make_org, make_user


@dataclass
class Partnership:
    """Three agencies with admins and a practitioner, and the partnership office."""

    police: Organisation
    council: Organisation
    health: Organisation
    police_admin: User
    council_admin: User
    health_admin: User
    police_practitioner: User
    office_user: User


@pytest.fixture
def partners(session: Session) -> Partnership:
    police = make_org(session, kind=OrganisationKind.police)
    council = make_org(session, kind=OrganisationKind.council)
    health = make_org(session, kind=OrganisationKind.health)
    office = make_org(session, kind=OrganisationKind.partnership_office)
    return Partnership(
        police=police, council=council, health=health,
        police_admin=make_user(session, police, Role.admin),
        council_admin=make_user(session, council, Role.admin),
        health_admin=make_user(session, health, Role.admin),
        police_practitioner=make_user(session, police, Role.practitioner),
        office_user=make_user(session, office, Role.partnership_office),
    )
