"""Inequality: rates per 1,000 residents by IMD decile, and most against least deprived."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.analytics.extract import Period
from safetyhub.analytics.models import ASB, VIOLENCE
from safetyhub.auth.actor import Actor
from safetyhub.incidents.models import IncidentCategory
from safetyhub.places.models import Place
from safetyhub.sharing import policy
from safetyhub.text import N_

PARTNER_CONCERNS = (
    IncidentCategory.domestic_abuse, IncidentCategory.mental_health_crisis,
    IncidentCategory.exploitation_concern, IncidentCategory.welfare_concern,
    IncidentCategory.hate_incident, IncidentCategory.missing_episode,
)
MEASURES = {
    "all_crime": N_("All crime"),
    "asb": N_("Anti-social behaviour"),
    "violence": N_("Violence and sexual offences"),
    "partner_concerns": N_("Partner concerns"),
}
_FILTERS = {
    "all_crime": ("cube", "sum(t.n)", f"crime_type <> '{ASB}'"),
    "asb": ("cube", "sum(t.n)", f"crime_type = '{ASB}'"),
    "violence": ("cube", "sum(t.n)", f"crime_type = '{VIOLENCE}'"),
    "partner_concerns": ("concerns", "count(*)", "TRUE"),
}


@dataclass(frozen=True)
class DecileRate:
    """One IMD decile's count, residents and rate per 1,000 residents."""

    decile: int
    count: int
    population: int

    @property
    def rate(self) -> float:
        """Incidents per 1,000 residents."""
        return 0.0 if self.population == 0 else 1000 * self.count / self.population


@dataclass(frozen=True)
class Inequality:
    """A measure's rates by decile and the ratio of the most to the least deprived decile."""

    measure: str
    deciles: list[DecileRate]

    @property
    def most(self) -> DecileRate | None:
        """The most deprived decile with residents here (1 when present; Surrey has none)."""
        present = [d for d in self.deciles if d.population > 0]
        return min(present, key=lambda d: d.decile) if present else None

    @property
    def least(self) -> DecileRate | None:
        """The least deprived decile with residents here."""
        present = [d for d in self.deciles if d.population > 0]
        return max(present, key=lambda d: d.decile) if present else None

    @property
    def ratio(self) -> float | None:
        """The rate in the most deprived decile over the rate in the least deprived one."""
        most, least = self.most, self.least
        if most is None or least is None or most.decile == least.decile or not least.rate:
            return None
        return most.rate / least.rate


def concerns_arrow(session: Session, actor: Actor, period: Period) -> pa.Table:
    """LSOA codes of partner concerns the actor may read in the period (aggregated later)."""
    start = datetime.fromisoformat(f"{period.first}-01").replace(tzinfo=UTC)
    year, month = int(period.last[:4]), int(period.last[5:])
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC)
    visible = policy.visible_incidents(actor).subquery()
    rows = session.scalars(
        select(Place.lsoa_code).join(visible, visible.c.place_id == Place.id)
        .where(visible.c.category.in_([c.value for c in PARTNER_CONCERNS]),
               visible.c.occurred_at >= start, visible.c.occurred_at < end,
               Place.lsoa_code.is_not(None))).all()
    return pa.table({"lsoa_code": pa.array(list(rows), pa.string())})


def by_decile(con: duckdb.DuckDBPyConnection, measure: str, where: str = "TRUE",
              params: list[object] | None = None) -> Inequality:
    """Counts and rates per 1,000 residents for each IMD decile (police.uk rows: `where`)."""
    table, counted, condition = _FILTERS[measure]
    if table == "concerns":
        where, params = "TRUE", []
    rows = con.execute(
        "WITH pop AS (SELECT imd_decile, sum(population) AS residents FROM lsoas "  # noqa: S608
        "WHERE imd_decile IS NOT NULL GROUP BY imd_decile), "
        f"hits AS (SELECT l.imd_decile, {counted} AS hits "
        f"FROM {table} t JOIN lsoas l USING (lsoa_code) WHERE {condition} AND {where} "
        "GROUP BY l.imd_decile) "
        "SELECT pop.imd_decile, coalesce(hits.hits, 0), pop.residents FROM pop "
        "LEFT JOIN hits USING (imd_decile) ORDER BY pop.imd_decile", params or []).fetchall()
    return Inequality(measure, [DecileRate(int(d), int(n), int(p)) for d, n, p in rows])


def all_measures(con: duckdb.DuckDBPyConnection, where: str = "TRUE",
                 params: list[object] | None = None) -> list[Inequality]:
    """Inequality for all crime, ASB, violence and partner concerns."""
    return [by_decile(con, measure, where, params) for measure in MEASURES]
