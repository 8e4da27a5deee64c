"""Pages: the public dashboard (no sign-in) and the analysts' picture. Thin: they call picture."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from safetyhub.analytics import downloads, inequality, permissions, picture, tables
from safetyhub.analytics.charts import bar_chart
from safetyhub.analytics.extract import available_months
from safetyhub.analytics.maps import HEIGHT, WIDTH, lsoa_map
from safetyhub.analytics.report import partnership_activity
from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import InvalidInput, NotFound
from safetyhub.text import N_
from safetyhub.web.rendering import harden, render, translate
from safetyhub.web.session import PageUser, SignedInUser

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


District = Annotated[str | None, Query(max_length=100)]
Category = Annotated[str | None, Query(max_length=60)]


def _analyst_picture(session: DbSession, user: PageUser, first: str | None, last: str | None,
                     district: str | None, category: str | None) -> picture.AnalystPicture:
    """The picture for the filters, for analysts and the partnership office only."""
    if not permissions.may_see_picture(user.actor):
        raise NotFound("There is nothing at this address.")
    filters = picture.Filters(picture.period_of(session, first or None, last or None),
                              district or None, category or None)
    return picture.analyst_picture(session, actor=user.actor, filters=filters)


def _query(p: picture.AnalystPicture) -> str:
    f = p.filters
    return urlencode({"from": f.period.first, "to": f.period.last,
                      "district": f.district or "", "category": f.category or ""})


@router.get("/picture")
def picture_page(request: Request, session: DbSession, user: SignedInUser,
                 first: Month = None, last: ToMonth = None, district: District = None,
                 category: Category = None) -> Response:
    """The analysts' dashboard: trends, a map, hotspots, concentration and inequality."""
    p = _analyst_picture(session, user, first, last, district, category)
    monthly = bar_chart(translate(request, N_("Incidents by month")),
                        [(t.month, t.count, str(t.count)) for t in p.county],
                        {t.month for t in p.county if t.beyond})
    districts = bar_chart(translate(request, N_("Incidents by district")),
                          [(d, n, str(n)) for d, n in p.district_totals])
    hot = [h for h in p.hotspots if h.hot]
    return render(
        request, "analytics/picture.html", user=user, p=p, monthly=monthly,
        districts_chart=districts, months=available_months(session), hot=hot[:25],
        hot_count=len(hot), cold_count=sum(1 for h in p.hotspots if h.cold),
        points=lsoa_map(p.hotspots), map_width=WIDTH, map_height=HEIGHT,
        measures=inequality.MEASURES, query=_query(p),
        latest={t.group: t for t in p.by_district}, attribution=picture.ATTRIBUTION,
        activity=partnership_activity(session, user.actor),
    )


@router.get("/picture/trends.csv")
def picture_trends_csv(session: DbSession, user: SignedInUser, first: Month = None,
                       last: ToMonth = None, district: District = None,
                       category: Category = None) -> Response:
    """Monthly trends for the filters as CSV."""
    p = _analyst_picture(session, user, first, last, district, category)
    return csv_response(downloads.trends_csv(p), "picture-trends.csv")


@router.get("/picture/hotspots.csv")
def picture_hotspots_csv(session: DbSession, user: SignedInUser, first: Month = None,
                         last: ToMonth = None, district: District = None,
                         category: Category = None) -> Response:
    """Every LSOA's count and Gi* result for the filters as CSV."""
    p = _analyst_picture(session, user, first, last, district, category)
    return csv_response(downloads.hotspots_csv(p), "picture-hotspots.csv")


@router.get("/picture/hotspots.geojson")
def picture_hotspots_geojson(session: DbSession, user: SignedInUser, first: Month = None,
                             last: ToMonth = None, district: District = None,
                             category: Category = None) -> Response:
    """LSOA centroids with counts and Gi* results as GeoJSON."""
    p = _analyst_picture(session, user, first, last, district, category)
    return harden(Response(downloads.hotspots_geojson(p), media_type="application/geo+json",
                           headers={"Content-Disposition":
                                    'attachment; filename="picture-hotspots.geojson"'}))
