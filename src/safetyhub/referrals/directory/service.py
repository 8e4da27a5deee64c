"""Directory verbs (import, match a partner) and reads (search, one service, referral target).

An import is all or nothing: the whole file is read and validated before anything is written,
and re-importing the same file changes nothing (rows are matched by their HSDS id).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.errors import InvalidInput, NotFound, PermissionDenied
from safetyhub.organisations.models import Organisation
from safetyhub.referrals.directory import permissions
from safetyhub.referrals.directory.hsds import ImportRejected, Tables, problem
from safetyhub.referrals.directory.models import (
    SEPARATOR,
    DirectoryLocation,
    DirectoryOrganization,
    DirectoryService,
    DirectoryServiceAtLocation,
    DirectoryTaxonomyTerm,
    ServiceStatus,
)
from safetyhub.referrals.directory.schemas import (
    ImportResult,
    LocationRead,
    NeedRead,
    ServicePage,
    ServiceRead,
    ServiceSummary,
)
from safetyhub.referrals.directory.validate import Bundle, validate
from safetyhub.sharing import policy
from safetyhub.text import N_
from safetyhub.timeutil import utcnow

PAGE_SIZE = 20
# "GU1", "GU21", "KT" or "RH10": a postcode district or area rather than a district's name.
_POSTCODE_AREA = re.compile(r"^[A-Z]{1,2}([0-9][0-9A-Z]?)?$")
# Services that no longer run are kept (old referrals point at them) but not offered.
NOT_REFERRABLE = {ServiceStatus.defunct.value, ServiceStatus.inactive.value}
Model = TypeVar("Model", DirectoryOrganization, DirectoryService, DirectoryLocation,
                DirectoryTaxonomyTerm, DirectoryServiceAtLocation)


def joined(values: Iterable[str]) -> str:
    """Store a list as "|a|b|" so a LIKE finds one exact member."""
    return SEPARATOR + "".join(f"{v}{SEPARATOR}" for v in values)


def split(value: str) -> list[str]:
    """The list stored by `joined`."""
    return [v for v in value.split(SEPARATOR) if v]


def _existing(session: Session, model: type[Model]) -> dict[str, Model]:
    return {row.hsds_id: row for row in session.scalars(select(model))}


def _update(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _check_term_codes(session: Session, bundle: Bundle) -> None:
    taken = {code: hsds_id for hsds_id, code in session.execute(
        select(DirectoryTaxonomyTerm.hsds_id, DirectoryTaxonomyTerm.code))}
    problems = [problem("taxonomy_terms", term.hsds_id, "code",
                        N_("%(code)s is already the code of term %(term)s"),
                        code=repr(term.code), term=repr(taken[term.code]))
                for term in bundle.terms.values()
                if term.code in taken and taken[term.code] != term.hsds_id]
    if problems:
        raise ImportRejected(problems)


def _store(session: Session, bundle: Bundle) -> tuple[int, int, int]:
    """Upsert every row by HSDS id; returns services added, updated and partners matched."""
    partners = {name.lower(): org_id for org_id, name in
                session.execute(select(Organisation.id, Organisation.name))}
    orgs, matched = _existing(session, DirectoryOrganization), 0
    for o in bundle.organizations.values():
        org = orgs.get(o.hsds_id) or DirectoryOrganization(id=uuid.uuid4(), hsds_id=o.hsds_id)
        if o.hsds_id not in orgs:
            # A listed organization that is a partner agency gets referrals in its inbox.
            org.partner_organisation_id = partners.get(o.name.lower())
            matched += org.partner_organisation_id is not None
            session.add(org)
            orgs[o.hsds_id] = org
        if _update(org, {"name": o.name, "description": o.description, "email": o.email,
                         "website": o.website}):
            org.updated_at = utcnow()
    terms = _existing(session, DirectoryTaxonomyTerm)
    for t in bundle.terms.values():
        term = terms.get(t.hsds_id) or DirectoryTaxonomyTerm(id=uuid.uuid4(), hsds_id=t.hsds_id)
        _update(term, {"code": t.code, "name": t.name, "taxonomy": t.taxonomy})
        session.add(term)
    locations = _existing(session, DirectoryLocation)
    for loc in bundle.locations.values():
        location = locations.get(loc.hsds_id) or DirectoryLocation(id=uuid.uuid4(),
                                                                    hsds_id=loc.hsds_id)
        _update(location, {k: getattr(loc, k) for k in (
            "location_type", "name", "address_1", "city", "postal_code", "latitude",
            "longitude")})
        session.add(location)
        locations[loc.hsds_id] = location
    session.flush()
    services, added, updated = _existing(session, DirectoryService), 0, 0
    for s in bundle.services.values():
        service = services.get(s.hsds_id)
        is_new = service is None
        if service is None:
            service = DirectoryService(id=uuid.uuid4(), hsds_id=s.hsds_id)
            session.add(service)
            services[s.hsds_id] = service
            added += 1
        values = {k: getattr(s, k) for k in (
            "name", "alternate_name", "description", "url", "email", "status",
            "eligibility_description", "application_process")}
        values.update(organization_id=orgs[s.organization_id].id, needs=joined(s.needs),
                      service_areas=joined(s.areas), phones="; ".join(s.phones) or None)
        if _update(service, values):
            service.updated_at = utcnow()
            updated += not is_new
    session.flush()
    links = _existing(session, DirectoryServiceAtLocation)
    imported_services = {services[h].id for h in bundle.services}
    for link in links.values():  # the file says where its services are now
        if link.service_id in imported_services and link.hsds_id not in bundle.links:
            session.delete(link)
    for ln in bundle.links.values():
        row = links.get(ln.hsds_id) or DirectoryServiceAtLocation(id=uuid.uuid4(),
                                                                   hsds_id=ln.hsds_id)
        _update(row, {"service_id": services[ln.service_id].id,
                      "location_id": locations[ln.location_id].id})
        session.add(row)
    session.flush()
    return added, updated, matched


def import_directory(session: Session, *, actor: Actor, tables: Tables) -> ImportResult:
    """Import HSDS tables: validate everything, then add or update by HSDS id (all or nothing)."""
    if not permissions.may_manage_directory(actor):
        raise PermissionDenied("Only the partnership office imports the service directory.")
    bundle = validate(tables)
    _check_term_codes(session, bundle)
    added, updated, matched = _store(session, bundle)
    result = ImportResult(
        organizations=len(bundle.organizations), services=len(bundle.services),
        locations=len(bundle.locations), taxonomy_terms=len(bundle.terms),
        service_at_locations=len(bundle.links), services_added=added,
        services_updated=updated, partners_matched=matched,
    )
    audit.record(session, actor=actor, action="import_service_directory",
                 object_type="service_directory", object_id=None,
                 owner_organisation_id=actor.organisation_id, after=result.model_dump())
    return result


def match_partner(
    session: Session, *, actor: Actor, service_id: uuid.UUID,
    partner_organisation_id: uuid.UUID | None,
) -> DirectoryOrganization:
    """Say which partner agency runs a listed service's organization (None: not a partner)."""
    if not permissions.may_manage_directory(actor):
        raise PermissionDenied("Only the partnership office edits the service directory.")
    service = _visible(session, actor, service_id)
    if partner_organisation_id is not None and session.get(
            Organisation, partner_organisation_id) is None:
        raise NotFound("No organisation with that id.")
    org = session.get_one(DirectoryOrganization, service.organization_id)
    before = {"partner_organisation_id": org.partner_organisation_id}
    org.partner_organisation_id = partner_organisation_id
    org.updated_at = utcnow()
    session.flush()
    audit.record(session, actor=actor, action="match_directory_partner",
                 object_type="directory_organization", object_id=org.id,
                 owner_organisation_id=actor.organisation_id, before=before,
                 after={"partner_organisation_id": partner_organisation_id})
    return org


