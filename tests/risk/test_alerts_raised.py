"""Alerts raised in the same transaction as the incident: routed, deduplicated, updated."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.actor import Actor
from safetyhub.incidents.models import IncidentCategory, PartyRole
from safetyhub.risk import service
from safetyhub.risk.models import Alert, AlertRecord, AlertRoute, AlertStateChange
from safetyhub.timeutil import utcnow
from tests.factories import (
    make_case,
    make_identity,
    make_incident,
    make_person_record,
    make_place,
)
from tests.risk.conftest import Partnership, victimise

MH = IncidentCategory.mental_health_crisis


def _routes(session: Session, alert: Alert) -> dict[object, str]:
    return dict(session.execute(select(AlertRoute.organisation_id, AlertRoute.reason)
                                .where(AlertRoute.alert_id == alert.id)).tuples().all())


def _open(session: Session, indicator: str) -> list[Alert]:
    return list(session.scalars(select(Alert).where(Alert.indicator == indicator,
                                                    Alert.is_open.is_(True))))


def test_second_victimisation_raises_a_repeat_victim_alert_to_the_hub(
        session: Session, county: Partnership) -> None:
    victim = make_person_record(session, county.police, given_name="Sam", family_name="Rivers")
    victimise(session, county.police, victim, 100)
    officer = county.act(county.officer)
    first = victimise(session, county.police, victim, 1)
    alerts = service.evaluate_after_incident(session, actor=officer, incident_id=first.id)
    (alert,) = [a for a in alerts if a.indicator == "repeat_victim"]
    assert alert.level == "medium"
    assert alert.subject_key == f"person:{victim.id}"
    assert _routes(session, alert) == {county.hub.id: "partnership_hub"}
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "raise_alert", AuditEvent.object_id == str(alert.id))).one()
    assert event.actor_user_id == county.officer.id
    assert "Sam" not in event.summary and "Rivers" not in event.summary
    assert json.loads(event.summary)["after"]["records"] == 2


def test_one_incident_raises_nothing(session: Session, county: Partnership) -> None:
    victim = make_person_record(session, county.police)
    incident = victimise(session, county.police, victim, 1)
    assert service.evaluate_after_incident(session, actor=county.act(county.officer),
                                           incident_id=incident.id) == []


def test_an_identity_counts_across_agencies(session: Session, county: Partnership) -> None:
    at_police = make_person_record(session, county.police)
    at_health = make_person_record(session, county.health)
    identity = make_identity(session, [at_police, at_health])
    victimise(session, county.health, at_health, 30)
    incident = victimise(session, county.police, at_police, 1)
    alerts = service.evaluate_after_incident(session, actor=county.act(county.officer),
                                             incident_id=incident.id)
    (alert,) = [a for a in alerts if a.indicator == "repeat_victim"]
    assert alert.subject_key == f"identity:{identity.id}"
    assert alert.identity_id == identity.id


def test_evidence_updates_the_open_alert_instead_of_raising_another(
        session: Session, county: Partnership) -> None:
    victim = make_person_record(session, county.police)
    officer = county.act(county.officer)
    victimise(session, county.police, victim, 100)
    second = victimise(session, county.police, victim, 50)
    (raised,) = service.evaluate_after_incident(session, actor=officer, incident_id=second.id)
    third = victimise(session, county.council, victim, 1)
    (updated,) = [a for a in service.evaluate_after_incident(session, actor=officer,
                                                             incident_id=third.id)
                  if a.indicator == "repeat_victim"]
    assert updated.id == raised.id
    assert updated.level == "high"
    assert len(_open(session, "repeat_victim")) == 1
    records = session.scalar(select(func.count()).select_from(AlertRecord)
                             .where(AlertRecord.alert_id == raised.id))
    assert records == 3
    actions = list(session.scalars(select(AlertStateChange.action)
                                   .where(AlertStateChange.alert_id == raised.id)
                                   .order_by(AlertStateChange.at)))
    assert actions == ["raised", "updated"]
    # The same evidence again changes nothing and writes nothing.
    service.evaluate_after_incident(session, actor=officer, incident_id=third.id)
    assert session.scalar(select(func.count()).select_from(AlertStateChange)
                          .where(AlertStateChange.alert_id == raised.id)) == 2


def test_the_database_refuses_a_second_open_alert(session: Session, county: Partnership) -> None:
    victim = make_person_record(session, county.police)
    victimise(session, county.police, victim, 100)
    incident = victimise(session, county.police, victim, 1)
    (alert,) = service.evaluate_after_incident(session, actor=county.act(county.officer),
                                               incident_id=incident.id)
    duplicate = Alert(indicator=alert.indicator, subject_kind=alert.subject_kind,
                      subject_key=alert.subject_key, level="medium", score=1.0, is_open=True)
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(duplicate)
        session.flush()


def test_an_open_case_routes_to_its_lead_agency(session: Session, county: Partnership) -> None:
    victim = make_person_record(session, county.police)
    make_case(session, county.council, members=[county.police], subjects=[victim])
    victimise(session, county.police, victim, 100)
    incident = victimise(session, county.police, victim, 1)
    (alert,) = service.evaluate_after_incident(session, actor=county.act(county.officer),
                                               incident_id=incident.id)
    assert _routes(session, alert) == {county.council.id: "case_lead"}


def test_mental_health_crises_go_to_health_and_police_only_with_immediate_risk(
        session: Session, county: Partnership) -> None:
    patient = make_person_record(session, county.health)
    nurse = county.act(county.nurse)
    for days in (40, 20):
        victimise(session, county.health, patient, days, category=MH, role=PartyRole.subject,
                  narrative="Low mood, seen at home.")
    third = victimise(session, county.health, patient, 1, category=MH, role=PartyRole.subject,
                      narrative="Low mood again.")
    (alert,) = service.evaluate_after_incident(session, actor=nurse, incident_id=third.id)
    assert alert.indicator == "mental_health"
    assert _routes(session, alert) == {county.health.id: "right_care_health"}
    fourth = victimise(session, county.health, patient, 0.5, category=MH,
                       role=PartyRole.subject, narrative="Found on the railway bridge.")
    (updated,) = service.evaluate_after_incident(session, actor=nurse, incident_id=fourth.id)
    assert updated.id == alert.id and updated.level == "high"
    assert _routes(session, alert) == {county.health.id: "right_care_health",
                                       county.police.id: "right_care_police"}


def test_a_new_record_at_a_third_agency_raises_known_to_many(
        session: Session, county: Partnership) -> None:
    records = [make_person_record(session, org)
               for org in (county.police, county.council, county.housing)]
    make_identity(session, records)
    alerts = service.evaluate_after_person_record(session, actor=county.act(county.officer),
                                                  person_record_id=records[-1].id)
    assert [a.indicator for a in alerts] == ["known_to_many"]
    assert _routes(session, alerts[0]) == {county.hub.id: "partnership_hub"}


def test_cuckooing_signs_at_a_vulnerable_adults_home_raise_a_place_alert(
        session: Session, county: Partnership) -> None:
    home = make_place(session, address="Flat 3, Kestrel House, Guildford")
    resident = make_person_record(session, county.council, address="Flat 3, Kestrel House")
    victimise(session, county.council, resident, 200, category=IncidentCategory.welfare_concern,
              place=home, role=PartyRole.subject)
    victimise(session, county.housing, make_person_record(session, county.housing), 20,
              category=IncidentCategory.asb_nuisance, place=home, role=PartyRole.complainant)
    victimise(session, county.housing, make_person_record(session, county.housing), 10,
              category=IncidentCategory.asb_nuisance, place=home, role=PartyRole.complainant)
    drugs = make_incident(session, county.police, place=home, category=IncidentCategory.drugs,
                          occurred_at=utcnow() - timedelta(days=2), parties=[
                              (make_person_record(session, county.police, given_name=name),
                               PartyRole.subject) for name in ("Dean", "Kyle")])
    alerts = service.evaluate_after_incident(session, actor=county.act(county.officer),
                                             incident_id=drugs.id)
    (alert,) = [a for a in alerts if a.indicator == "exploitation"]
    assert alert.place_id == home.id and alert.subject_kind == "place"


def test_a_persons_alert_follows_them_into_an_identity(session: Session,
                                                       county: Partnership) -> None:
    at_police = make_person_record(session, county.police)
    officer = county.act(county.officer)
    victimise(session, county.police, at_police, 100)
    second = victimise(session, county.police, at_police, 50)
    (alert,) = service.evaluate_after_incident(session, actor=officer, incident_id=second.id)
    at_health = make_person_record(session, county.health)
    make_identity(session, [at_police, at_health])
    third = victimise(session, county.health, at_health, 1)
    service.evaluate_after_incident(session, actor=officer, incident_id=third.id)
    (only,) = _open(session, "repeat_victim")
    assert only.id == alert.id
    assert only.subject_kind == "identity" and only.level == "high"


def test_dismissed_evidence_raises_nothing_until_something_new_happens(
        session: Session, county: Partnership) -> None:
    victim = make_person_record(session, county.police)
    victimise(session, county.police, victim, 100)
    second = victimise(session, county.police, victim, 50)
    hub: Actor = county.act(county.hub_officer)
    (alert,) = service.evaluate_after_incident(session, actor=hub, incident_id=second.id)
    service.dismiss_alert(session, actor=hub, alert_id=alert.id, reason="Known and managed.")
    assert service.evaluate_after_incident(session, actor=hub, incident_id=second.id) == []
    third = victimise(session, county.police, victim, 1)
    (again,) = service.evaluate_after_incident(session, actor=hub, incident_id=third.id)
    assert again.id != alert.id and again.state == "new"


def test_the_batch_run_raises_the_same_alerts_and_a_rerun_changes_nothing(
        session: Session, county: Partnership) -> None:
    victim = make_person_record(session, county.police)
    victimise(session, county.police, victim, 100)
    victimise(session, county.council, victim, 10)
    system = Actor.system("cli:risk run")
    sizes: list[int] = []
    report = service.run_batch(session, actor=system, as_of=utcnow() + timedelta(seconds=1),
                               on_start=sizes.append)
    assert report.raised >= 1 and sizes == [report.evaluated]
    assert report.subjects >= report.evaluated
    (alert,) = _open(session, "repeat_victim")
    assert alert.subject_key == f"person:{victim.id}"
    rerun = service.run_batch(session, actor=system)
    assert rerun.raised == 0 and rerun.updated == 0 and rerun.unchanged == report.raised


def test_only_an_operator_runs_the_batch(session: Session, county: Partnership) -> None:
    from safetyhub.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        service.run_batch(session, actor=county.act(county.hub_officer))
