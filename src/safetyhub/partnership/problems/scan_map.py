"""The scanning map: places near the problem with incidents the reader may see, as SVG points."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from safetyhub.analytics.hotspots import Hotspot
from safetyhub.analytics.maps import MapPoint, lsoa_map
from safetyhub.auth.actor import Actor
from safetyhub.incidents.models import Incident
from safetyhub.partnership.problems import queries
from safetyhub.partnership.problems.reads import start_of, visible_problem
from safetyhub.places.models import Place
from safetyhub.sharing import policy

# About 500 m around each of the problem's places (a degree of latitude is about 111 km).
NEAR_DEGREES = 0.0045
LOOK_BACK_DAYS = 365
MAX_PLACES = 300


@dataclass(frozen=True)
class CandidatePlace:
    """A place with incidents the reader may see: how many, how many linked, and its point."""

    place_id: uuid.UUID
    address: str
    postcode: str | None
    incidents: int
    linked: int
    problem_place: bool


@dataclass(frozen=True)
class ScanMap:
    """Points for the SVG (same order as `places`) and the table beside it."""

    places: list[CandidatePlace]
    points: list[MapPoint]


def _near(problem_places: list[Place]) -> ColumnElement[bool]:
    boxes = [
        (Place.latitude.between(p.latitude - NEAR_DEGREES, p.latitude + NEAR_DEGREES))
        & (Place.longitude.between(p.longitude - 1.6 * NEAR_DEGREES,
                                   p.longitude + 1.6 * NEAR_DEGREES))
        for p in problem_places if p.latitude is not None and p.longitude is not None
    ]
    return or_(false(), *boxes)


def scan_map(session: Session, *, actor: Actor, problem_id: uuid.UUID, today: date) -> ScanMap:
    """Candidate places near the problem (or in its area) over the last year, with counts."""
    problem = visible_problem(session, actor, problem_id)
    own = list(session.scalars(select(Place).where(Place.id.in_(queries.place_ids(problem.id)))))
    linked = Incident.id.in_(queries.linked_ids(problem.id))
    # Anchors: the problem's places and the places of its linked incidents the reader may see.
    anchors = own + list(session.scalars(select(Place).where(Place.id.in_(
        select(Incident.place_id).where(linked, policy.incident_readable(actor))
    )).limit(MAX_PLACES)))
    where = [_near(anchors), Place.id.in_([p.id for p in anchors])]
    if problem.area_lsoa_code:
        where.append(Place.lsoa_code == problem.area_lsoa_code)
    since = start_of(today - timedelta(days=LOOK_BACK_DAYS))
    rows = session.execute(
        select(Place, func.count(Incident.id))
        .join(Incident, Incident.place_id == Place.id)
        .where(or_(*where), Place.latitude.is_not(None), Place.longitude.is_not(None),
               policy.incident_readable(actor), or_(Incident.occurred_at >= since, linked))
        .group_by(Place.id).order_by(func.count(Incident.id).desc()).limit(MAX_PLACES)
    ).all()
    linked_by_place: dict[uuid.UUID | None, int] = {
        place_id: int(n) for place_id, n in session.execute(
            select(Incident.place_id, func.count())
            .where(linked, policy.incident_readable(actor), Incident.place_id.is_not(None))
            .group_by(Incident.place_id)
        )
    }
    own_ids = {p.id for p in own}
    places = [CandidatePlace(p.id, p.address, p.postcode, int(n),
                             int(linked_by_place.get(p.id, 0)), p.id in own_ids)
              for p, n in rows]
    coords = {p.id: (p.latitude, p.longitude) for p, _ in rows}
    spots = [Hotspot(lsoa_code="", lsoa_name=c.address, district="", count=c.incidents,
                     latitude=float(coords[c.place_id][0] or 0),
                     longitude=float(coords[c.place_id][1] or 0), z=0.0, p=1.0,
                     hot=c.problem_place, cold=c.linked > 0 and not c.problem_place)
             for c in places]
    return ScanMap(places=places, points=lsoa_map(spots))