# Reads: the directory is not personal data, but reads still start from the policy.


def _visible(session: Session, actor: Actor, service_id: uuid.UUID) -> DirectoryService:
    return policy.get_visible(
        session, policy.visible_directory_services(actor).where(DirectoryService.id == service_id),
        "service",
    )


def _contains(column: Any, value: str) -> ColumnElement[bool]:
    return func.lower(column).contains(value.lower(), autoescape=True)


def _in_area(area: str) -> ColumnElement[bool]:
    """A district named in the service areas, or a postcode area/district of a location."""
    compact = area.strip().upper().replace(" ", "")
    if _POSTCODE_AREA.match(compact):
        prefix = compact + " " if any(ch.isdigit() for ch in compact) else compact
        at = exists().where(
            DirectoryServiceAtLocation.service_id == DirectoryService.id,
            DirectoryLocation.id == DirectoryServiceAtLocation.location_id,
            DirectoryLocation.postal_code.startswith(prefix, autoescape=True),
        )
        return or_(at, _contains(DirectoryService.service_areas, joined([area.strip()])))
    return _contains(DirectoryService.service_areas, joined([area.strip()]))


def search_services(
    session: Session, *, actor: Actor, need: str = "", area: str = "", q: str = "",
    page: int = 1, page_size: int = PAGE_SIZE,
) -> ServicePage:
    """Listed services meeting a need in an area (district or postcode area), by name."""
    if page < 1 or not 1 <= page_size <= 100:
        raise InvalidInput("page must be 1 or more and page_size between 1 and 100.")
    statement = (
        policy.visible_directory_services(actor)
        .add_columns(DirectoryOrganization.name)
        .join(DirectoryOrganization, DirectoryOrganization.id == DirectoryService.organization_id)
        .where(DirectoryService.status.not_in(NOT_REFERRABLE))
    )
    if need.strip():
        statement = statement.where(_contains(DirectoryService.needs, joined([need.strip()])))
    if area.strip():
        statement = statement.where(_in_area(area))
    if q.strip():
        statement = statement.where(or_(
            _contains(DirectoryService.name, q.strip()),
            _contains(DirectoryService.description, q.strip()),
            _contains(DirectoryOrganization.name, q.strip()),
        ))
    total = int(session.scalar(select(func.count()).select_from(
        statement.order_by(None).subquery())) or 0)
    rows = session.execute(statement.order_by(DirectoryService.name, DirectoryService.id)
                           .limit(page_size).offset((page - 1) * page_size)).all()
    return ServicePage(items=[_summary(s, name) for s, name in rows], total=total, page=page,
                       page_size=page_size)


