"""The conferences demo on a tiny synthetic county: a MARAC next week and a closed community
MARAC with notes and actions, all audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from safetyhub import migrate
from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import User
from safetyhub.auth.service import actor_for
from safetyhub.conferences import demo, reads
from safetyhub.conferences.models import Conference, ConferenceAction, ConferenceNote
from safetyhub.conferences.service import local_today
from safetyhub.config import get_settings
from safetyhub.db import job_session
from safetyhub.synthetic.service import seed_database


@pytest.fixture
def county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setenv("SAFETYHUB_DATABASE_URL", url)
    get_settings.cache_clear()
    migrate.upgrade(url)
    seed_database(scale="tiny", seed=5, ground_truth_path=None, progress=False,
                  today=local_today())
    yield url
    get_settings.cache_clear()


def test_the_demo_seeds_a_marac_and_a_closed_community_marac(county: str) -> None:
    today = local_today()
    with job_session() as session:
        demo.seed_demo(session, today=today)
    with job_session() as session:
        conferences = {c.kind: c for c in session.scalars(select(Conference))}
        marac, community = conferences["marac"], conferences["community_marac"]
        assert marac.status == "scheduled" and marac.held_on > today
        assert community.status == "closed" and community.held_on < today
        assert community.minutes
        chair = session.scalars(select(User).where(User.email == demo.CHAIR)).one()
        detail = reads.get_conference(session, actor=actor_for(chair), conference_id=marac.id)
        kinds = {i.subject.kind for i in detail.items}
        assert {"dash_assessment", "case"} <= kinds
        assert all(i.subject.visible for i in detail.items)
        assert session.scalar(select(func.count()).select_from(ConferenceNote)) == 2
        assert session.scalar(select(func.count()).select_from(ConferenceAction)) == 2
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "close_conference")) == 1
