"""Raising and updating alerts from indicator results: one open alert per subject and indicator.

An open alert is updated as its evidence grows. After an alert is actioned or dismissed, the
same evidence raises nothing more; only a record it did not have raises a new alert.
Audit summaries hold ids, levels and counts, never names or narrative.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.audit.service import canonical_json
from safetyhub.auth.actor import Actor
from safetyhub.risk.indicators.common import IndicatorResult, Level, Reason
from safetyhub.risk.loading import chunks
from safetyhub.risk.models import (
    Alert,
    AlertRecord,
    AlertRoute,
    AlertState,
    AlertStateChange,
    SubjectKind,
)
from safetyhub.risk.routing import Route
from safetyhub.timeutil import utcnow

RecordKey = tuple[str, uuid.UUID]
AlertKey = tuple[str, str]  # (indicator, subject key)
LEVEL_ORDER = {Level.medium.value: 1, Level.high.value: 2}


@dataclass
class Outcome:
    """What applying results changed."""

    raised: int = 0
    updated: int = 0
    unchanged: int = 0
    already_handled: int = 0
    alerts: list[Alert] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        """Fold another outcome into this one."""
        self.raised += other.raised
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.already_handled += other.already_handled
        self.alerts += other.alerts


@dataclass
class AlertIndex:
    """Alerts on record, by indicator and subject: the open one, and the last closed evidence."""

    open: dict[AlertKey, Alert] = field(default_factory=dict)
    closed: dict[AlertKey, set[RecordKey]] = field(default_factory=dict)
    records: dict[uuid.UUID, set[RecordKey]] = field(default_factory=dict)
    routes: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, subject_keys: Iterable[str] | None) -> AlertIndex:
        """The alerts of the given subjects (None: every alert)."""
        index = cls()
        statement = select(Alert).order_by(Alert.created_at)
        if subject_keys is None:
            alerts = list(session.scalars(statement))
        else:
            alerts = []
            for part in chunks(sorted(set(subject_keys))):
                alerts += list(session.scalars(statement.where(Alert.subject_key.in_(part))))
        ids = [a.id for a in alerts]
        for id_part in chunks(ids):
            for alert_id, kind, rid in session.execute(select(
                    AlertRecord.alert_id, AlertRecord.record_type, AlertRecord.record_id)
                    .where(AlertRecord.alert_id.in_(id_part))).tuples():
                index.records.setdefault(alert_id, set()).add((kind, rid))
            for alert_id, org in session.execute(select(
                    AlertRoute.alert_id, AlertRoute.organisation_id)
                    .where(AlertRoute.alert_id.in_(id_part))).tuples():
                index.routes.setdefault(alert_id, set()).add(org)
        for alert in alerts:
            key = (alert.indicator, alert.subject_key)
            if alert.is_open:
                index.open[key] = alert
            else:
                index.closed[key] = index.records.get(alert.id, set())
        return index


def reasons_json(reasons: Sequence[Reason]) -> str:
    """Reasons as canonical JSON (rule codes, windows, counts)."""
    return canonical_json([asdict(r) for r in reasons])


def _substance(reasons: Sequence[dict[str, Any]] | Sequence[Reason]) -> list[Any]:
    """What a reason says, without the window's moving end (a rerun moves it, nothing else)."""
    rows = [asdict(r) if isinstance(r, Reason) else r for r in reasons]
    return [(r["rule"], r["window_days"], sorted(r["counts"].items())) for r in rows]


def reasons_of(alert: Alert) -> list[dict[str, Any]]:
    """The stored reasons of an alert."""
    value: list[dict[str, Any]] = json.loads(alert.reasons_json or "[]")
    return value


def _subject_columns(subject_key: str) -> dict[str, Any]:
    kind, _, raw = subject_key.partition(":")
    subject_id = uuid.UUID(raw)
    column = {SubjectKind.identity: "identity_id", SubjectKind.person: "person_record_id",
              SubjectKind.place: "place_id"}[SubjectKind(kind)]
    return {"subject_kind": kind, "subject_key": subject_key, column: subject_id}


EARLY_WARNING = "SafetyHub early warning"


def _history(session: Session, alert: Alert, action: str, from_state: str | None) -> None:
    # Raised by the indicators, not by a person: the history never names who recorded the
    # triggering incident (the audit log keeps that, for the agency that owns it).
    session.add(AlertStateChange(
        alert_id=alert.id, at=utcnow(), action=action, from_state=from_state,
        to_state=alert.state, actor_user_id=None, actor_label=EARLY_WARNING,
        organisation_id=None))


def _summary(alert: Alert, records: int, routes: Iterable[uuid.UUID]) -> dict[str, Any]:
    return {"indicator": alert.indicator, "subject_kind": alert.subject_kind,
            "level": alert.level, "score": alert.score, "state": alert.state,
            "records": records, "routed_to": sorted(str(r) for r in routes)}


def _write_records(session: Session, alert_id: uuid.UUID, result: IndicatorResult) -> None:
    # One bulk INSERT: a place alert can have hundreds of contributing incidents.
    if result.records:
        session.execute(insert(AlertRecord), [
            {"id": uuid.uuid4(), "alert_id": alert_id, "record_type": r.record_type,
             "record_id": r.record_id, "owner_organisation_id": r.owner_organisation_id}
            for r in result.records])


