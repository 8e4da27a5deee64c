"""Incidents: record one for your agency, read one with its parties, list them (via the policy)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.errors import InvalidInput, NotFound, PermissionDenied
from safetyhub.incidents import queries
from safetyhub.incidents.models import Incident, IncidentCategory, IncidentParty
from safetyhub.incidents.permissions import may_record_incident
from safetyhub.incidents.schemas import IncidentCreate
from safetyhub.pagination import Page, PageRequest, count_of
from safetyhub.people.models import PersonRecord
from safetyhub.people.service import PersonRecordView, disclosure_of
from safetyhub.places import service as places
from safetyhub.sharing import policy
from safetyhub.sharing.vocabulary import Sensitivity
from safetyhub.timeutil import LONDON, to_utc, utcnow

OBJECT_TYPE = "incident"
# Clocks on partners' devices drift; a little of the future is tolerated, no more.
CLOCK_SKEW = timedelta(minutes=5)
EARLIEST_OCCURRENCE = datetime(1900, 1, 1, tzinfo=UTC)
RECENT_LIMIT_MAX = 200


@dataclass(frozen=True)
class IncidentView:
    """An incident the actor may see, with the name of the agency that recorded it."""

    incident: Incident
    organisation_name: str


@dataclass(frozen=True)
class PartyView:
    """A party the actor may see: the person record and its role in the incident."""

    role: str
    person: PersonRecordView


@dataclass(frozen=True)
class IncidentDetail:
    """One incident, its visible parties, and how many parties are hidden from the actor."""

    incident: Incident
    organisation_name: str
    parties: list[PartyView]
    hidden_parties: int


def _disclosure(incident: Incident) -> policy.Disclosure:
    return policy.Disclosure(OBJECT_TYPE, incident.id, incident.organisation_id)


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors=[{"loc": ["body", field], "msg": message,
                                          "type": "value_error"}])


def _checked_times(data: IncidentCreate, now: datetime) -> tuple[datetime, datetime]:
    """occurred_at and reported_at in UTC, or InvalidInput if they cannot be true."""
    occurred_at = to_utc(data.occurred_at)
    if occurred_at > now + CLOCK_SKEW:
        raise _invalid("occurred_at", "occurred_at cannot be in the future.")
    if occurred_at < EARLIEST_OCCURRENCE:
        raise _invalid("occurred_at", "occurred_at cannot be before 1900.")
    if data.reported_at is None:
        return occurred_at, max(now, occurred_at)
    reported_at = to_utc(data.reported_at)
    if reported_at < occurred_at:
        raise _invalid("reported_at", "reported_at cannot be before occurred_at.")
    if reported_at > now + CLOCK_SKEW:
        raise _invalid("reported_at", "reported_at cannot be in the future.")
    return occurred_at, reported_at


def _sensitivity(data: IncidentCreate) -> Sensitivity:
    if data.category == IncidentCategory.mental_health_crisis:
        # A mental-health crisis is health data (UK GDPR Art. 9): always special_category,
        # and the form can only raise a sensitivity, never lower it.
        return Sensitivity.special_category
    return data.sensitivity


def record_incident(session: Session, *, actor: Actor, data: IncidentCreate) -> Incident:
    """Record an incident for the actor's own agency; every party must be visible to them."""
    if not may_record_incident(actor):
        raise PermissionDenied("Only practitioners and supervisors record incidents.")
    occurred_at, reported_at = _checked_times(data, utcnow())
    district = data.district
    if data.place_id is not None:
        place = places.get_place(session, actor=actor, place_id=data.place_id)
        district = district or place.district
    party_ids = sorted({party.person_record_id for party in data.parties})
    if party_ids:
        # Checked before anything is written: one invisible party and nothing is recorded.
        visible = set(session.scalars(queries.visible_person_record_ids(actor, party_ids)))
        if visible != set(party_ids):
            raise NotFound("A person record named as a party is not visible to you.")
    sensitivity = _sensitivity(data)
    incident = Incident(
        organisation_id=actor.organisation_id,
        category=data.category.value,
        occurred_at=occurred_at,
        reported_at=reported_at,
        place_id=data.place_id,
        district=district,
        narrative=data.narrative,
        sensitivity=sensitivity.value,
        created_by_id=actor.user_id,
    )
    session.add(incident)
    session.flush()
    parties = [{"person_record_id": str(party.person_record_id), "role": party.role.value}
               for party in data.parties]
    for party in data.parties:
        session.add(IncidentParty(incident_id=incident.id,
                                  person_record_id=party.person_record_id, role=party.role.value))
    session.flush()
    # The append-only log keeps no free text (it could never be erased): the narrative's
    # length stands in for it, as the case and referral services do.
    after: dict[str, Any] = {
        "category": incident.category, "occurred_at": occurred_at.isoformat(),
        "reported_at": reported_at.isoformat(), "place_id": _str(data.place_id),
        "district": district, "narrative_length": len(data.narrative),
        "sensitivity": sensitivity.value, "parties": parties,
    }
    audit.record(
        session, actor=actor, action="create_incident", object_type=OBJECT_TYPE,
        object_id=incident.id, owner_organisation_id=actor.organisation_id, after=after,
    )
    # Early warning in the same transaction as the incident: no nightly lag (issue 5).
    from safetyhub.risk.service import evaluate_after_incident

    evaluate_after_incident(session, actor=actor, incident_id=incident.id)
    return incident


