"""The service navigation: the same items on every page, admin items for admins only."""

from __future__ import annotations

from dataclasses import dataclass

from safetyhub.text import N_
from safetyhub.web.session import PageUser


@dataclass(frozen=True)
class NavItem:
    """One link in the service navigation."""

    href: str
    text: str
    admin_only: bool = False


NAV_ITEMS = (
    NavItem("/", N_("My work")),
    NavItem("/search", N_("Search")),
    NavItem("/incidents/new", N_("Record an incident")),
    NavItem("/cases", N_("Cases")),
    NavItem("/referrals", N_("Referrals")),
    NavItem("/sharing-agreements", N_("Sharing agreements")),
    NavItem("/audit", N_("Audit"), admin_only=True),
    NavItem("/users", N_("Users"), admin_only=True),
)


def nav_for(user: PageUser | None, path: str) -> list[tuple[NavItem, bool]]:
    """The items this user sees, each with whether it is the current section."""
    if user is None:
        return []
    items = [item for item in NAV_ITEMS if user.is_admin or not item.admin_only]

    def current(item: NavItem) -> bool:
        return path == item.href if item.href == "/" else path.startswith(item.href)

    return [(item, current(item)) for item in items]