def _raise(session: Session, actor: Actor, subject_key: str, result: IndicatorResult,
           routes: list[Route], now: datetime) -> Alert:
    alert = Alert(
        id=uuid.uuid4(), indicator=result.indicator.value, level=result.level.value,
        score=round(result.score, 3), reasons_json=reasons_json(result.reasons),
        state=AlertState.new.value, is_open=True, evidence_updated_at=now, created_at=now,
        **_subject_columns(subject_key))
    session.add(alert)
    session.flush([alert])
    session.add_all([AlertRoute(alert_id=alert.id, organisation_id=org, reason=reason.value)
                     for org, reason in routes])
    _write_records(session, alert.id, result)
    _history(session, alert, "raised", None)
    session.flush()
    audit.record(session, actor=actor, action="raise_alert", object_type="alert",
                 object_id=alert.id, owner_organisation_id=routes[0][0] if routes else None,
                 after=_summary(alert, len(result.records), (org for org, _ in routes)))
    return alert


def _update(session: Session, actor: Actor, alert: Alert, result: IndicatorResult,
            routes: list[Route], index: AlertIndex, now: datetime) -> None:
    before = _summary(alert, len(index.records.get(alert.id, ())),
                      index.routes.get(alert.id, set()))
    rising = LEVEL_ORDER[result.level.value] > LEVEL_ORDER.get(alert.level, 0)
    alert.level = result.level.value
    alert.score = round(result.score, 3)
    alert.reasons_json = reasons_json(result.reasons)
    alert.evidence_updated_at = now
    if rising:
        alert.snoozed_until = None  # a higher level wakes a snoozed alert
    session.execute(delete(AlertRecord).where(AlertRecord.alert_id == alert.id))
    _write_records(session, alert.id, result)
    known = index.routes.setdefault(alert.id, set())
    # New routes are added, none removed: an agency working the alert keeps seeing it.
    for org, reason in routes:
        if org not in known:
            session.add(AlertRoute(alert_id=alert.id, organisation_id=org, reason=reason.value))
            known.add(org)
    index.records[alert.id] = {(r.record_type, r.record_id) for r in result.records}
    _history(session, alert, "updated", alert.state)
    session.flush()
    audit.record(session, actor=actor, action="update_alert", object_type="alert",
                 object_id=alert.id, owner_organisation_id=routes[0][0] if routes else None,
                 before=before, after=_summary(alert, len(result.records), known))


def _rekey_person_alerts(index: AlertIndex, subject_key: str, indicator: str,
                         person_keys: Iterable[str]) -> None:
    """Linkage joined person records into an Identity: their open alert becomes its alert."""
    if (indicator, subject_key) in index.open:
        return
    for old in person_keys:
        alert = index.open.pop((indicator, old), None)
        if alert is not None:
            alert.subject_key = subject_key
            alert.subject_kind = SubjectKind.identity.value
            alert.identity_id = uuid.UUID(subject_key.partition(":")[2])
            index.open[(indicator, subject_key)] = alert
            return


def apply_result(session: Session, *, actor: Actor, subject_key: str, result: IndicatorResult,
                 routes: list[Route], index: AlertIndex, person_keys: Sequence[str] = (),
                 now: datetime | None = None) -> Outcome:
    """Raise, update or leave the subject's alert for this result (deduplicated)."""
    now = now or utcnow()
    indicator = result.indicator.value
    if person_keys:
        _rekey_person_alerts(index, subject_key, indicator, person_keys)
    key = (indicator, subject_key)
    evidence = {(r.record_type, r.record_id) for r in result.records}
    alert = index.open.get(key)
    if alert is not None:
        unchanged = (evidence == index.records.get(alert.id, set())
                     and alert.level == result.level.value
                     and _substance(reasons_of(alert)) == _substance(result.reasons))
        if unchanged:
            return Outcome(unchanged=1, alerts=[alert])
        _update(session, actor, alert, result, routes, index, now)
        return Outcome(updated=1, alerts=[alert])
    handled = index.closed.get(key)
    if handled is not None and evidence <= handled:
        return Outcome(already_handled=1)
    try:
        with session.begin_nested():
            alert = _raise(session, actor, subject_key, result, routes, now)
    except IntegrityError:
        # Another transaction raised the same alert meanwhile: update that one instead.
        found = session.scalars(select(Alert).where(
            Alert.indicator == indicator, Alert.subject_key == subject_key,
            Alert.is_open.is_(True))).first()
        if found is None:
            raise
        fresh = AlertIndex.load(session, [subject_key])
        index.open[key] = found
        index.records[found.id] = fresh.records.get(found.id, set())
        index.routes[found.id] = fresh.routes.get(found.id, set())
        return apply_result(session, actor=actor, subject_key=subject_key, result=result,
                            routes=routes, index=index, now=now)
    index.open[key] = alert
    index.records[alert.id] = evidence
    index.routes[alert.id] = {org for org, _ in routes}
    return Outcome(raised=1, alerts=[alert])
