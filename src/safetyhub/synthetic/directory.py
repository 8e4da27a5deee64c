"""The partner agencies of the synthetic county, their staff and their sharing agreements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from safetyhub.auth.models import Role
from safetyhub.organisations.models import OrganisationKind as K
from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.vocabulary import DataCategory, LawfulBasis, Purpose
from safetyhub.synthetic.context import Context
from safetyhub.synthetic.geography import DISTRICTS
from safetyhub.synthetic.names import STAFF_FAMILY, STAFF_GIVEN
from safetyhub.synthetic.rows import (
    AgreementCategoryRow,
    AgreementPartyRow,
    AgreementPurposeRow,
    AgreementRow,
    OrganisationRow,
    UserRow,
)

DEMO_PASSWORD = "safetyhub-demo-2024"  # noqa: S105 - the published password of synthetic demo users

COUNCIL_NAMES = {
    "Elmbridge": "Elmbridge Borough Council", "Epsom and Ewell": "Epsom and Ewell Borough Council",
    "Guildford": "Guildford Borough Council", "Mole Valley": "Mole Valley District Council",
    "Reigate and Banstead": "Reigate and Banstead Borough Council",
    "Runnymede": "Runnymede Borough Council", "Spelthorne": "Spelthorne Borough Council",
    "Surrey Heath": "Surrey Heath Borough Council", "Tandridge": "Tandridge District Council",
    "Waverley": "Waverley Borough Council", "Woking": "Woking Borough Council",
}
# Housing associations (made up) and the districts where they hold most of their homes.
HOUSING = {
    "ha_west": ("Wey Valley Homes", "weyvalley-homes.example",
                ("Guildford", "Waverley", "Woking", "Surrey Heath")),
    "ha_east": ("Surrey Hills Housing", "surreyhills-housing.example",
                ("Mole Valley", "Reigate and Banstead", "Tandridge", "Epsom and Ewell")),
    "ha_north": ("Thameside Housing Association", "thameside-housing.example",
                 ("Elmbridge", "Runnymede", "Spelthorne")),
}
P, S, A, AD, PO = (Role.practitioner, Role.supervisor, Role.analyst, Role.admin,
                   Role.partnership_office)
# key -> (name, kind, district, email domain, staff roles to generate)
COUNTY_ORGS: dict[str, tuple[str, K, str | None, str, tuple[Role, ...]]] = {
    "police": ("Surrey Police", K.police, None, "surrey-police.example",
               (P, P, P, P, P, P, P, S, S, A, AD)),
    "scc_children": ("Surrey County Council Children's Services", K.council, None,
                     "surreycc-childrens.example", (P, P, P, S, AD)),
    "scc_adults": ("Surrey County Council Adult Social Care", K.council, None,
                   "surreycc-adults.example", (P, P, P, S, AD)),
    "sabp": ("Surrey and Borders Partnership NHS Foundation Trust", K.health, None,
             "sabp-nhs.example", (P, P, S, AD)),
    "royal_surrey": ("Royal Surrey NHS Foundation Trust", K.health, "Guildford",
                     "royalsurrey-nhs.example", (P, P, AD)),
    "frimley": ("Frimley Health NHS Foundation Trust", K.health, "Surrey Heath",
                "frimley-nhs.example", (P, P, AD)),
    "secamb": ("South East Coast Ambulance Service NHS Foundation Trust", K.health, None,
               "secamb-nhs.example", (P, AD)),
    "icb": ("NHS Surrey Heartlands Integrated Care Board", K.health, None,
            "surreyheartlands-icb.example", (P, A, AD)),
    "fire": ("Surrey Fire and Rescue Service", K.fire, None, "surrey-fire.example", (P, P, AD)),
    "probation": ("The Probation Service (Surrey)", K.probation, None,
                  "probation-surrey.example", (P, P, S, AD)),
    "victim_support": ("Victim Support Surrey", K.victim_support, None,
                       "victim-support-surrey.example", (P, P, AD)),
    "da_outreach": ("Surrey Domestic Abuse Outreach", K.voluntary, None,
                    "surrey-da-outreach.example", (P, S, AD)),
    "youth": ("Surrey Youth Action", K.voluntary, None, "surrey-youth-action.example", (P, P, AD)),
    "recovery": ("Surrey Drug and Alcohol Recovery", K.voluntary, None,
                 "surrey-recovery.example", (P, AD)),
    "opcc": ("Office of the Surrey Police and Crime Commissioner", K.partnership_office, None,
             "surrey-opcc.example", (PO, A, AD)),
}
# Fixed demo users (same for every seed): (org key, given, family, role).
DEMO_USERS: tuple[tuple[str, str, str, Role], ...] = (
    ("police", "Alex", "Morgan", P),
    ("council:Guildford", "Priya", "Shah", P),
    ("ha_west", "Tom", "Bennett", P),
    ("sabp", "Grace", "Okafor", P),
    ("da_outreach", "Hannah", "Price", P),
    ("police", "Mark", "Ellis", S),
    ("police", "Ruth", "Collins", A),
    ("council:Guildford", "Dev", "Patel", AD),
    ("opcc", "Claire", "Hughes", PO),
)


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-").replace("'", "")


def council_key(district: str) -> str:
    """The organisation key of a district's council."""
    return f"council:{district}"


