"""The Splink comparisons and blocking rules for person records (one generic configuration).

Every comparison reads the columns `normalise.prepared` makes. Levels run from the strongest
agreement to "else"; Splink learns each level's m and u probabilities without labels.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import block_on

# Comparison names; each also names the review page's evidence rows.
GIVEN, FAMILY, BIRTH, POSTCODE, ADDRESS, PHONE, IDENTIFIER = (
    "given_name", "family_name", "date_of_birth", "postcode", "address", "phone", "identifier",
)


def _level(sql: str, label: str, *, tf: str | None = None) -> cll.CustomLevel:
    level = cll.CustomLevel(sql, label_for_charts=label)
    if tf is not None:
        level.configure(tf_adjustment_column=tf, tf_adjustment_weight=1.0)
    return level


def _swapped_counted_once() -> cll.CustomLevel:
    """Family name swapped with the given name: the given-name comparison already weighs the
    swap, so here it weighs nothing (m = u, fixed) rather than counting it twice."""
    level = _level('"given_name_l" = "family_name_r" AND "family_name_l" = "given_name_r"',
                   "swapped with given name")
    level.configure(m_probability=0.01, u_probability=0.01, fix_m_probability=True,
                    fix_u_probability=True)
    return level


def given_name() -> cl.CustomComparison:
    """Given name: exact, swapped with the family name, nickname, close spelling, initial."""
    return cl.CustomComparison(
        output_column_name=GIVEN,
        comparison_levels=[
            cll.NullLevel("given_name"),
            _level('"given_name_l" = "given_name_r"', "exact", tf="given_name"),
            _level('"given_name_l" = "family_name_r" AND "family_name_l" = "given_name_r"',
                   "swapped with family name"),
            _level('"given_canonical_l" = "given_canonical_r"', "nickname or variant"),
            _level('jaro_winkler_similarity("given_name_l", "given_name_r") >= 0.92',
                   "very similar spelling"),
            _level('(length("given_name_l") = 1 OR length("given_name_r") = 1) AND '
                   '"given_initial_l" = "given_initial_r"', "initial only"),
            _level('jaro_winkler_similarity("given_name_l", "given_name_r") >= 0.8',
                   "similar spelling"),
            cll.ElseLevel(),
        ],
    )


def family_name() -> cl.CustomComparison:
    """Family name: exact, swapped with the given name, close spelling, sounds alike."""
    return cl.CustomComparison(
        output_column_name=FAMILY,
        comparison_levels=[
            cll.NullLevel("family_name"),
            _level('"family_name_l" = "family_name_r"', "exact", tf="family_name"),
            _swapped_counted_once(),
            _level('jaro_winkler_similarity("family_name_l", "family_name_r") >= 0.92',
                   "very similar spelling"),
            _level('"family_soundex_l" = "family_soundex_r"', "sounds alike"),
            _level('jaro_winkler_similarity("family_name_l", "family_name_r") >= 0.8',
                   "similar spelling"),
            cll.ElseLevel(),
        ],
    )


def date_of_birth() -> cl.CustomComparison:
    """Date of birth: exact, day and month transposed, one digit out, same month, same year."""
    return cl.CustomComparison(
        output_column_name=BIRTH,
        comparison_levels=[
            cll.NullLevel("dob_year"),
            _level('"dob_l" = "dob_r"', "exact"),
            _level('"dob_year_l" = "dob_year_r" AND "dob_month_l" = "dob_day_r" AND '
                   '"dob_day_l" = "dob_month_r"', "day and month transposed"),
            _level('levenshtein(concat("dob_year_l", coalesce("dob_month_l", \'\'), '
                   'coalesce("dob_day_l", \'\')), concat("dob_year_r", '
                   'coalesce("dob_month_r", \'\'), coalesce("dob_day_r", \'\'))) <= 1 AND '
                   '"dob_day_l" IS NOT NULL AND "dob_day_r" IS NOT NULL', "one digit different"),
            _level('"dob_year_l" = "dob_year_r" AND "dob_month_l" = "dob_month_r"',
                   "same year and month"),
            _level('"dob_year_l" = "dob_year_r"', "same year"),
            cll.ElseLevel(),
        ],
    )


# The first house number in an address ("flat 2 36 heath rise" -> "2"; "" when none).
_NUMBER = "regexp_extract(\"address_{side}\", '[0-9]+[a-z]?', 0)"
_SAME_NUMBER = f"{_NUMBER.format(side='l')} = {_NUMBER.format(side='r')}"
_VERY_SIMILAR_ADDRESS = (
    f'{_SAME_NUMBER} AND jaro_winkler_similarity("address_l", "address_r") >= 0.9')
_SAME_ADDRESS = f'"address_l" = "address_r" OR ({_VERY_SIMILAR_ADDRESS})'


def _postcode_of_same_address() -> cll.CustomLevel:
    """Same postcode AND the same address: the address comparison already weighs it, so here
    it weighs nothing (m = u, fixed). Counting both would double the evidence of one fact and
    link two people of one household (Fellegi-Sunter assumes independent comparisons)."""
    level = _level(f'"postcode_l" = "postcode_r" AND ({_SAME_ADDRESS})',
                   "exact, with the same address")
    level.configure(m_probability=0.01, u_probability=0.01, fix_m_probability=True,
                    fix_u_probability=True)
    return level


def postcode() -> cl.CustomComparison:
    """Postcode: exact (weighed by the address when that agrees too), same sector, district."""
    return cl.CustomComparison(
        output_column_name=POSTCODE,
        comparison_levels=[
            cll.NullLevel("postcode"),
            _postcode_of_same_address(),
            _level('"postcode_l" = "postcode_r"', "exact", tf="postcode"),
            _level('"postcode_sector_l" = "postcode_sector_r"', "same sector"),
            _level('"postcode_district_l" = "postcode_district_r"', "same district"),
            cll.ElseLevel(),
        ],
    )


def address() -> cl.CustomComparison:
    """Address: exact, or close as text with the same house number (abbreviations expanded).

    "36 heath rise" and "37 heath rise" are neighbours, not a misspelling: close text only
    counts when the house numbers agree.
    """
    return cl.CustomComparison(
        output_column_name=ADDRESS,
        comparison_levels=[
            cll.NullLevel("address"),
            _level('"address_l" = "address_r"', "exact"),
            _level(_VERY_SIMILAR_ADDRESS, "very similar"),
            _level(f'{_SAME_NUMBER} AND jaccard("address_l", "address_r") >= 0.7', "similar"),
            cll.ElseLevel(),
        ],
    )


def phone() -> cl.CustomComparison:
    """Phone: exact digits, or the same last seven digits."""
    return cl.CustomComparison(
        output_column_name=PHONE,
        comparison_levels=[
            cll.NullLevel("phone"),
            _level('"phone_l" = "phone_r"', "exact"),
            _level('right("phone_l", 7) = right("phone_r", 7)', "same last seven digits"),
            cll.ElseLevel(),
        ],
    )


def identifier() -> cl.CustomComparison:
    """Agency identifier: equal where two agencies share one (NHS number), else no evidence."""
    return cl.CustomComparison(
        output_column_name=IDENTIFIER,
        comparison_levels=[
            cll.NullLevel("identifier"),
            _level('"identifier_l" = "identifier_r"', "exact"),
            _level('levenshtein("identifier_l", "identifier_r") <= 1 AND '
                   'length("identifier_l") >= 6', "one character different"),
            cll.ElseLevel(),
        ],
    )


COMPARISONS = {
    GIVEN: given_name, FAMILY: family_name, BIRTH: date_of_birth, POSTCODE: postcode,
    ADDRESS: address, PHONE: phone, IDENTIFIER: identifier,
}
# Which comparisons need which mapped fields (link-files maps only some).
NEEDS = {
    GIVEN: {"given_name", "family_name"}, FAMILY: {"family_name"}, BIRTH: {"date_of_birth"},
    POSTCODE: {"postcode"}, ADDRESS: {"address"}, PHONE: {"phone"},
    IDENTIFIER: {"identifier"},
}


def blocking_rules(fields: set[str]) -> list[Any]:
    """Rules whose union proposes the candidate pairs; several loose rules keep recall high."""
    rules: list[Any] = []

    def add(needed: set[str], *columns: str) -> None:
        if needed <= fields:
            rules.append(block_on(*columns))

    add({"date_of_birth"}, "dob")
    add({"given_name", "family_name"}, "given_canonical", "family_soundex")
    if {"given_name", "family_name"} <= fields:
        # One agency put the family name first: the swapped names block together.
        rules.append({"blocking_rule": 'l."given_name" = r."family_name" AND '
                                       'l."family_name" = r."given_name"'})
    add({"family_name", "date_of_birth"}, "family_soundex", "dob_year")
    add({"given_name", "date_of_birth"}, "given_canonical", "dob_year")
    add({"postcode", "family_name"}, "postcode", "family_soundex")
    add({"postcode", "given_name"}, "postcode", "given_initial")
    add({"phone"}, "phone")
    add({"identifier"}, "identifier")
    add({"address", "given_name"}, "address", "given_initial")
    return rules


def training_rules(fields: set[str]) -> list[Any]:
    """Blocking rules for EM sessions: each leaves other comparisons free to be learnt."""
    rules: list[Any] = []
    if {"date_of_birth"} <= fields:
        rules.append(block_on("dob"))
    if {"given_name", "family_name"} <= fields:
        rules.append(block_on("given_canonical", "family_name"))
    if {"postcode", "family_name"} <= fields:
        rules.append(block_on("postcode", "family_soundex"))
    return rules


def deterministic_rules(fields: set[str]) -> list[str]:
    """Near-certain matches, used to estimate how many pairs match before training."""
    rules: list[str] = []
    if {"given_name", "family_name", "date_of_birth"} <= fields:
        rules.append('l.family_name = r.family_name AND l.given_canonical = r.given_canonical '
                     'AND l.dob = r.dob')
    if {"identifier"} <= fields:
        rules.append("l.identifier = r.identifier")
    if {"phone", "family_name"} <= fields:
        rules.append("l.phone = r.phone AND l.family_soundex = r.family_soundex")
    return rules


def comparisons_for(fields: set[str]) -> list[cl.CustomComparison]:
    """The comparisons whose fields are all present."""
    return [make() for name, make in COMPARISONS.items() if NEEDS[name] <= fields]
