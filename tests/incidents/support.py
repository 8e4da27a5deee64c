"""Shared arrangements for the incident tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import User
from safetyhub.incidents.models import Incident, PartyRole
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.people.models import PersonRecord
from safetyhub.places.models import Place
from tests.factories import make_incident, make_org, make_person_record, make_place, make_user


@dataclass
class World:
    """Police (the reader) and a council with an incident and a person record."""

    police: Organisation
    council: Organisation
    officer: User
    place: Place
    police_person: PersonRecord
    council_person: PersonRecord
    council_incident: Incident


def build_world(session: Session) -> World:
    """Police and council; the council's incident at Elm Court with Morgan Hale as victim."""
    police = make_org(session, "Surrey Police")
    council = make_org(session, "Guildford Borough Council", kind=OrganisationKind.council)
    place = make_place(session, district="Guildford")
    council_person = make_person_record(session, council, given_name="Morgan", family_name="Hale")
    return World(
        police=police, council=council, officer=make_user(session, police), place=place,
        police_person=make_person_record(session, police, given_name="Sam", family_name="Okafor"),
        council_person=council_person,
        council_incident=make_incident(session, council, place=place,
                                       parties=[(council_person, PartyRole.victim)]),
    )


def reads_of(session: Session, object_id: uuid.UUID) -> list[AuditEvent]:
    """Disclosure events written for `object_id`."""
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.action == "read", AuditEvent.object_id == str(object_id))))
