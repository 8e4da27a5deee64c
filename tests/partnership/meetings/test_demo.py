"""The partnership demo on a tiny synthetic county: assembly, coming meeting, commitments."""

from __future__ import annotations

from sqlalchemy import func, select

from safetyhub.auth.models import User
from safetyhub.auth.service import actor_for
from safetyhub.db import job_session
from safetyhub.partnership.commitments import reads as commitment_reads
from safetyhub.partnership.meetings import demo, reads
from safetyhub.partnership.meetings.models import Meeting
from safetyhub.timeutil import london_today


def test_demo_seeds_assembly_meeting_and_commitments(county: str) -> None:
    today = london_today()
    with job_session() as session:
        demo.seed_demo(session, today=today)
        demo.seed_demo(session, today=today)  # idempotent
    with job_session() as session:
        assert int(session.scalar(select(func.count()).select_from(Meeting)) or 0) == 2
        office = session.scalars(select(User).where(User.email == demo.OFFICE)).one()
        actor = actor_for(office)
        meetings = reads.list_meetings(session, actor=actor)
        assembly = next(m for m in meetings if m.title == demo.ASSEMBLY)
        assert assembly.attended < assembly.invited
        report = commitment_reads.progress_report(session, actor=actor, today=today)
        assert sum(line.total for line in report.by_priority) == 12
        assert 0 < len(report.overdue) < 12
