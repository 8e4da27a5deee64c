"""The audit log is append-only in the database, and the hash chain detects any tampering."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.audit.models import AuditEvent
from safetyhub.auth.actor import Actor
from tests.cli.databases import disable_audit_guards


def write_events(session: Session, count: int = 5) -> list[AuditEvent]:
    """Append `count` events through the one audit writer."""
    writer = Actor.system("test:audit")
    return [
        audit.record(
            session, actor=writer, action="test_event", object_type="thing",
            object_id=uuid.uuid4(), after={"n": n},
        )
        for n in range(count)
    ]


def run(session: Session, statement: str, **params: object) -> None:
    session.execute(text(statement), params)


def test_fresh_chain_verifies(session: Session) -> None:
    events = write_events(session)
    report = audit.verify_chain(session)
    assert report.ok, report
    assert report.checked == session.scalar(select(func.count()).select_from(AuditEvent))
    assert report.first_bad_seq is None
    seqs = [e.seq for e in events]
    assert seqs == list(range(seqs[0], seqs[0] + 5))


def test_chain_links_each_event_to_the_previous(session: Session) -> None:
    events = write_events(session, 3)
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert all(audit.event_hash(e) == e.hash for e in events)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'nothing_to_see' WHERE seq = :seq",
        "DELETE FROM audit_events WHERE seq = :seq",
    ],
    ids=["update", "delete"],
)
def test_database_refuses_update_and_delete(session: Session, statement: str) -> None:
    events = write_events(session, 3)
    target = events[1]
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        run(session, statement, seq=target.seq)
    session.expire_all()
    row = session.scalars(select(AuditEvent).where(AuditEvent.seq == target.seq)).one()
    assert row.action == "test_event"
    assert audit.verify_chain(session).ok


def test_edited_row_is_named(session: Session) -> None:
    events = write_events(session)
    disable_audit_guards(session.connection())
    run(session, "UPDATE audit_events SET purpose = 'safeguarding' WHERE seq = :seq",
        seq=events[2].seq)
    session.expire_all()
    report = audit.verify_chain(session)
    assert not report.ok
    assert report.first_bad_seq == events[2].seq
    assert "changed" in (report.problem or "")


def test_edited_row_with_recomputed_hash_breaks_the_next_link(session: Session) -> None:
    events = write_events(session)
    disable_audit_guards(session.connection())
    target = events[1]
    target.summary = '{"after":{"n":999}}'
    target.hash = audit.event_hash(target)
    session.flush()
    session.expire_all()
    report = audit.verify_chain(session)
    assert not report.ok
    assert report.first_bad_seq == events[2].seq


def test_deleted_middle_row_is_named(session: Session) -> None:
    deleted = write_events(session)[2].seq
    disable_audit_guards(session.connection())
    run(session, "DELETE FROM audit_events WHERE seq = :seq", seq=deleted)
    session.expire_all()
    report = audit.verify_chain(session)
    assert not report.ok
    assert report.first_bad_seq == deleted
    assert "missing" in (report.problem or "")


def test_deleted_first_row_is_named(session: Session) -> None:
    write_events(session)
    disable_audit_guards(session.connection())
    run(session, "DELETE FROM audit_events WHERE seq = 1")
    session.expire_all()
    report = audit.verify_chain(session)
    assert not report.ok
    assert report.first_bad_seq == 1
    assert report.checked == 0


def test_swapped_rows_are_named(session: Session) -> None:
    events = write_events(session)
    first, second = events[1].seq, events[2].seq
    disable_audit_guards(session.connection())
    # Three steps because seq is unique: first -> parking place, second -> first, first -> second.
    run(session, "UPDATE audit_events SET seq = :parked WHERE seq = :seq", parked=-1, seq=first)
    run(session, "UPDATE audit_events SET seq = :new WHERE seq = :old", new=first, old=second)
    run(session, "UPDATE audit_events SET seq = :new WHERE seq = -1", new=second)
    session.expire_all()
    report = audit.verify_chain(session)
    assert not report.ok
    assert report.first_bad_seq == first
    assert "reordered" in (report.problem or "")
