"""The names of the agreement's default priorities, marked so the pages can translate them.

The migration seeds these priorities; names the partnership office adds later are shown as typed.
"""

from __future__ import annotations

from safetyhub.text import N_

DEFAULT_PRIORITY_NAMES = (
    N_("Anti-social behaviour"),
    N_("Mental ill-health"),
    N_("Criminal exploitation"),
    N_("Violence against women and girls"),
    N_("Reducing inequalities"),
    N_("Information sharing"),
    N_("Public trust"),
)
