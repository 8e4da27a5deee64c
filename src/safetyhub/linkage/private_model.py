"""Probabilistic linkage of encodings: Splink, field by field, over keyed filters and digests.

The hub never sees a name: it sees each record's field-level Bloom filters and keyed digests
(`bloom`). Each field is compared as the plaintext model compares it (`comparisons`), with
digest equality where plaintext tests equality and the Dice coefficient of the field's filters
where plaintext measures spelling; Splink learns each level's weight by EM without labels
(Fellegi-Sunter), with term-frequency adjustments on the exact-name and postcode digests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from safetyhub.errors import InvalidInput
from safetyhub.linkage import bloom, model

# (record ids, encoded column -> values); the columns are bloom.COLUMNS.
Encodings = tuple[list[str], dict[str, list[str | None]]]
# Which column tells whether a field was mapped at all.
PRESENCE = {"given_name": "d_given", "family_name": "d_family", "date_of_birth": "d_dob_year",
            "postcode": "d_postcode", "address": "d_address", "phone": "d_phone",
            "identifier": "d_identifier"}
VERY_SIMILAR, SIMILAR = 0.8, 0.6


def _dice(column: str) -> str:
    return (f'2.0 * bit_count("{column}_l" & "{column}_r") / '
            f'greatest("{column}_bits_l" + "{column}_bits_r", 1)')


def _level(sql: str, label: str, *, tf: str | None = None) -> cll.CustomLevel:
    level = cll.CustomLevel(sql, label_for_charts=label)
    if tf is not None:
        level.configure(tf_adjustment_column=tf, tf_adjustment_weight=1.0)
    return level


def _equal(column: str, label: str, *, tf: bool = False) -> cll.CustomLevel:
    return _level(f'"{column}_l" = "{column}_r"', label, tf=column if tf else None)


def _similar(column: str, at: float, label: str) -> cll.CustomLevel:
    return _level(f"{_dice(column)} >= {at}", label)


def _comparison(name: str, null: str, levels: list[Any]) -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name=name, comparison_levels=[
        cll.NullLevel(null), *levels, cll.ElseLevel()])


_SWAPPED = '"d_given_l" = "d_family_r" AND "d_family_l" = "d_given_r"'


def _swapped_counted_once() -> cll.CustomLevel:
    level = _level(_SWAPPED, "swapped with given name")
    level.configure(m_probability=0.01, u_probability=0.01, fix_m_probability=True,
                    fix_u_probability=True)
    return level


def comparisons_for(fields: set[str]) -> list[cl.CustomComparison]:
    """Field-by-field comparisons of the encodings, for the fields both sides mapped."""
    found: list[cl.CustomComparison] = []
    if "given_name" in fields:
        found.append(_comparison("given_name", "d_given", [
            _equal("d_given", "exact", tf=True), _level(_SWAPPED, "swapped with family name"),
            _equal("d_given_canonical", "nickname or variant"),
            _similar("bf_given", VERY_SIMILAR, "very similar spelling"),
            _similar("bf_given", SIMILAR, "similar spelling")]))
    if "family_name" in fields:
        found.append(_comparison("family_name", "d_family", [
            _equal("d_family", "exact", tf=True), _swapped_counted_once(),
            _similar("bf_family", VERY_SIMILAR, "very similar spelling"),
            _equal("d_family_sound", "sounds alike"),
            _similar("bf_family", SIMILAR, "similar spelling")]))
    if "date_of_birth" in fields:
        found.append(_comparison("date_of_birth", "d_dob_year", [
            _equal("d_dob", "exact"),
            _level('"d_dob_l" = "d_dob_swapped_r"', "day and month transposed"),
            _level('list_has_any(string_split("d_dob_near_l", \' \'), '
                   'string_split("d_dob_near_r", \' \'))', "one digit different"),
            _equal("d_dob_year_month", "same year and month"),
            _equal("d_dob_year", "same year")]))
    if "postcode" in fields:
        found.append(_comparison("postcode", "d_postcode", [
            _equal("d_postcode", "exact", tf=True), _equal("d_postcode_sector", "same sector"),
            _equal("d_postcode_district", "same district")]))
    if "address" in fields:
        found.append(_comparison("address", "d_address", [
            _equal("d_address", "exact"), _similar("bf_address", VERY_SIMILAR, "very similar"),
            _similar("bf_address", SIMILAR, "similar")]))
    if "phone" in fields:
        found.append(_comparison("phone", "d_phone", [
            _equal("d_phone", "exact"), _equal("d_phone_last7", "same last seven digits")]))
    if "identifier" in fields:
        found.append(_comparison("identifier", "d_identifier", [
            _equal("d_identifier", "exact"),
            _similar("bf_identifier", VERY_SIMILAR, "one character different")]))
    return found


def blocking_rules(fields: set[str]) -> list[Any]:
    """The plaintext model's blocking rules, on keyed digests."""
    rules: list[Any] = []

    def add(needed: set[str], *columns: str) -> None:
        if needed <= fields:
            rules.append(block_on(*columns))

    add({"date_of_birth"}, "d_dob")
    add({"given_name", "family_name"}, "d_given_canonical", "d_family_sound")
    if {"given_name", "family_name"} <= fields:
        rules.append({"blocking_rule": 'l."d_given" = r."d_family" AND '
                                       'l."d_family" = r."d_given"'})
    add({"family_name", "date_of_birth"}, "d_family_sound", "d_dob_year")
    add({"given_name", "date_of_birth"}, "d_given_canonical", "d_dob_year")
    add({"postcode", "family_name"}, "d_postcode", "d_family_sound")
    add({"postcode", "given_name"}, "d_postcode_initial")
    add({"phone"}, "d_phone")
    add({"identifier"}, "d_identifier")
    add({"address", "given_name"}, "d_address_initial")
    if not rules:  # a name alone: block on how it sounds
        add({"family_name"}, "d_family_sound")
        add({"given_name"}, "d_given_canonical")
    return rules


