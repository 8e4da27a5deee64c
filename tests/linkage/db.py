"""Arranging linkage scenarios in the test database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.linkage import model
from safetyhub.linkage.batch import save_model
from safetyhub.linkage.records import all_records
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.people.models import PersonRecord
from tests.factories import make_org
from tests.linkage.population import Person, population

HUB = Actor.system("test:linkage")


@dataclass
class County:
    """Two agencies holding records of the same made-up people."""

    police: Organisation
    council: Organisation
    people: list[Person]
    ids: dict[str, uuid.UUID]  # "p<key>-<n>" -> PersonRecord id

    def record(self, label: str) -> PersonRecord:
        """A placeholder so tests read naturally (use session.get with ids[label])."""
        raise NotImplementedError


def make_county(session: Session, n: int = 120) -> County:
    """Insert a population: first records at the police, second ones at the council."""
    police = make_org(session, kind=OrganisationKind.police)
    council = make_org(session, kind=OrganisationKind.council)
    people = population(n)
    ids: dict[str, uuid.UUID] = {}
    rows: list[dict[str, Any]] = []
    for person in people:
        for index, fields in enumerate(person.records):
            record_id = uuid.uuid4()
            ids[f"p{person.key}-{index}"] = record_id
            rows.append({
                "id": record_id, "organisation_id": (police if index == 0 else council).id,
                "given_name": fields["given_name"], "family_name": fields["family_name"],
                "date_of_birth": fields["date_of_birth"], "address": fields["address"],
                "postcode": fields["postcode"], "phone": fields["phone"],
                "agency_identifier": None, "sensitivity": "standard",
            })
    session.execute(insert(PersonRecord), rows)
    session.flush()
    return County(police, council, people, ids)


def install_model(session: Session, settings: dict[str, Any]) -> None:
    """Save a pre-trained model as version 1 (so tests need not train)."""
    table = model.records_table(list(all_records(session)))
    save_model(session, actor=HUB, settings=settings, table=table)
