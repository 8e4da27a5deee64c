"""Small HSDS files and counts for the directory tests."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.referrals.directory.models import (
    DirectoryLocation,
    DirectoryOrganization,
    DirectoryService,
    DirectoryServiceAtLocation,
    DirectoryTaxonomyTerm,
)

MODELS = (DirectoryOrganization, DirectoryService, DirectoryLocation, DirectoryTaxonomyTerm,
          DirectoryServiceAtLocation)


def counts(session: Session) -> tuple[int, ...]:
    """Rows in each directory table, then audit events (to prove nothing was written)."""
    return tuple(int(session.scalar(select(func.count()).select_from(m)) or 0)
                 for m in (*MODELS, AuditEvent))


def csv_bytes(header: str, *rows: str) -> bytes:
    """A CSV file's bytes from its header and rows."""
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


def small_csv(**changes: bytes | None) -> dict[str, bytes]:
    """A valid HSDS CSV set: 2 organizations, 3 services, 2 locations, 3 links, 2 needs."""
    files: dict[str, bytes] = {
        "organizations.csv": csv_bytes(
            "id,name,description,email,website",
            "org-vs,Victim Support Surrey,Support after crime,vs@vs.example,https://vs.example",
            "org-cafe,Oakleaf Wellbeing Trust,Crisis cafés,,",
        ),
        "services.csv": csv_bytes(
            "id,organization_id,name,status,description,eligibility_description",
            "svc-vs,org-vs,Victim support after crime,active,Help after crime,Anyone",
            "svc-cafe,org-cafe,Safe Haven crisis café,active,Evening drop-in,Adults 18+",
            "svc-old,org-cafe,Closed drop-in,defunct,No longer runs,",
        ),
        "locations.csv": csv_bytes(
            "id,location_type,name,latitude,longitude",
            "loc-gu,physical,Guildford Hub,51.23,-0.57",
            "loc-wk,physical,Woking Centre,51.31,-0.55",
        ),
        "addresses.csv": csv_bytes(
            "id,location_id,address_1,city,postal_code",
            "addr-gu,loc-gu,12 Ward Street,Guildford,gu1 4lh",
            "addr-wk,loc-wk,45 Chertsey Road,Woking,GU21 5AJ",
        ),
        "service_at_location.csv": csv_bytes(
            "id,service_id,location_id",
            "sal-1,svc-vs,loc-gu", "sal-2,svc-cafe,loc-wk", "sal-3,svc-old,loc-wk",
        ),
        "service_areas.csv": csv_bytes(
            "id,service_id,name",
            "a1,svc-vs,Guildford", "a2,svc-vs,Woking", "a3,svc-cafe,Woking",
        ),
        "phones.csv": csv_bytes("id,service_id,number", "p1,svc-vs,01483 000202"),
        "taxonomy_terms.csv": csv_bytes(
            "id,code,name,taxonomy",
            "t-victim,victim-support,Support after crime,Surrey CSP needs",
            "t-mh,mental-health-crisis,Mental-health crisis support,Surrey CSP needs",
        ),
        "attributes.csv": csv_bytes(
            "id,link_id,link_type,taxonomy_term_id",
            "at1,svc-vs,need,t-victim", "at2,svc-cafe,need,t-mh",
        ),
    }
    for name, data in changes.items():
        if data is None:
            files.pop(name, None)
        else:
            files[name] = data
    return files


def as_zip(files: dict[str, bytes]) -> bytes:
    """The files in one zip, as an upload."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def one_service(**changes: Any) -> dict[str, Any]:
    """One HSDS 3.0 service object with its organization and one location."""
    service: dict[str, Any] = {
        "id": "svc-1", "organization_id": "org-1", "name": "Housing advice", "status": "active",
        "description": "Advice on homelessness.",
        "organization": {"id": "org-1", "name": "Surrey Housing Advice Network",
                         "description": "Independent housing advice."},
        "service_areas": [{"id": "a1", "name": "Epsom and Ewell"}],
        "attributes": [{"id": "at1", "taxonomy_term_id": "t1", "taxonomy_term": {
            "id": "t1", "code": "housing-advice", "name": "Housing advice"}}],
        "service_at_locations": [{"id": "sal-1", "location_id": "loc-1", "location": {
            "id": "loc-1", "location_type": "physical", "name": "Epsom Advice Office",
            "addresses": [{"id": "ad1", "address_1": "30 High Street", "city": "Epsom",
                           "postal_code": "KT19 8DN"}]}}],
    }
    service.update(changes)
    return service


def json_bytes(*services: dict[str, Any]) -> bytes:
    """HSDS JSON: a list of service objects."""
    return json.dumps(list(services)).encode()
