"""Users, their sign-in sessions and sign-in attempts (for throttling)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin


class Role(StrEnum):
    """What a user does in the partnership."""

    practitioner = "practitioner"
    supervisor = "supervisor"
    analyst = "analyst"
    admin = "admin"
    partnership_office = "partnership_office"


class User(IdMixin, CreatedMixin, Base):
    """A person who signs in; belongs to exactly one organisation."""

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)


class AuthSession(IdMixin, CreatedMixin, Base):
    """A bearer token or page session; stored in the database so every app process agrees."""

    __tablename__ = "auth_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "api" or "web"
    expires_at: Mapped[datetime]
    revoked: Mapped[bool] = mapped_column(default=False)
    # Page sessions remember the declared purpose and a CSRF secret.
    purpose: Mapped[str | None] = mapped_column(String(40))
    csrf_token: Mapped[str | None] = mapped_column(String(64))


class SignInAttempt(IdMixin, CreatedMixin, Base):
    """One sign-in attempt; failures within a window throttle further attempts."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_email_created", "email", "created_at"),)

    email: Mapped[str] = mapped_column(String(254))
    succeeded: Mapped[bool]
