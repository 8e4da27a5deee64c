"""Partner agencies."""

from __future__ import annotations

from fastapi import APIRouter

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.organisations import service
from safetyhub.organisations.models import Organisation
from safetyhub.organisations.schemas import OrganisationRead

router = APIRouter(tags=["organisations"])


@router.get("/organisations", response_model=list[OrganisationRead])
def list_organisations(session: DbSession, actor: CurrentActor) -> list[Organisation]:
    """Every partner agency of the partnership."""
    return service.list_organisations(session)
