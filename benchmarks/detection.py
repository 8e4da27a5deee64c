"""Detection benchmark: indicators against the synthetic county's planted ground truth.

Not part of the test suite. Seeds a fresh database, links identities (the true ones, or the
linkage batch), runs every indicator as of the county's reference date, and reports recall and
precision per indicator, alerts per 1,000 incidents, batch time, and the time from recording an
incident to its alert.

    python -m benchmarks.detection --scale small
    python -m benchmarks.detection --scale medium --identities truth
    python -m benchmarks.detection --scale medium --identities linkage \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench
    python -m benchmarks.detection --scale large --seeded /var/tmp/safetyhub-large

With `--seeded FOLDER` (SQLite only) the seeded and linked county is kept in FOLDER and reused
by later runs: each run works on a copy of it, so its alerts start from none.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

# Indicator -> (ground-truth list, what identifies a planted subject in it).
TRUTH: dict[str, tuple[str, str]] = {
    "repeat_victim": ("repeat_victims", "person"),
    "domestic_abuse_escalation": ("escalating_domestic_abuse", "person"),
    "known_to_many": ("known_to_many_agencies", "person"),
    "exploitation": ("cuckooed_addresses", "place"),
    "repeat_place": ("asb_hotspots", "place"),
}
UNMEASURED = ("escalation", "place_escalation", "marac_repeat", "mental_health")


def _fresh_database(url: str | None, workdir: Path) -> str:
    if url:
        return url
    return f"sqlite:///{workdir / 'detection.db'}"


def _link_with_linkage(session: Any) -> int:
    from safetyhub.auth.actor import Actor
    from safetyhub.linkage.batch import run_batch

    report = run_batch(session, actor=Actor.system("benchmark:linkage"))
    return int(report.records)


def _person_of(truth: Any, found: dict[str, str] | None = None) -> dict[str, str]:
    """person record id -> true person key, from every person the ground truth lists (records
    listed nowhere are each their own person)."""
    found = {} if found is None else found
    if isinstance(truth, dict):
        if "true_person" in truth and "person_record_ids" in truth:
            found.update({rid: truth["true_person"] for rid in truth["person_record_ids"]})
        for value in truth.values():
            _person_of(value, found)
    elif isinstance(truth, list):
        for value in truth:
            _person_of(value, found)
    return found


def _planted(truth: dict[str, Any], indicator: str, person_of: dict[str, str]) -> set[str]:
    section, kind = TRUTH[indicator]
    if section == "asb_hotspots":
        return {p["place_id"] for p in truth["asb_hotspots"]["places"]}
    if kind == "place":
        return {p["place_id"] for p in truth[section]}
    return {p["true_person"] for p in truth[section]}


def _alerted(session: Any, person_of: dict[str, str]) -> dict[str, list[set[str]]]:
    """indicator -> for each open alert, the true persons (or the place id) it is about.

    An Identity that linkage made of several true people (a false merge) is about each of them.
    """
    from sqlalchemy import select

    from safetyhub.people.models import IdentityLink
    from safetyhub.risk.models import Alert

    members: dict[str, list[str]] = defaultdict(list)
    for identity, record in session.execute(
            select(IdentityLink.identity_id, IdentityLink.person_record_id)):
        members[str(identity)].append(str(record))
    found: dict[str, list[set[str]]] = defaultdict(list)
    for indicator, kind, identity, record, place in session.execute(select(
            Alert.indicator, Alert.subject_kind, Alert.identity_id, Alert.person_record_id,
            Alert.place_id).where(Alert.is_open.is_(True))):
        if kind == "place":
            found[indicator].append({str(place)})
            continue
        records = members[str(identity)] if kind == "identity" else [str(record)]
        found[indicator].append({person_of.get(rid, f"record:{rid}") for rid in records})
    return found


def score(planted: set[str], alerts: list[set[str]]) -> dict[str, Any]:
    """Recall over planted subjects; precision over alerts (one about a planted subject is
    right, even when linkage merged someone else into it)."""
    covered = set().union(*alerts) & planted if alerts else set()
    right = sum(1 for about in alerts if about & planted)
    return {
        "planted": len(planted), "alerts": len(alerts), "found": len(covered),
        "right_alerts": right,
        "recall": len(covered) / len(planted) if planted else None,
        "precision": right / len(alerts) if alerts else None,
        "missed": sorted(planted - covered)[:5],
        "wrong": [sorted(about)[:3] for about in alerts if not about & planted][:5],
        "merged": sum(1 for about in alerts if len(about) > 1),
    }


def _incident_to_alert_ms(session: Any, samples: int) -> list[float]:
    """Time to record a second victimisation and raise its alert, in the same transaction."""
    from sqlalchemy import select

    from safetyhub.auth.models import User
    from safetyhub.auth.service import actor_for
    from safetyhub.incidents.models import IncidentCategory, PartyRole
    from safetyhub.incidents.schemas import IncidentCreate, IncidentPartyCreate
    from safetyhub.incidents.service import record_incident
    from safetyhub.organisations.models import Organisation
    from safetyhub.people.models import PersonRecord
    from safetyhub.risk.service import evaluate_after_incident
    from safetyhub.timeutil import utcnow

    row = session.execute(
        select(User, Organisation.id).join(Organisation, Organisation.id == User.organisation_id)
        .where(Organisation.kind == "police", User.role == "practitioner").limit(1)).first()
    user, org_id = row
    actor = actor_for(user)
    records = list(session.scalars(select(PersonRecord.id).where(
        PersonRecord.organisation_id == org_id).limit(samples)))
    timings = []
    for record_id in records:
        started = time.perf_counter()
        for days in (40, 1):  # two victimisations: the second raises a repeat-victim alert
            data = IncidentCreate(
                category=IncidentCategory.robbery, occurred_at=utcnow() - timedelta(days=days),
                narrative="Benchmark incident.",
                parties=[IncidentPartyCreate(person_record_id=record_id, role=PartyRole.victim)])
            incident = record_incident(session, actor=actor, data=data)
            evaluate_after_incident(session, actor=actor, incident_id=incident.id)
        timings.append((time.perf_counter() - started) * 1000 / 2)
    return timings


def _seed_and_link(url: str, scale: str, seed: int, identities: str, truth_path: Path
                   ) -> tuple[float, int]:
    """Seed the county into the empty database at `url` and link its identities."""
    from safetyhub import migrate
    from safetyhub.config import get_settings
    from safetyhub.db import job_session
    from safetyhub.synthetic.loader import link_true_identities
    from safetyhub.synthetic.service import seed_database

    os.environ["SAFETYHUB_DATABASE_URL"] = url
    get_settings.cache_clear()
    migrate.upgrade(url)
    started = time.monotonic()
    seed_database(scale=scale, seed=seed, ground_truth_path=truth_path, progress=False)
    seed_seconds = time.monotonic() - started
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    with job_session() as session:
        linked = (link_true_identities(session, truth) if identities == "truth"
                  else _link_with_linkage(session))
    if url.startswith("postgresql"):
        # Fresh statistics after the bulk load, as autovacuum would give a live database.
        from sqlalchemy import create_engine, text

        analyser = create_engine(url, isolation_level="AUTOCOMMIT")
        with analyser.connect() as connection:
            connection.execute(text("ANALYZE"))
        analyser.dispose()
    return seed_seconds, linked


def _reuse_seeded(folder: Path, workdir: Path, scale: str, seed: int, identities: str
                  ) -> tuple[str, Path, float, int]:
    """A working copy of the county kept in `folder` (seeded there first if it is not)."""
    folder.mkdir(parents=True, exist_ok=True)
    kept, truth_path = folder / "county.db", folder / "truth.json"
    facts = folder / "seeded.json"
    wanted = {"scale": scale, "seed": seed, "identities": identities}
    if not facts.exists():
        kept.unlink(missing_ok=True)
        seed_seconds, linked = _seed_and_link(f"sqlite:///{kept}", scale, seed, identities,
                                              truth_path)
        facts.write_text(json.dumps({**wanted, "seed_seconds": seed_seconds,
                                     "linked": linked}), encoding="utf-8")
    kept_facts = json.loads(facts.read_text(encoding="utf-8"))
    if {k: kept_facts[k] for k in wanted} != wanted:
        raise SystemExit(f"{folder} holds another county: {kept_facts}")
    source, target = sqlite3.connect(kept), sqlite3.connect(workdir / "detection.db")
    try:
        source.backup(target)  # consistent, write-ahead log included
    finally:
        source.close()
        target.close()
    return (f"sqlite:///{workdir / 'detection.db'}", truth_path, kept_facts["seed_seconds"],
            kept_facts["linked"])


def run(scale: str, seed: int, identities: str, database_url: str | None,
        samples: int, seeded: Path | None = None) -> dict[str, Any]:
    """Seed (or reuse), link, detect and measure; the figures as a dict."""
    workdir = Path(tempfile.mkdtemp(prefix="safetyhub-detection-"))
    if seeded is not None:
        url, truth_path, seed_seconds, linked = _reuse_seeded(seeded, workdir, scale, seed,
                                                              identities)
        os.environ["SAFETYHUB_DATABASE_URL"] = url
    else:
        url = _fresh_database(database_url, workdir)
        truth_path = workdir / "truth.json"
        seed_seconds, linked = _seed_and_link(url, scale, seed, identities, truth_path)
    from sqlalchemy import func, select

    from safetyhub.auth.actor import Actor
    from safetyhub.config import get_settings
    from safetyhub.db import job_session, session_factory
    from safetyhub.incidents.models import Incident
    from safetyhub.risk.service import run_batch

    get_settings.cache_clear()
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    as_of = datetime.combine(datetime.fromisoformat(truth["generator"]["reference_date"]).date(),
                             clock(0), tzinfo=UTC)
    system = Actor.system("benchmark:risk run")
    cpu = time.process_time()
    with job_session() as session:
        report = run_batch(session, actor=system, as_of=as_of)
    batch_cpu = time.process_time() - cpu
    started, cpu = time.monotonic(), time.process_time()
    with job_session() as session:
        rerun = run_batch(session, actor=system, as_of=as_of)
    rerun_seconds, rerun_cpu = time.monotonic() - started, time.process_time() - cpu
    person_of = _person_of(truth)
    figures: dict[str, Any] = {"scale": scale, "seed": seed, "identities": identities,
                               "database": url.split(":", 1)[0], "seed_seconds": seed_seconds,
                               "linked_records": linked}
    with job_session() as session:
        incidents = int(session.scalar(select(func.count()).select_from(Incident)) or 0)
        alerted = _alerted(session, person_of)
    rows = {indicator: score(_planted(truth, indicator, person_of), alerted.get(indicator, []))
            for indicator in TRUTH}
    total_alerts = sum(len(v) for v in alerted.values())
    figures.update({
        "incidents": incidents, "indicators": rows,
        "unmeasured": {k: len(alerted.get(k, [])) for k in UNMEASURED},
        "alerts": report.raised, "alerts_per_1000_incidents": 1000 * report.raised / incidents,
        "subjects": report.subjects, "batch_load_seconds": report.load_seconds,
        "batch_evaluate_seconds": report.evaluate_seconds,
        "rerun_seconds": rerun_seconds, "rerun_raised": rerun.raised,
        "evaluated": report.evaluated, "batch_cpu_seconds": batch_cpu,
        "rerun_cpu_seconds": rerun_cpu,
        "open_alerts": total_alerts,
    })
    session = session_factory()()
    try:
        timings = _incident_to_alert_ms(session, samples)
    finally:
        session.rollback()
        session.close()
    if timings:
        figures["incident_to_alert_ms_median"] = statistics.median(timings)
        figures["incident_to_alert_ms_p95"] = sorted(timings)[int(0.95 * (len(timings) - 1))]
    if seeded is not None:
        shutil.rmtree(workdir, ignore_errors=True)  # the working copy (the kept county stays)
    return figures


def print_markdown(figures: dict[str, Any]) -> None:
    """The figures as the Markdown rows of docs/benchmarks.md."""
    print(f"\n{figures['scale']} county (seed {figures['seed']}, {figures['database']}, "
          f"identities: {figures['identities']}): {figures['incidents']:,} incidents\n")
    print("| indicator | planted | alerts | planted found | recall | precision |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, row in figures["indicators"].items():
        recall = "n/a" if row["recall"] is None else f"{row['recall']:.3f}"
        precision = "n/a" if row["precision"] is None else f"{row['precision']:.3f}"
        print(f"| {name} | {row['planted']} | {row['alerts']} | {row['found']} | {recall} | "
              f"{precision} |")
    for name, count in figures["unmeasured"].items():
        print(f"| {name} | (no planted truth) | {count} | | | |")
    print(f"\nalerts raised: {figures['alerts']:,} "
          f"({figures['alerts_per_1000_incidents']:.2f} per 1,000 incidents); "
          f"batch over {figures['subjects']:,} subjects: read {figures['batch_load_seconds']:.1f} s"
          f" + evaluate {figures['batch_evaluate_seconds']:.1f} s ({figures['evaluated']:,} "
          f"subjects could fire; CPU {figures['batch_cpu_seconds']:.1f} s); rerun "
          f"{figures['rerun_seconds']:.1f} s (CPU {figures['rerun_cpu_seconds']:.1f} s) raising "
          f"{figures['rerun_raised']}; incident to alert "
          f"median {figures.get('incident_to_alert_ms_median', 0):.0f} ms, p95 "
          f"{figures.get('incident_to_alert_ms_p95', 0):.0f} ms; seeding took "
          f"{figures['seed_seconds']:.0f} s.")


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", choices=["tiny", "small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--identities", default="truth", choices=["truth", "linkage"],
                        help="Link records by the ground truth (perfect linkage) or by the "
                             "linkage batch.")
    parser.add_argument("--database-url", default=None,
                        help="An EMPTY database to use (default: a new SQLite file).")
    parser.add_argument("--samples", type=int, default=30,
                        help="Incidents recorded to time incident-to-alert.")
    parser.add_argument("--seeded", type=Path, default=None,
                        help="Keep the seeded county (SQLite) in this folder and reuse it.")
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    args = parser.parse_args()
    figures = run(args.scale, args.seed, args.identities, args.database_url, args.samples,
                  args.seeded)
    print_markdown(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
