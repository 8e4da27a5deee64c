"""API shapes for sign-in and users."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from safetyhub.auth.models import Role


class TokenRead(BaseModel):
    """An OAuth2 bearer token."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_at: datetime


class MeRead(BaseModel):
    """The signed-in user."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str
    organisation_id: uuid.UUID
    organisation_name: str
    role: Role
    purpose: str | None = None


class UserCreate(BaseModel):
    """A new user of the admin's own agency."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    full_name: str = Field(min_length=1, max_length=200)
    role: Role
    password: str = Field(min_length=12, max_length=200)


class UserRead(BaseModel):
    """A user, as their agency's admin sees them."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str
    organisation_id: uuid.UUID
    role: Role
    active: bool
    created_at: datetime
