"""Training the Splink model without labels, and scoring pairs with a saved one (DuckDB)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pyarrow as pa  # type: ignore[import-untyped]
from splink import DuckDBAPI, Linker, SettingsCreator

from safetyhub.linkage import comparisons as cmp
from safetyhub.linkage.normalise import PREPARED_COLUMNS

LinkType = Literal["dedupe_only", "link_only", "link_and_dedupe"]
TF_COLUMNS = ("given_name", "family_name", "postcode")
_QUIET = logging.ERROR
# Splink announces every step at INFO; the CLI shows its own progress instead.
logging.getLogger("splink").setLevel(_QUIET)


def records_table(rows: Iterable[dict[str, Any]]) -> pa.Table:
    """A pyarrow table of prepared records (every column text, missing values null)."""
    schema = pa.schema([(name, pa.string()) for name in PREPARED_COLUMNS])
    return pa.Table.from_pylist(list(rows), schema=schema)


def settings_for(fields: set[str], link_type: LinkType) -> SettingsCreator:
    """The untrained model: comparisons and blocking rules for the mapped fields."""
    return SettingsCreator(
        link_type=link_type,
        comparisons=list[Any](cmp.comparisons_for(fields)),
        blocking_rules_to_generate_predictions=cmp.blocking_rules(fields),
        retain_intermediate_calculation_columns=True,
        # The comparison vector values (gamma_*) come only with the matching columns.
        retain_matching_columns=True,
        max_iterations=20,
    )


def _linker(tables: Sequence[pa.Table], settings: SettingsCreator | dict[str, Any],
            db_api: DuckDBAPI | None = None) -> Linker:
    api = db_api or DuckDBAPI()
    registered = [api.register(table, dataset_display_name=f"records_{i}")
                  for i, table in enumerate(tables)]
    source: Any = registered[0] if len(registered) == 1 else registered
    return Linker(source, settings, log_level=_QUIET)


def train(tables: Sequence[pa.Table], *, fields: set[str], link_type: LinkType = "dedupe_only",
          u_pairs: int = 2_000_000, recall: float = 0.7, seed: int = 2024) -> dict[str, Any]:
    """Train by expectation maximisation (no labels); return Splink's JSON settings."""
    linker = _linker(tables, settings_for(fields, link_type))
    training = linker.training
    deterministic = cmp.deterministic_rules(fields)
    if deterministic:
        try:
            training.estimate_probability_two_random_records_match(
                list[Any](deterministic), recall=recall)
        except Exception:
            logging.getLogger(__name__).info("kept the prior match probability")
    training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    for rule in cmp.training_rules(fields):
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=False
            )
        except Exception:
            # A failed session (no pairs on a tiny file) can leave the linker without its
            # comparisons: carry on from the settings as they were before it.
            logging.getLogger(__name__).info("an EM session found no pairs")
            linker = _linker(tables, before)
    saved: dict[str, Any] = linker.misc.save_model_to_json()
    return with_floors(saved)


# A true match can disagree on any one field (people move, change phones, agencies mistype):
# EM on tidy data may learn m = 0 for "else", which would let one field veto every other.
M_FLOOR = 0.001
ELSE_M_FLOOR = 0.02


def with_floors(settings: dict[str, Any]) -> dict[str, Any]:
    """Raise m probabilities that EM drove to (almost) zero to a floor."""
    for comparison in settings.get("comparisons", []):
        levels = comparison.get("comparison_levels", [])
        for index, level in enumerate(levels):
            if level.get("is_null_level") or "m_probability" not in level:
                continue
            floor = ELSE_M_FLOOR if index == len(levels) - 1 else M_FLOOR
            level["m_probability"] = max(float(level["m_probability"]), floor)
    return settings


def fields_of(settings: dict[str, Any]) -> set[str]:
    """The fields a saved model compares."""
    names = {c.get("output_column_name") for c in settings.get("comparisons", [])}
    fields: set[str] = set()
    for name, needed in cmp.NEEDS.items():
        if name in names:
            fields |= needed
    return fields


@dataclass(frozen=True)
class Evidence:
    """One comparison's outcome for a pair: which level agreed and its match weight."""

    comparison: str
    level: str
    match_weight: float


@dataclass(frozen=True)
class ScoredPair:
    """A candidate pair and how likely it is one person."""

    left_id: str
    right_id: str
    match_probability: float
    match_weight: float
    evidence: tuple[Evidence, ...]


