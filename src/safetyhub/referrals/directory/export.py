"""Writing the directory out as HSDS 3.0: JSON service objects or CSV tables (zip or folder)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.referrals.directory.models import (
    DirectoryLocation,
    DirectoryOrganization,
    DirectoryService,
    DirectoryServiceAtLocation,
    DirectoryTaxonomyTerm,
)
from safetyhub.referrals.directory.service import split
from safetyhub.sharing import policy

COLUMNS: dict[str, tuple[str, ...]] = {
    "organizations": ("id", "name", "description", "email", "website"),
    "services": ("id", "organization_id", "name", "alternate_name", "description", "url",
                 "email", "status", "eligibility_description", "application_process"),
    "locations": ("id", "location_type", "name", "latitude", "longitude"),
    "addresses": ("id", "location_id", "address_1", "city", "postal_code", "country",
                  "address_type"),
    "service_at_locations": ("id", "service_id", "location_id"),
    "phones": ("id", "service_id", "number"),
    "service_areas": ("id", "service_id", "name"),
    "taxonomy_terms": ("id", "code", "name", "taxonomy"),
    "attributes": ("id", "link_id", "link_type", "link_entity", "taxonomy_term_id"),
}


def _tables(session: Session, actor: Actor) -> dict[str, list[dict[str, Any]]]:
    """The visible directory as HSDS tables (HSDS ids throughout)."""
    services = session.scalars(policy.visible_directory_services(actor)
                               .order_by(DirectoryService.hsds_id)).all()
    orgs = {o.id: o for o in session.scalars(select(DirectoryOrganization))}
    terms = {t.code: t for t in session.scalars(select(DirectoryTaxonomyTerm))}
    locations = {loc.id: loc for loc in session.scalars(select(DirectoryLocation))}
    by_id = {s.id: s for s in services}
    links = [ln for ln in session.scalars(select(DirectoryServiceAtLocation)
                                          .order_by(DirectoryServiceAtLocation.hsds_id))
             if ln.service_id in by_id]
    used_orgs = sorted({orgs[s.organization_id] for s in services}, key=lambda o: o.hsds_id)
    used_locations = sorted({locations[ln.location_id] for ln in links},
                            key=lambda loc: loc.hsds_id)
    used_terms = sorted({terms[c] for s in services for c in split(s.needs) if c in terms},
                        key=lambda t: t.hsds_id)
    tables: dict[str, list[dict[str, Any]]] = {
        "organizations": [{"id": o.hsds_id, "name": o.name, "description": o.description,
                           "email": o.email, "website": o.website} for o in used_orgs],
        "services": [{"id": s.hsds_id, "organization_id": orgs[s.organization_id].hsds_id,
                      **{c: getattr(s, c) for c in COLUMNS["services"][2:]}}
                     for s in services],
        "locations": [{"id": loc.hsds_id, "location_type": loc.location_type,
                       "name": loc.name, "latitude": loc.latitude,
                       "longitude": loc.longitude} for loc in used_locations],
        "addresses": [{"id": f"{loc.hsds_id}-address", "location_id": loc.hsds_id,
                       "address_1": loc.address_1, "city": loc.city,
                       "postal_code": loc.postal_code, "country": "GB",
                       "address_type": "physical"}
                      for loc in used_locations if loc.address_1 or loc.postal_code],
        "service_at_locations": [{"id": ln.hsds_id, "service_id": by_id[ln.service_id].hsds_id,
                                  "location_id": locations[ln.location_id].hsds_id}
                                 for ln in links],
        "phones": [{"id": f"{s.hsds_id}-phone-{i}", "service_id": s.hsds_id, "number": n}
                   for s in services
                   for i, n in enumerate(p for p in (s.phones or "").split("; ") if p)],
        "service_areas": [{"id": f"{s.hsds_id}-area-{i}", "service_id": s.hsds_id, "name": a}
                          for s in services for i, a in enumerate(split(s.service_areas))],
        "taxonomy_terms": [{"id": t.hsds_id, "code": t.code, "name": t.name,
                            "taxonomy": t.taxonomy} for t in used_terms],
        "attributes": [{"id": f"{s.hsds_id}-need-{terms[c].hsds_id}", "link_id": s.hsds_id,
                        "link_type": "need", "link_entity": "service",
                        "taxonomy_term_id": terms[c].hsds_id}
                       for s in services for c in split(s.needs) if c in terms],
    }
    return tables


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})
    return out.getvalue().encode("utf-8")


def csv_files(session: Session, *, actor: Actor) -> dict[str, bytes]:
    """The directory as HSDS CSV tables: file name -> content."""
    tables = _tables(session, actor)
    return {f"{name}.csv": _csv(tables[name], COLUMNS[name]) for name in COLUMNS}


def csv_zip(session: Session, *, actor: Actor) -> bytes:
    """The HSDS CSV tables in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in csv_files(session, actor=actor).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def json_services(session: Session, *, actor: Actor) -> bytes:
    """The directory as a list of HSDS 3.0 service objects with nested objects."""
    t = _tables(session, actor)
    orgs = {o["id"]: o for o in t["organizations"]}
    locations = {loc["id"]: loc for loc in t["locations"]}
    addresses = {a["location_id"]: a for a in t["addresses"]}
    terms = {term["id"]: term for term in t["taxonomy_terms"]}

    def of(table: str, key: str, service_id: str) -> list[dict[str, Any]]:
        return [r for r in t[table] if r[key] == service_id]

    services = []
    for s in t["services"]:
        sid = s["id"]
        services.append({
            **s, "organization": orgs[s["organization_id"]],
            "phones": of("phones", "service_id", sid),
            "service_areas": of("service_areas", "service_id", sid),
            "attributes": [{**a, "taxonomy_term": terms[a["taxonomy_term_id"]]}
                           for a in of("attributes", "link_id", sid)],
            "service_at_locations": [
                {**link, "location": {**locations[link["location_id"]], "addresses": (
                    [addresses[link["location_id"]]] if link["location_id"] in addresses
                    else [])}}
                for link in of("service_at_locations", "service_id", sid)
            ],
        })
    return json.dumps(services, indent=2, ensure_ascii=False).encode("utf-8")


def write(session: Session, *, actor: Actor, kind: str, out: Path) -> Path:
    """Write the export to `out`: a .json file, or a folder (or .zip) of CSV tables."""
    if kind == "json":
        out.write_bytes(json_services(session, actor=actor))
    elif out.suffix.lower() == ".zip":
        out.write_bytes(csv_zip(session, actor=actor))
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in csv_files(session, actor=actor).items():
            (out / name).write_bytes(data)
    return out
