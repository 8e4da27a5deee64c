"""Who receives an alert: Right Care, Right Person for mental health, the lead agency of an open
case about the subject, otherwise the partnership hub."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.cases.models import CaseStatus
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.risk.config import RoutingParams
from safetyhub.risk.indicators.common import Indicator, IndicatorResult
from safetyhub.risk.indicators.facts import CaseFact
from safetyhub.risk.indicators.mental_health import CRIME, IMMEDIATE_RISK
from safetyhub.risk.models import RouteReason


@dataclass(frozen=True)
class Directory:
    """The partner agencies, by id (a small table, read once per evaluation)."""

    kinds: dict[uuid.UUID, str]
    names: dict[str, uuid.UUID]

    def by_kind(self, kind: OrganisationKind) -> list[uuid.UUID]:
        """Agencies of `kind`, in name order."""
        named = sorted((name, oid) for name, oid in self.names.items()
                       if self.kinds[oid] == kind)
        return [oid for _, oid in named]

    def named(self, name: str, kind: OrganisationKind) -> uuid.UUID | None:
        """The configured agency `name` (empty: none), which must be of `kind`."""
        oid = self.names.get(name) if name else None
        return oid if oid is not None and self.kinds[oid] == kind else None


def load_directory(session: Session) -> Directory:
    """Every partner agency's kind and name."""
    rows = session.execute(select(Organisation.id, Organisation.kind, Organisation.name)).all()
    return Directory({oid: kind for oid, kind, _ in rows}, {name: oid for oid, _, name in rows})


Route = tuple[uuid.UUID, RouteReason]


def _owners_of_kind(result: IndicatorResult, directory: Directory, kind: OrganisationKind
                    ) -> list[uuid.UUID]:
    counts = Counter(r.owner_organisation_id for r in result.records
                     if directory.kinds.get(r.owner_organisation_id) == kind)
    return [oid for oid, _ in counts.most_common()]


def _pick(configured: uuid.UUID | None, contributing: list[uuid.UUID], any_of_kind: list[uuid.UUID]
          ) -> uuid.UUID | None:
    if configured is not None:
        return configured
    if contributing:
        return contributing[0]
    return any_of_kind[0] if any_of_kind else None


def right_care_right_person(result: IndicatorResult, directory: Directory,
                            params: RoutingParams) -> list[Route]:
    """RCRP (2023): health leads on a mental-health concern; police too when there is a real
    and immediate risk to life or of serious harm, or a crime to investigate."""
    routes: list[Route] = []
    health = _pick(directory.named(params.mental_health_partner, OrganisationKind.health),
                   _owners_of_kind(result, directory, OrganisationKind.health),
                   directory.by_kind(OrganisationKind.health))
    if health is not None:
        routes.append((health, RouteReason.right_care_health))
    if result.flags & {IMMEDIATE_RISK, CRIME} or health is None:
        police = _pick(directory.named(params.police, OrganisationKind.police),
                       _owners_of_kind(result, directory, OrganisationKind.police),
                       directory.by_kind(OrganisationKind.police))
        if police is not None:
            routes.append((police, RouteReason.right_care_police))
    return routes


def route(result: IndicatorResult, cases: Sequence[CaseFact], directory: Directory,
          params: RoutingParams) -> list[Route]:
    """The organisations an alert goes to, each with why (never empty while agencies exist)."""
    if result.indicator == Indicator.mental_health:
        routes = right_care_right_person(result, directory, params)
        if routes:
            return routes
    open_cases = sorted((c for c in cases if c.status == CaseStatus.open),
                        key=lambda c: c.created_at, reverse=True)
    if open_cases:
        return [(open_cases[0].lead_organisation_id, RouteReason.case_lead)]
    hub = _pick(directory.named(params.hub, OrganisationKind.partnership_office), [],
                directory.by_kind(OrganisationKind.partnership_office))
    if hub is not None:
        return [(hub, RouteReason.partnership_hub)]
    # No hub registered: the agency holding most of the evidence takes it.
    owners = Counter(r.owner_organisation_id for r in result.records)
    return [(oid, RouteReason.fallback) for oid, _ in owners.most_common(1)]
