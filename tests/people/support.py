"""Shared arrangements for the people tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import User
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.people.models import PersonRecord
from tests.factories import make_org, make_person_record, make_user


@dataclass
class World:
    """The reader's agency (police) and another agency (council) holding a record."""

    police: Organisation
    council: Organisation
    officer: User
    council_worker: User
    record: PersonRecord


def build_world(session: Session) -> World:
    """Police and council, a user of each, and the council's record of Morgan Hale."""
    police = make_org(session, "Surrey Police")
    council = make_org(session, "Guildford Borough Council", kind=OrganisationKind.council)
    return World(
        police=police, council=council, officer=make_user(session, police),
        council_worker=make_user(session, council),
        record=make_person_record(session, council, given_name="Morgan", family_name="Hale"),
    )


def reads_of(session: Session, object_id: uuid.UUID) -> list[AuditEvent]:
    """Disclosure events written for `object_id`."""
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.action == "read", AuditEvent.object_id == str(object_id))))
