"""The analysts' downloads: trends and hotspots as CSV, LSOA hotspots as GeoJSON."""

from __future__ import annotations

import csv
import io
import json

from safetyhub.analytics.picture import AnalystPicture


def trends_csv(picture: AnalystPicture) -> str:
    """Monthly counts by district and by crime type, with change and control-limit flag."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["breakdown", "group", "month", "count", "previous", "change", "z",
                     "beyond_normal_variation"])
    for name, points in (("county", picture.county), ("district", picture.by_district),
                         ("crime_type", picture.by_category)):
        for p in points:
            writer.writerow([name, p.group, p.month, p.count, _blank(p.previous),
                             _blank(p.change), "" if p.z is None else f"{p.z:.3f}",
                             "yes" if p.beyond else "no"])
    return out.getvalue()


def hotspots_csv(picture: AnalystPicture) -> str:
    """Every LSOA's count, centroid and Gi* result."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["lsoa_code", "lsoa_name", "district", "count", "latitude", "longitude",
                     "gi_star_z", "p_value", "hot_spot", "cold_spot"])
    for h in picture.hotspots:
        writer.writerow([h.lsoa_code, h.lsoa_name, h.district, h.count, f"{h.latitude:.6f}",
                         f"{h.longitude:.6f}", f"{h.z:.3f}", f"{h.p:.3g}",
                         "yes" if h.hot else "no", "yes" if h.cold else "no"])
    return out.getvalue()


def hotspots_geojson(picture: AnalystPicture) -> str:
    """LSOA centroids as a GeoJSON FeatureCollection with counts and Gi* results."""
    features = [{
        "type": "Feature",
        "geometry": {"type": "Point",
                     "coordinates": [round(h.longitude, 6), round(h.latitude, 6)]},
        "properties": {"lsoa_code": h.lsoa_code, "lsoa_name": h.lsoa_name,
                       "district": h.district, "count": h.count, "gi_star_z": round(h.z, 3),
                       "p_value": h.p, "hot_spot": h.hot, "cold_spot": h.cold},
    } for h in picture.hotspots]
    return json.dumps({"type": "FeatureCollection", "features": features})


def _blank(value: int | None) -> str:
    return "" if value is None else str(value)
