"""Cleaning person fields into the comparable form linkage uses (pure functions)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from safetyhub.linkage.nicknames import canonical_given_name

# The fields a person extract can be mapped to (link-files' --map FIELD=COLUMN).
FIELDS = ("given_name", "family_name", "date_of_birth", "postcode", "address", "phone",
          "identifier")

_ADDRESS_WORDS = {
    "rd": "road", "st": "street", "ave": "avenue", "av": "avenue", "ln": "lane", "cl": "close",
    "dr": "drive", "cres": "crescent", "cr": "crescent", "gdns": "gardens", "pl": "place",
    "ct": "court", "sq": "square", "tce": "terrace", "ter": "terrace", "hse": "house",
    "grv": "grove", "pk": "park", "mt": "mount", "nth": "north", "sth": "south", "flt": "flat",
    "apt": "flat", "apartment": "flat",
}
_SOUNDEX = {c: d for d, letters in {"1": "bfpv", "2": "cgjkqsxz", "3": "dt", "4": "l",
                                    "5": "mn", "6": "r"}.items() for c in letters}
_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d",
                 "%d/%m/%y")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def clean_name(value: Any) -> str | None:
    """Lower-case letters only (accents folded, hyphens and apostrophes dropped)."""
    if value is None:
        return None
    text = re.sub(r"[^a-z ]", "", _ascii(str(value)).lower().replace("-", " "))
    text = " ".join(text.split())
    return text or None


def first_token(name: str | None) -> str | None:
    """The first word of a cleaned name ("mary ann" -> "mary")."""
    return name.split()[0] if name else None


def soundex(name: str | None) -> str | None:
    """American Soundex of a cleaned name (R163 for Robert)."""
    letters = [c for c in (name or "") if c.isalpha()]
    if not letters:
        return None
    first = letters[0]
    code = first.upper()
    previous = _SOUNDEX.get(first, "")
    for char in letters[1:]:
        digit = _SOUNDEX.get(char, "")
        if digit and digit != previous:
            code += digit
        if char not in "hw":
            previous = digit
        if len(code) == 4:
            break
    return code.ljust(4, "0")


def parse_date(value: Any) -> date | None:
    """A date from a date object or a common text form (ISO, YYYYMMDD, UK day first)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def date_parts(value: Any) -> tuple[str | None, str | None, str | None]:
    """(year, month, day) as text, from a full date or a partial one such as 1985-06 or 1985."""
    parsed = parse_date(value)
    if parsed is not None:
        return f"{parsed.year:04d}", f"{parsed.month:02d}", f"{parsed.day:02d}"
    text = "" if value is None else str(value).strip()
    if match := re.fullmatch(r"(\d{4})(?:[-/](\d{1,2}))?", text):
        year, month = match.groups()
        return year, None if month is None else f"{int(month):02d}", None
    if len(text) == 8 and text.isdigit():
        # An impossible date as written (a typo such as 19851306): keep what can be read.
        return text[:4], text[4:6], text[6:]
    return None, None, None


def clean_postcode(value: Any) -> str | None:
    """Upper case, no spaces ("gu1 4rr" -> "GU14RR")."""
    if value is None:
        return None
    text = re.sub(r"[^A-Z0-9]", "", str(value).upper())
    return text or None


def postcode_sector(postcode: str | None) -> str | None:
    """Outward code plus the inward digit ("GU14RR" -> "GU14"); UK postcodes only."""
    if postcode is None or len(postcode) < 5:
        return None
    return postcode[:-2]


def postcode_district(postcode: str | None) -> str | None:
    """Outward code ("GU14RR" -> "GU1"); a short non-UK code is its own district."""
    if postcode is None:
        return None
    return postcode[:-3] if len(postcode) >= 5 else postcode


def clean_address(value: Any) -> str | None:
    """Lower case words with common abbreviations expanded ("12 Elm Rd" -> "12 elm road")."""
    if value is None:
        return None
    words = re.sub(r"[^a-z0-9 ]", " ", _ascii(str(value)).lower()).split()
    text = " ".join(_ADDRESS_WORDS.get(word, word) for word in words)
    return text or None


def clean_phone(value: Any) -> str | None:
    """Digits only, UK international prefix turned national ("+44 7700" -> "07700")."""
    if value is None:
        return None
    digits = re.sub(r"\D", "", str(value))
    if digits.startswith("44") and len(digits) > 10:
        digits = "0" + digits[2:]
    return digits if len(digits) >= 6 else None


def clean_identifier(value: Any) -> str | None:
    """Upper-case letters and digits of an identifier ("999 000 0018" -> "9990000018")."""
    if value is None:
        return None
    text = re.sub(r"[^A-Z0-9]", "", str(value).upper())
    return text or None


def prepared(record_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """One record's comparison columns, from its raw fields (missing fields are None)."""
    given = clean_name(fields.get("given_name"))
    family = clean_name(fields.get("family_name"))
    year, month, day = date_parts(fields.get("date_of_birth"))
    postcode = clean_postcode(fields.get("postcode"))
    given_first = first_token(given)
    return {
        "unique_id": record_id,
        "given_name": given,
        "given_canonical": canonical_given_name(given_first),
        "given_initial": given[0] if given else None,
        "family_name": family,
        "family_soundex": soundex(family),
        "dob": f"{year}-{month}-{day}" if year and month and day else None,
        "dob_year": year,
        "dob_month": month,
        "dob_day": day,
        "postcode": postcode,
        "postcode_sector": postcode_sector(postcode),
        "postcode_district": postcode_district(postcode),
        "address": clean_address(fields.get("address")),
        "phone": clean_phone(fields.get("phone")),
        "identifier": clean_identifier(fields.get("identifier")),
    }


PREPARED_COLUMNS = tuple(prepared("x", {}).keys())
