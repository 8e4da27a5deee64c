"""Service directory pages: search by need and area, a service, import (partnership office)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import InvalidInput, PayloadTooLarge, PermissionDenied
from safetyhub.organisations.service import list_organisations
from safetyhub.referrals import permissions as referral_permissions
from safetyhub.referrals.directory import hsds, permissions, service
from safetyhub.referrals.directory.hsds import ImportRejected, Problem
from safetyhub.text import N_
from safetyhub.web.forms import Csrf, FormErrors, Small, list_links, required_uuid
from safetyhub.web.rendering import redirect, render, translate
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)
Filter = Annotated[str, Query(max_length=100)]
DONE = {"matched": N_("Partner agency saved")}


@router.get("/services")
def search(
    request: Request, session: DbSession, user: SignedInUser, need: Filter = "",
    district: Filter = "", q: Filter = "", page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Search the directory by need, district or postcode area, and words."""
    result = service.search_services(session, actor=user.actor, need=need, area=district, q=q,
                                     page=page)
    params = {"need": need, "district": district, "q": q}
    return render(
        request, "directory/search.html", user=user, result=result, params=params,
        needs=[(n.code, n.name) for n in service.list_needs(session, actor=user.actor)],
        areas=service.list_areas(session, actor=user.actor),
        searched=any(params.values()), pagination=list_links(result, "/services", params),
        may_manage=permissions.may_manage_directory(user.actor),
    )


def _require_manager(user: PageUser) -> None:
    if not permissions.may_manage_directory(user.actor):
        raise PermissionDenied(N_("Only the partnership office imports the service directory."))


def _import_page(request: Request, user: PageUser, *, status_code: int = 200,
                 errors: FormErrors | None = None, problems: list[Problem] | None = None,
                 result: object = None) -> Response:
    shown = [{"file": p.file, "record": where, "field": p.field, "problem": what}
             for p in problems or []
             for where, what in [p.in_words(lambda message: translate(request, message))]]
    return render(request, "directory/import.html", status_code=status_code, user=user,
                  errors=errors or FormErrors(), problems=shown, result=result,
                  max_mb=hsds.MAX_IMPORT_BYTES // (1024 * 1024))


@router.get("/services/import")
def import_form(request: Request, user: SignedInUser) -> Response:
    """The partnership office uploads an HSDS file."""
    _require_manager(user)
    return _import_page(request, user)


@router.post("/services/import")
def import_upload(
    request: Request, session: DbSession, user: SignedInUser, csrf_token: Csrf = "",
    file: UploadFile | None = None,
) -> Response:
    """Import the uploaded HSDS file, all or nothing; show every problem if refused."""
    check_csrf(user.csrf_token, csrf_token)
    _require_manager(user)
    errors = FormErrors()
    if file is None or not file.filename:
        errors.add("file", N_("Choose an HSDS .json file or a .zip of HSDS CSV tables"))
        return _import_page(request, user, status_code=422, errors=errors)
    try:
        data = file.file.read(hsds.MAX_IMPORT_BYTES + 1)
        if len(data) > hsds.MAX_IMPORT_BYTES:
            raise PayloadTooLarge("too large")
        tables = hsds.read_upload(file.filename, data)
        result = service.import_directory(session, actor=user.actor, tables=tables)
    except ImportRejected as refused:
        errors.add("file", N_("The file was not imported: correct the problems listed"))
        return _import_page(request, user, status_code=422, errors=errors,
                            problems=refused.problems)
    except PayloadTooLarge:
        errors.add("file", N_("The file must be smaller than %(size)s MB"),
                   size=hsds.MAX_IMPORT_BYTES // (1024 * 1024))
        return _import_page(request, user, status_code=422, errors=errors)
    except InvalidInput:
        errors.add("file", N_("Choose an HSDS .json file or a .zip of HSDS CSV tables"))
        return _import_page(request, user, status_code=422, errors=errors)
    return _import_page(request, user, result=result)


def _service_page(request: Request, session: Session, user: PageUser, service_id: uuid.UUID,
                  done: str = "") -> Response:
    listed = service.get_service(session, actor=user.actor, service_id=service_id)
    manager = permissions.may_manage_directory(user.actor)
    return render(
        request, "directory/service.html", user=user, service=listed,
        may_refer=referral_permissions.may_send_referral(user.actor)
        and listed.status not in service.NOT_REFERRABLE,
        may_manage=manager, done=DONE.get(done),
        partners=[(org.id, org.name) for org in list_organisations(session)] if manager else [],
    )


@router.get("/services/{service_id}")
def service_detail(
    request: Request, session: DbSession, user: SignedInUser, service_id: str, done: str = ""
) -> Response:
    """One listed service: what it offers, to whom, where, and how to refer."""
    return _service_page(request, session, user, required_uuid(service_id, "service"), done)


@router.post("/services/{service_id}/partner")
def match_partner(
    request: Request, session: DbSession, user: SignedInUser, service_id: str,
    csrf_token: Csrf = "", partner_organisation_id: Small = "",
) -> Response:
    """Save which partner agency provides the service (none: referrals are external)."""
    check_csrf(user.csrf_token, csrf_token)
    sid = required_uuid(service_id, "service")
    partner = (required_uuid(partner_organisation_id, "organisation")
               if partner_organisation_id else None)
    service.match_partner(session, actor=user.actor, service_id=sid,
                          partner_organisation_id=partner)
    return redirect(f"/services/{sid}?done=matched")
