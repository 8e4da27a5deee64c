"""A small made-up population with known duplicates, for training and linkage tests."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

GIVEN = ("William", "Katherine", "Robert", "Margaret", "James", "Elizabeth", "Thomas", "Sarah",
         "Daniel", "Amelia", "Oliver", "Priya", "Mohammed", "Ewa", "Connor", "Grace", "Liam",
         "Fatima", "Jack", "Chloe", "Piotr", "Aisha", "Ryan", "Megan", "Kofi", "Hannah")
NICK = {"William": "Bill", "Katherine": "Kate", "Robert": "Bob", "Margaret": "Peggy",
        "James": "Jim", "Elizabeth": "Liz", "Thomas": "Tom", "Daniel": "Dan"}
FAMILY = ("Smith", "Jones", "Taylor", "Brown", "Patel", "Khan", "Nowak", "Okafor", "Walker",
          "Wright", "Hughes", "Evans", "Clarke", "Turner", "Hill", "Ward", "Murphy", "Mensah",
          "Singh", "Kowalski", "Fraser", "Reid", "Begum", "Hassan", "Lloyd", "Barker")
STREETS = ("Elm Road", "Meadow Close", "Church Lane", "Station Road", "Oak Avenue", "Mill Way",
           "Heather Drive", "Bramble Gardens", "Willow Crescent", "Park View")


@dataclass
class Person:
    """A true person and the fields of their records."""

    key: int
    records: list[dict[str, Any]]


def _address(rng: random.Random) -> tuple[str, str]:
    number = rng.randint(1, 120)
    street = rng.choice(STREETS)
    postcode = f"GU{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}" \
               f"{rng.choice('LNPQRSTUW')}"
    return f"{number} {street}, Guildford", postcode


def _typo(rng: random.Random, text: str) -> str:
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def population(n: int = 300, seed: int = 7) -> list[Person]:
    """`n` people; about 45% have a second record with one realistic difference."""
    rng = random.Random(seed)
    people: list[Person] = []
    for key in range(n):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        dob = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 55))
        address, postcode = _address(rng)
        phone = f"07700 900{key:03d}" if rng.random() < 0.6 else None
        base = {"given_name": given, "family_name": family, "date_of_birth": dob,
                "address": address, "postcode": postcode, "phone": phone,
                "identifier": None}
        records = [dict(base)]
        if rng.random() < 0.45:
            second = dict(base)
            kind = rng.choice(("nickname", "typo", "transposed", "moved", "missing_dob",
                               "none"))
            if kind == "nickname" and given in NICK:
                second["given_name"] = NICK[given]
            elif kind == "typo":
                second["family_name"] = _typo(rng, family)
            elif kind == "transposed" and dob.day <= 12 and dob.day != dob.month:
                second["date_of_birth"] = date(dob.year, dob.day, dob.month)
            elif kind == "moved":
                second["address"], second["postcode"] = _address(rng)
            elif kind == "missing_dob":
                second["date_of_birth"] = None
            if rng.random() < 0.5:
                second["phone"] = None
            records.append(second)
        people.append(Person(key, records))
    return people


def prepared_rows(people: list[Person]) -> list[dict[str, Any]]:
    """Prepared linkage rows, ids "p<key>-<n>"."""
    from safetyhub.linkage.normalise import prepared

    return [prepared(f"p{p.key}-{i}", fields) for p in people for i, fields in
            enumerate(p.records)]
