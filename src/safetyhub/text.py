"""Marking user-facing text for translation where it is defined (translated where it is shown)."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for translation without translating it now."""
    return message
