"""The analysts' picture page and its downloads: who may see it, what it shows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from safetyhub.auth.models import Role
from safetyhub.incidents.models import IncidentCategory
from safetyhub.organisations.models import OrganisationKind
from tests.factories import make_incident, make_org, make_place, make_user

PageClientMaker = Callable[..., Any]


@pytest.mark.parametrize("role", [Role.analyst, Role.partnership_office])
def test_picture_renders_for_analysts_and_the_partnership_office(
    fixture_data: Session, page_client: PageClientMaker, role: Role
) -> None:
    org = make_org(fixture_data, kind=OrganisationKind.partnership_office)
    client = page_client(make_user(fixture_data, org, role))
    response = client.get("/picture")
    assert response.status_code == 200
    html = response.text
    for part in ("monthly-table", "district-table", "picture-map", "hotspot-table",
                 "inequality-table", "repeat-table", "/picture/hotspots.geojson"):
        assert part in html
    assert "Guildford" in html and "Crawley" not in html  # out of area left out
    assert "<script>" not in html


def test_practitioners_of_any_agency_get_404(
    fixture_data: Session, page_client: PageClientMaker
) -> None:
    for role in (Role.practitioner, Role.supervisor, Role.admin):
        client = page_client(make_user(fixture_data, make_org(fixture_data), role))
        for path in ("/picture", "/picture/trends.csv", "/picture/hotspots.geojson"):
            assert client.get(path).status_code == 404, (role, path)


def test_filters_narrow_the_picture(fixture_data: Session, page_client: PageClientMaker) -> None:
    client = page_client(make_user(fixture_data, make_org(fixture_data), Role.analyst))
    rows = list(csv.DictReader(io.StringIO(client.get(
        "/picture/trends.csv", params={"district": "Woking", "from": "2024-02",
                                       "to": "2024-02"}).text)))
    assert rows and {r["month"] for r in rows} == {"2024-02"}
    assert {r["group"] for r in rows if r["breakdown"] == "district"} == {"Woking"}
    assert client.get("/picture", params={"from": "2024-1"}).status_code == 422


def test_geojson_and_csv_downloads(fixture_data: Session, page_client: PageClientMaker) -> None:
    client = page_client(make_user(fixture_data, make_org(fixture_data), Role.analyst))
    geo = client.get("/picture/hotspots.geojson")
    assert geo.status_code == 200
    body = json.loads(geo.text)
    assert body["type"] == "FeatureCollection" and body["features"]
    feature = body["features"][0]
    assert feature["geometry"]["type"] == "Point"
    assert {"lsoa_code", "count", "gi_star_z", "hot_spot"} <= set(feature["properties"])
    table = list(csv.DictReader(io.StringIO(client.get("/picture/hotspots.csv").text)))
    assert sum(int(r["count"]) for r in table) == sum(
        f["properties"]["count"] for f in body["features"])


def test_partner_concerns_count_only_what_the_analyst_may_see(
    fixture_data: Session, page_client: PageClientMaker
) -> None:
    mine = make_org(fixture_data, kind=OrganisationKind.council)
    other = make_org(fixture_data, kind=OrganisationKind.health)
    place = make_place(fixture_data, created_by=mine)
    place.lsoa_code = "E01030001"
    for org in (mine, other):
        make_incident(fixture_data, org, category=IncidentCategory.welfare_concern, place=place)
    fixture_data.flush()
    client = page_client(make_user(fixture_data, mine, Role.analyst))
    html = client.get("/picture", params={"from": "2000-01", "to": "2099-12"}).text
    assert "Partner concerns" in html
    # One visible concern among 1,296 residents of decile 1: 0.8 per 1,000 (not 1.5).
    row = html.split('header">Partner concerns</th>')[1].split("</tr>")[0]
    assert "0.8" in row and "1.5" not in row


def test_picture_in_german(fixture_data: Session, page_client: PageClientMaker) -> None:
    client = page_client(make_user(fixture_data, make_org(fixture_data), Role.analyst))
    client.cookies.set("safetyhub_lang", "de")
    html = client.get("/picture").text
    assert "Das Lagebild von Kriminalität und antisozialem Verhalten" in html
