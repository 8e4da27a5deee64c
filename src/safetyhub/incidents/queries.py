"""Incident selects, each starting from the access policy."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select

from safetyhub.auth.actor import Actor
from safetyhub.incidents.models import Incident, IncidentParty
from safetyhub.organisations.models import Organisation
from safetyhub.people.models import PersonRecord
from safetyhub.sharing import policy


def incidents_with_owner(actor: Actor) -> Select[tuple[Incident, str]]:
    """Visible incidents with the recording agency's name."""
    return (
        policy.visible_incidents(actor)
        .join(Organisation, Organisation.id == Incident.organisation_id)
        .add_columns(Organisation.name)
    )


def incident_by_id(actor: Actor, incident_id: uuid.UUID) -> Select[tuple[Incident, str]]:
    """One visible incident (with its agency's name), or no row."""
    return incidents_with_owner(actor).where(Incident.id == incident_id)


def incident_filters(
    *,
    occurred_from: datetime | None = None,
    occurred_before: datetime | None = None,
    category: str | None = None,
    district: str | None = None,
    place_id: uuid.UUID | None = None,
    organisation_id: uuid.UUID | None = None,
) -> list[ColumnElement[bool]]:
    """Conditions for listing incidents (each given filter narrows the list)."""
    conditions: list[ColumnElement[bool]] = []
    if occurred_from is not None:
        conditions.append(Incident.occurred_at >= occurred_from)
    if occurred_before is not None:
        conditions.append(Incident.occurred_at < occurred_before)
    if category is not None:
        conditions.append(Incident.category == category)
    if district is not None:
        conditions.append(func.lower(Incident.district) == district.lower())
    if place_id is not None:
        conditions.append(Incident.place_id == place_id)
    if organisation_id is not None:
        conditions.append(Incident.organisation_id == organisation_id)
    return conditions


def visible_parties(
    actor: Actor, incident_id: uuid.UUID
) -> Select[tuple[PersonRecord, str, str]]:
    """Parties of an incident whose person records the actor may see, with role and agency."""
    return (
        policy.visible_person_records(actor)
        .join(IncidentParty, IncidentParty.person_record_id == PersonRecord.id)
        .join(Organisation, Organisation.id == PersonRecord.organisation_id)
        .where(IncidentParty.incident_id == incident_id)
        .add_columns(IncidentParty.role, Organisation.name)
        .order_by(IncidentParty.role, PersonRecord.family_name, PersonRecord.given_name,
                  PersonRecord.id)
    )


def hidden_party_count(actor: Actor, incident_id: uuid.UUID) -> Select[tuple[int]]:
    """How many parties of an incident are on person records the actor may not see."""
    return (
        select(func.count(IncidentParty.id))
        .join(PersonRecord, PersonRecord.id == IncidentParty.person_record_id)
        .where(IncidentParty.incident_id == incident_id, ~policy.person_record_readable(actor))
    )


def visible_person_record_ids(
    actor: Actor, person_record_ids: list[uuid.UUID]
) -> Select[tuple[uuid.UUID]]:
    """Which of `person_record_ids` the actor may see."""
    return (
        policy.visible_person_records(actor)
        .where(PersonRecord.id.in_(person_record_ids))
        .with_only_columns(PersonRecord.id)
    )
