"""Pages: the public dashboard (no sign-in) and the analysts' picture. Thin: they call picture."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from safetyhub.analytics import picture, tables
from safetyhub.analytics.charts import bar_chart
from safetyhub.analytics.extract import available_months
from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import InvalidInput
from safetyhub.text import N_
from safetyhub.web.rendering import harden, render, translate

router = APIRouter(include_in_schema=False)
PUBLIC_TABLES = {"county": None, "category": "category", "district": "district"}
Month = Annotated[str | None, Query(alias="from", max_length=7)]
ToMonth = Annotated[str | None, Query(alias="to", max_length=7)]


def csv_response(text: str, filename: str) -> Response:
    """A CSV download, hardened."""
    return harden(Response(text, media_type="text/csv; charset=utf-8",
                           headers={"Content-Disposition": f'attachment; filename="{filename}"'}))


@router.get("/public")
def public_page(request: Request, session: DbSession, first: Month = None,
                last: ToMonth = None) -> Response:
    """The public dashboard: county and district trends with disclosure control."""
    period = picture.period_of(session, first or None, last or None)
    cube = picture.public_cube(session, period)
    county = tables.cross_table(cube, None)
    chart = bar_chart(translate(request, N_("Crimes and anti-social behaviour by month")),
                      [(m, f.published, f.shown)
                       for m, f in zip(county.months, county.month_totals, strict=True)])
    return render(
        request, "analytics/public.html", user=None, period=period,
        months=available_months(session), county=county, chart=chart,
        by_category=tables.cross_table(cube, "category"),
        by_district=tables.cross_table(cube, "district"),
        attribution=picture.ATTRIBUTION,
    )


@router.get("/public/stats.csv")
def public_csv(request: Request, session: DbSession,
               table: Annotated[str, Query(max_length=20)] = "county",
               first: Month = None, last: ToMonth = None) -> Response:
    """One public table, exactly as the page shows it, as CSV."""
    if table not in PUBLIC_TABLES:
        raise InvalidInput("table is county, category or district.")
    period = picture.period_of(session, first or None, last or None)
    cross = tables.cross_table(picture.public_cube(session, period), PUBLIC_TABLES[table])
    heading = {"county": N_("Area"), "category": N_("Crime type"),
               "district": N_("District")}[table]
    everything = N_("County") if table == "county" else N_("All")
    text = cross.csv(translate(request, heading), translate(request, N_("Total")),
                     translate(request, everything))
    return csv_response(text, f"public-{table}-{period.first}-{period.last}.csv")
