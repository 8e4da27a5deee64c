"""The one seeded generator of the synthetic county: same seed, same county (ids included)."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from safetyhub.synthetic.background import WINDOW_DAYS, BackgroundPlan, background_batch
from safetyhub.synthetic.casework import demo_cases, extra_cases, referrals
from safetyhub.synthetic.context import REFERENCE_DATE, Context
from safetyhub.synthetic.directory import Directory, build_agreements, build_directory
from safetyhub.synthetic.gazetteer import Gazetteer, add_public_places, build_gazetteer
from safetyhub.synthetic.groundtruth import build_ground_truth
from safetyhub.synthetic.incidents import AGENCY_MIX, AGENCY_SHARE, ASB, AT_HOME
from safetyhub.synthetic.patterns_people import (
    plant_domestic_abuse,
    plant_known_to_many,
    plant_multi_agency,
    plant_repeat_victims,
)
from safetyhub.synthetic.patterns_places import (
    plant_case_reviews,
    plant_cuckooing,
    plant_hotspots,
)
from safetyhub.synthetic.people import Identifiers, drama_phone_numbers
from safetyhub.synthetic.planted import Planted
from safetyhub.synthetic.rows import Rows
from safetyhub.synthetic.truth import evaluate, gather
from safetyhub.synthetic.world import World

DEMO_DISTRICT = "Guildford"  # where the demo users work, so the demo's patterns are theirs


@dataclass(frozen=True)
class ScalePlan:
    """How many of each thing a scale generates."""

    name: str
    multi_agency: int
    repeat_victims: int
    repeat_near_misses: int
    domestic_abuse: int
    cuckooed: int
    known_to_many: int
    known_to_many_near_misses: int
    hotspots: int
    case_reviews: int
    case_review_near_misses: int
    extra_cases: int
    referrals: int
    background_incidents: int
    batch_size: int


SCALES: dict[str, ScalePlan] = {
    "tiny": ScalePlan("tiny", 12, 3, 1, 2, 1, 2, 1, 2, 2, 3, 0, 10, 150, 1_000),
    "small": ScalePlan("small", 180, 14, 4, 6, 2, 8, 3, 5, 5, 6, 4, 40, 2_400, 5_000),
    "medium": ScalePlan("medium", 3_000, 200, 40, 80, 15, 120, 30, 30, 50, 30, 100, 400,
                        95_000, 20_000),
    "large": ScalePlan("large", 20_000, 1_500, 300, 600, 80, 900, 200, 60, 300, 150, 800,
                       3_000, 960_000, 20_000),
}


@dataclass
class County:
    """The fixed part of the county in memory, its ground truth, and the streamed background."""

    seed: int
    scale: ScalePlan
    today: date
    rows: Rows
    truth: dict[str, Any]
    background: BackgroundPlan
    directory: Directory
    gazetteer: Gazetteer
    phones: list[str]

    @property
    def demo_emails(self) -> list[str]:
        """Sign-in emails of the fixed demo users."""
        return list(self.directory.demo_emails)

    def background_batches(self) -> Iterator[Rows]:
        """The background incidents, one batch at a time (re-iterable, same every time)."""
        for index in range(self.background.batches):
            yield background_batch(self.background, index, self.directory, self.gazetteer,
                                   self.phones)

    def estimated_rows(self) -> int:
        """Rows the whole county will insert (the background part estimated)."""
        return self.rows.total() + int(self.background.total * 4.3)


def expected_background_asb(plan: ScalePlan, gazetteer: Gazetteer) -> float:
    """Background ASB incidents expected at the busiest public place in 182 days."""
    total_share = sum(AGENCY_SHARE.values())
    rate = 0.0
    for key, share in AGENCY_SHARE.items():
        mix = AGENCY_MIX[key]
        mix_total = sum(mix.values())
        rate += share / total_share * sum(
            w / mix_total * (1 - AT_HOME.get(c, 0.0)) for c, w in mix.items() if c in ASB)
    busiest = max(gazetteer.weights) / sum(gazetteer.weights)
    return plan.background_incidents * rate * busiest * 182 / WINDOW_DAYS / 2


def generate_county(scale: str = "small", seed: int = 2024,
                    today: date = REFERENCE_DATE) -> County:
    """Generate the county for `scale`; deterministic in (scale, seed, today)."""
    plan = SCALES[scale]
    ctx = Context(random.Random(seed), today)
    directory = build_directory(ctx)
    build_agreements(ctx, directory)
    gazetteer = build_gazetteer(ctx.rng)
    ctx.rows.places.extend(
        add_public_places(gazetteer, ctx.rng, ctx.uuid, ctx.days_ago(WINDOW_DAYS + 60)))
    phones = drama_phone_numbers(ctx.rng)
    ids = Identifiers(counters={}, nhs_next=0, phones=phones, phone_stop=len(phones))
    batches = max(1, math.ceil(plan.background_incidents / plan.batch_size))
    world = World(ctx, directory, gazetteer, ids, batches)
    planted = Planted()
    plant_multi_agency(world, planted, plan.multi_agency)
    plant_repeat_victims(world, planted, plan.repeat_victims, plan.repeat_near_misses)
    plant_domestic_abuse(world, planted, plan.domestic_abuse, DEMO_DISTRICT)
    plant_cuckooing(world, planted, plan.cuckooed, DEMO_DISTRICT)
    plant_known_to_many(world, planted, plan.known_to_many, plan.known_to_many_near_misses)
    expected = expected_background_asb(plan, gazetteer)
    per_place = max(20, math.ceil(3 * expected))
    plant_hotspots(world, planted, plan.hotspots, per_place, DEMO_DISTRICT)
    plant_case_reviews(world, planted, plan.case_reviews, plan.case_review_near_misses,
                       DEMO_DISTRICT)
    demo_cases(world, planted)
    extra_cases(world, planted, plan.extra_cases)
    referrals(world, plan.referrals)
    world.finalize_people()
    assert ids.nhs_next < 100_000, "the fixed part ran into the background's NHS numbers"
    person_of = {r.id: p.key for p in world.people for r in p.records}
    evaluated = evaluate(gather([ctx.rows], person_of=person_of,
                               occurrences=world.occurrences, today=today))
    _check_intent(planted, evaluated)
    truth = build_ground_truth(world, planted, evaluated, seed=seed, scale=scale,
                               expected_background_asb=expected)
    background = BackgroundPlan(
        seed=seed, today=today, total=plan.background_incidents, batch_size=plan.batch_size,
        phone_start=ids.phone_next,
        planted_names=frozenset((p.given, p.family, p.dob) for p in world.people),
    )
    return County(seed, plan, today, ctx.rows, truth, background, directory, gazetteer, phones)


def _check_intent(planted: Planted, evaluated: dict[str, dict[str, Any]]) -> None:
    """Every planted pattern meets its rule and every near miss does not (or the generator is
    wrong, and no detector could be measured against it)."""
    checks = [
        ("repeat_victims", [p.key for p in planted.repeat_victims], True),
        ("repeat_victims", [p.key for p in planted.repeat_near_misses], False),
        ("escalating_domestic_abuse", [e["victim"].key for e in planted.domestic_abuse], True),
        ("known_to_many_agencies", [p.key for p in planted.known_to_many], True),
        ("known_to_many_agencies", [p.key for p in planted.known_to_many_near_misses], False),
        ("asb_case_review", [p.key for p in planted.case_reviews], True),
        ("asb_case_review", [p.key for p, _ in planted.case_review_near_misses], False),
    ]
    for rule, keys, expected in checks:
        wrong = [k for k in keys if (k in evaluated[rule]) != expected]
        if wrong:
            raise AssertionError(f"planted {rule} {'missed' if expected else 'hit'}: {wrong}")
