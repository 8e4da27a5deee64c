"""Reading a postcode answer (the people and places forms); web.forms reads the rest."""

from __future__ import annotations

from safetyhub.places.schemas import normalise_postcode
from safetyhub.text import N_
from safetyhub.web.forms import FormErrors


def read_postcode(anchor: str, value: str | None, errors: FormErrors) -> str | None:
    """A UK postcode in canonical form, None when blank, or a problem."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return normalise_postcode(text)
    except ValueError:
        errors.add(anchor, N_("Enter a real postcode, like GU1 4RR"))
        return None

