"""API shapes for places, and the UK postcode rule shared with person records."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

# Outward code (area + district) then inward code (sector + unit), e.g. "GU1 4RR", "SW1A 1AA".
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
# The one non-geographic postcode still in use (Girobank), which the pattern above misses.
_GIROBANK = "GIR0AA"


def normalise_postcode(value: str) -> str:
    """A UK postcode in its canonical form (upper case, one space), or ValueError."""
    compact = re.sub(r"\s+", "", value).upper()
    if compact == _GIROBANK:
        return "GIR 0AA"
    match = _POSTCODE.match(compact)
    if match is None:
        raise ValueError("Enter a UK postcode, like GU1 4RR.")
    return f"{match.group(1)} {match.group(2)}"


def postcode_filter_value(value: str) -> tuple[str, bool]:
    """A postcode search term as (value, is_prefix): a full postcode, or an outward code."""
    compact = re.sub(r"\s+", "", value).upper()
    if _OUTWARD.match(compact):
        # An outward code alone ("GU1") matches every postcode in that district.
        return f"{compact} ", True
    return normalise_postcode(value), False


def _optional_postcode(value: str | None) -> str | None:
    if value is None or value.strip() == "":
        return None
    return normalise_postcode(value)


UKPostcode = Annotated[str | None, Field(max_length=12),
                       AfterValidator(_optional_postcode)]


class PlaceCreate(BaseModel):
    """A new place in the shared gazetteer."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    address: str = Field(min_length=1, max_length=300)
    postcode: UKPostcode = None
    uprn: str | None = Field(default=None, pattern=r"^[0-9]{1,12}$")
    latitude: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)
    lsoa_code: str | None = Field(default=None, pattern=r"^[EW]0\d{7}$")
    district: str | None = Field(default=None, min_length=1, max_length=100)

    @model_validator(mode="after")
    def _both_coordinates(self) -> PlaceCreate:
        # Half a coordinate cannot be placed on a map; take both or neither.
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("Give both latitude and longitude, or neither.")
        return self


class PlaceRead(BaseModel):
    """A place."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    address: str
    postcode: str | None
    uprn: str | None
    latitude: float | None
    longitude: float | None
    lsoa_code: str | None
    district: str | None
    created_by_organisation_id: uuid.UUID | None
    created_at: datetime


class PlacePage(BaseModel):
    """One page of places."""

    items: list[PlaceRead]
    total: int
    page: int
    page_size: int
