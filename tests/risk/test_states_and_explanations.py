"""Alert states as service verbs with audit, and explanations that never leak hidden records."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from safetyhub.risk import reads, service
from safetyhub.risk.explain import explain_for_person, explain_for_place
from safetyhub.risk.models import Alert
from safetyhub.sharing.vocabulary import DataCategory, Purpose
from safetyhub.timeutil import london_today
from tests.factories import (
    make_agreement,
    make_case,
    make_person_record,
    make_place,
    make_referral,
)
from tests.risk.conftest import Partnership, victimise


def _repeat_victim_alert(session: Session, county: Partnership, *, name: str = "Robin"
                         ) -> Alert:
    """A repeat-victim alert about a police victim, routed to the hub."""
    victim = make_person_record(session, county.police, given_name=name, family_name="Hale")
    victimise(session, county.police, victim, 100)
    incident = victimise(session, county.police, victim, 1)
    (alert,) = service.evaluate_after_incident(session, actor=county.act(county.officer),
                                               incident_id=incident.id)
    return alert


def _audit(session: Session, alert: Alert, action: str) -> dict[str, object]:
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_id == str(alert.id))).one()
    summary: dict[str, object] = json.loads(event.summary)
    return summary


def test_acknowledge_then_action_with_a_case(session: Session, county: Partnership) -> None:
    alert = _repeat_victim_alert(session, county)
    hub = county.act(county.hub_officer)
    service.acknowledge_alert(session, actor=hub, alert_id=alert.id)
    assert _audit(session, alert, "acknowledge_alert") == {
        "before": {"state": "new", "snoozed_until": None, "actioned_case_id": None,
                   "actioned_referral_id": None},
        "after": {"state": "acknowledged", "snoozed_until": None, "actioned_case_id": None,
                  "actioned_referral_id": None}}
    case = make_case(session, county.hub)
    service.action_alert(session, actor=hub, alert_id=alert.id, case_id=case.id)
    assert alert.state == "actioned" and not alert.is_open and alert.closed_at is not None
    assert _audit(session, alert, "action_alert")["after"]["actioned_case_id"] == str(case.id)  # type: ignore[index]
    with pytest.raises(Conflict):
        service.acknowledge_alert(session, actor=hub, alert_id=alert.id)


def test_action_with_a_referral_and_refuse_invisible_ones(session: Session,
                                                          county: Partnership) -> None:
    alert = _repeat_victim_alert(session, county)
    hub = county.act(county.hub_officer)
    hidden = make_referral(session, county.police, county.health)
    with pytest.raises(NotFound):
        service.action_alert(session, actor=hub, alert_id=alert.id, referral_id=hidden.id)
    with pytest.raises(InvalidInput):
        service.action_alert(session, actor=hub, alert_id=alert.id)
    mine = make_referral(session, county.hub, county.police)
    service.action_alert(session, actor=hub, alert_id=alert.id, referral_id=mine.id)
    assert alert.actioned_referral_id == mine.id


def test_dismiss_keeps_the_reason_off_the_audit_log(session: Session,
                                                    county: Partnership) -> None:
    alert = _repeat_victim_alert(session, county)
    service.dismiss_alert(session, actor=county.act(county.hub_officer), alert_id=alert.id,
                          reason="Robin Hale moved away; police confirmed.")
    assert alert.dismissed_reason == "Robin Hale moved away; police confirmed."
    summary = _audit(session, alert, "dismiss_alert")
    assert summary["after"]["reason_recorded"] is True  # type: ignore[index]
    assert "Robin" not in json.dumps(summary)
    with pytest.raises(InvalidInput):
        service.dismiss_alert(session, actor=county.act(county.hub_officer),
                              alert_id=_repeat_victim_alert(session, county, name="Kit").id,
                              reason="   ")


def test_snooze_hides_the_alert_until_the_date(session: Session, county: Partnership) -> None:
    alert = _repeat_victim_alert(session, county)
    hub = county.act(county.hub_officer)
    today = london_today()
    for bad in (today, today - timedelta(days=1), today + timedelta(days=91)):
        with pytest.raises(InvalidInput):
            service.snooze_alert(session, actor=hub, alert_id=alert.id, until=bad)
    service.snooze_alert(session, actor=hub, alert_id=alert.id, until=today + timedelta(days=7))
    assert alert.state == "new" and alert.snoozed_until == today + timedelta(days=7)
    assert reads.alerts_for_my_agency(session, actor=hub) == []
    listed = reads.list_alerts(session, actor=hub)
    assert [a.snoozed for a in listed.items] == [True]
    assert reads.list_alerts(session, actor=hub, include_snoozed=False).total == 0


def test_only_the_routed_agency_works_an_alert(session: Session, county: Partnership) -> None:
    alert = _repeat_victim_alert(session, county)
    with pytest.raises(NotFound):
        service.acknowledge_alert(session, actor=county.act(county.officer), alert_id=alert.id)
    with pytest.raises(NotFound):
        reads.get_alert(session, actor=county.act(county.officer), alert_id=alert.id)
    with pytest.raises(PermissionDenied):
        service.acknowledge_alert(session, actor=county.act(county.hub_analyst),
                                  alert_id=alert.id)
    with pytest.raises(NotFound):
        reads.get_alert(session, actor=county.act(county.hub_admin), alert_id=alert.id)
    assert reads.get_alert(session, actor=county.act(county.hub_analyst),
                           alert_id=alert.id).may_work is False


def test_without_an_agreement_the_hub_sees_only_counts(session: Session,
                                                       county: Partnership) -> None:
    alert = _repeat_victim_alert(session, county)
    hub = county.act(county.hub_officer)
    detail = reads.get_alert(session, actor=hub, alert_id=alert.id)
    assert detail.subject_label is None and detail.person_record_id is None
    assert detail.explanation.records == []
    assert detail.explanation.hidden.incidents == 2
    assert detail.explanation.hidden.agencies == 1
    assert detail.explanation.reasons[0].counts["occurrences"] == 2
    assert "Robin" not in detail.model_dump_json()
    reads_written = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "read", AuditEvent.actor_user_id == county.hub_officer.id)).all()
    assert reads_written == []


def test_with_an_agreement_the_hub_sees_the_records_and_each_read_is_audited(
        session: Session, county: Partnership) -> None:
    alert = _repeat_victim_alert(session, county)
    make_agreement(session, [county.police, county.hub], purposes=[Purpose.safeguarding],
                   categories=[DataCategory.incidents, DataCategory.person_identifiers])
    detail = reads.get_alert(session, actor=county.act(county.hub_officer), alert_id=alert.id)
    assert detail.subject_label == "Robin Hale"
    assert len(detail.explanation.records) == 2
    assert detail.explanation.hidden.incidents == 0
    revealed = session.scalars(select(AuditEvent.object_type).where(
        AuditEvent.action == "read", AuditEvent.actor_user_id == county.hub_officer.id)).all()
    assert sorted(revealed) == ["incident", "incident", "person_record"]
    assert {e.purpose for e in session.scalars(select(AuditEvent).where(
        AuditEvent.action == "read", AuditEvent.actor_user_id == county.hub_officer.id))} == {
        "safeguarding"}


def test_a_shared_case_reveals_only_its_own_records(session: Session,
                                                    county: Partnership) -> None:
    victim = make_person_record(session, county.police)
    older = victimise(session, county.police, victim, 100)
    make_case(session, county.council, members=[county.police], subjects=[victim],
              incidents=[older])
    incident = victimise(session, county.police, victim, 1)
    (alert,) = service.evaluate_after_incident(session, actor=county.act(county.officer),
                                               incident_id=incident.id)
    detail = reads.get_alert(session, actor=county.act(county.council_officer),
                             alert_id=alert.id)
    assert [r.record_id for r in detail.explanation.records] == [older.id]
    assert detail.explanation.hidden.incidents == 1


def test_explain_panel_for_a_person_and_a_place(session: Session, county: Partnership) -> None:
    victim = make_person_record(session, county.police)
    home = make_place(session)
    victimise(session, county.police, victim, 100, place=home)
    incident = victimise(session, county.police, victim, 1, place=home)
    (alert,) = service.evaluate_after_incident(session, actor=county.act(county.officer),
                                               incident_id=incident.id)
    officer = county.act(county.officer)
    (result,) = explain_for_person(session, actor=officer, person_record_id=victim.id)
    assert result.indicator == "repeat_victim" and result.alert_id is None  # routed to the hub
    assert len(result.explanation.records) == 2
    unrelated = make_person_record(session, county.hub)
    assert explain_for_person(session, actor=county.act(county.hub_officer),
                              person_record_id=unrelated.id) == []
    with pytest.raises(NotFound):
        explain_for_person(session, actor=county.act(county.nurse), person_record_id=victim.id)
    assert explain_for_place(session, actor=officer, place_id=home.id) == []
    assert alert.indicator == "repeat_victim"


def test_a_rising_level_wakes_a_snoozed_alert(session: Session, county: Partnership) -> None:
    victim = make_person_record(session, county.police)
    victimise(session, county.police, victim, 100)
    second = victimise(session, county.police, victim, 50)
    hub = county.act(county.hub_officer)
    (alert,) = service.evaluate_after_incident(session, actor=hub, incident_id=second.id)
    service.snooze_alert(session, actor=hub, alert_id=alert.id,
                         until=london_today() + timedelta(days=30))
    third = victimise(session, county.police, victim, 1)
    (same,) = service.evaluate_after_incident(session, actor=hub, incident_id=third.id)
    assert same.id == alert.id and same.level == "high" and same.snoozed_until is None
    assert [a.id for a in reads.alerts_for_my_agency(session, actor=hub)] == [alert.id]
