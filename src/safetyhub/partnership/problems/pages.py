"""Problems pages: the list and opening a problem (thin: they call the service and the reads)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import InvalidInput, NotFound
from safetyhub.incidents.models import IncidentCategory
from safetyhub.partnership.problems import choices, permissions, problem_pages, reads, service
from safetyhub.partnership.problems.models import ProblemStage
from safetyhub.partnership.problems.schemas import MAX_NOTES, MAX_TITLE, ProblemCreate
from safetyhub.places.models import Place
from safetyhub.sharing import policy
from safetyhub.text import N_
from safetyhub.web.forms import Csrf, FormErrors, parse_uuid, read_text
from safetyhub.web.labels import LABELS
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

STAGES = [s.value for s in ProblemStage]
CATEGORY_CHOICES: list[tuple[str, str, str | None]] = [
    (c.value, LABELS.get(c.value, c.value), None) for c in IncidentCategory
]
Words = Annotated[str, Form(max_length=MAX_NOTES * 2)]
Short = problem_pages.Short
Ids = Annotated[list[str], Form(max_length=60)]


@router.get("/problems")
def problem_list(request: Request, session: DbSession, user: SignedInUser,
                 stage: str = "") -> Response:
    """Problems the user's agency leads or partners."""
    chosen = ProblemStage(stage) if stage in STAGES else None
    problems = reads.list_problems(session, actor=user.actor, stage=chosen)
    return render(request, "problems/list.html", user=user, problems=problems, stages=STAGES,
                  stage_labels=problem_pages.STAGE_LABELS,
                  stage=chosen.value if chosen else "",
                  may_open=permissions.may_open_problem(user.actor))


def _new_page(request: Request, session: Session, user: PageUser, form: dict[str, Any],
              errors: FormErrors, places: list[Place], status_code: int = 200) -> Response:
    if not permissions.may_open_problem(user.actor):
        raise NotFound("There is nothing at this address.")
    return render(request, "problems/new.html", status_code=status_code, user=user, form=form,
                  errors=errors, places=places, categories=CATEGORY_CHOICES,
                  organisations=[(oid, name, None) for oid, name in
                                 choices.other_organisations(session, user.actor)])


@router.get("/problems/new")
def new_problem(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """The form to open a problem."""
    form: dict[str, Any] = {"categories": [], "partners": [], "place_ids": []}
    return _new_page(request, session, user, form, FormErrors(), [])


@router.post("/problems")
def create_problem(
    request: Request, session: DbSession, user: SignedInUser, csrf_token: Csrf = "",
    title: Short = "", description: Words = "", place_query: Short = "",
    area_lsoa_code: Short = "", area_district: Short = "", action: Short = "open",
    categories: Ids = [], partners: Ids = [], place_ids: Ids = [],  # noqa: B006
) -> Response:
    """Find places for the form, or open the problem and go to it."""
    check_csrf(user.csrf_token, csrf_token)
    form: dict[str, Any] = {
        "title": title, "description": description, "place_query": place_query,
        "area_lsoa_code": area_lsoa_code, "area_district": area_district,
        "categories": categories, "partners": partners, "place_ids": place_ids,
    }
    chosen = [p for p in (parse_uuid(v) for v in place_ids) if p is not None]
    kept = list(session.scalars(policy.visible_places(user.actor).where(Place.id.in_(chosen))))
    found = choices.find_places(session, user.actor, place_query)
    places = kept + [p for p in found if p.id not in set(chosen)]
    errors = FormErrors()
    if action == "find":
        if not found:
            errors.add("place-query", N_("No places match. Try part of the address or postcode"))
        return _new_page(request, session, user, form, errors, places,
                         422 if errors else 200)
    name = read_text("title", title, errors, max_length=MAX_TITLE,
                     missing=N_("Enter a short name for the problem"),
                     too_long=N_("The name must be 200 characters or fewer"))
    words = read_text("description", description, errors, max_length=MAX_NOTES) or ""
    if not (chosen or area_lsoa_code.strip() or area_district.strip()):
        errors.add("place-query", N_("Choose at least one place, or give an area"))
    if len(area_lsoa_code.strip()) > 9:
        errors.add("area-lsoa-code", N_("An LSOA code has 9 characters, like E01030451"))
    if errors or name is None:
        return _new_page(request, session, user, form, errors, places, 422)
    try:
        details = ProblemCreate(
            title=name, description=words, place_ids=chosen,
            categories=[IncidentCategory(c) for c in categories
                        if c in IncidentCategory.__members__],
            partner_organisation_ids=[p for p in (parse_uuid(v) for v in partners) if p],
            area_lsoa_code=area_lsoa_code.strip() or None,
            area_district=area_district.strip()[:100] or None,
        )
        problem = service.open_problem(session, actor=user.actor, details=details)
    except (InvalidInput, ValidationError) as error:
        errors.add_text("title", getattr(error, "detail", None) or str(error))
        return _new_page(request, session, user, form, errors, places, 422)
    return redirect(f"/problems/{problem.id}?done=opened")


# Last: /problems/{problem_id} must not catch /problems/new.
router.include_router(problem_pages.router)
