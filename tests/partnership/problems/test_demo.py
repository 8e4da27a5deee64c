"""The problem-solving demo on a tiny synthetic county: a repeat ASB place in response."""

from __future__ import annotations

from sqlalchemy import func, select

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import User
from safetyhub.auth.service import actor_for
from safetyhub.db import job_session
from safetyhub.partnership.problems import demo, reads
from safetyhub.partnership.problems.models import Problem, ProblemAction, ProblemIncident
from safetyhub.timeutil import london_today


def test_the_demo_seeds_a_repeat_asb_place_with_a_response_under_way(county: str) -> None:
    today = london_today()
    with job_session() as session:
        demo.seed_demo(session, today=today)
    with job_session() as session:
        problems = list(session.scalars(select(Problem).order_by(Problem.created_at)))
        assert problems, "the demo opened no problem"
        repeat = problems[0]
        assert repeat.stage == "response" and repeat.response_started_on is not None
        linked = session.scalar(select(func.count()).select_from(ProblemIncident)
                                .where(ProblemIncident.problem_id == repeat.id))
        assert linked and linked >= 2
        assert session.scalar(select(func.count()).select_from(ProblemAction)) == 2
        officer = session.scalars(select(User).where(User.email == demo.OFFICER)).one()
        result = reads.assess(session, actor=actor_for(officer), problem_id=repeat.id,
                              today=today)
        assert result is not None and result.before + result.after >= 1
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "open_problem")) == len(problems)
