"""API shapes for the service directory."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict


class LocationRead(BaseModel):
    """Where a service is delivered."""

    hsds_id: str
    location_type: str
    name: str | None
    address_1: str | None
    city: str | None
    postal_code: str | None
    latitude: float | None
    longitude: float | None


class NeedRead(BaseModel):
    """A need a service meets (an HSDS taxonomy term)."""

    code: str
    name: str


class ServiceSummary(BaseModel):
    """A listed service as search shows it."""

    id: uuid.UUID
    hsds_id: str
    name: str
    organization_name: str
    description: str | None
    status: str
    needs: list[str]
    service_areas: list[str]


class ServiceRead(ServiceSummary):
    """A listed service with its provider, contacts, eligibility and locations."""

    alternate_name: str | None
    organization_hsds_id: str
    organization_description: str
    url: str | None
    email: str | None
    phones: list[str]
    eligibility_description: str | None
    application_process: str | None
    # The partner agency whose inbox a referral reaches; None: an external referral.
    partner_organisation_id: uuid.UUID | None
    partner_organisation_name: str | None
    locations: list[LocationRead]
    need_names: list[NeedRead]
    updated_at: datetime


class ServicePage(BaseModel):
    """One page of search results."""

    items: list[ServiceSummary]
    total: int
    page: int
    page_size: int


class ImportResult(BaseModel):
    """What one import held and what it changed."""

    model_config = ConfigDict(frozen=True)

    organizations: int
    services: int
    locations: int
    taxonomy_terms: int
    service_at_locations: int
    services_added: int
    services_updated: int
    partners_matched: int


class PartnerMatch(BaseModel):
    """Match an HSDS organization to a partner agency (or unmatch it with null)."""

    model_config = ConfigDict(extra="forbid")

    partner_organisation_id: uuid.UUID | None
