"""Fixtures for the service directory: the partnership, its office, the sample directory."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from safetyhub.auth.models import Role, User
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.referrals.directory import hsds, service
from safetyhub.referrals.directory.demo import sample_bytes
from tests.cases.helpers import Partnership, make_partnership
from tests.factories import actor, make_org, make_user


@dataclass
class Directory:
    """A partnership with an office, Victim Support as a partner, and the sample loaded."""

    world: Partnership
    office: Organisation
    office_user: User
    victim_support: Organisation
    victim_support_user: User


@pytest.fixture
def world(session: Session) -> Partnership:
    """Police, council and housing, each with a practitioner."""
    return make_partnership(session)


@pytest.fixture
def office_user(session: Session) -> User:
    """The partnership office user who keeps the directory."""
    office = make_org(session, "Office of the Surrey Police and Crime Commissioner",
                      OrganisationKind.partnership_office, None)
    return make_user(session, office, Role.partnership_office)


@pytest.fixture
def directory(session: Session, world: Partnership, office_user: User) -> Directory:
    """The sample Surrey directory imported; Victim Support Surrey is a partner agency."""
    victim_support = make_org(session, "Victim Support Surrey", OrganisationKind.victim_support,
                              None)
    service.import_directory(session, actor=actor(office_user),
                             tables=hsds.read_json("surrey_services.json", sample_bytes()))
    office = session.get_one(Organisation, office_user.organisation_id)
    return Directory(world, office, office_user, victim_support,
                     make_user(session, victim_support))
