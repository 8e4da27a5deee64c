"""Alerts pages (thin: they call risk.reads and risk.service, render templates/risk/)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from safetyhub.auth.dependencies import DbSession
from safetyhub.cases.service import my_open_cases
from safetyhub.errors import InvalidInput, NotFound
from safetyhub.referrals.schemas import ReferralBox
from safetyhub.referrals.service import list_referrals
from safetyhub.risk import reads, service
from safetyhub.risk.indicators import Indicator
from safetyhub.risk.models import AlertState
from safetyhub.risk.schemas import MAX_DISMISS_REASON
from safetyhub.risk.texts import (
    HISTORY_ACTIONS,
    INDICATOR_NAMES,
    ROUTE_REASONS,
    RULE_TEXTS,
    SIGNAL_NAMES,
    STATE_NAMES,
)
from safetyhub.text import N_
from safetyhub.web.forms import (
    DateQuestion,
    FormErrors,
    done_message,
    list_links,
    parse_uuid,
    read_date,
    read_text,
    required_uuid,
)
from safetyhub.web.rendering import redirect, render, translate
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

Csrf = Annotated[str, Form(max_length=100)]
Short = Annotated[str, Form(max_length=100)]
LongText = Annotated[str, Form(max_length=MAX_DISMISS_REASON * 2)]

DONE_MESSAGES: dict[str, str] = {
    "acknowledged": N_("Alert acknowledged"),
    "actioned": N_("Alert linked to the work that acts on it"),
    "dismissed": N_("Alert dismissed"),
    "snoozed": N_("Alert snoozed"),
}
SNOOZE = DateQuestion(
    missing=N_("Enter the date to snooze the alert until"),
    incomplete=N_("The snooze date must include a day, a month and a year"),
    not_real=N_("The snooze date must be a real date"),
)
REFERRAL_CHOICE = N_("%(name)s: from %(sender)s to %(recipient)s")
TEXTS: dict[str, Any] = {"indicator_names": INDICATOR_NAMES, "rule_texts": RULE_TEXTS,
         "signal_names": SIGNAL_NAMES, "state_names": STATE_NAMES,
         "route_reasons": ROUTE_REASONS, "history_actions": HISTORY_ACTIONS}


@router.get("/alerts")
def alert_list(
    request: Request, session: DbSession, user: SignedInUser, state: str = "",
    indicator: str = "", page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Alerts routed to the user's agency, filtered by state and indicator."""
    chosen_state = AlertState(state) if state in AlertState.__members__ else None
    chosen_indicator = indicator if indicator in Indicator.__members__ else None
    result = reads.list_alerts(session, actor=user.actor, state=chosen_state,
                               indicator=chosen_indicator, page=page)
    params: dict[str, Any] = {"state": chosen_state.value if chosen_state else "",
                              "indicator": chosen_indicator or ""}
    return render(
        request, "risk/list.html", user=user, result=result, **params,
        states=[s.value for s in AlertState], indicators=list(INDICATOR_NAMES),
        pagination=list_links(result, "/alerts", params), **TEXTS,
    )


def _choices(request: Request, session: Session, user: PageUser) -> dict[str, Any]:
    """Open cases of the user's agency and its referrals, to link an alert to."""
    cases = my_open_cases(session, actor=user.actor, limit=100)
    referrals = [r for box in (ReferralBox.outbox, ReferralBox.inbox)
                 for r in list_referrals(session, actor=user.actor, box=box, page_size=50).items]
    return {
        "case_choices": [(str(c.id), c.title) for c in cases],
        "referral_choices": [
            (str(r.id), translate(request, REFERRAL_CHOICE) % {
                "name": r.subject_name or "-", "sender": r.from_organisation_name,
                "recipient": r.to_organisation_name})
            for r in referrals],
    }


def alert_page(request: Request, session: Session, user: PageUser, alert_id: uuid.UUID, *,
               status_code: int = 200, errors: FormErrors | None = None,
               values: dict[str, str] | None = None, done: str | None = None) -> Response:
    """The alert, its explanation, history and what the user's agency may do with it."""
    alert = reads.get_alert(session, actor=user.actor, alert_id=alert_id)
    choices = _choices(request, session, user) if alert.may_work and alert.state in (
        AlertState.new, AlertState.acknowledged) else {}
    return render(
        request, "risk/alert.html", status_code=status_code, user=user, alert=alert,
        errors=errors or FormErrors(), values=values or {},
        done=done_message(DONE_MESSAGES, done), **choices, **TEXTS,
    )


