"""Early-warning verbs: evaluate after a change (same transaction), the batch run, and the
alert states (acknowledge, action, dismiss, snooze). Services flush, never commit.

Audit summaries carry ids, states and dates, never the dismissal reason or personal data.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.cases.models import Case
from safetyhub.errors import Conflict, InvalidInput, PermissionDenied
from safetyhub.incidents.models import Incident, IncidentParty
from safetyhub.referrals.models import Referral
from safetyhub.risk import permissions
from safetyhub.risk.candidates import candidate_population
from safetyhub.risk.config import RiskConfig, load_config
from safetyhub.risk.evaluation import Evaluation, evaluate_population, evaluate_subjects
from safetyhub.risk.loading import identity_of, person_key
from safetyhub.risk.models import OPEN_STATES, Alert, AlertRoute, AlertState, AlertStateChange
from safetyhub.risk.population import load_population
from safetyhub.risk.raising import AlertIndex, Outcome
from safetyhub.risk.reads import visible_alert
from safetyhub.risk.routing import load_directory
from safetyhub.sharing import policy
from safetyhub.timeutil import london_today, utcnow

MAX_SNOOZE_DAYS = 90
AUDIT_ACTIONS = {"acknowledged": "acknowledge_alert", "actioned": "action_alert",
                 "dismissed": "dismiss_alert", "snoozed": "snooze_alert"}


def evaluate_after_incident(session: Session, *, actor: Actor, incident_id: uuid.UUID,
                            as_of: datetime | None = None) -> list[Alert]:
    """Raise or update alerts about the incident's people and place, in the same transaction.

    Call right after recording the incident; the actor is the one who recorded it.
    """
    incident = session.get(Incident, incident_id)
    if incident is None:
        return []
    record_ids = list(session.scalars(
        select(IncidentParty.person_record_id).where(IncidentParty.incident_id == incident_id)))
    identities = identity_of(session, record_ids)
    keys = {person_key(r, identities.get(r)) for r in record_ids}
    places = [incident.place_id] if incident.place_id is not None else []
    outcome = evaluate_subjects(session, actor=actor, config=load_config(),
                                as_of=as_of or utcnow(), person_keys=keys, place_ids=places)
    session.flush()
    return outcome.alerts


def evaluate_after_person_record(session: Session, *, actor: Actor,
                                 person_record_id: uuid.UUID,
                                 as_of: datetime | None = None) -> list[Alert]:
    """Raise or update alerts about the person behind a new or linked record (same transaction)."""
    identity = identity_of(session, [person_record_id]).get(person_record_id)
    outcome = evaluate_subjects(session, actor=actor, config=load_config(),
                                as_of=as_of or utcnow(),
                                person_keys=[person_key(person_record_id, identity)],
                                place_ids=[])
    session.flush()
    return outcome.alerts


@dataclass(frozen=True)
class BatchReport:
    """What a batch run did, and how long its parts took."""

    subjects: int
    evaluated: int
    raised: int
    updated: int
    unchanged: int
    already_handled: int
    load_seconds: float
    evaluate_seconds: float


def run_batch(session: Session, *, actor: Actor, as_of: datetime | None = None,
              config: RiskConfig | None = None,
              on_start: Callable[[int], None] = lambda _: None,
              advance: Callable[[int], None] = lambda _: None,
              every_subject: bool = False) -> BatchReport:
    """Evaluate every person and place in one transaction (all or nothing; a rerun changes only
    what changed since).

    The facts are read in bulk and counted in DuckDB; only subjects that could fire an
    indicator become Python facts (risk.candidates). `every_subject` builds facts for everyone
    instead (the slower path, with the same alerts).
    """
    if not permissions.may_run_indicators(actor):
        raise PermissionDenied("Only an operator runs the indicators over every record.")
    config = config or load_config()
    now = as_of or utcnow()
    started = time.monotonic()
    if every_subject:
        population = load_population(session, config, now)
        subjects = population.size
    else:
        population, subjects = candidate_population(session, config, now)
    run = Evaluation(session, actor, config, now, load_directory(session),
                     AlertIndex.load(session, None))
    loaded = time.monotonic()
    on_start(population.size)
    outcome: Outcome = evaluate_population(run, population.persons.values(),
                                           population.places.values(), advance)
    return BatchReport(subjects, population.size, outcome.raised, outcome.updated,
                       outcome.unchanged, outcome.already_handled, loaded - started,
                       time.monotonic() - loaded)


# States.


def _state(alert: Alert) -> dict[str, Any]:
    return {"state": alert.state, "snoozed_until": alert.snoozed_until,
            "actioned_case_id": alert.actioned_case_id,
            "actioned_referral_id": alert.actioned_referral_id}


def _workable(session: Session, actor: Actor, alert_id: uuid.UUID) -> Alert:
    alert = visible_alert(session, actor, alert_id)
    routed = session.scalars(select(AlertRoute.organisation_id)
                             .where(AlertRoute.alert_id == alert.id))
    if not permissions.may_work_alert(actor, routed):
        raise PermissionDenied("Only practitioners and supervisors of the routed agency work an "
                               "alert.")
    return alert


def _change(session: Session, actor: Actor, alert: Alert, action: str, to_state: AlertState,
            **history: Any) -> Alert:
    if alert.state not in OPEN_STATES:
        raise Conflict(f"This alert is {alert.state}; it cannot be changed now.")
    before = _state(alert)
    from_state = alert.state
    alert.state = to_state.value
    alert.is_open = to_state in OPEN_STATES
    if not alert.is_open:
        alert.closed_at = utcnow()
    session.add(AlertStateChange(
        alert_id=alert.id, at=utcnow(), action=action, from_state=from_state,
        to_state=alert.state, actor_user_id=actor.user_id, actor_label=actor.label,
        organisation_id=actor.organisation_id, **history))
    session.flush()
    after = {**_state(alert), **({"reason_recorded": True} if history.get("reason") else {})}
    audit.record(session, actor=actor, action=AUDIT_ACTIONS[action],
                 object_type="alert", object_id=alert.id,
                 owner_organisation_id=actor.organisation_id, purpose=actor.purpose,
                 before=before, after=after)
    return alert


def acknowledge_alert(session: Session, *, actor: Actor, alert_id: uuid.UUID) -> Alert:
    """Say the routed agency has seen the alert and is looking at it."""
    alert = _workable(session, actor, alert_id)
    if alert.state != AlertState.new:
        raise Conflict(f"This alert is {alert.state}; only a new alert is acknowledged.")
    return _change(session, actor, alert, "acknowledged", AlertState.acknowledged)


def action_alert(session: Session, *, actor: Actor, alert_id: uuid.UUID,
                 case_id: uuid.UUID | None = None, referral_id: uuid.UUID | None = None
                 ) -> Alert:
    """Close the alert as acted on: linked to a visible case or referral."""
    if (case_id is None) == (referral_id is None):
        raise InvalidInput("Link the alert to either a case or a referral.")
    alert = _workable(session, actor, alert_id)
    if case_id is not None:
        policy.get_visible(session, policy.visible_cases(actor).where(Case.id == case_id), "case")
    if referral_id is not None:
        policy.get_visible(session, policy.visible_referrals(actor).where(
            Referral.id == referral_id), "referral")
    alert.actioned_case_id = case_id
    alert.actioned_referral_id = referral_id
    return _change(session, actor, alert, "actioned", AlertState.actioned, case_id=case_id,
                   referral_id=referral_id)


def dismiss_alert(session: Session, *, actor: Actor, alert_id: uuid.UUID, reason: str) -> Alert:
    """Close the alert as not needing action, with the reason (kept off the audit log)."""
    alert = _workable(session, actor, alert_id)
    text = reason.strip()
    if not text:
        raise InvalidInput("Say why the alert needs no action.")
    alert.dismissed_reason = text
    return _change(session, actor, alert, "dismissed", AlertState.dismissed, reason=text)


def snooze_alert(session: Session, *, actor: Actor, alert_id: uuid.UUID, until: date) -> Alert:
    """Hide an open alert from the lists until `until` (it wakes earlier if its level rises)."""
    alert = _workable(session, actor, alert_id)
    today = london_today()
    if until <= today:
        raise InvalidInput("Snooze until a date after today.")
    if until > today + timedelta(days=MAX_SNOOZE_DAYS):
        raise InvalidInput(f"Snooze for at most {MAX_SNOOZE_DAYS} days.")
    if alert.state not in OPEN_STATES:
        raise Conflict(f"This alert is {alert.state}; only an open alert is snoozed.")
    alert.snoozed_until = until
    return _change(session, actor, alert, "snoozed", AlertState(alert.state),
                   snoozed_until=until)
