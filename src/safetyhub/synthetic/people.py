"""True people of the synthetic county and the varied records each agency holds about them."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from safetyhub.sharing.vocabulary import Sensitivity
from safetyhub.synthetic.names import (
    FAMILY_NAMES,
    GIVEN_FEMALE,
    GIVEN_MALE,
    NICKNAMES,
    SPELLING_VARIANTS,
)
from safetyhub.synthetic.rows import PersonRecordRow, PlaceRow

# Variations that make records of one person disagree (what linkage must see through).
SUBSTANTIVE = ("nickname", "spelling_variant", "typo_given", "typo_family", "swapped_names",
               "moved_address", "missing_dob", "transposed_dob")
HEALTH_KEYS = frozenset({"sabp", "royal_surrey", "frimley", "secamb", "icb"})
SENSITIVE_KEYS = frozenset({"scc_children", "scc_adults", "da_outreach", "victim_support",
                            "youth", "recovery"})
ID_PREFIX = {
    "police": "PER", "scc_children": "LCS", "scc_adults": "LAS", "fire": "SFRS", "probation": "X",
    "victim_support": "VS", "da_outreach": "DAO", "youth": "SYA", "recovery": "SDAR",
    "ha_west": "WVH", "ha_east": "SHH", "ha_north": "THA", "opcc": "OPCC",
}
_ABBREVIATIONS = (("Road", "Rd"), ("Close", "Cl"), ("Avenue", "Ave"), ("Lane", "Ln"),
                  ("Drive", "Dr"), ("Street", "St"), ("Crescent", "Cres"), ("Gardens", "Gdns"))
_KEYBOARD = {
    "a": "qswz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc",
    "g": "ftyhbv", "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop",
    "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz",
    "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}


def sensitivity_for(org_key: str) -> str:
    """How sensitive an agency's person records are (a health record reveals health data)."""
    if org_key in HEALTH_KEYS:
        return Sensitivity.special_category.value
    if org_key in SENSITIVE_KEYS:
        return Sensitivity.sensitive.value
    return Sensitivity.standard.value


@dataclass
class Identifiers:
    """Agency identifiers, NHS numbers and phone numbers, unique within their range."""

    counters: dict[str, int]
    nhs_next: int
    phones: list[str]
    phone_next: int = 0
    phone_stop: int = 0

    def agency_id(self, org_key: str) -> str | None:
        """The next local identifier of agency `org_key`."""
        if org_key.startswith("council:"):
            prefix = "ASB-" + "".join(w[0] for w in org_key[8:].split()).upper()
        else:
            prefix = ID_PREFIX.get(org_key, "REF")
        n = self.counters.get(org_key, 0) + 1
        self.counters[org_key] = n
        return f"{prefix}{n:08d}" if prefix != "X" else f"X{n:07d}"

    def nhs_number(self) -> str:
        """The next NHS number in the 999 range (never issued: reserved for testing)."""
        while True:
            digits = f"999{self.nhs_next:06d}"
            self.nhs_next += 1
            check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(digits)) % 11
            if check == 11:
                check = 0
            if check != 10:
                return f"{digits[:3]} {digits[3:6]} {digits[6:]}{check}"

    def phone(self) -> str | None:
        """The next unused Ofcom drama-range number, or None when the range is used up."""
        if self.phone_next >= min(self.phone_stop, len(self.phones)):
            return None
        self.phone_next += 1
        return self.phones[self.phone_next - 1]


def drama_phone_numbers(rng: random.Random) -> list[str]:
    """Every Ofcom number reserved for TV and radio drama, shuffled: none can ring anybody."""
    numbers = [f"07700 900{n:03d}" for n in range(1000)]
    numbers += [f"01632 960{n:03d}" for n in range(1000)]
    numbers += [f"020 7946 0{n:03d}" for n in range(1000)]
    for area in ("0113", "0114", "0115", "0116", "0117", "0118", "0121", "0131", "0141",
                 "0151", "0161"):
        numbers += [f"{area} 496 0{n:03d}" for n in range(1000)]
    numbers += [f"0191 498 0{n:03d}" for n in range(1000)]
    numbers += [f"029 2018 0{n:03d}" for n in range(1000)]
    rng.shuffle(numbers)
    return numbers


