"""Demo life: open multi-agency cases with actions and notes, and referrals in every state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from safetyhub.cases.models import ActionState, CaseKind, CaseStatus, RiskLevel
from safetyhub.referrals.models import ReferralState
from safetyhub.sharing.vocabulary import LawfulBasis, Sensitivity
from safetyhub.synthetic.directory import council_key
from safetyhub.synthetic.patterns_people import plant_contacts, resolve
from safetyhub.synthetic.people import TruePerson
from safetyhub.synthetic.planted import HotspotPlan, Planted
from safetyhub.synthetic.rows import (
    CaseActionRow,
    CaseIncidentRow,
    CaseMemberRow,
    CaseNoteRow,
    CaseRow,
    CaseSubjectRow,
    IncidentRow,
    PersonRecordRow,
    PlaceRow,
    ReferralRow,
)
from safetyhub.synthetic.world import World
from safetyhub.timeutil import add_working_days

REFERRAL_RESPONSE_WORKING_DAYS = 5  # the default of Settings.referral_response_working_days


@dataclass
class CaseSpec:
    """What a demo case is about and who works it."""

    lead: str
    members: list[str]
    title: str
    kind: CaseKind
    risk: RiskLevel
    opened_days_ago: int
    place: PlaceRow | None = None
    subjects: list[PersonRecordRow] = field(default_factory=list)
    incidents: list[IncidentRow] = field(default_factory=list)
    # (agency, description, due in days from the reference date (negative: overdue), done)
    actions: list[tuple[str, str, int, bool]] = field(default_factory=list)
    notes: list[tuple[str, str, Sensitivity]] = field(default_factory=list)
    closed: tuple[int, str] | None = None


def open_case(world: World, spec: CaseSpec) -> CaseRow:
    """Write a case with its members, subjects, incidents, actions and notes."""
    ctx, directory = world.ctx, world.directory
    opened = ctx.days_ago(spec.opened_days_ago, hour=10)
    closed_at = ctx.days_ago(spec.closed[0], hour=16) if spec.closed else None
    case = CaseRow(
        ctx.uuid(), directory.org(spec.lead).id, spec.title, spec.kind.value, spec.risk.value,
        (CaseStatus.closed if spec.closed else CaseStatus.open).value,
        spec.place.id if spec.place else None, spec.closed[1] if spec.closed else None,
        closed_at, directory.user(ctx, spec.lead).id, opened,
    )
    rows = ctx.rows
    rows.cases.append(case)
    for key in dict.fromkeys([spec.lead, *spec.members]):
        rows.case_members.append(CaseMemberRow(ctx.uuid(), case.id, directory.org(key).id, opened))
    for record in {r.id: r for r in spec.subjects}.values():
        rows.case_subjects.append(CaseSubjectRow(ctx.uuid(), case.id, record.id, opened))
    for incident in {i.id: i for i in spec.incidents}.values():
        rows.case_incidents.append(CaseIncidentRow(ctx.uuid(), case.id, incident.id, opened))
    for key, text, due_in, done in spec.actions:
        due = ctx.today + timedelta(days=due_in)
        completed = ctx.days_ago(max(1, -due_in + 2), hour=15) if done else None
        owner = directory.user(ctx, key)
        rows.case_actions.append(CaseActionRow(
            ctx.uuid(), case.id, directory.org(key).id, owner.id, text, due,
            (ActionState.done if done else ActionState.open).value, completed, opened))
    for n, (key, text, sensitivity) in enumerate(spec.notes):
        at = opened + timedelta(days=min(spec.opened_days_ago - 1, 3 + n * 9))
        rows.case_notes.append(CaseNoteRow(
            ctx.uuid(), case.id, directory.org(key).id, directory.user(ctx, key).id, text,
            sensitivity.value, at))
    return case


def demo_cases(world: World, planted: Planted) -> list[CaseRow]:
    """The demo's open cases in Guildford, one closed case, and an exploitation case."""
    guildford, wvh = council_key("Guildford"), "ha_west"
    cases: list[CaseRow] = []
    hotspot: HotspotPlan | None = planted.anchors.get("hotspot")
    if hotspot is not None:
        youth_records = [r for y in hotspot.youths for r in y.records]
        cases.append(open_case(world, CaseSpec(
            guildford, ["police", wvh], f"ASB at {hotspot.place.address.split(',')[0]}",
            CaseKind.place_problem, RiskLevel.medium, 40, place=hotspot.place,
            subjects=youth_records[:4], incidents=hotspot.incidents[:12],
            actions=[("police", "Review CCTV coverage and share stills of the group", -9, False),
                     ("police", "Consider a dispersal order (ASBCPA 2014 s.34)", -20, True),
                     (guildford, "Send Community Protection Notice warning letters", 7, False),
                     (wvh, "Remind tenants nearby of their tenancy conditions", 21, False)],
            notes=[(guildford, "Problem-solving meeting held; partners agreed a 6-week plan.",
                    Sensitivity.standard),
                   ("police", "Extra patrols on Friday and Saturday evenings.",
                    Sensitivity.standard)],
        )))
    cuckoo = planted.anchors.get("cuckoo")
    if cuckoo is not None:
        adult: TruePerson = cuckoo["adult"]
        cases.append(open_case(world, CaseSpec(
            "police", ["scc_adults", "sabp", wvh], "Suspected cuckooing of a vulnerable adult",
            CaseKind.vulnerability, RiskLevel.high, 12, place=cuckoo["place"],
            subjects=adult.records, incidents=cuckoo["drugs"] + cuckoo["other"],
            actions=[("police", "Safe and well visit with the neighbourhood team", -3, False),
                     ("police", "Prepare a closure order application", 14, False),
                     ("scc_adults", "Open a Care Act s.42 safeguarding enquiry", -5, True),
                     (wvh, "Change the locks and fit a door entry system", 5, False)],
            notes=[("police", "Associates identified; intelligence shared at the meeting.",
                    Sensitivity.sensitive),
                   ("sabp", "Known to the community mental-health team; recent relapse.",
                    Sensitivity.special_category)],
        )))
    if planted.domestic_abuse:
        da = planted.domestic_abuse[0]
        victim: TruePerson = da["victim"]
        cases.append(open_case(world, CaseSpec(
            "police", ["da_outreach", wvh, "scc_children"],
            "MARAC: high-risk domestic abuse", CaseKind.domestic_abuse, RiskLevel.high, 6,
            subjects=victim.records, incidents=da["rows"],
            actions=[("da_outreach", "IDVA to agree a safety plan with the victim", -2, True),
                     (wvh, "Target-harden the home (locks, alarm)", -1, False),
                     ("scc_children", "Check whether children live at the address", 3, False)],
            notes=[("da_outreach", "Victim engaging; wants to stay at home with support.",
                    Sensitivity.sensitive)],
        )))
    review = planted.anchors.get("case_review")
    if review is not None:
        complainant, neighbour, rows = review
        cases.append(open_case(world, CaseSpec(
            guildford, ["police", wvh], "ASB Case Review (Community Trigger) application",
            CaseKind.asb, RiskLevel.medium, 8, subjects=[*complainant.records,
                                                         *neighbour.records],
            incidents=rows,
            actions=[(guildford, "Acknowledge the application (3 working days)", -5, True),
                     (guildford, "Decide whether the threshold is met (10 working days)", 4,
                      False),
                     ("police", "Bring the force's incident history to the review", 10, False)],
            notes=[(guildford, "Applicant reports three incidents; one was reported to both "
                               "police and the council.", Sensitivity.standard)],
        )))
    child = world.person(age=(13, 16), district="Guildford")
    contacts = plant_contacts(world, child, "young_person", 3)
    cases.append(open_case(world, CaseSpec(
        "scc_children", ["police", "youth", "sabp"], "Child at risk of criminal exploitation",
        CaseKind.exploitation, RiskLevel.high, 2, subjects=child.records, incidents=contacts,
        actions=[("scc_children", "Strategy discussion with police", 2, False),
                 ("youth", "Offer a mentor from the youth team", 9, False)],
        notes=[("scc_children", "Missing episodes linked to older associates.",
                Sensitivity.sensitive)],
    )))
    planted.anchors["case_child"] = child
    if planted.multi_agency:
        person = planted.multi_agency[0]
        cases.append(open_case(world, CaseSpec(
            person.record_keys[0], person.record_keys[1:], "Neighbour dispute resolved",
            CaseKind.asb, RiskLevel.standard, 200, subjects=person.records,
            actions=[(person.record_keys[0], "Mediation session", -150, True)],
            notes=[(person.record_keys[0], "Both households agreed to mediation.",
                    Sensitivity.standard)],
            closed=(120, "Mediation worked; no further reports in three months."),
        )))
    return cases


