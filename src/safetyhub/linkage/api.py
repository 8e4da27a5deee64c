"""Linkage API routes (thin: they call linkage.service and linkage.decisions)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.linkage import decisions, service
from safetyhub.linkage.schemas import (
    DecisionCreate,
    DecisionRead,
    IdentitySummaryRead,
    ReviewPairRead,
    ReviewQueueRead,
)
from safetyhub.pagination import page_request

router = APIRouter(tags=["linkage"])


@router.get("/linkage/review-queue", response_model=ReviewQueueRead)
def review_queue(
    session: DbSession, actor: CurrentActor,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int | None, Query(ge=1)] = None,
) -> ReviewQueueRead:
    """Pairs waiting for an analyst's decision, whose two records you may see."""
    queue = service.review_queue(session, actor=actor, page=page_request(page, page_size))
    return ReviewQueueRead.of(queue)


@router.get("/linkage/candidates/{candidate_id}", response_model=ReviewPairRead)
def get_candidate(session: DbSession, actor: CurrentActor, candidate_id: uuid.UUID
                  ) -> ReviewPairRead:
    """One candidate pair side by side with its evidence (404 if either record is hidden)."""
    return ReviewPairRead.of(service.review_pair(session, actor=actor,
                                                 candidate_id=candidate_id))


@router.post("/linkage/candidates/{candidate_id}/decision", response_model=DecisionRead,
             status_code=201)
def decide(session: DbSession, actor: CurrentActor, candidate_id: uuid.UUID,
           body: DecisionCreate) -> DecisionRead:
    """Decide a pair: match (must-link), non_match (cannot-link) or unsure; with a reason."""
    row = decisions.decide(session, actor=actor, candidate_id=candidate_id,
                           decision=body.decision, reason=body.reason)
    return DecisionRead.of(row)


@router.get("/linkage/person-records/{person_record_id}/identity",
            response_model=IdentitySummaryRead)
def identity_summary(session: DbSession, actor: CurrentActor, person_record_id: uuid.UUID
                     ) -> IdentitySummaryRead:
    """The records linked to this one that you may see; the rest only as a count of agencies."""
    return IdentitySummaryRead.of(service.identity_summary_for(
        session, actor=actor, person_record_id=person_record_id))
