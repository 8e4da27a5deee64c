"""Alert reads, always starting from the access policy (sharing.policy.visible_alerts)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, case, or_, select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.organisations.models import Organisation
from safetyhub.risk.models import Alert, AlertRoute, AlertState, AlertStateChange
from safetyhub.sharing import policy


def not_snoozed(today: date) -> Any:
    """Condition: the alert is not snoozed past today."""
    return or_(Alert.snoozed_until.is_(None), Alert.snoozed_until <= today)


def _newest_first(statement: Select[tuple[Alert]]) -> Select[tuple[Alert]]:
    return statement.order_by(
        Alert.is_open.desc(), case((Alert.level == "high", 0), else_=1),
        Alert.evidence_updated_at.desc(), Alert.id,
    )


def alerts_for(actor: Actor, *, state: AlertState | None, indicator: str | None,
               include_snoozed: bool, today: date) -> Select[tuple[Alert]]:
    """Alerts routed to the actor's agency, filtered, open and high first."""
    statement = policy.visible_alerts(actor)
    if state is not None:
        statement = statement.where(Alert.state == state.value)
    if indicator is not None:
        statement = statement.where(Alert.indicator == indicator)
    if not include_snoozed:
        statement = statement.where(not_snoozed(today))
    return _newest_first(statement)


def open_alerts_for_agency(actor: Actor, today: date) -> Select[tuple[Alert]]:
    """Open, not snoozed alerts routed to the actor's agency (the home page)."""
    return _newest_first(policy.visible_alerts(actor).where(
        Alert.is_open.is_(True), not_snoozed(today)))


def visible_alert(actor: Actor, alert_id: uuid.UUID) -> Select[tuple[Alert]]:
    """One alert, if routed to the actor's agency."""
    return policy.visible_alerts(actor).where(Alert.id == alert_id)


def routes_of(session: Session, alert_ids: Sequence[uuid.UUID]
              ) -> dict[uuid.UUID, list[tuple[uuid.UUID, str, str]]]:
    """alert id -> (organisation id, name, route reason) for each route."""
    found: dict[uuid.UUID, list[tuple[uuid.UUID, str, str]]] = {}
    if not alert_ids:
        return found
    rows = session.execute(
        select(AlertRoute.alert_id, AlertRoute.organisation_id, Organisation.name,
               AlertRoute.reason)
        .join(Organisation, Organisation.id == AlertRoute.organisation_id)
        .where(AlertRoute.alert_id.in_(alert_ids)).order_by(Organisation.name)
    ).tuples()
    for alert_id, org_id, name, reason in rows:
        found.setdefault(alert_id, []).append((org_id, name, reason))
    return found


def history_of(alert_id: uuid.UUID) -> Select[tuple[AlertStateChange]]:
    """An alert's history, oldest first."""
    return (select(AlertStateChange).where(AlertStateChange.alert_id == alert_id)
            .order_by(AlertStateChange.at, AlertStateChange.id))


def open_alert_ids(actor: Actor, subject_key: str) -> Select[tuple[uuid.UUID, str]]:
    """(alert id, indicator) of the subject's open alerts the actor may read."""
    return select(Alert.id, Alert.indicator).where(
        Alert.subject_key == subject_key, Alert.is_open.is_(True), policy.alert_readable(actor))
