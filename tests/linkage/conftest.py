"""Linkage fixtures: one model trained (without labels) once per test session."""

from __future__ import annotations

from typing import Any

import pytest

from safetyhub.linkage import model
from safetyhub.linkage.records import ALL_FIELDS
from tests.linkage.population import population, prepared_rows


@pytest.fixture(scope="session")
def trained_settings() -> dict[str, Any]:
    """Splink settings trained by EM on a few hundred made-up records."""
    table = model.records_table(prepared_rows(population()))
    return model.train([table], fields=set(ALL_FIELDS), u_pairs=200_000)
