"""The demo's partnership work: directory, meetings and commitments, problems, conferences."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from safetyhub.conferences import demo as conferences
from safetyhub.db import job_session
from safetyhub.partnership.meetings import demo as meetings
from safetyhub.partnership.problems import demo as problems
from safetyhub.referrals.directory import demo as directory

# In this order: conferences put the alerts and cases of the seeded county on their agendas.
SEEDERS: tuple[Callable[..., None], ...] = (
    directory.seed_demo, meetings.seed_demo, problems.seed_demo, conferences.seed_demo,
)


def seed_partnership_work(*, today: date) -> None:
    """Seed every area's demo example on top of the synthetic county (one transaction)."""
    with job_session() as session:
        for seed in SEEDERS:
            seed(session, today=today)
