"""Service directory JSON API (thin: it calls the directory service)."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, UploadFile
from fastapi.responses import Response

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.errors import PayloadTooLarge, PermissionDenied
from safetyhub.referrals.directory import export, hsds, permissions, service
from safetyhub.referrals.directory.schemas import (
    ImportResult,
    PartnerMatch,
    ServicePage,
    ServiceRead,
)

router = APIRouter(tags=["directory"])
Filter = Annotated[str, Query(max_length=100)]


class ExportFormat(StrEnum):
    """HSDS JSON service objects, or a zip of HSDS CSV tables."""

    json = "json"
    csv = "csv"


@router.get("/services", response_model=ServicePage)
def search_services(
    session: DbSession, actor: CurrentActor, need: Filter = "", district: Filter = "",
    q: Filter = "", page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> ServicePage:
    """Listed services meeting a need in a district or postcode area (e.g. GU1)."""
    return service.search_services(session, actor=actor, need=need, area=district, q=q,
                                   page=page)


@router.get("/services/export")
def export_services(
    session: DbSession, actor: CurrentActor, format: ExportFormat = ExportFormat.json
) -> Response:
    """The directory as HSDS 3.0 JSON, or HSDS CSV tables in a zip."""
    if format == ExportFormat.json:
        return Response(export.json_services(session, actor=actor),
                        media_type="application/json", headers={
                            "Content-Disposition": 'attachment; filename="services.json"'})
    return Response(export.csv_zip(session, actor=actor), media_type="application/zip",
                    headers={"Content-Disposition": 'attachment; filename="services-hsds.zip"'})


@router.post("/services/import", response_model=ImportResult)
def import_services(session: DbSession, actor: CurrentActor, file: UploadFile) -> ImportResult:
    """Import an HSDS .json file or a .zip of CSV tables (partnership office; all or nothing)."""
    if not permissions.may_manage_directory(actor):
        raise PermissionDenied("Only the partnership office imports the service directory.")
    data = file.file.read(hsds.MAX_IMPORT_BYTES + 1)
    if len(data) > hsds.MAX_IMPORT_BYTES:
        raise PayloadTooLarge(
            f"A directory import is at most {hsds.MAX_IMPORT_BYTES:,} bytes.")
    tables = hsds.read_upload(file.filename or "upload", data)
    return service.import_directory(session, actor=actor, tables=tables)


@router.get("/services/{service_id}", response_model=ServiceRead)
def get_service(session: DbSession, actor: CurrentActor, service_id: uuid.UUID) -> ServiceRead:
    """One listed service with its provider, contacts, eligibility and locations."""
    return service.get_service(session, actor=actor, service_id=service_id)


@router.put("/services/{service_id}/partner", response_model=ServiceRead)
def match_partner(
    session: DbSession, actor: CurrentActor, service_id: uuid.UUID, body: PartnerMatch
) -> ServiceRead:
    """Say which partner agency provides the service (referrals then reach its inbox)."""
    service.match_partner(session, actor=actor, service_id=service_id,
                          partner_organisation_id=body.partner_organisation_id)
    return service.get_service(session, actor=actor, service_id=service_id)
