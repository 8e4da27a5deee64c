"""Building plain indicator facts for table tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from safetyhub.risk.config import load_config
from safetyhub.risk.indicators.facts import (
    CaseFact,
    IncidentFact,
    Involvement,
    PartyAtPlace,
    PersonFacts,
    PlaceFacts,
    PlaceIncident,
    RecordFact,
)

AS_OF = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
POLICE, COUNCIL, HEALTH, HOUSING, IDVA = (uuid.uuid4() for _ in range(5))
HOME = uuid.uuid4()
CONFIG = load_config()


def ago(days: float, hours: float = 0) -> datetime:
    """A moment `days` (and `hours`) before AS_OF."""
    return AS_OF - timedelta(days=days, hours=hours)


def inc(days: float, *, org: uuid.UUID = POLICE, category: str = "violence_and_sexual_offences",
        place: uuid.UUID | None = None, hours: float = 0, narrative: str = "") -> IncidentFact:
    """An incident `days` ago."""
    return IncidentFact(uuid.uuid4(), org, category, ago(days, hours), place, narrative)


def person(*parts: tuple[IncidentFact, str], records: list[RecordFact] | None = None,
           cases: list[CaseFact] | None = None, marac: list[datetime] | None = None
           ) -> PersonFacts:
    """A person subject involved in the incidents, in the roles given."""
    record = uuid.uuid4()
    return PersonFacts(
        "identity:test", records=records or [],
        involvements=[Involvement(i, record, role) for i, role in parts],
        cases=cases or [], marac_referrals=marac or [])


def rec(days: float, org: uuid.UUID) -> RecordFact:
    """A person record created `days` ago at `org`."""
    return RecordFact(uuid.uuid4(), org, ago(days))


def case_about(status: str = "open", lead: uuid.UUID = COUNCIL) -> CaseFact:
    """A case about the subject."""
    return CaseFact(uuid.uuid4(), lead, status, "asb", "standard", ago(30))


def at_place(incident: IncidentFact, *parties: tuple[str, str] | tuple[str, str, bool]
             ) -> PlaceIncident:
    """An incident at the place with (person key, role[, lives here]) parties."""
    return PlaceIncident(incident, tuple(
        PartyAtPlace(party[0], uuid.uuid4(), party[1], len(party) > 2 and bool(party[2]))
        for party in parties))


def place(*incidents: PlaceIncident, cases: list[CaseFact] | None = None) -> PlaceFacts:
    """A place with its incidents."""
    return PlaceFacts(HOME, list(incidents), cases or [])
