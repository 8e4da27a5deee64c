"""The privacy-preserving encoder: keyed, deterministic, and no plaintext in what it emits."""

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
    return ",".join([encoded.clk, *(v or "" for v in encoded.blocks.values())])


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
    # ~470 characters of base64 and hex per record: a random 3-gram is in it with p < 0.01.
    assert hits / checks < 0.01


def test_deterministic_per_key_and_different_across_keys() -> None:
    first = bloom.encode("r1", RECORDS[0], KEY)
    assert first == bloom.encode("r1", RECORDS[0], KEY)
    other = bloom.encode("r1", RECORDS[0], b"another secret of the same size!")
    assert other.clk != first.clk
    assert not set(other.blocks.values()) & set(first.blocks.values())
    left, right = bloom.decode_clks([first.clk]), bloom.decode_clks([other.clk])
    same_key_dice = bloom.dice(left, left, np.array([0]), np.array([0]))[0]
    cross_key_dice = bloom.dice(left, right, np.array([0]), np.array([0]))[0]
    assert same_key_dice == 1.0 and cross_key_dice < 0.6


def test_clk_is_1024_bits_in_base64() -> None:
    encoded = bloom.encode("r1", RECORDS[0], KEY)
    assert len(base64.b64decode(encoded.clk)) == 128
    assert encoded.blocks["block_birth_year"] is not None
    assert bloom.encode("r3", RECORDS[2], KEY).blocks["block_birth_year"] is None


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="secret"):
        bloom.encode("r1", RECORDS[0], b"")


@pytest.mark.parametrize(("change", "similar"), [
    ({"given_name": "Kate"}, True),
    ({"family_name": "OBrien Smyth"}, True),
    ({"date_of_birth": "1984-09-03"}, True),
    ({"postcode": "GU2 7XH", "address": "3 Meadow Close, Guildford"}, True),
    ({"given_name": "Grace", "family_name": "Nowak", "date_of_birth": "1961-11-30",
      "phone": None, "identifier": None, "address": "Flat 9, Oak House", "postcode": "TN1 1AA"},
     False),
])
def test_dice_tracks_similarity(change: dict[str, Any], similar: bool) -> None:
    left = bloom.decode_clks([bloom.encode("a", RECORDS[0], KEY).clk])
    right = bloom.decode_clks([bloom.encode("b", {**RECORDS[0], **change}, KEY).clk])
    score = bloom.dice(left, right, np.array([0]), np.array([0]))[0]
    assert bool(score >= 0.7) == similar, score
