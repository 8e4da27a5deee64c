"""Incidents and concerns recorded by an agency, with the people involved."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin
from safetyhub.sharing.vocabulary import Sensitivity


class IncidentCategory(StrEnum):
    """What kind of incident or concern: ASB types, police.uk crime types and partner concerns."""

    asb_personal = "asb_personal"
    asb_nuisance = "asb_nuisance"
    asb_environmental = "asb_environmental"
    bicycle_theft = "bicycle_theft"
    burglary = "burglary"
    criminal_damage_arson = "criminal_damage_arson"
    drugs = "drugs"
    other_theft = "other_theft"
    possession_of_weapons = "possession_of_weapons"
    public_order = "public_order"
    robbery = "robbery"
    shoplifting = "shoplifting"
    theft_from_the_person = "theft_from_the_person"
    vehicle_crime = "vehicle_crime"
    violence_and_sexual_offences = "violence_and_sexual_offences"
    other_crime = "other_crime"
    domestic_abuse = "domestic_abuse"
    mental_health_crisis = "mental_health_crisis"
    exploitation_concern = "exploitation_concern"
    welfare_concern = "welfare_concern"
    hate_incident = "hate_incident"
    missing_episode = "missing_episode"


class PartyRole(StrEnum):
    """How a person is involved in an incident."""

    victim = "victim"
    subject = "subject"
    witness = "witness"
    complainant = "complainant"


class Incident(IdMixin, CreatedMixin, Base):
    """A concern or occurrence recorded by one agency."""

    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_org_occurred", "organisation_id", "occurred_at"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    category: Mapped[str] = mapped_column(String(40), index=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    reported_at: Mapped[datetime]
    place_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("places.id"), index=True)
    district: Mapped[str | None] = mapped_column(String(100), index=True)
    narrative: Mapped[str] = mapped_column(Text, default="")
    sensitivity: Mapped[str] = mapped_column(String(20), default=Sensitivity.standard)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class IncidentParty(IdMixin, Base):
    """A person record involved in an incident, with their role."""

    __tablename__ = "incident_parties"
    __table_args__ = (UniqueConstraint("incident_id", "person_record_id", "role"),)

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    person_record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person_records.id"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
