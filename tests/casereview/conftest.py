"""Fixtures for case review tests: police, council and housing, and the partnership office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from safetyhub.auth.models import Role, User
from safetyhub.incidents.models import Incident, IncidentCategory, PartyRole
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.people.models import PersonRecord
from safetyhub.places.models import Place
from safetyhub.timeutil import utcnow
from tests.factories import make_incident, make_org, make_person_record, make_place, make_user

VICTIM = {"given_name": "Priya", "family_name": "Shah", "date_of_birth": date(1979, 3, 14),
          "postcode": "GU2 7XH"}


@dataclass
class Partnership:
    """Agencies and their users."""

    police: Organisation
    council: Organisation
    housing: Organisation
    office: Organisation
    police_user: User
    council_user: User
    housing_user: User
    office_user: User
    office_colleague: User


@pytest.fixture
def world(session: Session) -> Partnership:
    """Three agencies with a practitioner each, and two partnership office users."""
    police = make_org(session, kind=OrganisationKind.police)
    council = make_org(session, kind=OrganisationKind.council)
    housing = make_org(session, kind=OrganisationKind.housing)
    office = make_org(session, kind=OrganisationKind.partnership_office)
    return Partnership(
        police, council, housing, office,
        make_user(session, police), make_user(session, council), make_user(session, housing),
        make_user(session, office, Role.partnership_office),
        make_user(session, office, Role.partnership_office),
    )


def victim_record(session: Session, org: Organisation, **changes: object) -> PersonRecord:
    """The victim as `org` holds them."""
    fields = {**VICTIM, "address": "4 Park Road, Guildford", **changes}
    return make_person_record(session, org, **fields)  # type: ignore[arg-type]


def complaint(session: Session, org: Organisation, record: PersonRecord, days_ago: float, *,
              category: IncidentCategory = IncidentCategory.asb_nuisance,
              place: Place | None = None, role: PartyRole = PartyRole.complainant,
              at: datetime | None = None) -> Incident:
    """An incident complained of by `record`, `days_ago` days ago, reported an hour later."""
    return make_incident(session, org, category=category, place=place,
                         occurred_at=at or utcnow() - timedelta(days=days_ago),
                         parties=[(record, role)])


def application(**changes: object) -> dict[str, object]:
    """A valid public application for the victim, as JSON."""
    body: dict[str, object] = {
        "victim_given_name": VICTIM["given_name"], "victim_family_name": VICTIM["family_name"],
        "victim_date_of_birth": VICTIM["date_of_birth"].isoformat(),  # type: ignore[attr-defined]
        "victim_postcode": VICTIM["postcode"], "victim_address": "4 Park Road, Guildford",
        "contact_email": "priya@example.org",
        "problem_description": "Youths kick a ball at my windows every evening.",
        "problem_location": "Park Road", "agencies_told": ["police", "council"],
    }
    body.update(changes)
    return body


__all__ = ["Partnership", "application", "complaint", "make_place", "victim_record", "world"]
