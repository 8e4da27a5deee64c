"""Privacy-preserving linkage: keyed Bloom-filter encodings (CLKs) and Dice similarity.

Each agency encodes its own extract with a secret shared by the agencies but not the hub:
every field is cleaned, cut into bigrams, and each bigram (prefixed with its field, so "an" in
a given name differs from "an" in a street) sets k bits of one 1024-bit filter, the positions
drawn by double hashing of HMAC-SHA256(secret, token) (Schnell et al. 2009; the CLK of
Schnell, Bachteler and Reiher 2011). Without the secret nobody can compute the bits of a
guessed name. Blocking keys are HMAC-SHA256 digests too, so equal keys are visible but not
their values. The hub compares encodings by the Dice coefficient of their bits.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from safetyhub.linkage.normalise import prepared

BITS = 1024
# Hash functions per token, by field: more bits for the fields that identify best.
HASHES = {"given_name": 12, "family_name": 12, "date_of_birth": 12, "postcode": 6,
          "address": 3, "phone": 6, "identifier": 8}
# The keyed blocking keys: each the HMAC of one coarse value (equality visible, value not).
BLOCK_KEYS = ("block_birth_year", "block_family_sound", "block_given", "block_postcode",
              "block_identifier", "block_birth_date")


def _bigrams(value: str) -> list[str]:
    padded = f"_{value}_"
    return [padded[i:i + 2] for i in range(len(padded) - 1)]


def tokens(row: Mapping[str, Any]) -> list[tuple[str, int]]:
    """(field-prefixed token, hash count) pairs of one prepared record."""
    found: list[tuple[str, int]] = []

    def add(field: str, value: Any, *, grams: bool = True) -> None:
        if value:
            parts = _bigrams(str(value)) if grams else [str(value)]
            found.extend((f"{field}:{part}", HASHES[field]) for part in parts)

    add("given_name", row.get("given_name"))
    add("family_name", row.get("family_name"))
    # Year, month and day as whole tokens: a transposed or one-part-wrong date still shares two.
    for part in ("dob_year", "dob_month", "dob_day"):
        add("date_of_birth", f"{part}={row.get(part)}" if row.get(part) else None, grams=False)
    add("postcode", row.get("postcode"))
    add("address", row.get("address"))
    add("phone", row.get("phone"))
    add("identifier", row.get("identifier"))
    return found


def _positions(secret: bytes, token: str, count: int) -> list[int]:
    digest = hmac.new(secret, token.encode(), hashlib.sha256).digest()
    first = int.from_bytes(digest[:16], "big")
    second = int.from_bytes(digest[16:], "big") | 1  # odd: steps through every position
    return [(first + i * second) % BITS for i in range(count)]


def clk(row: Mapping[str, Any], secret: bytes) -> bytes:
    """The 1024-bit keyed Bloom filter of one prepared record."""
    bits = np.zeros(BITS, dtype=np.uint8)
    for token, count in tokens(row):
        bits[_positions(secret, token, count)] = 1
    return bytes(np.packbits(bits))


def block_key(secret: bytes, name: str, value: Any) -> str | None:
    """A keyed digest of a blocking value (hex), or None when the value is missing."""
    if not value:
        return None
    message = f"block:{name}:{value}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:24]


def block_keys(row: Mapping[str, Any], secret: bytes) -> dict[str, str | None]:
    """The keyed blocking keys of one prepared record."""
    dob = row.get("dob")
    return {
        "block_birth_year": block_key(secret, "year", row.get("dob_year")),
        "block_family_sound": block_key(secret, "family", row.get("family_soundex")),
        "block_given": block_key(secret, "given", row.get("given_canonical")),
        "block_postcode": block_key(secret, "postcode", row.get("postcode")),
        "block_identifier": block_key(secret, "identifier", row.get("identifier")),
        "block_birth_date": block_key(secret, "dob", dob),
    }


@dataclass(frozen=True)
class Encoded:
    """One record as it leaves the agency: its id, its CLK (base64) and keyed block keys."""

    record_id: str
    clk: str
    blocks: dict[str, str | None]


def encode(record_id: str, fields: Mapping[str, Any], secret: bytes) -> Encoded:
    """Encode one record's raw fields (names, date of birth, ...) with the shared secret."""
    if not secret:
        raise ValueError("The secret must not be empty.")
    row = prepared(record_id, dict(fields))
    return Encoded(record_id, base64.b64encode(clk(row, secret)).decode("ascii"),
                   block_keys(row, secret))


def decode_clks(values: Sequence[str]) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """Base64 CLKs as an (n, 128) array of bytes."""
    if not values:
        return np.zeros((0, BITS // 8), dtype=np.uint8)
    raw = b"".join(base64.b64decode(v) for v in values)
    return np.frombuffer(raw, dtype=np.uint8).reshape(len(values), BITS // 8)


def popcounts(clks: np.ndarray[Any, np.dtype[np.uint8]]) -> np.ndarray[Any, Any]:
    """Set bits per row."""
    counts: np.ndarray[Any, Any] = np.bitwise_count(clks).sum(axis=1, dtype=np.int64)
    return counts


def dice(left: np.ndarray[Any, np.dtype[np.uint8]], right: np.ndarray[Any, np.dtype[np.uint8]],
         left_index: np.ndarray[Any, Any], right_index: np.ndarray[Any, Any],
         *, chunk: int = 200_000) -> np.ndarray[Any, Any]:
    """Dice coefficients 2|A&B| / (|A|+|B|) of the given row pairs."""
    left_counts, right_counts = popcounts(left), popcounts(right)
    scores = np.empty(len(left_index), dtype=np.float64)
    for start in range(0, len(left_index), chunk):
        li = left_index[start:start + chunk]
        ri = right_index[start:start + chunk]
        common = np.bitwise_count(left[li] & right[ri]).sum(axis=1, dtype=np.int64)
        total = left_counts[li] + right_counts[ri]
        scores[start:start + chunk] = np.where(total > 0, 2.0 * common / np.maximum(total, 1),
                                               0.0)
    return scores
