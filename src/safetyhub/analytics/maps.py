"""An SVG map of LSOA centroids on a plain background (no online tiles exist here)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from safetyhub.analytics.hotspots import Hotspot

WIDTH, HEIGHT, MARGIN = 640, 420, 12


@dataclass(frozen=True)
class MapPoint:
    """One LSOA drawn as a circle: position, radius, and its kind (hot, cold or neither)."""

    x: float
    y: float
    r: float
    kind: str
    label: str


def lsoa_map(spots: list[Hotspot]) -> list[MapPoint]:
    """Project centroids (equirectangular) into the map box; area of each circle ~ count."""
    if not spots:
        return []
    lats = [h.latitude for h in spots]
    lons = [h.longitude for h in spots]
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * scale_x, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    unit = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
    biggest = max(h.count for h in spots) or 1
    return [MapPoint(
        x=MARGIN + (h.longitude - min(lons)) * scale_x * unit,
        y=HEIGHT - MARGIN - (h.latitude - min(lats)) * unit,
        r=2 + 8 * math.sqrt(h.count / biggest),
        kind="hot" if h.hot else "cold" if h.cold else "none",
        label=f"{h.lsoa_name}: {h.count}",
    ) for h in spots]
