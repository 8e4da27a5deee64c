"""Indicator parameters: the shipped TOML, overridden key by key by a partnership's own file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from safetyhub.config import get_settings
from safetyhub.errors import InvalidInput

SHIPPED = Path(__file__).parent / "indicators.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Indicator(_Section):
    """What every windowed indicator has: a switch, its window and its weight in the score."""

    enabled: bool
    window_days: int = Field(ge=1, le=3650)
    weight: float = Field(ge=0)


class OccurrenceParams(_Section):
    """When reports by several agencies are one occurrence."""

    same_occurrence_hours: float = Field(ge=0, le=72)


class RepeatVictimParams(_Indicator):
    """Repeat victimisation of one Identity."""

    roles: tuple[str, ...]
    repeat_at: int = Field(ge=1)
    high_at: int = Field(ge=1)


class RepeatPlaceParams(_Indicator):
    """Repeat incidents at one place."""

    categories: tuple[str, ...]
    repeat_at: int = Field(ge=1)
    high_at: int = Field(ge=1)


class KnownToManyParams(_Indicator):
    """Known to many agencies, with no case coordinating them."""

    agencies_at: int = Field(ge=2)


class RisingParams(_Section):
    """Rising frequency or severity over a sliding window (for a person or a place)."""

    enabled: bool
    recent_days: int = Field(ge=1, le=3650)
    baseline_days: int = Field(ge=1, le=3650)
    min_recent: int = Field(ge=1)
    min_baseline: int = Field(ge=0)
    frequency_factor: float = Field(gt=0)
    min_recent_for_severity: int = Field(ge=1)
    severity_increase: float = Field(gt=0)
    weight: float = Field(ge=0)


class EscalationParams(RisingParams):
    """Escalation about a person: their incidents in the given roles."""

    roles: tuple[str, ...]


class PlaceEscalationParams(RisingParams):
    """Escalation at a place: its incidents of the given categories (none listed: every one)."""

    categories: tuple[str, ...] = ()


class DomesticAbuseParams(_Indicator):
    """DASH escalation and the MARAC repeat rule."""

    categories: tuple[str, ...]
    escalation_at: int = Field(ge=1)
    marac_repeat_days: int = Field(ge=1, le=3650)


class SignalParams(_Section):
    """One sign of exploitation at a vulnerable person's home."""

    categories: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    at_least: int = Field(ge=1)
    weight: float = Field(ge=0)


class ExploitationParams(_Indicator):
    """Cuckooing and exploitation signs at a vulnerable person's home."""

    lookback_days: int = Field(ge=1, le=3650)
    vulnerability_categories: tuple[str, ...]
    vulnerability_roles: tuple[str, ...]
    residents_only: bool
    alert_at: float = Field(gt=0)
    high_at: float = Field(gt=0)
    signals: dict[str, SignalParams]


class MentalHealthParams(_Indicator):
    """Repeated mental-health crises, routed by Right Care, Right Person."""

    categories: tuple[str, ...]
    roles: tuple[str, ...]
    repeat_at: int = Field(ge=1)
    high_at: int = Field(ge=1)
    crime_categories: tuple[str, ...]
    immediate_risk_terms: tuple[str, ...]


class RoutingParams(_Section):
    """Which organisations receive alerts when no case says otherwise (names; empty: default)."""

    mental_health_partner: str = ""
    police: str = ""
    hub: str = ""


class RiskConfig(_Section):
    """Every indicator's parameters."""

    occurrence: OccurrenceParams
    severity: dict[str, int]
    repeat_victim: RepeatVictimParams
    repeat_place: RepeatPlaceParams
    known_to_many: KnownToManyParams
    escalation: EscalationParams
    place_escalation: PlaceEscalationParams
    domestic_abuse: DomesticAbuseParams
    exploitation: ExploitationParams
    mental_health: MentalHealthParams
    routing: RoutingParams

    @model_validator(mode="after")
    def _levels_in_order(self) -> RiskConfig:
        for name, low, high in (
            ("repeat_victim", self.repeat_victim.repeat_at, self.repeat_victim.high_at),
            ("repeat_place", self.repeat_place.repeat_at, self.repeat_place.high_at),
            ("mental_health", self.mental_health.repeat_at, self.mental_health.high_at),
            ("exploitation", self.exploitation.alert_at, self.exploitation.high_at),
        ):
            if high < low:
                raise ValueError(f"{name}: the high level must not be below the first level")
        return self

    @property
    def lookback_days(self) -> int:
        """The longest window any indicator reads (how far back the loaders go)."""
        return max(
            self.repeat_victim.window_days, self.repeat_place.window_days,
            self.known_to_many.window_days,
            self.escalation.recent_days + self.escalation.baseline_days,
            self.place_escalation.recent_days + self.place_escalation.baseline_days,
            self.domestic_abuse.window_days, self.domestic_abuse.marac_repeat_days,
            self.exploitation.lookback_days, self.mental_health.window_days,
        )


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`base` with `override`'s keys replacing its own, tables merged key by key."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise InvalidInput(f"Cannot read the indicator file {path}: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"The indicator file {path} is not valid TOML: {exc}.") from None


def parse_config(data: dict[str, Any]) -> RiskConfig:
    """Validate indicator parameters; a clear InvalidInput names the first bad key."""
    try:
        return RiskConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidInput(f"Indicator parameter {where}: {first['msg']}.") from None


_cache: dict[tuple[str, float], RiskConfig] = {}


def load_config(override: Path | None = None) -> RiskConfig:
    """The shipped parameters, overridden by `override` or the configured partnership file."""
    path = override or get_settings().risk_config_path
    key = (str(path or ""), path.stat().st_mtime if path and path.exists() else 0.0)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    data = _read(SHIPPED)
    if path is not None:
        data = merge(data, _read(path))
    config = parse_config(data)
    _cache.clear()
    _cache[key] = config
    return config
