"""Reading the facts indicators need, for a few subjects (after a change) or all (batch).

These reads are the system's, not a user's: an indicator sees every agency's records, and what
a user then sees of its result is filtered by the access policy (risk.explain).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, case, literal, select
from sqlalchemy.orm import Session

from safetyhub.cases.models import Case, CaseKind, CaseSubject, RiskLevel
from safetyhub.incidents.models import Incident, IncidentParty
from safetyhub.people.models import IdentityLink, PersonRecord
from safetyhub.risk.addresses import residents
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

CHUNK = 500
T = TypeVar("T")

# Where MARAC referrals come from: (session, person record ids or None for all) -> id -> dates.
# Built in: MARAC referrals on DASH assessments, and a high-risk domestic-abuse case about the
# person (a MARAC case is opened on referral); other modules may register more.
MaracSource = Callable[[Session, Sequence[uuid.UUID] | None], dict[uuid.UUID, list[datetime]]]
MARAC_SOURCES: list[MaracSource] = []


def person_key(record_id: uuid.UUID, identity_id: uuid.UUID | None) -> str:
    """The subject key of a person record: its Identity when linked, else the record itself."""
    return f"identity:{identity_id}" if identity_id else f"person:{record_id}"


def place_key(place_id: uuid.UUID) -> str:
    """The subject key of a place."""
    return f"place:{place_id}"


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`items` in slices of at most `size` (IN lists stay small on every backend)."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def identity_of(session: Session, record_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """record id -> identity id for the linked ones among `record_ids`."""
    found: dict[uuid.UUID, uuid.UUID] = {}
    for part in chunks(list(record_ids)):
        statement = select(IdentityLink.person_record_id, IdentityLink.identity_id).where(
            IdentityLink.person_record_id.in_(part))
        found.update({r: i for r, i in session.execute(statement).tuples()})
    return found


def records_of_subjects(session: Session, keys: Iterable[str]) -> dict[str, list[uuid.UUID]]:
    """subject key -> its person record ids (every record linked to the Identity)."""
    result: dict[str, list[uuid.UUID]] = {}
    identities: list[uuid.UUID] = []
    for key in keys:
        kind, _, raw = key.partition(":")
        if kind == "identity":
            identities.append(uuid.UUID(raw))
        elif kind == "person":
            result[key] = [uuid.UUID(raw)]
    for part in chunks(identities):
        statement = select(IdentityLink.identity_id, IdentityLink.person_record_id).where(
            IdentityLink.identity_id.in_(part))
        for identity, record in session.execute(statement).tuples():
            result.setdefault(f"identity:{identity}", []).append(record)
    return result


def narrative_column(config: RiskConfig) -> ColumnElement[str]:
    """The narrative where a rule reads it (crisis notes for RCRP's immediate risk), else ""."""
    return case((Incident.category.in_(config.mental_health.categories), Incident.narrative),
                else_=literal(""))


def incident_columns(config: RiskConfig) -> tuple[Any, ...]:
    """The incident columns an IncidentFact is made of."""
    return (Incident.id, Incident.organisation_id, Incident.category, Incident.occurred_at,
            Incident.place_id, narrative_column(config))


def incident_fact(row: Sequence[Any]) -> IncidentFact:
    """An IncidentFact from a row of `incident_columns`."""
    return IncidentFact(row[0], row[1], row[2], row[3], row[4], row[5] or "")


def involvements_into(session: Session, statement: Select[Any], key_of: dict[uuid.UUID, str],
                      facts: dict[str, PersonFacts]) -> None:
    """Add the involvements `statement` answers to the facts of each record's subject."""
    cache: dict[uuid.UUID, IncidentFact] = {}
    for row in session.execute(statement):
        record_id, role = row[0], row[1]
        incident = cache.get(row[2])
        if incident is None:
            incident = cache[row[2]] = incident_fact(row[2:])
        key = key_of[record_id]
        facts.setdefault(key, PersonFacts(key)).involvements.append(
            Involvement(incident, record_id, role))


def _cases_of_records(session: Session, record_ids: Sequence[uuid.UUID] | None
                      ) -> list[tuple[uuid.UUID, CaseFact]]:
    columns = (CaseSubject.person_record_id, Case.id, Case.lead_organisation_id, Case.status,
               Case.kind, Case.risk_level, Case.created_at)
    statement = select(*columns).join(Case, Case.id == CaseSubject.case_id)
    rows: list[Any] = []
    if record_ids is None:
        rows = list(session.execute(statement))
    else:
        for part in chunks(list(record_ids)):
            rows += list(session.execute(statement.where(CaseSubject.person_record_id.in_(part))))
    return [(row[0], CaseFact(*row[1:])) for row in rows]


def marac_from_cases(session: Session, record_ids: Sequence[uuid.UUID] | None
                     ) -> dict[uuid.UUID, list[datetime]]:
    """High-risk domestic-abuse cases about the records, as MARAC referral dates."""
    found: dict[uuid.UUID, list[datetime]] = defaultdict(list)
    statement = (select(CaseSubject.person_record_id, Case.created_at)
                 .join(Case, Case.id == CaseSubject.case_id)
                 .where(Case.kind == CaseKind.domestic_abuse, Case.risk_level == RiskLevel.high))
    parts = [statement] if record_ids is None else [
        statement.where(CaseSubject.person_record_id.in_(part))
        for part in chunks(list(record_ids))]
    for part_statement in parts:
        for record, created in session.execute(part_statement).tuples():
            found[record].append(created)
    return found


def marac_from_dash(session: Session, record_ids: Sequence[uuid.UUID] | None
                    ) -> dict[uuid.UUID, list[datetime]]:
    """MARAC referrals recorded on DASH assessments of the records."""
    try:
        from safetyhub.dash.models import DashAssessment
    except ImportError:  # a deployment without the DASH/MARAC module
        return {}
    found: dict[uuid.UUID, list[datetime]] = defaultdict(list)
    statement = select(DashAssessment.person_record_id, DashAssessment.marac_referred_at).where(
        DashAssessment.marac_referred_at.is_not(None))
    parts = [statement] if record_ids is None else [
        statement.where(DashAssessment.person_record_id.in_(part))
        for part in chunks(list(record_ids))]
    for part_statement in parts:
        for record, referred in session.execute(part_statement).tuples():
            if referred is not None:
                found[record].append(referred)
    return found


def attach_cases_and_marac(session: Session, facts: dict[str, PersonFacts],
                           key_of: Callable[[uuid.UUID], str | None],
                           record_ids: list[uuid.UUID] | None) -> None:
    """Add the cases about each subject and its MARAC referral dates (None: read all).

    Only subjects already in `facts` get them: a case alone raises no alert.
    """
    seen: set[tuple[str, uuid.UUID]] = set()
    for record, case_fact in _cases_of_records(session, record_ids):
        key = key_of(record)
        if key in facts and (key, case_fact.case_id) not in seen:
            seen.add((key, case_fact.case_id))
            facts[key].cases.append(case_fact)
    for source in [marac_from_cases, marac_from_dash, *MARAC_SOURCES]:
        for record, dates in source(session, record_ids).items():
            key = key_of(record)
            if key in facts:
                facts[key].marac_referrals.extend(dates)


def load_person_facts(session: Session, keys: Iterable[str], config: RiskConfig,
                      as_of: datetime) -> dict[str, PersonFacts]:
    """Facts about the given subjects (Identities or unlinked person records)."""
    records_by_key = records_of_subjects(session, keys)
    key_of = {r: key for key, records in records_by_key.items() for r in records}
    facts = {key: PersonFacts(key) for key in records_by_key}
    since = as_of - timedelta(days=config.lookback_days)
    record_ids = list(key_of)
    for part in chunks(record_ids):
        for rid, org, created in session.execute(
                select(PersonRecord.id, PersonRecord.organisation_id, PersonRecord.created_at)
                .where(PersonRecord.id.in_(part))).tuples():
            facts[key_of[rid]].records.append(RecordFact(rid, org, created))
        involvements_into(session, involvement_statement(config, since, as_of)
                      .where(IncidentParty.person_record_id.in_(part)), key_of, facts)
    attach_cases_and_marac(session, facts, key_of.get, record_ids)
    return facts


def involvement_statement(config: RiskConfig, since: datetime, as_of: datetime
                          ) -> Select[Any]:
    """Who was involved in which incident, how, in the window (system read)."""
    return (select(IncidentParty.person_record_id, IncidentParty.role,
                   *incident_columns(config))
            .join(Incident, Incident.id == IncidentParty.incident_id)
            .where(Incident.occurred_at >= since, Incident.occurred_at < as_of))


def load_place_facts(session: Session, place_ids: Iterable[uuid.UUID], config: RiskConfig,
                     as_of: datetime) -> dict[uuid.UUID, PlaceFacts]:
    """Facts about the given places: their incidents (with who was involved) and cases."""
    ids = list(dict.fromkeys(place_ids))
    facts = {pid: PlaceFacts(pid) for pid in ids}
    since = as_of - timedelta(days=config.lookback_days)
    for part in chunks(ids):
        place_incidents_into(session, config, since, as_of, Incident.place_id.in_(part), facts)
        for row in session.execute(
                select(Case.place_id, Case.id, Case.lead_organisation_id, Case.status, Case.kind,
                       Case.risk_level, Case.created_at).where(Case.place_id.in_(part))):
            facts[row[0]].cases.append(CaseFact(*row[1:]))
    return facts


def homes_of_concerned(session: Session, config: RiskConfig,
                       incidents: dict[uuid.UUID, IncidentFact],
                       parties: dict[uuid.UUID, list[uuid.UUID]]
                       ) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """(record, place) pairs where someone in a vulnerability concern lives at its place."""
    categories = config.exploitation.vulnerability_categories
    return residents(session, [
        (record, incident.place_id) for incident_id, records in parties.items()
        if (incident := incidents.get(incident_id)) is not None
        and incident.category in categories and incident.place_id is not None
        for record in records])


def place_incidents_into(session: Session, config: RiskConfig, since: datetime,
                         as_of: datetime, where: ColumnElement[bool],
                         facts: dict[uuid.UUID, PlaceFacts],
                         identities: dict[uuid.UUID, uuid.UUID] | None = None) -> None:
    """Add the incidents at places matching `where`, with who was involved, to the facts."""
    incidents: dict[uuid.UUID, IncidentFact] = {}
    for row in session.execute(select(*incident_columns(config)).where(
            where, Incident.occurred_at >= since, Incident.occurred_at < as_of)):
        incidents[row[0]] = incident_fact(row)
    parties: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = defaultdict(list)
    ids = list(incidents)
    for part in chunks(ids):
        for incident_id, record_id, role in session.execute(
                select(IncidentParty.incident_id, IncidentParty.person_record_id,
                       IncidentParty.role).where(IncidentParty.incident_id.in_(part))).tuples():
            parties[incident_id].append((record_id, role))
    if identities is None:
        identities = identity_of(session, [r for ps in parties.values() for r, _ in ps])
    homes = homes_of_concerned(session, config, incidents, {
        i: [r for r, _ in ps] for i, ps in parties.items()})
    for incident in incidents.values():
        assert incident.place_id is not None
        people = tuple(PartyAtPlace(person_key(r, identities.get(r)), r, role,
                                    (r, incident.place_id) in homes)
                       for r, role in parties.get(incident.incident_id, []))
        facts.setdefault(incident.place_id, PlaceFacts(incident.place_id)).incidents.append(
            PlaceIncident(incident, people))
