"""Alerts and linkage happen in the same request as the record that triggers them."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.people.models import IdentityLink
from safetyhub.risk.models import Alert
from safetyhub.timeutil import utcnow
from tests.factories import headers_for, make_org, make_user


def test_recording_incidents_through_the_api_raises_a_repeat_victim_alert(
    client: TestClient, session: Session
) -> None:
    police = make_org(session, "Live Hook Police")
    headers = headers_for(session, make_user(session, police))
    person = client.post(
        "/api/people", headers=headers,
        json={"given_name": "Robin", "family_name": "Hooklinson", "date_of_birth": "1980-02-03"},
    )
    assert person.status_code == 201, person.text
    person_id = uuid.UUID(person.json()["id"])
    # The new record joined an Identity in the same request (no model trained: on its own).
    link = session.scalar(select(IdentityLink).where(IdentityLink.person_record_id == person_id))
    assert link is not None
    for days_ago in (40, 10):
        response = client.post("/api/incidents", headers=headers, json={
            "category": "asb_personal",
            "occurred_at": (utcnow() - timedelta(days=days_ago)).isoformat(),
            "narrative": "Threatened on the doorstep.",
            "parties": [{"person_record_id": str(person_id), "role": "victim"}],
        })
        assert response.status_code == 201, response.text
    alerts = session.scalars(
        select(Alert).where(Alert.indicator == "repeat_victim", Alert.is_open.is_(True))
    ).all()
    ours = (person_id, link.identity_id)
    mine = [a for a in alerts if a.person_record_id in ours or a.identity_id in ours]
    assert len(mine) == 1
