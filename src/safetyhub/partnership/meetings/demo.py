"""Demo: the Surrey Community Safety Assembly (held, with attendance, minutes and decisions), the
coming quarterly partnership meeting, and a dozen commitments across the agreement's priorities,
some overdue, in the synthetic county. Every change goes through the audited verbs."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.auth.models import User
from safetyhub.auth.service import actor_for
from safetyhub.organisations.models import Organisation
from safetyhub.partnership.commitments import service as commitments
from safetyhub.partnership.commitments.models import CommitmentStatus, Priority
from safetyhub.partnership.meetings import service
from safetyhub.partnership.meetings.models import Meeting, MeetingKind
from safetyhub.partnership.meetings.schemas import ActionCreate

OFFICE = "claire.hughes@surrey-opcc.example"
ASSEMBLY = "Surrey Community Safety Assembly"
# (priority code, commitment, days from today it is due, status)
COMMITMENTS = [
    ("anti_social_behaviour", "Run monthly ASB surgeries in every ward", -20, "on_track"),
    ("anti_social_behaviour", "Answer every ASB Case Review within the deadlines", 60, "on_track"),
    ("mental_ill_health", "Agree Right Care, Right Person call handling with health", -5,
     "at_risk"),
    ("mental_ill_health", "Train front-line staff in mental-health first aid", 90, "not_started"),
    ("criminal_exploitation", "Map cuckooing risk addresses with housing partners", -40,
     "not_started"),
    ("criminal_exploitation", "Share county lines intelligence within 48 hours", 30, "on_track"),
    ("vawg", "Extend the Safer Streets night-time patrols", -60, "done"),
    ("vawg", "Fund two more IDVAs for the county", 120, "on_track"),
    ("reducing_inequalities", "Target prevention work at the most deprived LSOAs", 45,
     "at_risk"),
    ("information_sharing", "Renew the county information sharing protocol", -1, "on_track"),
    ("information_sharing", "Connect every partner to SafetyHub", 0, "on_track"),
    ("public_trust", "Publish quarterly community safety figures", -90, "dropped"),
]


def seed_demo(session: Session, *, today: date) -> None:
    """Seed the assembly, the coming meeting and the commitments (skips if already there)."""
    user = session.scalars(select(User).where(User.email == OFFICE)).first()
    if user is None or session.scalar(select(Priority.id).limit(1)) is None:
        return
    if session.scalar(select(Meeting.id).where(Meeting.title == ASSEMBLY)) is not None:
        return
    actor = actor_for(user)
    organisations = session.scalars(select(Organisation).order_by(Organisation.name)).all()
    partners = [org for org in organisations if org.id != user.organisation_id][:12]
    if not partners:
        return
    priorities = {p.code: p.id for p in session.scalars(select(Priority))}
    assembly = service.create_meeting(
        session, actor=actor, kind=MeetingKind.assembly, title=ASSEMBLY,
        held_on=today - timedelta(days=42), venue="Dorking Halls, Dorking",
        themes="Violence against women and girls\nRight Care, Right Person\n"
               "Workshop: tackling cuckooing together",
        invited_organisation_ids=[org.id for org in partners],
    )
    service.record_attendance(session, actor=actor, meeting_id=assembly.id,
                              attended_organisation_ids=[org.id for org in partners[:-3]])
    service.record_minutes(
        session, actor=actor, meeting_id=assembly.id,
        agenda="1. Welcome from the Commissioner\n2. The county picture\n3. Workshops\n"
               "4. Commitments for the year",
        minutes="The Commissioner welcomed partners. The analyst presented the county picture.\n"
                "Workshops discussed VAWG, mental-health calls and cuckooing.",
    )
    owner = partners[0]
    service.record_decision(
        session, actor=actor, meeting_id=assembly.id,
        text="Adopt a county-wide approach to cuckooing, led by housing and police together.",
        actions=[ActionCreate(text="Draft the cuckooing protocol", owner_organisation_id=owner.id,
                              due_on=today - timedelta(days=7))],
    )
    service.create_meeting(
        session, actor=actor, kind=MeetingKind.meeting, title="Quarterly partnership meeting",
        held_on=today + timedelta(days=21), venue="Guildford Borough Council, Millmead",
        themes="Progress on the Community Safety Agreement",
        invited_organisation_ids=[org.id for org in partners],
    )
    for index, (code, text, days, status) in enumerate(COMMITMENTS):
        if code not in priorities:
            continue
        commitment = commitments.make_commitment(
            session, actor=actor, organisation_id=partners[index % len(partners)].id,
            priority_id=priorities[code], text=text, due_on=today + timedelta(days=days),
        )
        if status != CommitmentStatus.not_started:
            commitments.set_commitment_status(session, actor=actor, commitment_id=commitment.id,
                                              status=CommitmentStatus(status))
        if status in ("on_track", "done"):
            commitments.add_progress(session, actor=actor, commitment_id=commitment.id,
                                     text="Reported at the assembly.",
                                     noted_on=min(today, today - timedelta(days=42)))
