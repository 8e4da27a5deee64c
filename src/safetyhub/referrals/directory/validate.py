"""Checking HSDS tables and turning them into the directory's rows (all problems at once)."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field

from safetyhub.referrals.directory.hsds import ImportRejected, Problem, Row, Tables, problem
from safetyhub.referrals.directory.models import ServiceStatus
from safetyhub.text import N_

# Field lengths as the columns store them.
LIMITS = {"id": 250, "name": 250, "alternate_name": 250, "email": 254, "website": 500,
          "url": 500, "code": 100, "taxonomy": 250, "address_1": 250, "city": 100,
          "postal_code": 10, "number": 50, "description": 5000,
          "eligibility_description": 5000, "application_process": 5000}
STATUSES = {s.value for s in ServiceStatus}
LOCATION_TYPES = {"physical", "postal", "virtual"}
_WEB = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")


@dataclass
class OrganizationRow:
    """An HSDS organization as stored."""

    hsds_id: str
    name: str
    description: str
    email: str | None
    website: str | None


@dataclass
class ServiceRow:
    """An HSDS service as stored, with its needs, areas and phones."""

    hsds_id: str
    organization_id: str
    name: str
    status: str
    alternate_name: str | None = None
    description: str | None = None
    url: str | None = None
    email: str | None = None
    eligibility_description: str | None = None
    application_process: str | None = None
    needs: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


@dataclass
class LocationRow:
    """An HSDS location with its first address."""

    hsds_id: str
    location_type: str
    name: str | None
    address_1: str | None = None
    city: str | None = None
    postal_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class TermRow:
    """An HSDS taxonomy term (a need)."""

    hsds_id: str
    code: str
    name: str
    taxonomy: str | None


@dataclass
class LinkRow:
    """An HSDS service_at_location."""

    hsds_id: str
    service_id: str
    location_id: str


@dataclass
class Bundle:
    """A whole valid import, keyed by HSDS id."""

    organizations: dict[str, OrganizationRow] = field(default_factory=dict)
    services: dict[str, ServiceRow] = field(default_factory=dict)
    locations: dict[str, LocationRow] = field(default_factory=dict)
    terms: dict[str, TermRow] = field(default_factory=dict)
    links: dict[str, LinkRow] = field(default_factory=dict)


class _Checker:
    def __init__(self, tables: Tables) -> None:
        self.problems: list[Problem] = list(tables.problems)

    def problem(self, row: Row, name: str, message: str, **params: str | int) -> None:
        self.problems.append(problem(row.file, row.record, name, message, number=row.number,
                                     **params))

    def get(self, row: Row, name: str, *, required: bool = False) -> str | None:
        value = row.values.get(name)
        if value is None:
            if required:
                self.problem(row, name, N_("is required"))
            return None
        if len(value) > LIMITS.get(name, 1000):
            self.problem(row, name, N_("is longer than %(limit)s characters"),
                         limit=LIMITS.get(name, 1000))
            return None
        if "\x00" in value:
            self.problem(row, name, N_("contains a NUL character"))
            return None
        return value

    def need(self, row: Row, name: str) -> str:
        return self.get(row, name, required=True) or ""

    def web(self, row: Row, name: str) -> str | None:
        value = self.get(row, name)
        if value is not None and not _WEB.match(value):
            self.problem(row, name, N_("must be a web address starting http:// or https://"))
            return None
        return value

    def email(self, row: Row) -> str | None:
        value = self.get(row, "email")
        if value is not None and not _EMAIL.match(value):
            self.problem(row, "email", N_("is not an email address"))
            return None
        return value

    def number(self, row: Row, name: str, low: float, high: float) -> float | None:
        value = self.get(row, name)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            self.problem(row, name, N_("must be a number"))
            return None
        if not low <= number <= high:
            self.problem(row, name, N_("must be between %(low)s and %(high)s"),
                         low=f"{low:g}", high=f"{high:g}")
            return None
        return number

    def unique(self, row: Row, key: str, seen: Container[str]) -> bool:
        if key in seen:
            self.problem(row, "id", N_("repeats id %(id)s"), id=repr(key))
            return False
        return True

    def refers(self, row: Row, name: str, value: str | None, targets: Container[str],
               table: str) -> bool:
        if value is not None and value not in targets:
            self.problem(row, name, N_("refers to %(value)s, which is not in %(table)s"),
                         value=repr(value), table=table)
            return False
        return value is not None


def _organizations(c: _Checker, tables: Tables, bundle: Bundle) -> None:
    for row in tables.rows["organizations"]:
        hsds_id = c.need(row, "id")
        org = OrganizationRow(hsds_id, c.need(row, "name"), c.need(row, "description"),
                              c.email(row), c.web(row, "website"))
        if hsds_id and c.unique(row, hsds_id, bundle.organizations):
            bundle.organizations[hsds_id] = org


def _services(c: _Checker, tables: Tables, bundle: Bundle) -> None:
    for row in tables.rows["services"]:
        hsds_id, status = c.need(row, "id"), c.need(row, "status")
        if status and status not in STATUSES:
            c.problem(row, "status", N_("must be one of %(choices)s"),
                      choices=", ".join(sorted(STATUSES)))
        org_id = c.get(row, "organization_id", required=True)
        c.refers(row, "organization_id", org_id, bundle.organizations, "organizations")
        service = ServiceRow(
            hsds_id, org_id or "", c.need(row, "name"), status, c.get(row, "alternate_name"),
            c.get(row, "description"), c.web(row, "url"), c.email(row),
            c.get(row, "eligibility_description"), c.get(row, "application_process"),
        )
        if hsds_id and c.unique(row, hsds_id, bundle.services):
            bundle.services[hsds_id] = service


def _locations(c: _Checker, tables: Tables, bundle: Bundle) -> None:
    for row in tables.rows["locations"]:
        hsds_id = c.need(row, "id")
        kind = c.get(row, "location_type") or "physical"
        if kind not in LOCATION_TYPES:
            c.problem(row, "location_type", N_("must be physical, postal or virtual"))
        location = LocationRow(hsds_id, kind, c.get(row, "name"),
                               latitude=c.number(row, "latitude", -90, 90),
                               longitude=c.number(row, "longitude", -180, 180))
        if hsds_id and c.unique(row, hsds_id, bundle.locations):
            bundle.locations[hsds_id] = location
    for row in tables.rows["addresses"]:
        location_id = c.get(row, "location_id", required=True)
        if c.refers(row, "location_id", location_id, bundle.locations, "locations"):
            found = bundle.locations[location_id or ""]
            if found.address_1 is None and found.postal_code is None:  # the first address
                found.address_1, found.city = c.get(row, "address_1"), c.get(row, "city")
                postcode = c.get(row, "postal_code")
                found.postal_code = " ".join(postcode.upper().split()) if postcode else None


def _service_details(c: _Checker, tables: Tables, bundle: Bundle) -> None:
    for row in tables.rows["taxonomy_terms"]:
        hsds_id = c.need(row, "id")
        code = (c.get(row, "code") or hsds_id).replace("|", " ")
        term = TermRow(hsds_id, code, c.need(row, "name"),
                       c.get(row, "taxonomy"))
        if hsds_id and c.unique(row, hsds_id, bundle.terms):
            bundle.terms[hsds_id] = term
    codes = [t.code for t in bundle.terms.values()]
    if len(set(codes)) != len(codes):
        c.problems.append(problem("taxonomy_terms", "-", "code", N_("two terms share a code")))
    services = bundle.services
    for row in tables.rows["attributes"]:
        service_id = c.get(row, "link_id", required=True)
        term_id = c.get(row, "taxonomy_term_id", required=True)
        if (c.refers(row, "link_id", service_id, services, "services")
                and c.refers(row, "taxonomy_term_id", term_id, bundle.terms,
                             "taxonomy_terms")):
            needs = bundle.services[service_id or ""].needs
            code = bundle.terms[term_id or ""].code
            needs.extend([code] if code not in needs else [])
    for row in tables.rows["service_areas"]:
        service_id, name = c.get(row, "service_id", required=True), c.need(row, "name")
        if c.refers(row, "service_id", service_id, services, "services") and name:
            bundle.services[service_id or ""].areas.append(name.replace("|", " "))
    for row in tables.rows["phones"]:
        service_id, number = c.get(row, "service_id"), c.need(row, "number")
        if service_id is not None and c.refers(row, "service_id", service_id, services,
                                               "services") and number:
            bundle.services[service_id].phones.append(number)
    seen: set[str] = set()
    for row in tables.rows["service_at_locations"]:
        hsds_id = c.need(row, "id")
        service_id = c.get(row, "service_id", required=True)
        location_id = c.get(row, "location_id", required=True)
        ok = c.refers(row, "service_id", service_id, services, "services")
        ok = c.refers(row, "location_id", location_id, bundle.locations,
                      "locations") and ok
        if hsds_id and c.unique(row, hsds_id, seen) and ok:
            seen.add(hsds_id)
            bundle.links[hsds_id] = LinkRow(hsds_id, service_id or "", location_id or "")


def validate(tables: Tables) -> Bundle:
    """The import as rows to store, or ImportRejected listing every problem."""
    checker, bundle = _Checker(tables), Bundle()
    if not checker.problems:
        _organizations(checker, tables, bundle)
        _services(checker, tables, bundle)
        _locations(checker, tables, bundle)
        _service_details(checker, tables, bundle)
        for service in bundle.services.values():
            if len("|".join(service.needs)) > 900 or len("|".join(service.areas)) > 900:
                checker.problems.append(problem("services", service.hsds_id, "-",
                                                N_("has too many needs or service areas")))
            if len("; ".join(service.phones)) > 500:
                checker.problems.append(problem(
                    "phones", service.hsds_id, "number",
                    N_("too many phone numbers for one service")))
    if checker.problems:
        raise ImportRejected(checker.problems)
    return bundle
