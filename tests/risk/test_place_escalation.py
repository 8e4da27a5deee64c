"""Escalation at a place: raised with the incident, routed like other place alerts, explained
through the access policy (another agency's incidents are counts unless an agreement allows)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.config import get_settings
from safetyhub.incidents.models import Incident, IncidentCategory
from safetyhub.places.models import Place
from safetyhub.risk import reads, service
from safetyhub.risk.explain import explain_for_place
from safetyhub.risk.models import Alert, AlertRoute
from safetyhub.risk.raising import reasons_of
from safetyhub.sharing.vocabulary import DataCategory, Purpose
from safetyhub.timeutil import utcnow
from tests.factories import make_agreement, make_case, make_incident, make_place
from tests.risk.conftest import Partnership

SECRET = "<script>alert('only the recording agency reads this')</script>"


def _escalating(session: Session, county: Partnership, *, recent: int = 6) -> tuple[Place,
                                                                                     Incident]:
    """Nuisance reported to the council twice last year, then robberies reported to police."""
    spot = make_place(session, address="Kestrel Court, Guildford")
    for days in (200, 300):
        make_incident(session, county.council, place=spot, narrative=SECRET,
                      occurred_at=utcnow() - timedelta(days=days))
    last = None
    for k in range(recent):
        last = make_incident(session, county.police, place=spot, narrative=SECRET,
                             category=IncidentCategory.robbery,
                             occurred_at=utcnow() - timedelta(days=5 + 10 * k))
    assert last is not None
    return spot, last


def _place_alerts(session: Session, place: Place) -> list[Alert]:
    return list(session.scalars(select(Alert).where(Alert.place_id == place.id,
                                                    Alert.indicator == "place_escalation")))


def test_rising_robberies_at_a_place_raise_a_high_alert_to_the_hub(
        session: Session, county: Partnership) -> None:
    spot, last = _escalating(session, county)
    alerts = service.evaluate_after_incident(session, actor=county.act(county.officer),
                                             incident_id=last.id)
    (alert,) = [a for a in alerts if a.indicator == "place_escalation"]
    assert alert.subject_kind == "place" and alert.subject_key == f"place:{spot.id}"
    assert alert.level == "high"
    routes = dict(session.execute(select(AlertRoute.organisation_id, AlertRoute.reason)
                                  .where(AlertRoute.alert_id == alert.id)).tuples().all())
    assert routes == {county.hub.id: "partnership_hub"}


def test_one_robbery_fewer_raises_only_on_severity(session: Session,
                                                   county: Partnership) -> None:
    _, last = _escalating(session, county, recent=5)
    (alert,) = [a for a in service.evaluate_after_incident(
        session, actor=county.act(county.officer), incident_id=last.id)
        if a.indicator == "place_escalation"]
    assert alert.level == "medium"
    assert [r["rule"] for r in reasons_of(alert)] == ["escalation_severity"]


def test_an_open_case_about_the_place_routes_to_its_lead(session: Session,
                                                         county: Partnership) -> None:
    spot, last = _escalating(session, county)
    case = make_case(session, county.council, kind="place_problem")
    case.place_id = spot.id
    session.flush()
    service.evaluate_after_incident(session, actor=county.act(county.officer),
                                    incident_id=last.id)
    (alert,) = _place_alerts(session, spot)
    routed = session.scalars(select(AlertRoute.organisation_id)
                             .where(AlertRoute.alert_id == alert.id)).all()
    assert routed == [county.council.id]


def test_the_explanation_gives_reasons_and_hides_what_the_policy_hides(
        session: Session, county: Partnership) -> None:
    spot, last = _escalating(session, county)
    service.evaluate_after_incident(session, actor=county.act(county.officer),
                                    incident_id=last.id)
    (alert,) = _place_alerts(session, spot)
    hub = county.act(county.hub_officer)
    detail = reads.get_alert(session, actor=hub, alert_id=alert.id)
    assert detail.indicator_name == "Escalation at a place"
    frequency = next(r for r in detail.explanation.reasons if r.rule == "escalation_frequency")
    assert frequency.counts["recent"] == 6 and frequency.counts["baseline"] == 2
    assert frequency.window_days == 90
    assert detail.explanation.records == []
    assert detail.explanation.hidden.incidents == 8
    assert detail.explanation.hidden.agencies == 2
    assert "recording agency" not in detail.model_dump_json()  # no narrative
    make_agreement(session, [county.police, county.hub], purposes=[Purpose.safeguarding],
                   categories=[DataCategory.incidents])
    shared = reads.get_alert(session, actor=hub, alert_id=alert.id)
    assert len(shared.explanation.records) == 6  # the police robberies, under the agreement
    assert shared.explanation.hidden.incidents == 2  # the council's stay counts
    assert shared.explanation.hidden.agencies == 1
    panel = explain_for_place(session, actor=county.act(county.officer), place_id=spot.id)
    assert "place_escalation" in {r.indicator for r in panel}


def test_switched_off_in_the_partnership_file_it_raises_nothing(
        session: Session, county: Partnership, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "indicators.toml"
    own.write_text("[place_escalation]\nenabled = false\n", encoding="utf-8")
    monkeypatch.setenv("SAFETYHUB_RISK_CONFIG_PATH", str(own))
    get_settings.cache_clear()
    spot, last = _escalating(session, county)
    service.evaluate_after_incident(session, actor=county.act(county.officer),
                                    incident_id=last.id)
    assert _place_alerts(session, spot) == []