def council_domain(district: str) -> str:
    """The email domain of a district council's staff."""
    return f"{_slug(district).replace('-and-', '-')}-council.example"


def org_domain(key: str) -> str:
    """The email domain of an agency's staff."""
    if key.startswith("council:"):
        return council_domain(key[8:])
    if key in HOUSING:
        return HOUSING[key][1]
    return COUNTY_ORGS[key][3]


# The fixed demo users' emails: the same whatever the seed (they are created first).
DEMO_EMAILS = tuple(f"{g}.{f}@{org_domain(k)}".lower() for k, g, f, _ in DEMO_USERS)


@dataclass
class Directory:
    """Organisations by key, their users, and which agency serves which district."""

    orgs: dict[str, OrganisationRow] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=dict)
    staff: dict[str, list[UserRow]] = field(default_factory=dict)
    demo_emails: list[str] = field(default_factory=list)

    def org(self, key: str) -> OrganisationRow:
        """The organisation with `key`."""
        return self.orgs[key]

    def housing_for(self, district: str) -> str:
        """Key of the housing association serving `district`."""
        return next(key for key, (_, _, ds) in HOUSING.items() if district in ds)

    def practitioners(self, key: str) -> list[UserRow]:
        """Practitioners (and supervisors) of an agency: who records incidents."""
        users = self.staff[key]
        return [u for u in users if u.role in (P, S)] or users

    def user(self, ctx: Context, key: str) -> UserRow:
        """A random practitioner of the agency `key`."""
        return ctx.pick(self.practitioners(key))

    def by_role(self, key: str, role: Role) -> UserRow:
        """The first user of agency `key` with `role`."""
        return next(u for u in self.staff[key] if u.role == role)


def build_directory(ctx: Context) -> Directory:
    """Create every partner agency and its users in the context's rows."""
    directory = Directory()
    created = ctx.days_ago(2500)
    specs: list[tuple[str, str, K, str | None, str, tuple[Role, ...]]] = [
        ("police", *COUNTY_ORGS["police"])
    ]
    for district in DISTRICTS:
        name = COUNCIL_NAMES[district]
        domain = council_domain(district)
        specs.append((council_key(district), name, K.council, district, domain, (P, P, S, AD)))
    specs += [(key, *spec) for key, spec in COUNTY_ORGS.items() if key != "police"]
    specs += [(key, name, K.housing, None, domain, (P, P, S, AD))
              for key, (name, domain, _) in HOUSING.items()]
    for key, name, kind, org_district, domain, _ in specs:
        org = OrganisationRow(ctx.uuid(), name, kind.value, org_district, created)
        directory.orgs[key] = org
        directory.domains[key] = domain
        directory.staff[key] = []
        ctx.rows.organisations.append(org)
    taken: set[str] = set()
    for key, given, family, role in DEMO_USERS:
        email = _add_user(ctx, directory, key, given, family, role, taken)
        directory.demo_emails.append(email)
    for key, *_, roles in specs:
        for role in roles:
            _add_user(ctx, directory, key, ctx.pick(STAFF_GIVEN), ctx.pick(STAFF_FAMILY), role,
                      taken)
    return directory


def _add_user(ctx: Context, directory: Directory, key: str, given: str, family: str, role: Role,
              taken: set[str]) -> str:
    domain = directory.domains[key]
    base = f"{given}.{family}".lower().replace("'", "")
    email, n = f"{base}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{base}{n}@{domain}"
    taken.add(email)
    user = UserRow(ctx.uuid(), email, f"{given} {family}", directory.orgs[key].id, role.value,
                   True, ctx.days_ago(ctx.rng.randint(30, 780)))
    directory.staff[key].append(user)
    ctx.rows.users.append(user)
    return email


_COUNCILS = tuple(council_key(d) for d in DISTRICTS)
_HOUSING = tuple(HOUSING)
_ASB = (DataCategory.person_identifiers, DataCategory.incidents, DataCategory.case_notes,
        DataCategory.referrals)