def _training_rules(fields: set[str]) -> list[Any]:
    rules: list[Any] = []
    if "date_of_birth" in fields:
        rules.append(block_on("d_dob"))
    if {"given_name", "family_name"} <= fields:
        rules.append(block_on("d_given_canonical", "d_family"))
    if {"postcode", "family_name"} <= fields:
        rules.append(block_on("d_postcode", "d_family_sound"))
    return rules


def _deterministic_rules(fields: set[str]) -> list[str]:
    rules: list[str] = []
    if {"given_name", "family_name", "date_of_birth"} <= fields:
        rules.append("l.d_family = r.d_family AND l.d_given_canonical = r.d_given_canonical "
                     "AND l.d_dob = r.d_dob")
    if "identifier" in fields:
        rules.append("l.d_identifier = r.d_identifier")
    if {"phone", "family_name"} <= fields:
        rules.append("l.d_phone = r.d_phone AND l.d_family_sound = r.d_family_sound")
    return rules


def fields_present(sides: Sequence[Encodings]) -> set[str]:
    """The fields every side has at least one value of."""
    return {field for field, column in PRESENCE.items()
            if all(any(v for v in side[1].get(column, [])) for side in sides)}


def _load(connection: duckdb.DuckDBPyConnection, name: str, side: Encodings,
          offset: int) -> None:
    ids, values = side
    data: dict[str, Any] = {"unique_id": [f"{offset}:{i}" for i in ids]}
    for column, (bits, _) in bloom.FILTERS.items():
        raw = bloom.decode_filters(values.get(column, []) or [None] * len(ids), bits)
        data[column] = [("".join(f"{byte:08b}" for byte in row) if v else None)
                        for row, v in zip(raw, values.get(column, [None] * len(ids)),
                                          strict=True)]
    for column in bloom.DIGESTS:
        data[column] = values.get(column, [None] * len(ids))
    connection.register(f"{name}_arrow", pa.table(data))
    filters = "".join(f", {c}::BIT AS {c}, bit_count({c}::BIT) AS {c}_bits"
                      for c in bloom.FILTERS)
    digests = "".join(f", {c}" for c in bloom.DIGESTS)
    connection.execute(  # names are bloom's constants
        f"CREATE TABLE {name} AS SELECT unique_id{filters}{digests} "  # noqa: S608
        f"FROM {name}_arrow")
    connection.unregister(f"{name}_arrow")


def link(left: Encodings, right: Encodings | None, *, threshold: float
         ) -> list[tuple[str, str, float]]:
    """Train on the encodings (EM) and score blocked pairs: (left id, right id, probability)."""
    sides = [left] if right is None else [left, right]
    fields = fields_present(sides)
    if not ({"given_name", "family_name"} & fields):
        raise InvalidInput("The encodings hold no name: encode at least a given or family name.")
    connection = duckdb.connect()
    for index, side in enumerate(sides):
        _load(connection, f"side_{index}", side, index)
    api = DuckDBAPI(connection)
    frames = [api.register(f"side_{i}", dataset_display_name=f"side_{i}")
              for i in range(len(sides))]
    link_type: model.LinkType = "dedupe_only" if right is None else "link_only"
    settings = SettingsCreator(
        link_type=link_type, comparisons=list[Any](comparisons_for(fields)),
        blocking_rules_to_generate_predictions=blocking_rules(fields),
        retain_matching_columns=False, retain_intermediate_calculation_columns=False,
        max_iterations=20)
    source: Any = frames[0] if right is None else frames
    linker = Linker(source, settings, log_level=40)
    training = linker.training
    deterministic = _deterministic_rules(fields)
    if deterministic:
        with contextlib.suppress(Exception):  # else keep the prior match probability
            training.estimate_probability_two_random_records_match(list[Any](deterministic),
                                                                   recall=0.7)
    training.estimate_u_using_random_sampling(max_pairs=2_000_000, seed=2024)
    for rule in _training_rules(fields):
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=False)
        except Exception:  # nothing to learn from this rule here
            # A failed session can leave the linker without its comparisons: start again.
            linker = Linker(source, before, log_level=40)
    trained = model.with_floors(linker.misc.save_model_to_json())
    scorer = Linker(source, trained, log_level=40)
    rows = scorer.inference.predict(threshold_match_probability=threshold,
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
