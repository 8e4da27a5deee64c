"""The public appeal against a "threshold not met" decision: reference, postcode and grounds."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from safetyhub.auth.dependencies import DbSession
from safetyhub.casereview import service, throttle
from safetyhub.casereview.apply_pages import CSRF_COOKIE, PATH, public_page
from safetyhub.casereview.schemas import MAX_REASONS, POSTCODE_PATTERN, AppealCreate
from safetyhub.errors import NotFound
from safetyhub.text import N_
from safetyhub.web.forms import FormErrors, read_text
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import check_csrf

router = APIRouter(include_in_schema=False)


@router.get(f"{PATH}/appeal")
def appeal_form(request: Request) -> Response:
    """Ask for the reference, the postcode and the grounds of the appeal."""
    return public_page(request, "casereview/appeal.html", values={}, errors=FormErrors())


@router.post(f"{PATH}/appeal")
def appeal(
    request: Request, session: DbSession,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    reference: Annotated[str, Form(max_length=100)] = "",
    postcode: Annotated[str, Form(max_length=100)] = "",
    grounds: Annotated[str, Form(max_length=4 * MAX_REASONS)] = "",
) -> Response:
    """Lodge the appeal; the same message for any reference and postcode that do not match."""
    check_csrf(request.cookies.get(CSRF_COOKIE), csrf_token)
    errors = FormErrors()
    ref = read_text("reference", reference, errors, max_length=20,
                    missing=N_("Enter your reference, like CR-7KX2M9QD"))
    code = read_text("postcode", postcode, errors, max_length=10,
                     missing=N_("Enter the postcode"))
    if code and not re.match(POSTCODE_PATTERN, code):
        errors.add("postcode", N_("Enter a real postcode, like GU1 4RR"))
    text = read_text("grounds", grounds, errors, max_length=MAX_REASONS,
                     missing=N_("Tell us why you disagree with the decision"))
    values = {"reference": reference, "postcode": postcode, "grounds": grounds}
    if errors or ref is None or code is None or text is None:
        return public_page(request, "casereview/appeal.html", status_code=422, values=values,
                           errors=errors)
    throttle.admit_public_submission(session, form="appeal",
                                     client_address=throttle.client_address(request))
    try:
        service.lodge_appeal(session, appeal=AppealCreate(
            reference=ref, victim_postcode=code, grounds=text))
    except NotFound:
        errors.add("reference", service.NO_APPEALABLE_DECISION)
        return public_page(request, "casereview/appeal.html", status_code=422, values=values,
                           errors=errors)
    return redirect(f"{PATH}/appeal/sent")


@router.get(f"{PATH}/appeal/sent")
def appeal_sent(request: Request) -> Response:
    """The appeal was lodged."""
    return render(request, "casereview/appeal_sent.html")
