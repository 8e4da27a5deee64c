"""The service navigation: the same items on every page, filtered by the user's role."""

from __future__ import annotations

from dataclasses import dataclass

from safetyhub.auth.models import Role
from safetyhub.text import N_
from safetyhub.web.session import PageUser

CASEWORK = frozenset({Role.practitioner, Role.supervisor})
ANALYSIS = frozenset({Role.analyst, Role.partnership_office})
EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    """One link in the service navigation, shown to the roles named."""

    href: str
    text: str
    roles: frozenset[Role] = EVERYONE


NAV_ITEMS = (
    NavItem("/", N_("My work")),
    NavItem("/search", N_("Search")),
    NavItem("/incidents/new", N_("Record an incident"), CASEWORK),
    NavItem("/cases", N_("Cases")),
    NavItem("/referrals", N_("Referrals")),
    NavItem("/services", N_("Services")),
    NavItem("/alerts", N_("Alerts"), CASEWORK | {Role.analyst}),
    NavItem("/case-reviews", N_("Case reviews"), CASEWORK | {Role.partnership_office}),
    NavItem("/marac", N_("MARAC"), frozenset({Role.supervisor, Role.partnership_office})),
    NavItem("/conferences", N_("Case conferences"), CASEWORK | {Role.partnership_office}),
    NavItem("/linkage/review", N_("Linkage review"), frozenset({Role.analyst})),
    NavItem("/picture", N_("Picture"), ANALYSIS),
    NavItem("/problems", N_("Problem solving"), CASEWORK | ANALYSIS),
    NavItem("/partnership/meetings", N_("Meetings")),
    NavItem("/partnership/commitments", N_("Commitments")),
    NavItem("/sharing-agreements", N_("Sharing agreements")),
    NavItem("/audit", N_("Audit"), frozenset({Role.admin})),
    NavItem("/users", N_("Users"), frozenset({Role.admin})),
)


def nav_for(user: PageUser | None, path: str) -> list[tuple[NavItem, bool]]:
    """The items this user sees, each with whether it is the current section."""
    if user is None:
        return []
    role = Role(user.user.role)
    items = [item for item in NAV_ITEMS if role in item.roles]

    def current(item: NavItem) -> bool:
        return path == item.href if item.href == "/" else path.startswith(item.href)

    return [(item, current(item)) for item in items]