_SAFEGUARDING_PARTIES = ("police", "scc_children", "scc_adults", "sabp", "royal_surrey",
                         "frimley", "secamb", "icb", "da_outreach", "victim_support",
                         "probation", "youth")
# (title, lawful basis, detail, parties, purposes, categories, status, months from/to the
# reference date, parties who have signed (None: all)).
AGREEMENTS: tuple[tuple[str, LawfulBasis, str, tuple[str, ...], tuple[Purpose, ...],
                        tuple[DataCategory, ...], AgreementStatus, int, int,
                        tuple[str, ...] | None], ...] = (
    ("Surrey Community Safety Information Sharing Protocol: ASB and crime prevention",
     LawfulBasis.cda_1998_s115,
     "Crime and Disorder Act 1998 s.115 and s.17; Anti-social Behaviour, Crime and Policing Act "
     "2014 Part 6. Shared case by case, the minimum necessary; reviewed yearly by the CSP.",
     ("police", *_COUNCILS, *_HOUSING, "fire", "probation"),
     (Purpose.asb_case_management, Purpose.crime_prevention), _ASB,
     AgreementStatus.active, -19, 29, None),
    ("Surrey Safeguarding Information Sharing Agreement (including special category data)",
     LawfulBasis.uk_gdpr_6_1_e,
     "UK GDPR Art. 6(1)(e) and Art. 9(2)(g); DPA 2018 Sch. 1 para. 18 (safeguarding of "
     "children and individuals at risk); Children Act 2004 s.11; Care Act 2014 ss.42-45.",
     _SAFEGUARDING_PARTIES, (Purpose.safeguarding, Purpose.statutory_review),
     (*_ASB, DataCategory.special_category), AgreementStatus.active, -14, 34, None),
    ("Surrey MARAC and Domestic Abuse Information Sharing Protocol",
     LawfulBasis.da_act_2021,
     "Domestic Abuse Act 2021; Crime and Disorder Act 1998 s.115. Shared for MARAC and to "
     "keep victims safe; special category data is shared only under the safeguarding ISA.",
     ("police", "da_outreach", "victim_support", *_HOUSING, "scc_children", "sabp", "probation",
      *_COUNCILS),
     (Purpose.safeguarding,), _ASB, AgreementStatus.active, -10, 38, None),
    ("Home Fire Safety Visit Referrals Agreement (draft)",
     LawfulBasis.uk_gdpr_6_1_e,
     "Fire and Rescue Services Act 2004 s.6 (fire safety); awaiting partners' signatures.",
     ("fire", "scc_adults", "sabp", *_HOUSING),
     (Purpose.safeguarding,), (DataCategory.person_identifiers, DataCategory.referrals),
     AgreementStatus.draft, 0, 36, ("fire",)),
    ("Surrey Community Safety Protocol 2021-2024 (expired)",
     LawfulBasis.cda_1998_s115,
     "Superseded by the current protocol; kept for the record of past disclosures.",
     ("police", *_COUNCILS), (Purpose.asb_case_management, Purpose.crime_prevention),
     (DataCategory.person_identifiers, DataCategory.incidents), AgreementStatus.active,
     -67, -31, None),
)


def build_agreements(ctx: Context, directory: Directory) -> None:
    """Create the county's sharing agreements: active ones, one draft and one expired."""
    for (title, basis, detail, parties, purposes, categories, status, start, end,
         signed) in AGREEMENTS:
        valid_from = ctx.today + timedelta(days=round(start * 30.44))
        valid_to = ctx.today + timedelta(days=round(end * 30.44))
        drafted_at = ctx.days_ago(max(1, -start * 30 + 20))
        agreement = AgreementRow(ctx.uuid(), title, basis.value, detail, valid_from, valid_to,
                                 status.value, directory.org(parties[0]).id, None, None,
                                 drafted_at)
        ctx.rows.agreements.append(agreement)
        for key in parties:
            is_signed = signed is None or key in signed
            signer = directory.by_role(key, Role.admin)
            ctx.rows.agreement_parties.append(AgreementPartyRow(
                ctx.uuid(), agreement.id, directory.org(key).id,
                drafted_at + timedelta(days=ctx.rng.randint(1, 14)) if is_signed else None,
                signer.id if is_signed else None,
            ))
        for purpose in purposes:
            ctx.rows.agreement_purposes.append(
                AgreementPurposeRow(ctx.uuid(), agreement.id, purpose.value))
        for category in categories:
            ctx.rows.agreement_categories.append(
                AgreementCategoryRow(ctx.uuid(), agreement.id, category.value))
