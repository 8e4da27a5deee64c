"""The one audit writer, and the chain verifier.

Each event carries the hash of the previous one (SHA-256 over a canonical JSON of its fields),
so editing, deleting or reordering any row breaks the chain from that row on.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.timeutil import utcnow

if TYPE_CHECKING:
    from safetyhub.auth.actor import Actor

GENESIS_HASH = "0" * 64
# Any constant works: it names the PostgreSQL advisory lock that serialises audit writers.
_PG_AUDIT_LOCK = 727274


def _json_default(value: object) -> str:
    if isinstance(value, uuid.UUID | datetime):
        return str(value) if isinstance(value, uuid.UUID) else value.isoformat()
    return str(value)


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces, so the same content always hashes the same."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=_json_default)


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def event_hash(event: AuditEvent) -> str:
    """The hash of an event's content and its predecessor's hash."""
    content = {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_user_id": _opt(event.actor_user_id),
        "actor_label": event.actor_label,
        "organisation_id": _opt(event.organisation_id),
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "owner_organisation_id": _opt(event.owner_organisation_id),
        "purpose": event.purpose,
        "summary": event.summary,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: uuid.UUID | str | None,
    owner_organisation_id: uuid.UUID | None = None,
    purpose: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event in the caller's transaction (the one writer of the audit log)."""
    if session.get_bind().dialect.name == "postgresql":
        # Serialise writers so two transactions never chain onto the same predecessor.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_LOCK})
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    summary: dict[str, Any] = {}
    if before is not None:
        summary["before"] = dict(before)
    if after is not None:
        summary["after"] = dict(after)
    event = AuditEvent(
        id=uuid.uuid4(),
        seq=seq,
        # Stored to the microsecond on both backends, so the hash input survives a round trip.
        at=utcnow(),
        actor_user_id=actor.user_id,
        actor_label=actor.label,
        organisation_id=actor.organisation_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        owner_organisation_id=owner_organisation_id,
        purpose=None if purpose is None else str(purpose),
        summary=canonical_json(summary),
        prev_hash=prev_hash,
        hash="",
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush([event])
    return event


@dataclass(frozen=True)
class ChainReport:
    """The result of verifying the audit chain."""

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str | None = None


def verify_chain(session: Session, *, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first row that was edited, deleted or reordered."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    rows = session.execute(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch_size)
    ).scalars()
    for event in rows:
        if event.seq != expected_seq:
            return ChainReport(
                False, checked, expected_seq,
                f"row {expected_seq} is missing (next row found is {event.seq})",
            )
        if event.prev_hash != expected_prev:
            return ChainReport(
                False, checked, event.seq,
                f"row {event.seq} does not follow row {event.seq - 1} (deleted or reordered)",
            )
        if event_hash(event) != event.hash:
            return ChainReport(
                False, checked, event.seq, f"row {event.seq} was changed after it was written"
            )
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    return ChainReport(True, checked)
