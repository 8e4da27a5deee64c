"""Loading the case review parameters: the shipped TOML, overridden key by key by a local file."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from safetyhub.casereview.rules import CaseReviewParameters, Deadlines, ThresholdParameters
from safetyhub.config import get_settings
from safetyhub.errors import InvalidInput

SHIPPED = Path(__file__).with_name("parameters.toml")


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


def parse_parameters(data: dict[str, Any]) -> CaseReviewParameters:
    """Parameters from TOML tables; unknown keys or wrong types are a clear error."""
    threshold = {**data.get("threshold", {}), **data.get("variants", {})}
    try:
        for key in ("asb_categories", "complainant_roles", "hate_categories"):
            if key in threshold:
                threshold[key] = frozenset(str(v) for v in threshold[key])
        params = CaseReviewParameters(
            threshold=ThresholdParameters(**threshold),
            deadlines=Deadlines(**data.get("deadlines", {})),
            year_starts_month=int(data.get("figures", {}).get("year_starts_month", 4)),
        )
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"The case review parameters are not valid: {exc}") from None
    if not 1 <= params.year_starts_month <= 12 or params.threshold.complaints < 1:
        raise InvalidInput("The case review parameters are not valid: out of range.")
    return params


@lru_cache(maxsize=4)
def _load(local_file: Path | None) -> CaseReviewParameters:
    data = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    if local_file:
        data = _merge(data, tomllib.loads(Path(local_file).read_text(encoding="utf-8")))
    return parse_parameters(data)


def case_review_parameters() -> CaseReviewParameters:
    """The parameters in force (the shipped defaults and the partnership's own file)."""
    return _load(get_settings().asb_case_review_parameters_file)
