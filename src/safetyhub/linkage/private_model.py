"""Probabilistic linkage of encodings: Splink over Dice levels of CLKs and keyed-digest equality.

The hub never sees a name: it sees each record's Bloom filter and keyed blocking digests. Splink
compares pairs by the Dice coefficient of their filters (in bands) and by which digests are
equal (same birth date, same postcode, same identifier, ...), and learns by EM how much each
says, without labels, exactly as for plaintext records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from safetyhub.linkage import bloom, model

Encodings = tuple[list[str], list[str], dict[str, list[str | None]]]
DICE_BANDS = (0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.6)
# The digests compared for equality (a name's sound or an exact birth date, never the value).
DIGESTS = ("block_birth_date", "block_postcode", "block_identifier", "block_family_sound",
           "block_given", "block_birth_year")
COMPARED_DIGESTS = ("block_birth_date", "block_identifier", "block_given")
_DICE = ('2.0 * bit_count("clk_l" & "clk_r") / greatest("clk_bits_l" + "clk_bits_r", 1)')


def _dice_comparison() -> cl.CustomComparison:
    levels: list[Any] = [cll.NullLevel("clk")]
    for band in DICE_BANDS:
        levels.append(cll.CustomLevel(f"{_DICE} >= {band}", label_for_charts=f"Dice >= {band}"))
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(comparison_levels=levels, output_column_name="clk")


def _settings(link_type: model.LinkType, digests: Sequence[str]) -> SettingsCreator:
    comparisons: list[Any] = [_dice_comparison()]
    # Only digests that say something the filter does not: the filter already holds the names
    # and the postcode, and counting them twice would make neighbours look like one person.
    comparisons += [cl.ExactMatch(d) for d in digests if d in COMPARED_DIGESTS]
    rules: list[Any] = [block_on(d) for d in digests]
    return SettingsCreator(link_type=link_type, comparisons=comparisons,
                           blocking_rules_to_generate_predictions=rules,
                           retain_matching_columns=False,
                           retain_intermediate_calculation_columns=False, max_iterations=20)


def _load(connection: duckdb.DuckDBPyConnection, name: str, side: Encodings,
          digests: Sequence[str], offset: int) -> None:
    ids, clks, blocks = side
    bits = ["".join(f"{byte:08b}" for byte in row) for row in bloom.decode_clks(clks)]
    table = pa.table({"unique_id": [f"{offset}:{i}" for i in ids], "clk_text": bits,
                      **{d: blocks.get(d, [None] * len(ids)) for d in digests}})
    connection.register(f"{name}_arrow", table)
    digest_columns = "".join(f", {d}" for d in digests)
    connection.execute(  # names are this module's constants
        f"CREATE TABLE {name} AS SELECT unique_id, clk_text::BIT AS clk, "  # noqa: S608
        f"bit_count(clk_text::BIT) AS clk_bits{digest_columns} FROM {name}_arrow")
    connection.unregister(f"{name}_arrow")


def link(left: Encodings, right: Encodings | None, *, threshold: float
         ) -> list[tuple[str, str, float]]:
    """Train on the encodings (EM) and score blocked pairs: (left id, right id, probability)."""
    digests = [d for d in DIGESTS if d in left[2] and (right is None or d in right[2])]
    connection = duckdb.connect()
    _load(connection, "side_0", left, digests, 0)
    if right is not None:
        _load(connection, "side_1", right, digests, 1)
    api = DuckDBAPI(connection)
    frames = [api.register("side_0", dataset_display_name="side_0")]
    if right is not None:
        frames.append(api.register("side_1", dataset_display_name="side_1"))
    link_type: model.LinkType = "dedupe_only" if right is None else "link_only"
    linker = Linker(frames[0] if right is None else frames, _settings(link_type, digests),
                    log_level=40)
    training = linker.training
    deterministic = [f"l.{d} = r.{d}" for d in ("block_identifier", "block_birth_date")
                     if d in digests]
    if deterministic:
        training.estimate_probability_two_random_records_match(list[Any](deterministic),
                                                               recall=0.6)
    training.estimate_u_using_random_sampling(max_pairs=2_000_000, seed=1)
    for digest in ("block_birth_year", "block_postcode", "block_family_sound"):
        if digest in digests:
            try:
                training.estimate_parameters_using_expectation_maximisation(block_on(digest))
            except Exception:  # noqa: S112 - nothing to learn from this rule here
                continue
    rows = linker.inference.predict(threshold_match_probability=threshold,
                                    warning_mode="never").as_pyarrow_table()  # type: ignore[no-untyped-call]
    connection.close()
    result = []
    for l_id, r_id, p in zip(rows.column("unique_id_l").to_pylist(),
                             rows.column("unique_id_r").to_pylist(),
                             rows.column("match_probability").to_pylist(), strict=True):
        if right is not None and l_id.startswith("1:"):
            l_id, r_id = r_id, l_id
        result.append((l_id.split(":", 1)[1], r_id.split(":", 1)[1], float(p)))
    return sorted(result, key=lambda m: (-m[2], m[0], m[1]))
