"""The DASH checklist in force: the shipped TOML, or a partnership's own file (SAFETYHUB_*)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from safetyhub.config import get_settings
from safetyhub.dash.rules import Bands, MaracRules
from safetyhub.errors import InvalidInput

SHIPPED = Path(__file__).with_name("checklist.toml")
MAX_QUESTIONS = 60


@dataclass(frozen=True)
class Question:
    """One checklist question: a stable key and its text (and hint) per language."""

    key: str
    number: int
    text: dict[str, str]
    hint: dict[str, str]

    def text_in(self, locale: str) -> str:
        """The question in `locale`, else English."""
        return self.text.get(locale) or self.text["en"]

    def hint_in(self, locale: str) -> str | None:
        """The hint in `locale`, else English, else None."""
        return self.hint.get(locale) or self.hint.get("en")


@dataclass(frozen=True)
class Checklist:
    """The questions, the bands and the MARAC rules of one version of the checklist."""

    version: str
    questions: tuple[Question, ...]
    bands: Bands
    marac: MaracRules

    @property
    def keys(self) -> tuple[str, ...]:
        """Question keys in order."""
        return tuple(q.key for q in self.questions)


def _texts(value: Any, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"en": value}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return {str(k): v for k, v in value.items()}
    raise InvalidInput(f"The DASH checklist is not valid: {what} must be text.")


def parse_checklist(data: dict[str, Any]) -> Checklist:
    """A checklist from TOML tables; a clear error when it is incomplete."""
    raw = data.get("questions") or []
    if not raw or len(raw) > MAX_QUESTIONS:
        raise InvalidInput("The DASH checklist is not valid: it needs 1 to 60 questions.")
    questions: list[Question] = []
    for number, item in enumerate(raw, start=1):
        key = str(item.get("key", "")).strip()
        text = _texts(item.get("text"), f"question {number}")
        if not key or len(key) > 40 or "en" not in text:
            raise InvalidInput(
                f"The DASH checklist is not valid: question {number} needs a key and text.en."
            )
        questions.append(Question(key, number, text, _texts(item.get("hint"), "a hint")))
    if len({q.key for q in questions}) != len(questions):
        raise InvalidInput("The DASH checklist is not valid: question keys repeat.")
    marac = dict(data.get("marac", {}))
    try:
        if "escalation_categories" in marac:
            marac["escalation_categories"] = frozenset(marac["escalation_categories"])
        bands, rules = Bands(**data.get("bands", {})), MaracRules(**marac)
    except TypeError as exc:
        raise InvalidInput(f"The DASH checklist is not valid: {exc}") from None
    if not 0 < bands.medium_from < bands.high_from:
        raise InvalidInput("The DASH checklist is not valid: the bands must rise.")
    return Checklist(str(data.get("version", "DASH")), tuple(questions), bands, rules)


@lru_cache(maxsize=4)
def _load(local_file: Path | None) -> Checklist:
    shipped = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    if local_file:
        # A local file replaces whole tables (its questions replace all of the shipped ones).
        shipped.update(tomllib.loads(Path(local_file).read_text(encoding="utf-8")))
    return parse_checklist(shipped)


def checklist() -> Checklist:
    """The checklist in force."""
    return _load(get_settings().dash_checklist_file)