def _summary(service: DirectoryService, organization_name: str) -> ServiceSummary:
    return ServiceSummary(
        id=service.id, hsds_id=service.hsds_id, name=service.name,
        organization_name=organization_name, description=service.description,
        status=service.status, needs=split(service.needs),
        service_areas=split(service.service_areas),
    )


def get_service(session: Session, *, actor: Actor, service_id: uuid.UUID) -> ServiceRead:
    """One listed service with its provider, partner agency and locations."""
    service = _visible(session, actor, service_id)
    org = session.get_one(DirectoryOrganization, service.organization_id)
    partner = (session.get(Organisation, org.partner_organisation_id)
               if org.partner_organisation_id else None)
    locations = session.scalars(
        select(DirectoryLocation).join(
            DirectoryServiceAtLocation,
            DirectoryServiceAtLocation.location_id == DirectoryLocation.id,
        ).where(DirectoryServiceAtLocation.service_id == service.id)
        .order_by(DirectoryLocation.name, DirectoryLocation.hsds_id)
    ).all()
    codes = split(service.needs)
    names = dict(session.execute(select(DirectoryTaxonomyTerm.code, DirectoryTaxonomyTerm.name)
                                 .where(DirectoryTaxonomyTerm.code.in_(codes))).tuples().all())
    return ServiceRead(
        **_summary(service, org.name).model_dump(), alternate_name=service.alternate_name,
        organization_hsds_id=org.hsds_id, organization_description=org.description,
        url=service.url, email=service.email,
        phones=[p for p in (service.phones or "").split("; ") if p],
        eligibility_description=service.eligibility_description,
        application_process=service.application_process,
        partner_organisation_id=partner.id if partner else None,
        partner_organisation_name=partner.name if partner else None,
        locations=[LocationRead.model_validate(loc, from_attributes=True) for loc in locations],
        need_names=[NeedRead(code=c, name=names.get(c, c)) for c in codes],
        updated_at=service.updated_at,
    )


def list_needs(session: Session, *, actor: Actor) -> list[NeedRead]:
    """Every need the directory knows, by name (for the search form)."""
    if not permissions.may_read_directory(actor):
        return []
    return [NeedRead(code=t.code, name=t.name) for t in session.scalars(
        select(DirectoryTaxonomyTerm).order_by(DirectoryTaxonomyTerm.name))]


def list_areas(session: Session, *, actor: Actor) -> list[str]:
    """Every district some listed service serves, alphabetically (for the search form)."""
    areas: set[str] = set()
    for value in session.scalars(policy.visible_directory_services(actor)
                                 .with_only_columns(DirectoryService.service_areas)):
        areas.update(split(value))
    return sorted(areas)


def referral_target(
    session: Session, *, actor: Actor, service_id: uuid.UUID
) -> tuple[DirectoryService, uuid.UUID | None]:
    """The service a referral is for and its partner agency (None: outside the hub)."""
    service = _visible(session, actor, service_id)
    if service.status in NOT_REFERRABLE:
        raise InvalidInput("This service is not taking referrals (it is not active).")
    org = session.get_one(DirectoryOrganization, service.organization_id)
    return service, org.partner_organisation_id