def level_labels(settings: dict[str, Any]) -> dict[str, dict[int, str]]:
    """comparison -> comparison vector value -> level label, from a saved model."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in settings.get("comparisons", []):
        levels = comparison.get("comparison_levels", [])
        non_null = [lvl for lvl in levels if not lvl.get("is_null_level")]
        by_value = {len(non_null) - 1 - i: str(lvl.get("label_for_charts", ""))
                    for i, lvl in enumerate(non_null)}
        by_value[-1] = "missing"
        labels[str(comparison["output_column_name"])] = by_value
    return labels


def _register_tf(linker: Linker, tf_tables: dict[str, pa.Table]) -> None:
    api = linker._db_api  # the linker's own connection must hold the lookup tables
    for column, table in tf_tables.items():
        registered = api.register(table, dataset_display_name=f"tf_lookup_{column}")
        linker.table_management.register_term_frequency_lookup(registered, column)


def predict(tables: Sequence[pa.Table], settings: dict[str, Any], *, threshold: float,
            tf_tables: dict[str, pa.Table] | None = None) -> pa.Table:
    """Score blocked pairs with a saved model; rows at or above `threshold` (pyarrow table)."""
    linker = _linker(tables, dict(settings))
    _register_tf(linker, tf_tables or {})
    result = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    table: pa.Table = result.as_pyarrow_table()  # type: ignore[no-untyped-call]
    return table


def predict_between(new: pa.Table, existing: pa.Table, settings: dict[str, Any], *,
                    threshold: float, tf_tables: dict[str, pa.Table]) -> pa.Table:
    """Score every pair of a new record with already-blocked existing records (incremental)."""
    api = DuckDBAPI()
    left = api.register(new, dataset_display_name="new_records")
    right = api.register(existing, dataset_display_name="existing_records")
    linker = Linker(right, dict(settings), log_level=_QUIET)
    _register_tf(linker, tf_tables)
    result = linker.inference.predict_between(
        left, right, link_type="link_only", blocking_rules_to_generate_predictions=["1=1"],
        threshold_match_probability=threshold, warning_mode="never",
    )
    table: pa.Table = result.as_pyarrow_table()  # type: ignore[no-untyped-call]
    return table


def scored_pairs(table: pa.Table, settings: dict[str, Any]) -> list[ScoredPair]:
    """Pairs from a prediction table, with the field-by-field evidence."""
    labels = level_labels(settings)
    rows = table.to_pylist()
    pairs: list[ScoredPair] = []
    for row in rows:
        evidence = []
        for name, by_value in labels.items():
            gamma = row.get(f"gamma_{name}")
            if gamma is None:
                continue
            weight = (float(row.get(f"mw_{name}") or 0.0)
                      + float(row.get(f"mw_tf_adj_{name}") or 0.0))
            evidence.append(Evidence(name, by_value.get(int(gamma), str(gamma)), round(weight, 3)))
        pairs.append(ScoredPair(
            str(row["unique_id_l"]), str(row["unique_id_r"]), float(row["match_probability"]),
            float(row["match_weight"]), tuple(evidence),
        ))
    return pairs


def pair_probabilities(table: pa.Table) -> list[tuple[str, str, float]]:
    """(left id, right id, match probability) of a prediction table, without the evidence."""
    return list(zip(table.column("unique_id_l").to_pylist(),
                    table.column("unique_id_r").to_pylist(),
                    table.column("match_probability").to_pylist(), strict=True))


def term_frequencies(table: pa.Table) -> dict[str, dict[str, float]]:
    """column -> value -> relative frequency, for the term-frequency adjusted columns."""
    result: dict[str, dict[str, float]] = {}
    total = max(table.num_rows, 1)
    for column in TF_COLUMNS:
        counts = table.column(column).drop_null().value_counts().to_pylist()
        result[column] = {str(c["values"]): c["counts"] / total for c in counts}
    return result


def tf_lookup_tables(frequencies: dict[str, dict[str, float]]) -> dict[str, pa.Table]:
    """Splink term-frequency lookup tables (one per adjusted column, maybe empty)."""
    tables = {}
    for column in TF_COLUMNS:
        values = frequencies.get(column, {})
        tables[column] = pa.table({
            column: pa.array(list(values), pa.string()),
            f"tf_{column}": pa.array(list(values.values()), pa.float64()),
        })
    return tables


def settings_json(settings: dict[str, Any]) -> str:
    """A saved model as stable JSON text."""
    return json.dumps(settings, sort_keys=True)
