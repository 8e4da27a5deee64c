"""Reading alerts: lists and detail through the access policy, explanations filtered by it."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.errors import NotFound, PermissionDenied
from safetyhub.pagination import count_of, page_request
from safetyhub.risk import permissions, queries
from safetyhub.risk.explain import Ref, explanation, place_address, subject_person_record
from safetyhub.risk.models import Alert, AlertRecord, AlertState
from safetyhub.risk.raising import reasons_of
from safetyhub.risk.schemas import (
    AlertDetail,
    AlertPage,
    AlertRead,
    RouteRead,
    StateChangeRead,
)
from safetyhub.risk.texts import INDICATOR_NAMES
from safetyhub.sharing import policy
from safetyhub.timeutil import london_today

Routes = list[tuple[uuid.UUID, str, str]]


def _require_reader(actor: Actor) -> None:
    if not actor.is_system and not permissions.may_read_alerts(actor):
        raise PermissionDenied("Your role does not read alerts.")


def _read(session: Session, actor: Actor, alert: Alert, routes: Routes, today: date
          ) -> AlertRead:
    label: str | None = None
    person_record_id: uuid.UUID | None = None
    if alert.place_id is not None:
        label = place_address(session, alert.place_id)
    else:
        record = subject_person_record(session, actor, alert.subject_key)
        if record is not None:
            label = f"{record.given_name} {record.family_name}"
            person_record_id = record.id
            policy.record_disclosures(session, actor, [
                policy.Disclosure("person_record", record.id, record.organisation_id)])
    return AlertRead(
        id=alert.id, indicator=alert.indicator,
        indicator_name=INDICATOR_NAMES.get(alert.indicator, alert.indicator),
        level=alert.level, score=alert.score, state=AlertState(alert.state),
        subject_kind=alert.subject_kind, subject_label=label, person_record_id=person_record_id,
        place_id=alert.place_id,
        routes=[RouteRead(organisation_id=o, organisation_name=n, reason=r) for o, n, r in routes],
        created_at=alert.created_at, evidence_updated_at=alert.evidence_updated_at,
        snoozed_until=alert.snoozed_until,
        snoozed=alert.snoozed_until is not None and alert.snoozed_until > today,
        actioned_case_id=alert.actioned_case_id, actioned_referral_id=alert.actioned_referral_id,
        dismissed_reason=alert.dismissed_reason,
    )


def list_alerts(session: Session, *, actor: Actor, state: AlertState | None = None,
                indicator: str | None = None, include_snoozed: bool = True, page: int = 1,
                page_size: int | None = None) -> AlertPage:
    """A page of the alerts routed to the actor's agency; the total counts only those."""
    _require_reader(actor)
    request = page_request(page, page_size)
    today = london_today()
    statement = queries.alerts_for(actor, state=state, indicator=indicator,
                                   include_snoozed=include_snoozed, today=today)
    total = count_of(session, statement)
    alerts = list(session.scalars(statement.limit(request.page_size).offset(request.offset)))
    routes = queries.routes_of(session, [a.id for a in alerts])
    return AlertPage(items=[_read(session, actor, a, routes.get(a.id, []), today)
                            for a in alerts],
                     total=total, page=request.page, page_size=request.page_size)


def alerts_for_my_agency(session: Session, *, actor: Actor, limit: int = 10) -> list[AlertRead]:
    """Open, not snoozed alerts routed to the actor's agency, high first (the home page)."""
    if not permissions.may_read_alerts(actor):
        return []
    today = london_today()
    alerts = list(session.scalars(queries.open_alerts_for_agency(actor, today).limit(limit)))
    routes = queries.routes_of(session, [a.id for a in alerts])
    return [_read(session, actor, a, routes.get(a.id, []), today) for a in alerts]


def visible_alert(session: Session, actor: Actor, alert_id: uuid.UUID) -> Alert:
    """The alert if routed to the actor's agency (404 otherwise, never 403)."""
    alert = session.scalars(queries.visible_alert(actor, alert_id)).first()
    if alert is None:
        raise NotFound("No alert with that id is visible to you.")
    return alert


def get_alert(session: Session, *, actor: Actor, alert_id: uuid.UUID) -> AlertDetail:
    """One alert with its explanation (records as far as the policy allows) and history."""
    alert = visible_alert(session, actor, alert_id)
    routes = queries.routes_of(session, [alert.id]).get(alert.id, [])
    read = _read(session, actor, alert, routes, london_today())
    refs = [Ref(kind, rid, owner) for kind, rid, owner in session.execute(
        select(AlertRecord.record_type, AlertRecord.record_id, AlertRecord.owner_organisation_id)
        .where(AlertRecord.alert_id == alert.id)).tuples()]
    history = [StateChangeRead(
        at=h.at, action=h.action, from_state=h.from_state, to_state=h.to_state,
        actor_label=h.actor_label, reason=h.reason, snoozed_until=h.snoozed_until,
        case_id=h.case_id, referral_id=h.referral_id,
    ) for h in session.scalars(queries.history_of(alert.id))]
    return AlertDetail(
        **read.model_dump(), explanation=explanation(session, actor, reasons_of(alert), refs),
        history=history, may_work=permissions.may_work_alert(actor, [o for o, _, _ in routes]),
    )
