"""Batch linkage, human decisions surviving re-runs, provenance and audit (SQLite + PostgreSQL)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role
from safetyhub.errors import PermissionDenied
from safetyhub.linkage import decisions
from safetyhub.linkage.batch import run_batch
from safetyhub.linkage.identities import identity_of
from safetyhub.linkage.models import (
    CandidateStatus,
    Decision,
    IdentityEvent,
    LinkageDecision,
    MatchCandidate,
)
from safetyhub.people.models import IdentityLink, PersonRecord
from safetyhub.sharing.vocabulary import Purpose
from tests.factories import actor, make_agreement, make_user
from tests.linkage.db import HUB, County, install_model, make_county


@pytest.fixture
def county(session: Session, trained_settings: dict[str, Any]) -> County:
    """A county with a trained model installed and one batch run done."""
    county = make_county(session)
    install_model(session, trained_settings)
    run_batch(session, actor=HUB)
    return county


def _analyst(session: Session, county: County) -> Any:
    make_agreement(session, [county.police, county.council])
    return actor(make_user(session, county.police, Role.analyst), Purpose.safeguarding)


def _candidate(session: Session, status: CandidateStatus) -> MatchCandidate:
    candidate = session.scalars(select(MatchCandidate).where(MatchCandidate.status == status)
                                .order_by(MatchCandidate.match_probability)).first()
    assert candidate is not None, f"no {status} candidate in the county"
    return candidate


def test_batch_run_gives_every_record_one_identity_and_links_duplicates(
    session: Session, county: County
) -> None:
    records = session.scalar(select(func.count()).select_from(PersonRecord))
    links = session.scalar(select(func.count()).select_from(IdentityLink))
    assert records == links
    duplicates = [p for p in county.people if len(p.records) == 2]
    same = sum(identity_of(session, county.ids[f"p{p.key}-0"])
               == identity_of(session, county.ids[f"p{p.key}-1"]) for p in duplicates)
    assert same >= 0.8 * len(duplicates)
    singles = [identity_of(session, county.ids[f"p{p.key}-0"]) for p in county.people
               if len(p.records) == 1]
    assert len(set(singles)) == len(singles), "different people never share an Identity"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "run_linkage")).one()
    summary = json.loads(event.summary)["after"]
    assert summary["records"] == records and summary["identities"] >= len(county.people) * 0.95


def test_rerun_keeps_identity_ids_stable(session: Session, county: County) -> None:
    links = select(IdentityLink.person_record_id, IdentityLink.identity_id)
    before = {record: identity for record, identity in session.execute(links)}
    report = run_batch(session, actor=HUB)
    after = {record: identity for record, identity in session.execute(links)}
    assert before == after
    assert (report.merges, report.splits) == (0, 0)


def test_must_link_decision_merges_and_survives_rerun(session: Session, county: County) -> None:
    analyst = _analyst(session, county)
    candidate = _candidate(session, CandidateStatus.pending)
    left, right = candidate.left_record_id, candidate.right_record_id
    assert identity_of(session, left) != identity_of(session, right)
    row = decisions.decide(session, actor=analyst, candidate_id=candidate.id,
                           decision=Decision.match, reason="Same NHS number on both files")
    assert identity_of(session, left) == identity_of(session, right)
    event = session.scalars(select(IdentityEvent).where(IdentityEvent.decision_id == row.id)).one()
    assert event.kind == "merged" and event.actor_user_id == analyst.user_id
    run_batch(session, actor=HUB)
    run_batch(session, actor=HUB, retrain=False)
    assert identity_of(session, left) == identity_of(session, right)
    stored = session.get(LinkageDecision, row.id)
    assert stored is not None and stored.reason == "Same NHS number on both files"
    assert session.get(MatchCandidate, candidate.id) is not None


def test_cannot_link_decision_splits_and_survives_rerun(session: Session, county: County) -> None:
    analyst = _analyst(session, county)
    candidate = _candidate(session, CandidateStatus.auto_linked)
    left, right = candidate.left_record_id, candidate.right_record_id
    assert identity_of(session, left) == identity_of(session, right)
    row = decisions.decide(session, actor=analyst, candidate_id=candidate.id,
                           decision=Decision.non_match, reason="Twins: different first names")
    assert identity_of(session, left) != identity_of(session, right)
    event = session.scalars(select(IdentityEvent).where(IdentityEvent.decision_id == row.id)).one()
    assert event.kind == "split"
    moved = json.loads(event.person_record_ids)
    assert {str(left), str(right)} & set(moved)
    run_batch(session, actor=HUB)
    assert identity_of(session, left) != identity_of(session, right)


def test_merge_and_split_are_audited_without_personal_data(
    session: Session, county: County
) -> None:
    analyst = _analyst(session, county)
    pending = _candidate(session, CandidateStatus.pending)
    decisions.decide(session, actor=analyst, candidate_id=pending.id, decision=Decision.match,
                     reason="Confirmed by phone with Mrs Example")
    linked = _candidate(session, CandidateStatus.auto_linked)
    decisions.decide(session, actor=analyst, candidate_id=linked.id,
                     decision=Decision.non_match, reason="Different people at one address")
    actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert {"decide_linkage_pair", "merge_identities", "split_identities"} <= set(actions)
    summaries = " ".join(session.scalars(select(AuditEvent.summary)))
    assert "Mrs Example" not in summaries and "Different people" not in summaries
    names = {r.family_name for r in session.scalars(select(PersonRecord))}
    assert not any(name in summaries for name in names)


def test_unsure_leaves_identities_alone(session: Session, county: County) -> None:
    analyst = _analyst(session, county)
    candidate = _candidate(session, CandidateStatus.pending)
    before = identity_of(session, candidate.left_record_id)
    decisions.decide(session, actor=analyst, candidate_id=candidate.id,
                     decision=Decision.unsure, reason="")
    assert identity_of(session, candidate.left_record_id) == before
    assert session.get(MatchCandidate, candidate.id).status == "unsure"  # type: ignore[union-attr]


def test_only_analysts_decide_and_only_the_system_runs(session: Session, county: County) -> None:
    candidate = _candidate(session, CandidateStatus.pending)
    practitioner = actor(make_user(session, county.police), Purpose.safeguarding)
    with pytest.raises(PermissionDenied):
        decisions.decide(session, actor=practitioner, candidate_id=candidate.id,
                         decision=Decision.match, reason="")
    with pytest.raises(PermissionDenied):
        run_batch(session, actor=practitioner)


def test_decision_on_a_pair_the_analyst_cannot_see_is_not_found(
    session: Session, county: County
) -> None:
    from safetyhub.errors import NotFound

    candidate = _candidate(session, CandidateStatus.pending)
    # No agreement: the council's record is hidden from the police analyst.
    analyst = actor(make_user(session, county.police, Role.analyst), Purpose.safeguarding)
    with pytest.raises(NotFound):
        decisions.decide(session, actor=analyst, candidate_id=candidate.id,
                         decision=Decision.match, reason="")
    with pytest.raises(NotFound):
        decisions.decide(session, actor=analyst, candidate_id=uuid.uuid4(),
                         decision=Decision.match, reason="")
