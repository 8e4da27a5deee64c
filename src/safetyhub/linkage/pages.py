"""The review queue page: analysts compare pairs side by side and decide (thin: calls services)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import InvalidInput
from safetyhub.linkage import decisions, service
from safetyhub.linkage.models import Decision
from safetyhub.pagination import page_request
from safetyhub.text import N_
from safetyhub.web.rendering import redirect, render, translate
from safetyhub.web.session import SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

COMPARISONS = {
    "given_name": N_("Given name"), "family_name": N_("Family name"),
    "date_of_birth": N_("Date of birth"), "postcode": N_("Postcode"),
    "address": N_("Address"), "phone": N_("Phone"), "identifier": N_("Agency identifier"),
}
LEVELS = {
    "exact": N_("the same"), "missing": N_("missing on one or both"),
    "All other comparisons": N_("different"),
    "swapped with family name": N_("swapped with the family name"),
    "swapped with given name": N_("swapped with the given name"),
    "nickname or variant": N_("a nickname or variant of the other"),
    "very similar spelling": N_("very similar spelling"),
    "similar spelling": N_("similar spelling"),
    "initial only": N_("an initial that fits"), "sounds alike": N_("sounds alike"),
    "day and month transposed": N_("day and month swapped"),
    "one digit different": N_("one digit different"),
    "same year and month": N_("same year and month"), "same year": N_("same year"),
    "same sector": N_("same postcode sector"), "same district": N_("same postcode district"),
    "very similar": N_("very similar"), "similar": N_("similar"),
    "same last seven digits": N_("same last seven digits"),
    "one character different": N_("one character different"),
}
DONE = {
    "match": N_("Saved: the two records are the same person."),
    "non_match": N_("Saved: the two records are different people."),
    "unsure": N_("Saved as unsure: the pair stays out of the queue until someone looks again."),
}

# The evidence chart's geometry (SVG user units): labels left, bars either side of zero.
CHART_WIDTH, LABEL_WIDTH, ROW_HEIGHT, SCALE_BITS = 640, 170, 34, 16.0


@dataclass(frozen=True)
class Bar:
    """One evidence row of the chart."""

    label: str
    level: str
    weight: float
    x: float
    y: float
    width: float
    positive: bool
    text_x: float


def chart(request: Request, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars for the evidence chart: agreement to the right of zero, disagreement to the left."""
    plot = CHART_WIDTH - LABEL_WIDTH - 60
    zero = LABEL_WIDTH + plot / 2
    per_bit = (plot / 2) / SCALE_BITS
    bars = []
    for index, item in enumerate(evidence):
        weight = float(item["match_weight"])
        length = min(abs(weight), SCALE_BITS) * per_bit
        positive = weight >= 0
        bars.append(Bar(
            label=translate(request, COMPARISONS.get(item["comparison"], item["comparison"])),
            level=translate(request, LEVELS.get(item["level"], item["level"])),
            weight=weight, x=zero if positive else zero - length, y=index * ROW_HEIGHT + 8,
            width=max(length, 1.0), positive=positive,
            text_x=(zero + length + 4) if positive else (zero - length - 4),
        ))
    return {"bars": bars, "zero": zero, "width": CHART_WIDTH,
            "height": len(bars) * ROW_HEIGHT + 16, "label_width": LABEL_WIDTH}


def _page(request: Request, session: DbSession, user: SignedInUser,
          candidate_id: uuid.UUID | None, *, errors: dict[str, str] | None = None,
          reason: str = "", done: str = "") -> Response:
    actor = user.actor
    queue = service.review_queue(session, actor=actor, page=page_request(1, 1))
    pair = (service.review_pair(session, actor=actor, candidate_id=candidate_id)
            if candidate_id is not None else (queue.items[0] if queue.items else None))
    errors = errors or {}
    return render(
        request, "linkage/review.html", status_code=422 if errors else 200, user=user,
        queue=queue, pair=pair, chart=chart(request, pair.evidence) if pair else None,
        errors=errors, summary=list(errors.items()), reason=reason,
        done=DONE.get(done), probability=round(pair.candidate.match_probability * 100, 1)
        if pair else None,
    )


@router.get("/linkage/review")
def review(request: Request, session: DbSession, user: SignedInUser, done: str = "") -> Response:
    """The next pair waiting for this analyst, side by side, with the evidence."""
    return _page(request, session, user, None, done=done[:20])


@router.get("/linkage/review/{candidate_id}")
def review_one(request: Request, session: DbSession, user: SignedInUser,
               candidate_id: uuid.UUID) -> Response:
    """One candidate pair (404 when either record is hidden from the analyst)."""
    return _page(request, session, user, candidate_id)


@router.post("/linkage/review/{candidate_id}/decision")
def decide(
    request: Request, session: DbSession, user: SignedInUser, candidate_id: uuid.UUID,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    decision: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """Save the analyst's decision and show the next pair."""
    check_csrf(user.csrf_token, csrf_token)
    errors: dict[str, str] = {}
    if decision not in {d.value for d in Decision}:
        errors["decision"] = translate(request, N_("Choose match, not a match or unsure"))
    if len(reason) > 2000:
        errors["reason"] = translate(request, N_("Reason must be 2,000 characters or fewer"))
    if errors:
        return _page(request, session, user, candidate_id, errors=errors, reason=reason)
    try:
        decisions.decide(session, actor=user.actor, candidate_id=candidate_id,
                         decision=Decision(decision), reason=reason)
    except InvalidInput as exc:
        return _page(request, session, user, candidate_id,
                     errors={"reason": translate(request, exc.detail)}, reason=reason)
    return redirect(f"/linkage/review?done={decision}")
