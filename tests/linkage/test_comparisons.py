"""Table tests: cleaning, and which comparison level a pair of records reaches."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safetyhub.linkage import model
from safetyhub.linkage.nicknames import canonical_given_name
from safetyhub.linkage.normalise import (
    clean_address,
    clean_phone,
    clean_postcode,
    date_parts,
    prepared,
    soundex,
)

BASE: dict[str, Any] = {
    "given_name": "William", "family_name": "Okafor", "date_of_birth": date(1984, 3, 9),
    "postcode": "GU1 4RR", "address": "12 Elm Road, Guildford", "phone": "07700 900123",
    "identifier": None,
}


@pytest.mark.parametrize(("value", "expected"), [
    (("Robert", "Rupert"), ("R163", "R163")), (("Ashcraft", "Tymczak"), ("A261", "T522")),
])
def test_soundex(value: tuple[str, str], expected: tuple[str, str]) -> None:
    assert tuple(soundex(v.lower()) for v in value) == expected


@pytest.mark.parametrize(("raw", "parts"), [
    ("1984-03-09", ("1984", "03", "09")), ("19840309", ("1984", "03", "09")),
    ("09/03/1984", ("1984", "03", "09")), ("1984-03", ("1984", "03", None)),
    ("1984", ("1984", None, None)), ("", (None, None, None)), (None, (None, None, None)),
    ("19841309", ("1984", "13", "09")),
])
def test_dates_full_partial_and_impossible(raw: str | None, parts: tuple[str | None, ...]) -> None:
    assert date_parts(raw) == parts


@pytest.mark.parametrize(("name", "same_as"), [
    ("bill", "william"), ("kate", "catherine"), ("peggy", "margaret"), ("jim", "james"),
    ("zaynab", "zainab"),
])
def test_nicknames_share_a_key(name: str, same_as: str) -> None:
    assert canonical_given_name(name) == canonical_given_name(same_as)


def test_unrelated_names_do_not_share_a_key() -> None:
    assert canonical_given_name("william") != canonical_given_name("robert")
    assert canonical_given_name("zebedee") == "zebedee"


@pytest.mark.parametrize(("cleaner", "raw", "clean"), [
    (clean_postcode, "gu1 4rr", "GU14RR"), (clean_postcode, " GU14RR ", "GU14RR"),
    (clean_phone, "+44 7700 900123", "07700900123"), (clean_phone, "(01483) 000-000",
                                                      "01483000000"),
    (clean_address, "12 Elm Rd., Guildford", "12 elm road guildford"),
])
def test_cleaning(cleaner: Any, raw: str, clean: str) -> None:
    assert cleaner(raw) == clean


def _score(settings: dict[str, Any], left: dict[str, Any], right: dict[str, Any]
           ) -> model.ScoredPair:
    rows = [prepared("left", left), prepared("right", right)]
    # Term frequencies as in a county of a few hundred people (these values seen once each).
    frequencies = {column: {str(r[column]): 1 / 400 for r in rows if r[column]}
                   for column in model.TF_COLUMNS}
    table = model.predict_between(
        model.records_table(rows[:1]), model.records_table(rows[1:]), settings, threshold=0.0,
        tf_tables=model.tf_lookup_tables(frequencies),
    )
    pairs = model.scored_pairs(table, settings)
    assert len(pairs) == 1
    return pairs[0]


# (what differs, the changed fields, the comparison to look at, its level, linked at 0.6?)
CASES = [
    ("nickname", {"given_name": "Bill"}, "given_name", "nickname or variant", True),
    ("initial", {"given_name": "W"}, "given_name", "initial only", True),
    ("swapped names", {"given_name": "Okafor", "family_name": "William"}, "family_name",
     "swapped with given name", True),
    ("typo in family name", {"family_name": "Okafro"}, "family_name", "very similar spelling",
     True),
    ("transposed date", {"date_of_birth": date(1984, 9, 3)}, "date_of_birth",
     "day and month transposed", True),
    ("one digit out", {"date_of_birth": date(1984, 3, 8)}, "date_of_birth",
     "one digit different", True),
    ("partial date", {"date_of_birth": "1984-03"}, "date_of_birth", "same year and month", True),
    ("missing date", {"date_of_birth": None}, "date_of_birth", "missing", True),
    ("moved house", {"postcode": "GU2 7XH", "address": "3 Meadow Close, Guildford"},
     "postcode", "All other comparisons", True),
    ("moved next door", {"address": "14 Elm Road, Guildford"}, "address",
     "All other comparisons", True),
    ("address misspelt", {"address": "12 Elm Raod, Guildford"}, "address", "very similar", True),
    # Same household: the postcode adds nothing once the address agrees (no double counting).
    ("same household, another person", {"given_name": "Grace", "date_of_birth": date(2009, 1, 5),
                                        "phone": None}, "postcode",
     "exact, with the same address", False),
    ("neighbour of the same name", {"given_name": "Grace", "date_of_birth": date(1990, 6, 1),
                                    "address": "14 Elm Road, Guildford", "phone": None},
     "address", "All other comparisons", False),
    ("phone reformatted", {"phone": "+44 7700 900123"}, "phone", "exact", True),
    ("different person", {"given_name": "Grace", "family_name": "Nowak",
                          "date_of_birth": date(1961, 11, 30), "phone": None},
     "given_name", "All other comparisons", False),
]


@pytest.mark.parametrize(("what", "changes", "comparison", "level", "linked"), CASES,
                         ids=[c[0] for c in CASES])
def test_comparison_levels(trained_settings: dict[str, Any], what: str,
                           changes: dict[str, Any], comparison: str, level: str,
                           linked: bool) -> None:
    pair = _score(trained_settings, BASE, {**BASE, **changes})
    evidence = {e.comparison: e.level for e in pair.evidence}
    assert evidence[comparison] == level, what
    assert (pair.match_probability >= 0.6) is linked, (what, pair.match_probability)


def test_agreement_weighs_more_than_disagreement(trained_settings: dict[str, Any]) -> None:
    same = _score(trained_settings, BASE, BASE)
    moved = _score(trained_settings, BASE, {**BASE, "postcode": "RH1 1AA", "address": "x"})
    assert same.match_weight > moved.match_weight
    weights = {e.comparison: e.match_weight for e in same.evidence}
    assert all(w > 0 for name, w in weights.items() if name not in {"identifier", "postcode"})
    # The same postcode is part of the same address: weighed once, by the address.
    assert weights["postcode"] == pytest.approx(0.0)
