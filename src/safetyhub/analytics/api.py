"""`GET /api/public/stats`: public, disclosure-controlled counts (no sign-in, no records)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from safetyhub.analytics import picture
from safetyhub.auth.dependencies import DbSession

router = APIRouter(tags=["public statistics"])
METHOD = ("Counts of police.uk street-level crimes and anti-social behaviour in the area, by "
          "month. Counts from 1 to 4 are shown as '<5'; further counts are hidden ('[c]') so "
          "that no hidden count can be worked out from the totals.")


class PublicFigure(BaseModel):
    """One published count: its dimension values, the count (null when hidden) and its text."""

    district: str | None = None
    month: str | None = None
    category: str | None = None
    count: int | None
    shown: str


class PublicStats(BaseModel):
    """Published counts for one breakdown of one period."""

    by: list[str]
    first_month: str
    last_month: str
    method: str
    attribution: str
    figures: list[PublicFigure]


@router.get("/public/stats", response_model=PublicStats)
def public_stats(
    session: DbSession,
    by: Annotated[str, Query(max_length=40)] = "district,month,category",
    first: Annotated[str | None, Query(alias="from", max_length=7)] = None,
    last: Annotated[str | None, Query(alias="to", max_length=7)] = None,
) -> PublicStats:
    """Counts by district, month and/or category, with small counts suppressed."""
    dims = picture.parse_by(by)
    period = picture.period_of(session, first, last)
    rows = picture.public_rows(picture.public_cube(session, period), dims)
    return PublicStats(
        by=list(dims), first_month=period.first, last_month=period.last, method=METHOD,
        attribution=picture.ATTRIBUTION,
        figures=[PublicFigure(**dict(zip(dims, row.values, strict=True)),
                              count=row.figure.published, shown=row.figure.shown)
                 for row in rows],
    )
