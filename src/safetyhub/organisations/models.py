"""Partner agencies."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin


class OrganisationKind(StrEnum):
    """The kinds of partner agency in a Community Safety Partnership."""

    police = "police"
    council = "council"
    health = "health"
    housing = "housing"
    fire = "fire"
    probation = "probation"
    victim_support = "victim_support"
    voluntary = "voluntary"
    partnership_office = "partnership_office"


class Organisation(IdMixin, CreatedMixin, Base):
    """A partner agency of the partnership."""

    __tablename__ = "organisations"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    district: Mapped[str | None] = mapped_column(String(100))
