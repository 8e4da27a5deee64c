"""Privacy-preserving linkage: keyed field-level Bloom filters and keyed digests (format 2).

Each agency encodes its own extract with a secret shared by the agencies but not the hub. Each
field is cleaned as for plaintext linkage and encoded on its own, so the hub can compare a pair
field by field, as the plaintext model does, without seeing a value:

- a field-level Bloom filter (Schnell, Bachteler and Reiher 2009) for the fields compared by
  spelling (given name, family name, address, identifier): each bigram sets k bits, positions
  drawn by double hashing of HMAC-SHA256(secret, field + bigram); the hub compares two filters
  by the Dice coefficient of their bits, which tracks the bigram similarity of the values;
- keyed digests (HMAC-SHA256, 72 bits, base64url) for the comparisons that are equalities in
  the plaintext model: exact names, nickname group, name sound, birth date (also with day and
  month swapped, and with each digit masked in turn), birth year and month, postcode, sector,
  district, address, phone and its last seven digits, identifier; and a few combined digests
  used only to block (postcode with initial, address with initial).

Without the secret nobody can compute the bits or digest of a guessed value. What the hub does
learn is which records agree on a field (equal digests) and how often each digest occurs: the
known limit of keyed encodings (frequency analysis), which is why the hub must not hold the
secret and digests of low-entropy values alone (initials) are never emitted.
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

FORMAT = "2"
# Bits per field-level filter and hash functions per bigram.
FILTERS = {"bf_given": (256, 10), "bf_family": (256, 10), "bf_address": (512, 6),
           "bf_identifier": (256, 8)}
_FILTER_FIELDS = {"bf_given": "given_name", "bf_family": "family_name",
                  "bf_address": "address", "bf_identifier": "identifier"}
DIGESTS = ("d_given", "d_family", "d_given_canonical", "d_family_sound", "d_dob", "d_dob_swapped",
           "d_dob_near", "d_dob_year_month", "d_dob_year", "d_postcode", "d_postcode_sector",
           "d_postcode_district", "d_address", "d_phone", "d_phone_last7", "d_identifier",
           "d_postcode_initial", "d_address_initial")
COLUMNS = (*FILTERS, *DIGESTS)
DIGEST_BYTES = 9


def _bigrams(value: str) -> list[str]:
    padded = f"_{value}_"
    return [padded[i:i + 2] for i in range(len(padded) - 1)]


def _positions(secret: bytes, token: str, count: int, bits: int) -> list[int]:
    digest = hmac.new(secret, token.encode(), hashlib.sha256).digest()
    first = int.from_bytes(digest[:16], "big")
    second = int.from_bytes(digest[16:], "big") | 1  # odd: steps through every position
    return [(first + i * second) % bits for i in range(count)]


def field_filter(secret: bytes, column: str, value: str | None) -> str | None:
    """The keyed Bloom filter of one field's bigrams (base64), or None when missing."""
    if not value:
        return None
    size, hashes = FILTERS[column]
    bits = np.zeros(size, dtype=np.uint8)
    for gram in _bigrams(value):
        bits[_positions(secret, f"{column}:{gram}", hashes, size)] = 1
    return base64.b64encode(bytes(np.packbits(bits))).decode("ascii")


def digest(secret: bytes, name: str, value: Any) -> str | None:
    """A keyed digest of one value (base64url), or None when the value is missing."""
    if not value:
        return None
    raw = hmac.new(secret, f"{name}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(raw[:DIGEST_BYTES]).decode("ascii")


def key_check(secret: bytes) -> str:
    """A digest of the secret itself: equal across files only if encoded with the same one."""
    return digest(secret, "key-check", "safetyhub") or ""


def _dob_near(secret: bytes, year: str | None, month: str | None, day: str | None) -> str | None:
    """Digests of the birth date with each digit masked in turn (one digit out shares one)."""
    if not (year and month and day):
        return None
    text = f"{year}{month}{day}"
    masked = (text[:i] + "?" + text[i + 1:] for i in range(len(text)))
    return " ".join(d for d in (digest(secret, "dob-near", m) for m in masked) if d)


def columns(row: Mapping[str, Any], secret: bytes) -> dict[str, str | None]:
    """Every encoded column of one prepared record."""
    year, month, day = row.get("dob_year"), row.get("dob_month"), row.get("dob_day")
    initial = row.get("given_initial")
    phone = row.get("phone")
    values: dict[str, str | None] = {
        column: field_filter(secret, column, row.get(field))
        for column, field in _FILTER_FIELDS.items()
    }
    values.update({
        # Exact names share one namespace, so a given name can meet a family name (swaps).
        "d_given": digest(secret, "name", row.get("given_name")),
        "d_family": digest(secret, "name", row.get("family_name")),
        "d_given_canonical": digest(secret, "given", row.get("given_canonical")),
        "d_family_sound": digest(secret, "family", row.get("family_soundex")),
        "d_dob": digest(secret, "dob", row.get("dob")),
        "d_dob_swapped": digest(secret, "dob", f"{year}-{day}-{month}"
                                if year and month and day else None),
        "d_dob_near": _dob_near(secret, year, month, day),
        "d_dob_year_month": digest(secret, "year-month", f"{year}-{month}"
                                   if year and month else None),
        "d_dob_year": digest(secret, "year", year),
        "d_postcode": digest(secret, "postcode", row.get("postcode")),
        "d_postcode_sector": digest(secret, "sector", row.get("postcode_sector")),
        "d_postcode_district": digest(secret, "district", row.get("postcode_district")),
        "d_address": digest(secret, "address", row.get("address")),
        "d_phone": digest(secret, "phone", phone),
        "d_phone_last7": digest(secret, "phone7", phone[-7:] if phone else None),
        "d_identifier": digest(secret, "identifier", row.get("identifier")),
        "d_postcode_initial": digest(secret, "postcode-initial", f"{row.get('postcode')}|{initial}"
                                     if row.get("postcode") and initial else None),
        "d_address_initial": digest(secret, "address-initial", f"{row.get('address')}|{initial}"
                                    if row.get("address") and initial else None),
    })
    return values


@dataclass(frozen=True)
class Encoded:
    """One record as it leaves the agency: its id and its encoded columns (no plaintext)."""

    record_id: str
    values: dict[str, str | None]


def encode(record_id: str, fields: Mapping[str, Any], secret: bytes) -> Encoded:
    """Encode one record's raw fields (names, date of birth, ...) with the shared secret."""
    if not secret:
        raise ValueError("The secret must not be empty.")
    return Encoded(record_id, columns(prepared(record_id, dict(fields)), secret))


def decode_filters(values: Sequence[str | None], bits: int
                   ) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """Base64 filters as an (n, bits / 8) array of bytes (missing ones all zero)."""
    width = bits // 8
    if not values:
        return np.zeros((0, width), dtype=np.uint8)
    blank = bytes(width)
    raw = b"".join(base64.b64decode(v) if v else blank for v in values)
    return np.frombuffer(raw, dtype=np.uint8).reshape(len(values), width)


def popcounts(filters: np.ndarray[Any, np.dtype[np.uint8]]) -> np.ndarray[Any, Any]:
    """Set bits per row."""
    counts: np.ndarray[Any, Any] = np.bitwise_count(filters).sum(axis=1, dtype=np.int64)
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