def extra_cases(world: World, planted: Planted, count: int) -> None:
    """More cases on multi-agency people, open and closed, for the larger scales."""
    rng = world.ctx.rng
    people = [p for p in planted.multi_agency[1:] if len(set(p.record_keys)) >= 2]
    for person in rng.sample(people, min(count, len(people))):
        keys = list(dict.fromkeys(person.record_keys))
        closed = rng.random() < 0.3
        opened = rng.randint(30, 400) if closed else rng.randint(3, 120)
        open_case(world, CaseSpec(
            keys[0], keys[1:], "Multi-agency support plan", rng.choice(list(CaseKind)),
            rng.choice(list(RiskLevel)), opened, subjects=person.records,
            actions=[(keys[0], "Agree a support plan with the person", rng.randint(-30, 30),
                      rng.random() < 0.5)],
            notes=[(keys[0], "Partners met and agreed who does what.", Sensitivity.standard)],
            closed=(rng.randint(1, opened - 1), "Plan completed.") if closed else None,
        ))


# (from, to, reason, lawful basis, consent); council/housing/acute resolve by district.
ROUTES: tuple[tuple[str, str, str, LawfulBasis, bool], ...] = (
    ("police", "sabp", "Mental-health concern after a call for service; no real and immediate "
     "risk to life (Right Care, Right Person). Please assess and offer support.",
     LawfulBasis.uk_gdpr_6_1_e, False),
    ("police", "da_outreach", "High-risk domestic abuse victim (DASH 14+). Please allocate an "
     "IDVA.", LawfulBasis.da_act_2021, True),
    ("council", "housing", "Tenant named in repeated ASB complaints; please consider tenancy "
     "enforcement and support.", LawfulBasis.cda_1998_s115, False),
    ("fire", "scc_adults", "Hoarding and fire risk found on a home fire safety visit; please "
     "assess care and support needs.", LawfulBasis.care_act_2014_s45, False),
    ("probation", "housing", "Release from custody in four weeks with nowhere to live; please "
     "assess for accommodation.", LawfulBasis.uk_gdpr_6_1_e, True),
    ("scc_children", "youth", "Young person at risk of criminal exploitation; please offer "
     "mentoring and diversionary activities.", LawfulBasis.children_act_2004_s11, True),
    ("police", "victim_support", "Repeat victim of crime; please offer support.",
     LawfulBasis.consent, True),
    ("housing", "scc_adults", "Tenant appears to be self-neglecting and at risk; please "
     "assess.", LawfulBasis.care_act_2014_s45, False),
    ("police", "scc_children", "Child missing from home several times this month; please "
     "consider a strategy discussion.", LawfulBasis.children_act_2004_s11, False),
    ("acute", "da_outreach", "Emergency department attendance with injuries; disclosed abuse "
     "by a partner. Consent to refer given.", LawfulBasis.consent, True),
)
_STATES = ("overdue", "sent", "accepted", "declined", "completed")


