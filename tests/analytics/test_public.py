"""The public dashboard, its CSV and /api/public/stats: suppressed counts, no record-level data."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.analytics.models import PoliceCrime
from safetyhub.auth.models import Role
from tests.factories import make_org, make_user

SMALL = {"1", "2", "3", "4"}


def _record_values(session: Session) -> set[str]:
    """Values that would identify records: crime ids, places and LSOAs."""
    rows = session.scalars(select(PoliceCrime)).all()
    values = {r.crime_id for r in rows if r.crime_id} | {r.location for r in rows}
    return values | {r.lsoa_code for r in rows if r.lsoa_code}


def test_api_gives_suppressed_counts_by_district_month_category(
    client: TestClient, fixture_data: Session
) -> None:
    response = client.get("/api/public/stats", params={"by": "district,month,category"})
    assert response.status_code == 200
    body = response.json()
    assert body["by"] == ["district", "month", "category"]
    assert "Open Government Licence v3.0" in body["attribution"]
    figures = body["figures"]
    assert figures and all(set(f) == {"district", "month", "category", "count", "shown"}
                           for f in figures)
    assert not any(f["count"] is not None and 1 <= f["count"] <= 4 for f in figures)
    assert any(f["shown"] == "<5" for f in figures)
    assert all(f["shown"] in ("<5", "[c]") or int(f["shown"]) == f["count"] for f in figures)
    # Crawley is out of area: never published.
    assert "Crawley" not in {f["district"] for f in figures}
    text = response.text
    assert not any(value in text for value in _record_values(fixture_data))


def test_api_totals_match_the_fine_figures_when_nothing_is_hidden(
    client: TestClient, fixture_data: Session
) -> None:
    county = client.get("/api/public/stats", params={"by": ""}).json()["figures"]
    in_area = len(fixture_data.scalars(select(PoliceCrime).where(~PoliceCrime.out_of_area))
                  .all())
    assert county == [{"district": None, "month": None, "category": None, "count": in_area,
                       "shown": str(in_area)}]


def test_api_rejects_bad_breakdowns_and_months(client: TestClient, fixture_data: Session) -> None:
    for params in ({"by": "lsoa"}, {"by": "month,month"}, {"from": "2024-13"},
                   {"from": "2024-03", "to": "2024-01"}, {"by": "x" * 100}):
        response = client.get("/api/public/stats", params=params)
        assert response.status_code == 422, params
        assert response.headers["content-type"].startswith("application/problem+json")


def test_other_agency_user_sees_only_the_same_public_figures(
    client: TestClient, fixture_data: Session, page_client: Callable[..., Any]
) -> None:
    anonymous = client.get("/api/public/stats", params={"by": "district"}).json()
    other = page_client(make_user(fixture_data, make_org(fixture_data), Role.practitioner))
    assert other.get("/api/public/stats", params={"by": "district"}).json() == anonymous
    # The analysts' picture is not for practitioners of any agency.
    assert other.get("/picture").status_code in (403, 404)


def test_public_page_renders_without_sign_in_and_shows_no_records(
    client: TestClient, fixture_data: Session
) -> None:
    response = client.get("/public")
    assert response.status_code == 200
    html = response.text
    assert "Open Government Licence v3.0" in html
    assert "&lt;5" in html
    assert "<script>" not in html  # no inline script (CSP)
    assert not any(value in html for value in _record_values(fixture_data))
    cells = re.findall(r'govuk-table__cell--numeric">([^<]+)<', html)
    assert cells and not SMALL & {c.strip() for c in cells}


def test_csv_downloads_are_exactly_the_tables_shown(
    client: TestClient, fixture_data: Session
) -> None:
    html = client.get("/public").text
    for table in ("county", "category", "district"):
        response = client.get("/public/stats.csv", params={"table": table})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.text)))
        values = {cell for row in rows[1:] for cell in row[1:]}
        assert not SMALL & values
        for row in rows[1:]:
            assert row[0] in html  # every row label is on the page
        assert not any(v in response.text for v in _record_values(fixture_data))
    district = list(csv.reader(io.StringIO(
        client.get("/public/stats.csv", params={"table": "district"}).text)))
    api = {f["district"]: f["shown"] for f in client.get(
        "/api/public/stats", params={"by": "district"}).json()["figures"]}
    assert {row[0]: row[-1] for row in district[1:-1]} == api
    assert client.get("/public/stats.csv", params={"table": "lsoa"}).status_code == 422


def test_public_page_in_german(client: TestClient, fixture_data: Session) -> None:
    client.cookies.set("safetyhub_lang", "de")
    html = client.get("/public").text
    assert "Kriminalität und antisoziales Verhalten in der Grafschaft" in html