@dataclass
class TruePerson:
    """A person behind one or more agency records; only the ground truth knows them."""

    key: str
    given: str
    family: str
    female: bool
    dob: date
    home: PlaceRow
    previous_home: PlaceRow | None
    phone: str | None
    nhs_number: str | None
    records: list[PersonRecordRow] = field(default_factory=list)
    record_keys: list[str] = field(default_factory=list)
    variations: dict[uuid.UUID, list[str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """Given and family name."""
        return f"{self.given} {self.family}"

    def record_at(self, org_key: str) -> PersonRecordRow | None:
        """This person's (first) record at agency `org_key`."""
        for key, record in zip(self.record_keys, self.records, strict=True):
            if key == org_key:
                return record
        return None

    def agencies(self) -> set[uuid.UUID]:
        """Organisations holding a record of this person."""
        return {r.organisation_id for r in self.records}


def random_name(rng: random.Random, female: bool) -> tuple[str, str]:
    """A given and family name."""
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return given, rng.choice(FAMILY_NAMES)


def dob_for_age(rng: random.Random, today: date, low: int, high: int) -> date:
    """A date of birth for someone aged between `low` and `high` on `today`."""
    return today - timedelta(days=rng.randint(low * 365 + 1, high * 365 + 364))


def typo(rng: random.Random, text: str) -> str:
    """A keyboard slip: a dropped, doubled, swapped or neighbouring letter."""
    if len(text) < 3:
        return text + text[-1]
    for _ in range(10):
        i = rng.randrange(1, len(text) - 1)
        op = rng.randrange(4)
        if op == 0:
            out = text[:i] + text[i + 1:]
        elif op == 1:
            out = text[:i] + text[i + 1] + text[i] + text[i + 2:]
        elif op == 2:
            near = _KEYBOARD.get(text[i].lower())
            slip = rng.choice(near) if near else ""
            out = text[:i] + (slip.upper() if text[i].isupper() else slip) + text[i + 1:]
        else:
            out = text[:i] + text[i] + text[i:]
        if out != text:
            return out
    return text[:-1]


def available_variations(person: TruePerson) -> list[str]:
    """The substantive variations that can apply to this person."""
    options = ["typo_given", "typo_family", "swapped_names", "missing_dob"]
    if person.given in NICKNAMES:
        options.append("nickname")
    if person.given in SPELLING_VARIANTS or person.family in SPELLING_VARIANTS:
        options.append("spelling_variant")
    if person.previous_home is not None:
        options.append("moved_address")
    if person.dob.day <= 12 and person.dob.day != person.dob.month:
        options.append("transposed_dob")
    return options


def choose_variations(rng: random.Random, person: TruePerson, count: int) -> list[str]:
    """Up to `count` compatible substantive variations for one more record of `person`."""
    options = available_variations(person)
    chosen: list[str] = []
    while options and len(chosen) < count:
        kind = options.pop(rng.randrange(len(options)))
        if kind in ("missing_dob", "transposed_dob"):
            options = [o for o in options if o not in ("missing_dob", "transposed_dob")]
        chosen.append(kind)
    return sorted(chosen, key=SUBSTANTIVE.index)


def apply_variation(rng: random.Random, person: TruePerson, record: PersonRecordRow,
                    kind: str) -> None:
    """Change `record` the way agency records of one person really differ."""
    if kind == "nickname":
        record.given_name = rng.choice(NICKNAMES[person.given])
    elif kind == "spelling_variant":
        if person.family in SPELLING_VARIANTS and (
            person.given not in SPELLING_VARIANTS or rng.random() < 0.5
        ):
            record.family_name = rng.choice(SPELLING_VARIANTS[person.family])
        else:
            record.given_name = rng.choice(SPELLING_VARIANTS[person.given])
    elif kind == "typo_given":
        record.given_name = typo(rng, record.given_name)
    elif kind == "typo_family":
        record.family_name = typo(rng, record.family_name)
    elif kind == "swapped_names":
        record.given_name, record.family_name = record.family_name, record.given_name
    elif kind == "moved_address" and person.previous_home is not None:
        record.address = person.previous_home.address
        record.postcode = person.previous_home.postcode
    elif kind == "missing_dob":
        record.date_of_birth = None
    elif kind == "transposed_dob":
        record.date_of_birth = date(person.dob.year, person.dob.day, person.dob.month)
    person.variations[record.id].append(kind)


def make_record(
    rng: random.Random, person: TruePerson, *, record_id: uuid.UUID, org_key: str,
    org_id: uuid.UUID, created_at: datetime, created_by: uuid.UUID | None,
    identifiers: Identifiers, variations: list[str],
) -> PersonRecordRow:
    """The record agency `org_key` holds about `person`, with the given variations applied."""
    home = person.home
    kinds: list[str] = []
    address: str | None = home.address
    postcode = home.postcode
    phone = person.phone
    family = person.family
    # Formatting differences every real extract has; recorded, but not counted as variations.
    if rng.random() < 0.15:
        family = family.upper()
        kinds.append("uppercase_family")
    if rng.random() < 0.2 and address is not None:
        for long, short in _ABBREVIATIONS:
            address = address.replace(f" {long},", f" {short},")
        address = address.rsplit(", ", 1)[0]
        kinds.append("address_abbreviated")
    if rng.random() < 0.15 and postcode:
        postcode = postcode.replace(" ", "") if rng.random() < 0.5 else postcode.lower()
        kinds.append("postcode_format")
    if phone is not None and rng.random() < 0.3:
        phone = None
        kinds.append("no_phone")
    elif phone is not None and phone.startswith("07") and rng.random() < 0.3:
        phone = rng.choice((phone.replace(" ", ""), "+44 " + phone[1:]))
        kinds.append("phone_format")
    if org_key in HEALTH_KEYS and person.nhs_number:
        agency_id: str | None = person.nhs_number
    else:
        agency_id = identifiers.agency_id(org_key)
    record = PersonRecordRow(
        record_id, org_id, person.given, family, person.dob, address, postcode, phone,
        agency_id, sensitivity_for(org_key), created_by, created_at,
    )
    person.records.append(record)
    person.record_keys.append(org_key)
    person.variations[record_id] = kinds
    for kind in variations:
        apply_variation(rng, person, record, kind)
    return record


def substantive(kinds: list[str]) -> list[str]:
    """The substantive variations among `kinds`."""
    return [k for k in kinds if k in SUBSTANTIVE]
