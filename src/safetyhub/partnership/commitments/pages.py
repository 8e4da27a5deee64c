"""Commitments pages (thin: they call the service, render templates/partnership/commitments/)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import InvalidInput, PermissionDenied
from safetyhub.organisations.models import Organisation
from safetyhub.partnership.commitments import permissions, reads, service
from safetyhub.partnership.commitments.models import Commitment, CommitmentStatus
from safetyhub.partnership.commitments.priority_pages import router as priority_router
from safetyhub.partnership.commitments.report_pdf import progress_pdf
from safetyhub.partnership.commitments.schemas import MAX_COMMITMENT, MAX_EVIDENCE
from safetyhub.sharing import policy
from safetyhub.text import N_
from safetyhub.web import i18n
from safetyhub.web.forms import (
    Csrf,
    DateQuestion,
    FormErrors,
    Small,
    done_message,
    parse_uuid,
    read_date,
    read_text,
    required_uuid,
)
from safetyhub.web.rendering import harden, redirect, render
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=MAX_EVIDENCE * 2)]
DueDay = Annotated[str, Form(alias="due-day", max_length=10)]
DueMonth = Annotated[str, Form(alias="due-month", max_length=10)]
DueYear = Annotated[str, Form(alias="due-year", max_length=10)]
BASE = "/partnership/commitments"
STATUS_LABELS = {"not_started": N_("Not started"), "on_track": N_("On track"),
                 "at_risk": N_("At risk"), "done": N_("Done"), "dropped": N_("Dropped")}
DONE_MESSAGES = {"created": N_("Commitment recorded"), "status": N_("Status updated"),
                 "progress": N_("Progress added")}


def _organisations(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name))
    return [(str(org_id), name) for org_id, name in rows]


def _priorities(session: Session, user: PageUser) -> list[tuple[str, str]]:
    return [(str(p.id), p.name) for p in reads.list_priorities(session, actor=user.actor)]


@router.get(BASE)
def commitment_list(request: Request, session: DbSession, user: SignedInUser,
                    priority: str = "", organisation: str = "", overdue: str = "",
                    decision: str = "") -> Response:
    """Commitments, filtered by priority and organisation, overdue ones highlighted."""
    items = reads.list_commitments(
        session, actor=user.actor, priority_id=parse_uuid(priority),
        organisation_id=parse_uuid(organisation), overdue_only=overdue == "1",
        decision_id=parse_uuid(decision),
    )
    return render(request, "partnership/commitments/list.html", user=user, items=items,
                  priorities=_priorities(session, user), organisations=_organisations(session),
                  filters={"priority": priority, "organisation": organisation,
                           "overdue": overdue, "decision": decision},
                  labels=STATUS_LABELS, may_manage=permissions.may_manage_commitments(user.actor))


def _new_page(request: Request, session: Session, user: PageUser, form: dict[str, Any],
              errors: FormErrors, status_code: int = 200) -> Response:
    return render(request, "partnership/commitments/new.html", status_code=status_code,
                  user=user, form=form, errors=errors, organisations=_organisations(session),
                  priorities=_priorities(session, user))


@router.get(BASE + "/new")
def new_commitment(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """The form to record a commitment (the partnership office)."""
    if not permissions.may_manage_commitments(user.actor):
        raise PermissionDenied(N_("Only the partnership office records commitments."))
    return _new_page(request, session, user, {}, FormErrors())


@router.post(BASE + "/new")
def make_commitment(
    request: Request, session: DbSession, user: SignedInUser, csrf_token: Csrf = "",
    organisation: Small = "", priority: Small = "", text: Text = "",
    due_day: DueDay = "", due_month: DueMonth = "", due_year: DueYear = "",
) -> Response:
    """Record the commitment, or show what to fix."""
    check_csrf(user.csrf_token, csrf_token)
    if not permissions.may_manage_commitments(user.actor):
        raise PermissionDenied(N_("Only the partnership office records commitments."))
    errors = FormErrors()
    org_id, priority_id = parse_uuid(organisation), parse_uuid(priority)
    if org_id is None:
        errors.add("organisation", N_("Select the organisation making the commitment"))
    if priority_id is None:
        errors.add("priority", N_("Select the priority"))
    words = read_text("text", text, errors, max_length=MAX_COMMITMENT,
                      missing=N_("Enter the commitment"))
    due_on = read_date("due", due_day, due_month, due_year, errors,
                       DateQuestion(missing=N_("Enter the date the commitment is due")))
    if errors or org_id is None or priority_id is None or words is None or due_on is None:
        form = {"organisation": organisation, "priority": priority, "text": text,
                "due-day": due_day, "due-month": due_month, "due-year": due_year}
        return _new_page(request, session, user, form, errors, status_code=422)
    commitment = service.make_commitment(session, actor=user.actor, organisation_id=org_id,
                                         priority_id=priority_id, text=words, due_on=due_on)
    return redirect(f"{BASE}/{commitment.id}?done=created")


@router.get("/partnership/progress")
def progress(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """Progress per priority and per organisation, overdue commitments highlighted."""
    return render(request, "partnership/commitments/progress.html", user=user,
                  report=reads.progress_report(session, actor=user.actor), labels=STATUS_LABELS,
                  printable=False)


@router.get("/partnership/progress/report")
def progress_report(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """The progress report, print-friendly (a print stylesheet), with a link to the PDF."""
    return render(request, "partnership/commitments/report.html", user=user,
                  report=reads.progress_report(session, actor=user.actor), labels=STATUS_LABELS,
                  items=reads.list_commitments(session, actor=user.actor))


@router.get("/partnership/progress/report.pdf")
def progress_report_pdf(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """The progress report as a PDF download, in the reader's language."""
    report = reads.progress_report(session, actor=user.actor)
    content = progress_pdf(report, reads.list_commitments(session, actor=user.actor),
                           STATUS_LABELS, locale=i18n.locale_from_request(request))
    name = f"progress-report-{report.today.isoformat()}.pdf"
    return harden(Response(content, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"'}))


def commitment_page(request: Request, session: Session, user: PageUser, commitment_id: str, *,
                    done: str | None = None, errors: FormErrors | None = None,
                    form: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    """The commitment with its evidence, and the forms its organisation may use."""
    read = reads.get_commitment(session, actor=user.actor,
                                commitment_id=required_uuid(commitment_id, "commitment"))
    row = policy.get_visible(session, policy.visible_commitments(user.actor).where(
        Commitment.id == read.id), "commitment")
    return render(request, "partnership/commitments/commitment.html", status_code=status_code,
                  user=user, commitment=read, labels=STATUS_LABELS,
                  done=done_message(DONE_MESSAGES, done), errors=errors or FormErrors(),
                  form=form or {}, may_update=permissions.may_update_commitment(user.actor, row))


@router.get(BASE + "/{commitment_id}")
def commitment_detail(request: Request, session: DbSession, user: SignedInUser,
                      commitment_id: str, done: str = "") -> Response:
    """One commitment."""
    return commitment_page(request, session, user, commitment_id, done=done)


@router.post(BASE + "/{commitment_id}/status")
def set_status(request: Request, session: DbSession, user: SignedInUser, commitment_id: str,
               csrf_token: Csrf = "", status: Small = "") -> Response:
    """Set the status (the committed organisation or the partnership office)."""
    check_csrf(user.csrf_token, csrf_token)
    cid = required_uuid(commitment_id, "commitment")
    service.commitment_for_update(session, user.actor, cid)
    if status not in STATUS_LABELS:
        raise InvalidInput(N_("Select a status"))
    service.set_commitment_status(session, actor=user.actor, commitment_id=cid,
                                  status=CommitmentStatus(status))
    return redirect(f"{BASE}/{cid}?done=status")


@router.post(BASE + "/{commitment_id}/progress")
def add_progress(request: Request, session: DbSession, user: SignedInUser, commitment_id: str,
                 csrf_token: Csrf = "", evidence: Text = "") -> Response:
    """Add evidence of progress (the committed organisation or the partnership office)."""
    check_csrf(user.csrf_token, csrf_token)
    cid = required_uuid(commitment_id, "commitment")
    service.commitment_for_update(session, user.actor, cid)
    errors = FormErrors()
    words = read_text("evidence", evidence, errors, max_length=MAX_EVIDENCE,
                      missing=N_("Enter what has been done"))
    if words is None:
        return commitment_page(request, session, user, commitment_id, errors=errors,
                               form={"evidence": evidence}, status_code=422)
    service.add_progress(session, actor=user.actor, commitment_id=cid, text=words)
    return redirect(f"{BASE}/{cid}?done=progress")


router.include_router(priority_router)