def referrals(world: World, count: int) -> None:
    """Referrals between agencies, in every state, some overdue for a response."""
    ctx, directory = world.ctx, world.directory
    rng = ctx.rng
    holders: dict[str, list[TruePerson]] = {}
    for person in world.people:
        for key in person.record_keys:
            holders.setdefault(key, []).append(person)
    for i in range(count):
        state = _STATES[i % len(_STATES)]
        source, target, reason, basis, consent = ROUTES[rng.randrange(len(ROUTES))]
        district = rng.choice(("Guildford", "Woking", "Reigate and Banstead", "Spelthorne",
                               "Waverley", "Elmbridge"))
        from_key = resolve(source, district, world)
        candidates = holders.get(from_key)
        if not candidates:
            continue
        person = rng.choice(candidates)
        record = person.record_at(from_key)
        assert record is not None
        to_key = resolve(target, person.home.district or district, world)
        sent_days = {"overdue": rng.randint(10, 30), "sent": rng.randint(0, 2),
                     "accepted": rng.randint(5, 60), "declined": rng.randint(5, 60),
                     "completed": rng.randint(30, 200)}[state]
        sent = ctx.days_ago(sent_days, hour=rng.randint(8, 17))
        responded = sent + timedelta(days=rng.randint(1, 4)) if state not in (
            "overdue", "sent") else None
        completed = (responded + timedelta(days=rng.randint(5, 25))
                     if state == "completed" and responded else None)
        ctx.rows.referrals.append(ReferralRow(
            ctx.uuid(), directory.org(from_key).id, directory.org(to_key).id, record.id, None,
            f"{record.given_name} {record.family_name}", record.date_of_birth, reason,
            basis.value, consent,
            ReferralState.sent.value if state == "overdue" else ReferralState(state).value,
            add_working_days(sent.date(), REFERRAL_RESPONSE_WORKING_DAYS),
            "Does not meet our criteria; signposted to the GP." if state == "declined" else None,
            "Support offered and accepted; case closed." if completed else None,
            responded, completed, directory.user(ctx, from_key).id, sent,
        ))
