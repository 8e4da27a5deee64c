"""API shapes for organisations."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict

from safetyhub.organisations.models import OrganisationKind


class OrganisationRead(BaseModel):
    """A partner agency."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: OrganisationKind
    district: str | None
