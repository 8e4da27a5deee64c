"""Reading the facts of every subject at once, for the batch run (a few set-based reads)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.cases.models import Case
from safetyhub.incidents.models import Incident
from safetyhub.people.models import IdentityLink, PersonRecord
from safetyhub.risk.config import RiskConfig
from safetyhub.risk.indicators.facts import (
    CaseFact,
    IncidentFact,
    Involvement,
    PartyAtPlace,
    PersonFacts,
    PlaceFacts,
    PlaceIncident,
    RecordFact,
)
from safetyhub.risk.loading import (
    attach_cases_and_marac,
    homes_of_concerned,
    incident_columns,
    incident_fact,
    involvement_statement,
    person_key,
)

STREAM = 20_000


@dataclass
class Population:
    """The facts of every person subject and every place with incidents in the lookback."""

    persons: dict[str, PersonFacts]
    places: dict[uuid.UUID, PlaceFacts]

    @property
    def size(self) -> int:
        """How many subjects there are to evaluate."""
        return len(self.persons) + len(self.places)


def load_population(session: Session, config: RiskConfig, as_of: datetime) -> Population:
    """Facts about everyone and every place, read in one pass per table."""
    since = as_of - timedelta(days=config.lookback_days)
    links = dict(session.execute(
        select(IdentityLink.person_record_id, IdentityLink.identity_id)).tuples().all())

    def key_of(record_id: uuid.UUID) -> str:
        return person_key(record_id, links.get(record_id))

    persons: dict[str, PersonFacts] = {}
    for rid, org, created in session.execute(
            select(PersonRecord.id, PersonRecord.organisation_id, PersonRecord.created_at)
            .where(PersonRecord.created_at >= since, PersonRecord.created_at < as_of)
            .execution_options(yield_per=STREAM)).tuples():
        key = key_of(rid)
        persons.setdefault(key, PersonFacts(key)).records.append(RecordFact(rid, org, created))
    incidents: dict[uuid.UUID, IncidentFact] = {}
    parties: dict[uuid.UUID, list[tuple[str, uuid.UUID, str]]] = defaultdict(list)
    for row in session.execute(involvement_statement(config, since, as_of)
                               .execution_options(yield_per=STREAM)):
        record_id, role = row[0], row[1]
        incident = incidents.get(row[2])
        if incident is None:
            incident = incidents[row[2]] = incident_fact(row[2:])
        key = key_of(record_id)
        persons.setdefault(key, PersonFacts(key)).involvements.append(
            Involvement(incident, record_id, role))
        if incident.place_id is not None:
            parties[incident.incident_id].append((key, record_id, role))
    attach_cases_and_marac(session, persons, key_of, None)
    homes = homes_of_concerned(session, config, incidents, {
        i: [r for _, r, _ in ps] for i, ps in parties.items()})
    places: dict[uuid.UUID, PlaceFacts] = {}
    for row in session.execute(
            select(*incident_columns(config))
            .where(Incident.place_id.is_not(None), Incident.occurred_at >= since,
                   Incident.occurred_at < as_of)
            .execution_options(yield_per=STREAM)):
        add_place_incident(places, incidents.get(row[0]) or incident_fact(row), parties, homes)
    add_place_cases(session, places)
    return Population(persons, places)


Parties = dict[uuid.UUID, list[tuple[str, uuid.UUID, str]]]


def add_place_incident(places: dict[uuid.UUID, PlaceFacts], incident: IncidentFact,
                       parties: Parties, homes: set[tuple[uuid.UUID, uuid.UUID]]) -> None:
    """File an incident under its place, with its parties and whether each lives there."""
    assert incident.place_id is not None
    places.setdefault(incident.place_id, PlaceFacts(incident.place_id)).incidents.append(
        PlaceIncident(incident, tuple(
            PartyAtPlace(key, rid, role, (rid, incident.place_id) in homes)
            for key, rid, role in parties.get(incident.incident_id, ()))))


def add_place_cases(session: Session, places: dict[uuid.UUID, PlaceFacts]) -> None:
    """Attach the cases about each place that has facts."""
    for row in session.execute(
            select(Case.place_id, Case.id, Case.lead_organisation_id, Case.status, Case.kind,
                   Case.risk_level, Case.created_at).where(Case.place_id.is_not(None))):
        if row[0] in places:
            places[row[0]].cases.append(CaseFact(*row[1:]))
