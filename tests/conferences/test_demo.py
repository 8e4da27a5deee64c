"""The conferences demo on a tiny synthetic county: a MARAC next week and a closed community
MARAC with notes and actions, all audited."""

from __future__ import annotations

from sqlalchemy import func, select

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import User
from safetyhub.auth.service import actor_for
from safetyhub.conferences import demo, reads
from safetyhub.conferences.models import Conference, ConferenceAction, ConferenceNote
from safetyhub.db import job_session
from safetyhub.timeutil import london_today


def test_the_demo_seeds_a_marac_and_a_closed_community_marac(county: str) -> None:
    today = london_today()
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


def test_the_demo_users_reach_and_read_the_conferences(county: str) -> None:
    with job_session() as session:
        demo.seed_demo(session, today=london_today())
    with job_session() as session:
        conferences = {c.kind: c for c in session.scalars(select(Conference))}
        marac, community = conferences["marac"], conferences["community_marac"]
        expected = {
            "alex.morgan@surrey-police.example": {marac.id, community.id},
            "mark.ellis@surrey-police.example": {marac.id, community.id},
            "hannah.price@surrey-da-outreach.example": {marac.id},
            "grace.okafor@sabp-nhs.example": {marac.id},
            "priya.shah@guildford-council.example": {marac.id, community.id},
        }
        for email, ids in expected.items():
            user = session.scalars(select(User).where(User.email == email)).one()
            reader = actor_for(user)
            listed = {c.id for c in reads.list_conferences(session, actor=reader).items}
            assert listed == ids, email
            agenda = reads.get_conference(session, actor=reader, conference_id=marac.id).items
            assert agenda and any(i.subject.visible for i in agenda), email
        # The MARAC agencies' practitioners read the whole MARAC agenda (DASH referral included).
        for email in ("hannah.price@surrey-da-outreach.example", "grace.okafor@sabp-nhs.example"):
            user = session.scalars(select(User).where(User.email == email)).one()
            detail = reads.get_conference(session, actor=actor_for(user), conference_id=marac.id)
            assert all(i.subject.visible for i in detail.items), email
        council = session.scalars(select(User).where(User.email == demo.COUNCIL_OFFICER)).one()
        closed = reads.get_conference(session, actor=actor_for(council),
                                      conference_id=community.id)
        assert closed.may_read_discussion and closed.minutes
        assert sum(len(i.notes) for i in closed.items) == 2
        chair = session.scalars(select(User).where(User.email == demo.CHAIR)).one()
        coming = reads.next_marac(session, actor=actor_for(chair))
        assert coming is not None and coming.id == marac.id