def _str(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def get_incident(session: Session, *, actor: Actor, incident_id: uuid.UUID) -> IncidentDetail:
    """One incident with the parties the actor may see (the rest only counted); audited."""
    row = session.execute(queries.incident_by_id(actor, incident_id)).first()
    if row is None:
        raise NotFound("No incident with that id is visible to you.")
    incident, organisation_name = row
    parties = [
        PartyView(role=role, person=PersonRecordView(record, owner_name))
        for record, role, owner_name in session.execute(queries.visible_parties(actor, incident.id))
    ]
    hidden = int(session.scalar(queries.hidden_party_count(actor, incident.id)) or 0)
    policy.record_disclosures(
        session, actor,
        [_disclosure(incident)]
        + [disclosure_of(record) for record in _unique(p.person.record for p in parties)],
    )
    return IncidentDetail(incident, organisation_name, parties, hidden)


def _unique(records: Iterable[PersonRecord]) -> list[PersonRecord]:
    # A person in two roles is one disclosure, not two.
    seen: dict[uuid.UUID, PersonRecord] = {}
    for record in records:
        seen.setdefault(record.id, record)
    return list(seen.values())


def _page_of(
    session: Session, actor: Actor, conditions: list[ColumnElement[bool]], page: PageRequest
) -> Page[IncidentView]:
    """A page of visible incidents meeting `conditions`, newest first; reads are audited."""
    total = count_of(session, policy.visible_incidents(actor).where(*conditions))
    statement: Select[tuple[Incident, str]] = (
        queries.incidents_with_owner(actor)
        .where(*conditions)
        .order_by(Incident.occurred_at.desc(), Incident.id)
        .limit(page.page_size)
        .offset(page.offset)
    )
    items = [IncidentView(incident, name) for incident, name in session.execute(statement)]
    policy.record_disclosures(session, actor, [_disclosure(view.incident) for view in items])
    return Page(items=items, total=total, page=page.page, page_size=page.page_size)


def _london_day_start(day: date) -> datetime:
    # Users think in London days; a filter by date means the day as lived there.
    return to_utc(datetime.combine(day, time.min, tzinfo=LONDON))


def list_incidents(
    session: Session,
    *,
    actor: Actor,
    date_from: date | None = None,
    date_to: date | None = None,
    category: IncidentCategory | None = None,
    district: str | None = None,
    page: PageRequest,
) -> Page[IncidentView]:
    """Incidents the actor may see, filtered by London dates (inclusive), category, district."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidInput("date_from cannot be after date_to.")
    conditions = queries.incident_filters(
        occurred_from=None if date_from is None else _london_day_start(date_from),
        occurred_before=None if date_to is None else _london_day_start(
            date_to + timedelta(days=1)
        ),
        category=None if category is None else category.value,
        district=(district or "").strip() or None,
    )
    return _page_of(session, actor, conditions, page)


def incidents_at_place(
    session: Session, *, actor: Actor, place_id: uuid.UUID, page: PageRequest
) -> Page[IncidentView]:
    """Incidents at a place that the actor may see; hidden ones are neither listed nor counted."""
    place = places.get_place(session, actor=actor, place_id=place_id)
    return _page_of(session, actor, queries.incident_filters(place_id=place.id), page)


def recent_incidents_of_my_agency(
    session: Session, *, actor: Actor, limit: int = 10
) -> list[IncidentView]:
    """The actor's own agency's latest incidents they may see (for the home page)."""
    if actor.organisation_id is None:
        return []
    limit = max(1, min(limit, RECENT_LIMIT_MAX))
    statement = (
        queries.incidents_with_owner(actor)
        .where(*queries.incident_filters(organisation_id=actor.organisation_id))
        .order_by(Incident.occurred_at.desc(), Incident.id)
        .limit(limit)
    )
    return [IncidentView(incident, name) for incident, name in session.execute(statement)]
