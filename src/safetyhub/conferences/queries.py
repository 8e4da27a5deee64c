"""Selects for case conferences, always starting from the access policy."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.conferences.models import (
    Conference,
    ConferenceAction,
    ConferenceItem,
    ConferenceMember,
    ConferenceNote,
)
from safetyhub.errors import NotFound
from safetyhub.sharing import policy


def conference_by_id(actor: Actor, conference_id: uuid.UUID) -> Select[tuple[Conference]]:
    """One conference, if the actor's agency is invited to it."""
    return policy.visible_conferences(actor).where(Conference.id == conference_id)


def conferences_newest_first(actor: Actor) -> Select[tuple[Conference]]:
    """Conferences the actor may see, the latest meeting first."""
    return policy.visible_conferences(actor).order_by(Conference.held_on.desc(),
                                                      Conference.created_at.desc())


def member_ids(session: Session, conference_id: uuid.UUID) -> set[uuid.UUID]:
    """Agencies invited to the conference (the caller has read it)."""
    return set(session.scalars(select(ConferenceMember.organisation_id).where(
        ConferenceMember.conference_id == conference_id)))


def attending_ids(session: Session, conference_id: uuid.UUID) -> set[uuid.UUID]:
    """Agencies recorded as attending."""
    return set(session.scalars(select(ConferenceMember.organisation_id).where(
        ConferenceMember.conference_id == conference_id, ConferenceMember.attended.is_(True))))


def members_of(session: Session, conference_id: uuid.UUID) -> list[ConferenceMember]:
    """The member rows of a conference."""
    return list(session.scalars(select(ConferenceMember).where(
        ConferenceMember.conference_id == conference_id).order_by(ConferenceMember.created_at)))


def may_read_discussion(session: Session, actor: Actor, conference_id: uuid.UUID) -> bool:
    """The actor's agency attended and is party to the in-force agreement (sharing.policy)."""
    statement = select(Conference.id).where(
        Conference.id == conference_id, policy.conference_readable(actor),
        policy.conference_discussion_readable(actor))
    return session.scalar(statement) is not None


def same_item(conference_id: uuid.UUID, case_id: uuid.UUID | None, alert_id: uuid.UUID | None,
              dash_assessment_id: uuid.UUID | None) -> Select[tuple[uuid.UUID]]:
    """The id of an agenda item about the same record, if any."""
    return select(ConferenceItem.id).where(
        ConferenceItem.conference_id == conference_id,
        and_(ConferenceItem.case_id == case_id) if case_id else
        and_(ConferenceItem.alert_id == alert_id) if alert_id else
        and_(ConferenceItem.dash_assessment_id == dash_assessment_id),
    )


def items_of(session: Session, conference_id: uuid.UUID) -> list[ConferenceItem]:
    """The agenda in order (the caller has read the conference; content is checked per item)."""
    return list(session.scalars(select(ConferenceItem).where(
        ConferenceItem.conference_id == conference_id).order_by(ConferenceItem.position)))


def item_of(session: Session, conference_id: uuid.UUID, item_id: uuid.UUID) -> ConferenceItem:
    """One agenda item of the conference (404 otherwise)."""
    item = session.scalars(select(ConferenceItem).where(
        ConferenceItem.conference_id == conference_id, ConferenceItem.id == item_id)).first()
    if item is None:
        raise NotFound("No agenda item with that id on this conference.")
    return item


def visible_notes(actor: Actor, conference_id: uuid.UUID) -> Select[tuple[ConferenceNote]]:
    """The conference's notes the actor may read, oldest first."""
    return policy.visible_conference_notes(actor).where(
        ConferenceNote.conference_id == conference_id).order_by(ConferenceNote.created_at)


def visible_actions(actor: Actor, conference_id: uuid.UUID) -> Select[tuple[ConferenceAction]]:
    """The conference's actions the actor may read, soonest due first."""
    return policy.visible_conference_actions(actor).where(
        ConferenceAction.conference_id == conference_id,
    ).order_by(ConferenceAction.due_date, ConferenceAction.created_at)


def action_by_id(actor: Actor, conference_id: uuid.UUID,
                 action_id: uuid.UUID) -> Select[tuple[ConferenceAction]]:
    """One action of the conference, if the actor may read it."""
    return visible_actions(actor, conference_id).where(ConferenceAction.id == action_id)
