"""Alerts API routes (thin: they call risk.reads, risk.service and risk.explain)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.risk import reads, service
from safetyhub.risk.explain import explain_for_person, explain_for_place
from safetyhub.risk.indicators import Indicator
from safetyhub.risk.models import AlertState
from safetyhub.risk.schemas import (
    AlertActionCreate,
    AlertDetail,
    AlertDismiss,
    AlertPage,
    AlertSnooze,
    IndicatorResultRead,
)

router = APIRouter(tags=["alerts"])


@router.get("/alerts", response_model=AlertPage)
def list_alerts(
    session: DbSession,
    actor: CurrentActor,
    state: AlertState | None = None,
    indicator: Indicator | None = None,
    include_snoozed: bool = True,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int | None, Query(ge=1)] = None,
) -> AlertPage:
    """Alerts routed to your agency, open and high first; `total` counts only those."""
    return reads.list_alerts(
        session, actor=actor, state=state, indicator=indicator.value if indicator else None,
        include_snoozed=include_snoozed, page=page, page_size=page_size,
    )


@router.get("/alerts/{alert_id}", response_model=AlertDetail)
def get_alert(session: DbSession, actor: CurrentActor, alert_id: uuid.UUID) -> AlertDetail:
    """One alert with its explanation: contributing records as far as the policy lets you see."""
    return reads.get_alert(session, actor=actor, alert_id=alert_id)


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertDetail)
def acknowledge_alert(session: DbSession, actor: CurrentActor, alert_id: uuid.UUID
                      ) -> AlertDetail:
    """Say your agency has seen the alert and is looking at it."""
    service.acknowledge_alert(session, actor=actor, alert_id=alert_id)
    return reads.get_alert(session, actor=actor, alert_id=alert_id)


@router.post("/alerts/{alert_id}/action", response_model=AlertDetail)
def action_alert(session: DbSession, actor: CurrentActor, alert_id: uuid.UUID,
                 body: AlertActionCreate) -> AlertDetail:
    """Close the alert as acted on, linked to the case or referral that acts on it."""
    service.action_alert(session, actor=actor, alert_id=alert_id, case_id=body.case_id,
                         referral_id=body.referral_id)
    return reads.get_alert(session, actor=actor, alert_id=alert_id)


@router.post("/alerts/{alert_id}/dismiss", response_model=AlertDetail)
def dismiss_alert(session: DbSession, actor: CurrentActor, alert_id: uuid.UUID,
                  body: AlertDismiss) -> AlertDetail:
    """Close the alert as needing no action, with the reason."""
    service.dismiss_alert(session, actor=actor, alert_id=alert_id, reason=body.reason)
    return reads.get_alert(session, actor=actor, alert_id=alert_id)


@router.post("/alerts/{alert_id}/snooze", response_model=AlertDetail)
def snooze_alert(session: DbSession, actor: CurrentActor, alert_id: uuid.UUID,
                 body: AlertSnooze) -> AlertDetail:
    """Hide an open alert until a date (at most 90 days; it returns if its level rises)."""
    service.snooze_alert(session, actor=actor, alert_id=alert_id, until=body.until)
    return reads.get_alert(session, actor=actor, alert_id=alert_id)


@router.get("/indicators/person-records/{person_record_id}",
            response_model=list[IndicatorResultRead])
def indicators_for_person(session: DbSession, actor: CurrentActor, person_record_id: uuid.UUID
                          ) -> list[IndicatorResultRead]:
    """The indicators firing now for the person behind a record you may see (explained)."""
    return explain_for_person(session, actor=actor, person_record_id=person_record_id)


@router.get("/indicators/places/{place_id}", response_model=list[IndicatorResultRead])
def indicators_for_place(session: DbSession, actor: CurrentActor, place_id: uuid.UUID
                         ) -> list[IndicatorResultRead]:
    """The indicators firing now for a place (explained)."""
    return explain_for_place(session, actor=actor, place_id=place_id)
