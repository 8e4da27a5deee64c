"""Referrals pages (thin: they call referrals.service, render templates/referrals/).

Answering a referral (accept, decline, complete) works as a plain form post; with HTMX the
server answers the updated referral section instead of redirecting.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import Conflict, PermissionDenied
from safetyhub.referrals import permissions, send_referral_pages, service
from safetyhub.referrals.models import ReferralState
from safetyhub.referrals.referral_page import (
    LAWFUL_BASIS_BY_VALUE,
    readable_case,
    readable_person_record,
    referral_for_permission,
)
from safetyhub.referrals.schemas import MAX_REFERRAL_TEXT, ReferralBox
from safetyhub.text import N_
from safetyhub.web.forms import (
    Csrf,
    FormErrors,
    done_message,
    is_htmx,
    list_links,
    read_text,
    required_uuid,
)
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)
router.include_router(send_referral_pages.router)

LongText = Annotated[str, Form(max_length=MAX_REFERRAL_TEXT * 2)]

DONE_MESSAGES: dict[str, str] = {
    "sent": N_("Referral sent"),
    "accepted": N_("Referral accepted"),
    "declined": N_("Referral declined"),
    "completed": N_("Referral completed"),
}
STATES = [s.value for s in ReferralState]


@router.get("/referrals")
def referral_list(
    request: Request, session: DbSession, user: SignedInUser, box: str = "inbox",
    state: str = "", page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Referrals sent to the user's agency (inbox) or by it (outbox), filtered by state."""
    chosen_box = ReferralBox.outbox if box == ReferralBox.outbox else ReferralBox.inbox
    chosen_state = ReferralState(state) if state in STATES else None
    result = service.list_referrals(session, actor=user.actor, box=chosen_box,
                                    state=chosen_state, page=page)
    params = {"box": chosen_box.value, "state": chosen_state.value if chosen_state else ""}
    return render(
        request, "referrals/list.html", user=user, result=result, box=chosen_box.value,
        state=params["state"], states=STATES,
        pagination=list_links(result, "/referrals", params),
        may_send=permissions.may_send_referral(user.actor),
    )


def referral_page(
    request: Request, session: Session, user: PageUser, referral_id: uuid.UUID, *,
    status_code: int = 200, errors: FormErrors | None = None,
    form: dict[str, Any] | None = None, done: str | None = None, fragment: bool = False,
) -> Response:
    """The referral (or, for HTMX, its section) with what the user's agency may do with it."""
    read = service.get_referral(session, actor=user.actor, referral_id=referral_id)
    row = referral_for_permission(session, user.actor, referral_id)
    return render(
        request, "referrals/_referral.html" if fragment else "referrals/referral.html",
        status_code=status_code, user=user, referral=read, errors=errors or FormErrors(),
        form=form or {}, done=done_message(DONE_MESSAGES, done), fragment=fragment,
        may_answer=permissions.may_answer_referral(user.actor, row),
        person_link=readable_person_record(session, user.actor, read.person_record_id),
        case_link=readable_case(session, user.actor, read.case_id),
        lawful_basis_labels=LAWFUL_BASIS_BY_VALUE,
    )


@router.get("/referrals/{referral_id}")
def referral_detail(
    request: Request, session: DbSession, user: SignedInUser, referral_id: str, done: str = ""
) -> Response:
    """One referral the user may see."""
    return referral_page(request, session, user, required_uuid(referral_id, "referral"),
                         done=done)


def _answered(
    request: Request, session: Session, user: PageUser, referral_id: uuid.UUID, done: str
) -> Response:
    if is_htmx(request):
        return referral_page(request, session, user, referral_id, done=done, fragment=True)
    return redirect(f"/referrals/{referral_id}?done={done}")


def _problem(
    request: Request, session: Session, user: PageUser, referral_id: uuid.UUID,
    errors: FormErrors, form: dict[str, Any],
) -> Response:
    # HTMX swaps only 2xx answers by default; the fragment itself carries the errors.
    return referral_page(request, session, user, referral_id, errors=errors, form=form,
                         status_code=200 if is_htmx(request) else 422,
                         fragment=is_htmx(request))


def _answerable(
    session: Session, user: PageUser, referral_id: str, state: ReferralState
) -> uuid.UUID:
    """The referral's id if visible (404), the user's agency answers it (403), in `state` (409)."""
    row = referral_for_permission(session, user.actor, required_uuid(referral_id, "referral"))
    if not permissions.may_answer_referral(user.actor, row):
        raise PermissionDenied(
            N_("Only practitioners and supervisors of the receiving agency answer a referral.")
        )
    if row.state != state:
        raise Conflict(N_("This referral has already been answered."))
    return row.id


@router.post("/referrals/{referral_id}/accept")
def accept(
    request: Request, session: DbSession, user: SignedInUser, referral_id: str,
    csrf_token: Csrf = "",
) -> Response:
    """Accept a referral sent to the user's agency."""
    check_csrf(user.csrf_token, csrf_token)
    rid = _answerable(session, user, referral_id, ReferralState.sent)
    service.accept_referral(session, actor=user.actor, referral_id=rid)
    return _answered(request, session, user, rid, "accepted")


@router.post("/referrals/{referral_id}/decline")
def decline(
    request: Request, session: DbSession, user: SignedInUser, referral_id: str,
    csrf_token: Csrf = "", reason: LongText = "",
) -> Response:
    """Decline a referral sent to the user's agency; the reason is required."""
    check_csrf(user.csrf_token, csrf_token)
    rid = _answerable(session, user, referral_id, ReferralState.sent)
    errors = FormErrors()
    text = read_text("decline-reason", reason, errors, max_length=MAX_REFERRAL_TEXT,
                     missing=N_("Enter why your agency is declining the referral"),
                     too_long=N_("The reason must be 5,000 characters or fewer"))
    if text is None:
        return _problem(request, session, user, rid, errors, {"reason": reason})
    service.decline_referral(session, actor=user.actor, referral_id=rid, reason=text)
    return _answered(request, session, user, rid, "declined")


@router.post("/referrals/{referral_id}/complete")
def complete(
    request: Request, session: DbSession, user: SignedInUser, referral_id: str,
    csrf_token: Csrf = "", outcome: LongText = "",
) -> Response:
    """Complete an accepted referral with its outcome."""
    check_csrf(user.csrf_token, csrf_token)
    rid = _answerable(session, user, referral_id, ReferralState.accepted)
    errors = FormErrors()
    text = read_text("outcome", outcome, errors, max_length=MAX_REFERRAL_TEXT,
                     missing=N_("Enter what your agency did"),
                     too_long=N_("The outcome must be 5,000 characters or fewer"))
    if text is None:
        return _problem(request, session, user, rid, errors, {"outcome": outcome})
    service.complete_referral(session, actor=user.actor, referral_id=rid, outcome=text)
    return _answered(request, session, user, rid, "completed")
