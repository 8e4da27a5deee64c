"""The service directory in Open Referral HSDS 3.0 terms (a subset): not personal data."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin
from safetyhub.timeutil import utcnow

# Needs and areas are stored as "|a|b|" so that one LIKE '%|a|%' finds an exact member on both
# databases without a join (the directory is small: hundreds of services per county).
SEPARATOR = "|"


class ServiceStatus(StrEnum):
    """HSDS service status codelist."""

    active = "active"
    inactive = "inactive"
    defunct = "defunct"
    temporarily_closed = "temporarily closed"


class DirectoryOrganization(IdMixin, CreatedMixin, Base):
    """An HSDS organization; matched to a partner agency when it is one."""

    __tablename__ = "directory_organizations"

    hsds_id: Mapped[str] = mapped_column(String(250), unique=True)
    name: Mapped[str] = mapped_column(String(250))
    description: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(500))
    # The partner agency this organization is (referrals to its services go to its inbox).
    partner_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DirectoryService(IdMixin, CreatedMixin, Base):
    """An HSDS service with what search needs: needs, areas, phones and eligibility."""

    __tablename__ = "directory_services"

    hsds_id: Mapped[str] = mapped_column(String(250), unique=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("directory_organizations.id"), index=True
    )
    name: Mapped[str] = mapped_column(String(250), index=True)
    alternate_name: Mapped[str | None] = mapped_column(String(250))
    description: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(30), default=ServiceStatus.active)
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    application_process: Mapped[str | None] = mapped_column(Text)
    # "|code|code|" of taxonomy terms (HSDS attributes) and "|District|District|" served.
    needs: Mapped[str] = mapped_column(String(1000), default=SEPARATOR)
    service_areas: Mapped[str] = mapped_column(String(1000), default=SEPARATOR)
    phones: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DirectoryTaxonomyTerm(IdMixin, Base):
    """An HSDS taxonomy term: a need a service meets (e.g. domestic-abuse)."""

    __tablename__ = "directory_taxonomy_terms"

    hsds_id: Mapped[str] = mapped_column(String(250), unique=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(250))
    taxonomy: Mapped[str | None] = mapped_column(String(250))


class DirectoryLocation(IdMixin, CreatedMixin, Base):
    """An HSDS location (a physical place or a virtual one) with its one address."""

    __tablename__ = "directory_locations"

    hsds_id: Mapped[str] = mapped_column(String(250), unique=True)
    location_type: Mapped[str] = mapped_column(String(20), default="physical")
    name: Mapped[str | None] = mapped_column(String(250))
    address_1: Mapped[str | None] = mapped_column(String(250))
    city: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(10), index=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]


class DirectoryServiceAtLocation(IdMixin, Base):
    """HSDS service_at_location: a service delivered at a location."""

    __tablename__ = "directory_service_at_locations"

    hsds_id: Mapped[str] = mapped_column(String(250), unique=True)
    service_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("directory_services.id"), index=True
    )
    location_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("directory_locations.id"), index=True
    )
