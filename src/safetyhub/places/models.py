"""Places: addresses and locations where things happen."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin


class Place(IdMixin, CreatedMixin, Base):
    """An address or location; shared gazetteer data (what happened there is policy-filtered)."""

    __tablename__ = "places"

    address: Mapped[str] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    uprn: Mapped[str | None] = mapped_column(String(12), index=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    lsoa_code: Mapped[str | None] = mapped_column(String(9), index=True)
    district: Mapped[str | None] = mapped_column(String(100), index=True)
    created_by_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id")
    )
