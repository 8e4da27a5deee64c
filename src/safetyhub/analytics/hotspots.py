"""Hotspots: Getis-Ord Gi* over LSOAs (k nearest, FDR-corrected); concentration at places."""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import numpy as np

NEIGHBOURS = 8  # k nearest LSOA centroids, plus the LSOA itself (Gi* counts itself)
FDR = 0.05  # Benjamini-Hochberg false discovery rate
TOP_SHARE = 0.05  # concentration: the share of incidents at the top 5% of places


@dataclass(frozen=True)
class Hotspot:
    """An LSOA's count, centroid and Gi* z-score, and whether it is a significant hot spot."""

    lsoa_code: str
    lsoa_name: str
    district: str
    count: int
    latitude: float
    longitude: float
    z: float
    p: float
    hot: bool
    cold: bool


@dataclass(frozen=True)
class Concentration:
    """How concentrated incidents are at places (police.uk snap points)."""

    places: int
    incidents: int
    top_places: int
    top_incidents: int
    repeat_places: int

    @property
    def top_share(self) -> float:
        """The share of incidents at the top 5% of places."""
        return 0.0 if self.incidents == 0 else self.top_incidents / self.incidents


def benjamini_hochberg(p_values: list[float], rate: float = FDR) -> list[bool]:
    """Which tests are discoveries with the false discovery rate held at `rate`."""
    n = len(p_values)
    order = sorted(range(n), key=lambda i: p_values[i])
    cutoff = -1
    for rank, i in enumerate(order, start=1):
        if p_values[i] <= rate * rank / n:
            cutoff = rank
    keep = set(order[:cutoff]) if cutoff > 0 else set()
    return [i in keep for i in range(n)]


def gi_star(counts: np.ndarray, coordinates: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """Getis-Ord Gi* z-scores with binary weights on each point and its k nearest neighbours."""
    n = len(counts)
    if n < 3:
        return np.zeros(n)
    k = min(k, n - 1)
    # Equirectangular distances are fine at county scale.
    lat = np.radians(coordinates[:, 0])
    x = np.radians(coordinates[:, 1]) * np.cos(lat.mean())
    dx = x[:, None] - x[None, :]
    dy = lat[:, None] - lat[None, :]
    distance = dx * dx + dy * dy
    nearest = np.argsort(distance, axis=1)[:, : k + 1]  # includes itself (distance 0)
    weights = np.zeros((n, n))
    np.put_along_axis(weights, nearest, 1.0, axis=1)
    mean = counts.mean()
    s = math.sqrt(max(float((counts ** 2).mean() - mean ** 2), 0.0))
    if s == 0:
        return np.zeros(n)
    w_sum = weights.sum(axis=1)
    w_sq = (weights ** 2).sum(axis=1)
    numerator = weights @ counts - mean * w_sum
    denominator = s * np.sqrt((n * w_sq - w_sum ** 2) / (n - 1))
    # Every point its own neighbour (tiny samples): no spread to compare against.
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.asarray(np.where(denominator > 0, numerator / safe, 0.0))


def hotspots(con: duckdb.DuckDBPyConnection, where: str = "TRUE",
             params: list[object] | None = None) -> list[Hotspot]:
    """Every LSOA with incidents, its Gi* score and FDR-corrected significance, hottest first."""
    rows = con.execute(
        "SELECT c.lsoa_code, coalesce(any_value(l.name), c.lsoa_code), any_value(c.district), "  # noqa: S608
        "sum(c.located), sum(c.lat_sum) / sum(c.located), sum(c.lon_sum) / sum(c.located) "
        f"FROM (SELECT * FROM cube WHERE {where}) c LEFT JOIN lsoas l USING (lsoa_code) "
        "WHERE c.lsoa_code IS NOT NULL AND c.located > 0 "
        "GROUP BY c.lsoa_code ORDER BY c.lsoa_code", params or []).fetchall()
    if not rows:
        return []
    counts = np.array([float(r[3]) for r in rows])
    coordinates = np.array([[r[4], r[5]] for r in rows])
    z = gi_star(counts, coordinates)
    p = [math.erfc(abs(float(v)) / math.sqrt(2)) for v in z]
    significant = benjamini_hochberg(p)
    spots = [Hotspot(r[0], r[1], r[2], int(r[3]), float(r[4]), float(r[5]), float(zv), pv,
                     bool(sig and zv > 0), bool(sig and zv < 0))
             for r, zv, pv, sig in zip(rows, z, p, significant, strict=True)]
    return sorted(spots, key=lambda h: -h.z)


def concentration(con: duckdb.DuckDBPyConnection, where: str = "TRUE",
                  params: list[object] | None = None) -> tuple[Concentration,
                                                               list[tuple[str, str, int]]]:
    """Crime concentration at places and the top repeat locations (location, district, count).

    `where` is on month, crime type and district (the columns `cube` and `place_cells` share).
    """
    # The count-of-counts (all the summary needs): places seen once in all the data count from
    # the cube; only the repeat places' cells are grouped by place here.
    rows = con.execute(
        "WITH p AS MATERIALIZED (SELECT place, sum(n) AS n FROM place_cells "  # noqa: S608
        f"WHERE {where} GROUP BY place), "
        "cut AS (SELECT greatest(coalesce(min(n), 2), 2) AS m "
        "FROM (SELECT n FROM p ORDER BY n DESC LIMIT 20)), "
        "top AS (SELECT place, n FROM p WHERE n >= (SELECT m FROM cut)) "
        "SELECT 0, NULL, NULL, n, count(*) FROM p GROUP BY n UNION ALL "
        f"SELECT 0, NULL, NULL, 1, sum(single_places) FROM cube WHERE {where} UNION ALL "
        "(SELECT 1, names.loc, names.d, top.n, 1 FROM top JOIN place_names names USING (place) "
        "ORDER BY top.n DESC, names.loc LIMIT 20)", [*(params or []), *(params or [])]
    ).fetchall()
    counts: dict[int, int] = {}
    for kind, _, _, n, count in rows:
        if kind == 0 and count:
            counts[int(n)] = counts.get(int(n), 0) + int(count)
    histogram = sorted(counts.items(), reverse=True)
    places = sum(count for _, count in histogram)
    top = math.ceil(places * TOP_SHARE) if places else 0
    left, top_incidents = top, 0
    for n, count in histogram:
        take = min(left, count)
        top_incidents += take * n
        left -= take
    summary = Concentration(places=places, incidents=sum(n * c for n, c in histogram),
                            top_places=top, top_incidents=top_incidents,
                            repeat_places=sum(c for n, c in histogram if n >= 2))
    repeats = sorted(((str(r[1]), str(r[2]), int(r[3])) for r in rows if r[0] == 1),
                     key=lambda r: (-r[2], r[0]))
    return summary, repeats[:20]
