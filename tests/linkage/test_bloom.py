"""The privacy-preserving encoder (format 2): keyed, deterministic, no plaintext emitted."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

import numpy as np
import pytest

from safetyhub.linkage import bloom

RECORDS: list[dict[str, Any]] = [
    {"given_name": "Katherine", "family_name": "O'Brien-Smyth", "date_of_birth": "1984-03-09",
     "postcode": "GU1 4RR", "address": "12 Foxglove Road, Guildford", "phone": "07700 900123",
     "identifier": "999 000 0018"},
    {"given_name": "Mohammed", "family_name": "Hussain", "date_of_birth": date(1991, 12, 1),
     "postcode": "RH1 1AA", "address": "Flat 3, Kingfisher Court, Redhill",
     "phone": "+44 1632 960001", "identifier": "PER00001234"},
    {"given_name": "Zoe", "family_name": "Ng", "date_of_birth": None, "postcode": None,
     "address": None, "phone": None, "identifier": None},
]
KEY = b"a secret the agencies share, 32b"


def _emitted(encoded: bloom.Encoded) -> str:
    return ",".join(v or "" for v in encoded.values.values())


def _substrings(value: Any, length: int) -> set[str]:
    text = str(value)
    return {text[i:i + n] for n in range(length, len(text) + 1)
            for i in range(len(text) - n + 1)}


@pytest.mark.parametrize("fields", RECORDS)
def test_no_plaintext_in_the_output(fields: dict[str, Any]) -> None:
    emitted = _emitted(bloom.encode("r1", fields, KEY))
    lowered = emitted.lower()
    for value in fields.values():
        if value is None:
            continue
        # No field value, nor any piece of 4 or more characters, in any letter case.
        assert str(value).lower() not in lowered
        assert not {s for s in _substrings(value, 4) if s.lower() in lowered}
        # Pieces of 3 may turn up by chance in any base64 text (p ~ 6e-4 per piece); the
        # encoder never puts them there: the same pieces turn up no more often than in
        # encodings under other keys (i.e. at the rate of random text).
    threes = {s for v in fields.values() if v is not None for s in _substrings(v, 3)
              if len(s) == 3}
    hits = sum(s in emitted for s in threes)
    assert hits <= 1


def test_three_character_pieces_appear_only_at_chance_rate() -> None:
    pieces = {s for f in RECORDS for v in f.values() if v is not None
              for s in _substrings(v, 3) if len(s) == 3}
    outputs = [_emitted(bloom.encode("r", fields, bytes([k]) * 32)) for fields in RECORDS
               for k in range(1, 41)]
    hits = sum(s in emitted for emitted in outputs for s in pieces)
    checks = len(RECORDS) * 40 * len(pieces)
    # ~600 characters of base64 per record: a random 3-gram is in it with p < 0.01.
    assert hits / checks < 0.01


def _filter(encoded: bloom.Encoded, column: str) -> np.ndarray[Any, np.dtype[np.uint8]]:
    return bloom.decode_filters([encoded.values[column]], bloom.FILTERS[column][0])


def _dice(left: bloom.Encoded, right: bloom.Encoded, column: str) -> float:
    return float(bloom.dice(_filter(left, column), _filter(right, column), np.array([0]),
                            np.array([0]))[0])


def test_deterministic_per_key_and_different_across_keys() -> None:
    first = bloom.encode("r1", RECORDS[0], KEY)
    assert first == bloom.encode("r1", RECORDS[0], KEY)
    other = bloom.encode("r1", RECORDS[0], b"another secret of the same size!")
    digests = {c: first.values[c] for c in bloom.DIGESTS}
    assert not set(digests.values()) & {other.values[c] for c in bloom.DIGESTS}
    for column in bloom.FILTERS:
        assert _dice(first, first, column) == 1.0
        assert _dice(first, other, column) < 0.6, column
    assert bloom.key_check(KEY) != bloom.key_check(b"another secret of the same size!")


def test_every_column_has_its_size_and_missing_fields_stay_empty() -> None:
    encoded = bloom.encode("r1", RECORDS[0], KEY)
    assert set(encoded.values) == set(bloom.COLUMNS)
    for column, (bits, _) in bloom.FILTERS.items():
        assert len(base64.b64decode(encoded.values[column] or "")) == bits // 8
    assert all(encoded.values[c] for c in bloom.COLUMNS)
    sparse = bloom.encode("r3", RECORDS[2], KEY).values
    assert sparse["d_given"] and sparse["bf_family"]
    assert sparse["d_dob"] is None and sparse["d_postcode"] is None
    assert sparse["bf_address"] is None and sparse["d_postcode_initial"] is None


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="secret"):
        bloom.encode("r1", RECORDS[0], b"")


def test_names_in_either_order_share_a_digest() -> None:
    swapped = bloom.encode("b", {**RECORDS[0], "given_name": "OBrien Smyth",
                                 "family_name": "Katherine"}, KEY).values
    original = bloom.encode("a", RECORDS[0], KEY).values
    assert swapped["d_given"] == original["d_family"]
    assert swapped["d_family"] == original["d_given"]


def test_birth_date_digests_see_transposed_and_one_digit_dates() -> None:
    original = bloom.encode("a", RECORDS[0], KEY).values
    transposed = bloom.encode("b", {**RECORDS[0], "date_of_birth": "1984-09-03"}, KEY).values
    one_digit = bloom.encode("c", {**RECORDS[0], "date_of_birth": "1985-03-09"}, KEY).values
    assert transposed["d_dob"] != original["d_dob"]
    assert transposed["d_dob_swapped"] == original["d_dob"]
    assert set((one_digit["d_dob_near"] or "").split()) & set(
        (original["d_dob_near"] or "").split())
    assert one_digit["d_dob_year"] != original["d_dob_year"]


@pytest.mark.parametrize(("column", "change", "similar"), [
    ("bf_given", {"given_name": "Katharine"}, True),
    ("bf_given", {"given_name": "Grace"}, False),
    ("bf_family", {"family_name": "OBrien Smyth"}, True),
    ("bf_family", {"family_name": "Nowak"}, False),
    ("bf_address", {"address": "12 Foxglove Rd, Guildford"}, True),
    ("bf_address", {"address": "Flat 9, Oak House"}, False),
    ("bf_identifier", {"identifier": "999 000 0019"}, True),
])
def test_field_dice_tracks_similarity(column: str, change: dict[str, Any],
                                      similar: bool) -> None:
    left = bloom.encode("a", RECORDS[0], KEY)
    right = bloom.encode("b", {**RECORDS[0], **change}, KEY)
    score = _dice(left, right, column)
    assert bool(score >= 0.7) == similar, score