@router.get("/alerts/{alert_id}")
def alert_detail(request: Request, session: DbSession, user: SignedInUser, alert_id: str,
                 done: str = "") -> Response:
    """One alert routed to the user's agency (404 for any other)."""
    return alert_page(request, session, user, required_uuid(alert_id, "alert"), done=done)


def _problem(request: Request, session: Session, user: PageUser, alert_id: uuid.UUID,
             errors: FormErrors, values: dict[str, str]) -> Response:
    return alert_page(request, session, user, alert_id, status_code=422, errors=errors,
                      values=values)


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(request: Request, session: DbSession, user: SignedInUser, alert_id: str,
                csrf_token: Csrf = "") -> Response:
    """Acknowledge a new alert."""
    check_csrf(user.csrf_token, csrf_token)
    aid = required_uuid(alert_id, "alert")
    service.acknowledge_alert(session, actor=user.actor, alert_id=aid)
    return redirect(f"/alerts/{aid}?done=acknowledged")


@router.post("/alerts/{alert_id}/action")
def action(request: Request, session: DbSession, user: SignedInUser, alert_id: str,
           csrf_token: Csrf = "", case_id: Short = "", referral_id: Short = "") -> Response:
    """Link the alert to a case or a referral of the user's agency (exactly one)."""
    check_csrf(user.csrf_token, csrf_token)
    aid = required_uuid(alert_id, "alert")
    values = {"case_id": case_id, "referral_id": referral_id}
    errors = FormErrors()
    case, referral = parse_uuid(case_id), parse_uuid(referral_id)
    if (case is None) == (referral is None):
        errors.add("case_id", N_("Choose either a case or a referral"))
        return _problem(request, session, user, aid, errors, values)
    try:
        service.action_alert(session, actor=user.actor, alert_id=aid, case_id=case,
                             referral_id=referral)
    except NotFound:
        reads.visible_alert(session, user.actor, aid)  # the alert itself: 404 if hidden
        errors.add("case_id" if case else "referral_id",
                   N_("Choose a case or referral your agency can see"))
        return _problem(request, session, user, aid, errors, values)
    return redirect(f"/alerts/{aid}?done=actioned")


@router.post("/alerts/{alert_id}/dismiss")
def dismiss(request: Request, session: DbSession, user: SignedInUser, alert_id: str,
            csrf_token: Csrf = "", reason: LongText = "") -> Response:
    """Dismiss the alert with the reason it needs no action."""
    check_csrf(user.csrf_token, csrf_token)
    aid = required_uuid(alert_id, "alert")
    errors = FormErrors()
    text = read_text("reason", reason, errors, max_length=MAX_DISMISS_REASON,
                     missing=N_("Enter why the alert needs no action"))
    if text is None:
        return _problem(request, session, user, aid, errors, {"reason": reason})
    service.dismiss_alert(session, actor=user.actor, alert_id=aid, reason=text)
    return redirect(f"/alerts/{aid}?done=dismissed")


@router.post("/alerts/{alert_id}/snooze")
def snooze(request: Request, session: DbSession, user: SignedInUser, alert_id: str,
           csrf_token: Csrf = "", until_day: Annotated[str, Form(alias="until-day",
                                                                 max_length=10)] = "",
           until_month: Annotated[str, Form(alias="until-month", max_length=10)] = "",
           until_year: Annotated[str, Form(alias="until-year", max_length=10)] = "") -> Response:
    """Snooze the alert until a date (after today, at most 90 days ahead)."""
    check_csrf(user.csrf_token, csrf_token)
    aid = required_uuid(alert_id, "alert")
    values = {"until-day": until_day, "until-month": until_month, "until-year": until_year}
    errors = FormErrors()
    until = read_date("until", until_day, until_month, until_year, errors, SNOOZE)
    if until is None:
        return _problem(request, session, user, aid, errors, values)
    try:
        service.snooze_alert(session, actor=user.actor, alert_id=aid, until=until)
    except InvalidInput:
        errors.add("until-day", N_("Snooze until a date after today and within 90 days"))
        return _problem(request, session, user, aid, errors, values)
    return redirect(f"/alerts/{aid}?done=snoozed")
