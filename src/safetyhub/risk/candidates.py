"""The batch run's fast path: count over the extract in DuckDB, then build facts only for the
subjects that could fire an indicator.

Each test below is a necessary condition of an indicator (occurrences are never more than
distinct incidents, so counting incidents can only let more through): a subject that fails
every test would get no result from the pure indicator functions, which then decide exactly as
they do for one subject. The results are the same as evaluating everyone, at a fraction of the
objects.

The SQL is put together from constants and `$p<n>` placeholders only: every value (roles,
categories, dates, thresholds) is a bound parameter.
"""
# ruff: noqa: S608  (see above: no value is ever put into the SQL text)

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy.orm import Session

from safetyhub.risk.addresses import residents
from safetyhub.risk.config import RisingParams, RiskConfig
from safetyhub.risk.extract import Extract, Ids, aware, naive_utc, read_extract
from safetyhub.risk.indicators.facts import (
    IncidentFact,
    Involvement,
    PersonFacts,
    PlaceFacts,
    RecordFact,
)
from safetyhub.risk.indicators.places import NEW_ASSOCIATES
from safetyhub.risk.loading import attach_cases_and_marac, person_key
from safetyhub.risk.population import Population, add_place_cases, add_place_incident

VICTIM = "victim"
BIG = 1 << 30  # a threshold nothing reaches (for a rule that is switched off)
SLACK = 1e-9  # floating-point room: the bounds never exclude what the rule would count
SUBJECTS = """
CREATE TEMP TABLE rated AS SELECT i.*, coalesce(s.severity, 1) AS severity FROM incidents i
    LEFT JOIN severities s USING (category);
CREATE TEMP TABLE involvements AS SELECT p.record_id, p.role, i.* FROM parties p
    JOIN rated i USING (incident_id);
CREATE TEMP TABLE place_incidents AS SELECT * FROM rated WHERE place_id IS NOT NULL;
CREATE TEMP TABLE inv_s AS SELECT coalesce('i' || l.identity_id, 'p' || v.record_id) AS subject,
    l.identity_id, v.* FROM involvements v LEFT JOIN links l USING (record_id);
CREATE TEMP TABLE rec_s AS SELECT coalesce('i' || l.identity_id, 'p' || r.record_id) AS subject,
    l.identity_id, r.* FROM records r LEFT JOIN links l USING (record_id);
CREATE TEMP TABLE marac_s AS SELECT DISTINCT coalesce('i' || l.identity_id, 'p' || m.record_id)
    AS subject FROM marac m LEFT JOIN links l USING (record_id);
"""


class _Tests:
    """SQL conditions with their parameters, named uniquely."""

    def __init__(self, as_of: datetime) -> None:
        self.params: dict[str, Any] = {}
        self.as_of = as_of
        self.conditions: list[str] = []

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = list(value) if isinstance(value, tuple) else value
        return f"${name}"

    def since(self, days: int) -> str:
        return self.param(naive_utc(self.as_of - timedelta(days=days)))

    def among(self, column: str, values: Sequence[str]) -> str:
        return f"list_contains({self.param(tuple(values))}, {column})" if values else "false"

    def at_least(self, where: str, count: int) -> None:
        self.conditions.append(f"count(DISTINCT incident_id) FILTER (WHERE {where}) >= "
                               f"{self.param(count)}")

    def rising(self, kind: str, params: RisingParams) -> None:
        """Escalation's bounds: recent occurrences are at most the recent incidents, baseline
        occurrences at least the baseline incidents over their agencies (a group has one report
        per agency), and a mean severity lies between the least and the greatest."""
        recent = f"{kind} AND occurred_at >= {self.since(params.recent_days)}"
        baseline = (f"{kind} AND occurred_at >= "
                    f"{self.since(params.recent_days + params.baseline_days)} AND NOT ({recent})")
        r = f"count(DISTINCT incident_id) FILTER (WHERE {recent})"
        b = f"count(DISTINCT incident_id) FILTER (WHERE {baseline})"
        agencies = f"count(DISTINCT org) FILTER (WHERE {baseline})"
        frequency = (
            f"{r} >= {self.param(params.min_recent)} AND {b} >= "
            f"{self.param(params.min_baseline)} AND {r} * {self.param(params.baseline_days)} * "
            f"{agencies} >= {self.param(params.frequency_factor * (1 - SLACK))} * {b} * "
            f"{self.param(params.recent_days)}")
        severity = (
            f"{r} >= {self.param(params.min_recent_for_severity)} AND {b} >= "
            f"{self.param(max(1, params.min_baseline))} AND max(severity) FILTER (WHERE "
            f"{recent}) - min(severity) FILTER (WHERE {baseline}) >= "
            f"{self.param(params.severity_increase - SLACK)}")
        self.conditions.append(f"(({frequency}) OR ({severity}))")


def _person_tests(config: RiskConfig, as_of: datetime) -> tuple[str, dict[str, Any]]:
    tests = _Tests(as_of)
    rv, esc, da, mh, ktm = (config.repeat_victim, config.escalation, config.domestic_abuse,
                            config.mental_health, config.known_to_many)
    if rv.enabled:
        tests.at_least(f"{tests.among('role', rv.roles)} AND occurred_at >= "
                       f"{tests.since(rv.window_days)}", rv.repeat_at)
    if esc.enabled:
        tests.rising(tests.among("role", esc.roles), esc)
    if da.enabled:
        victim_da = f"role = {tests.param(VICTIM)} AND {tests.among('category', da.categories)}"
        tests.at_least(f"{victim_da} AND occurred_at >= {tests.since(da.window_days)}",
                       da.escalation_at)
        tests.conditions.append(f"(subject IN (SELECT subject FROM marac_s) AND count(*) "
                                f"FILTER (WHERE {victim_da}) > 0)")
    if mh.enabled:
        tests.at_least(f"{tests.among('role', mh.roles)} AND "
                       f"{tests.among('category', mh.categories)} AND occurred_at >= "
                       f"{tests.since(mh.window_days)}", mh.repeat_at)
    # First the cheap cut: no test passes with fewer rows than its smallest threshold.
    least = min([rv.repeat_at if rv.enabled else BIG,
                 _least_rising(esc) if esc.enabled else BIG,
                 da.escalation_at if da.enabled else BIG, mh.repeat_at if mh.enabled else BIG])
    busy = (f"SELECT subject FROM inv_s GROUP BY subject HAVING count(*) >= "
            f"{tests.param(least)} UNION SELECT subject FROM marac_s")
    query = f"SELECT subject FROM inv_s WHERE subject IN ({busy}) GROUP BY subject"
    query += f" HAVING {' OR '.join(tests.conditions)}" if tests.conditions else " HAVING false"
    if ktm.enabled:
        start = tests.since(ktm.window_days)
        pairs = (f"SELECT subject, org FROM inv_s WHERE occurred_at >= {start} UNION ALL "
                 f"SELECT subject, org FROM rec_s WHERE created_at >= {start}")
        at = tests.param(ktm.agencies_at)
        query += (f" UNION SELECT subject FROM ({pairs}) WHERE subject IN (SELECT subject FROM "
                  f"({pairs}) GROUP BY subject HAVING count(*) >= {at}) GROUP BY subject "
                  f"HAVING count(DISTINCT org) >= {at}")
    return query, tests.params


def _least_rising(params: RisingParams) -> int:
    """The fewest incidents with which escalation could fire."""
    return min(params.min_recent, params.min_recent_for_severity) + params.min_baseline


def _place_tests(config: RiskConfig, as_of: datetime) -> tuple[str, dict[str, Any]]:
    tests = _Tests(as_of)
    rp, pe = config.repeat_place, config.place_escalation
    if rp.enabled:
        tests.at_least(f"{tests.among('category', rp.categories)} AND occurred_at >= "
                       f"{tests.since(rp.window_days)}", rp.repeat_at)
    if pe.enabled:
        tests.rising(tests.among("category", pe.categories) if pe.categories else "true", pe)
    least = min([rp.repeat_at if rp.enabled else BIG, _least_rising(pe) if pe.enabled else BIG])
    busy = (f"SELECT place_id FROM place_incidents GROUP BY place_id HAVING count(*) >= "
            f"{tests.param(least)}")
    query = f"SELECT place_id FROM place_incidents WHERE place_id IN ({busy}) GROUP BY place_id"
    query += f" HAVING {' OR '.join(tests.conditions)}" if tests.conditions else " HAVING false"
    return query + " UNION SELECT place_id FROM vulnerable_homes", tests.params


def _exploitation_bound(config: RiskConfig, as_of: datetime) -> tuple[str, dict[str, Any]]:
    """Places where a vulnerability concern was recorded and the signs, each counted at its
    most (incidents for occurrences, everyone there in the roles for new associates), could
    reach the alert score."""
    ex, tests = config.exploitation, _Tests(as_of)
    concerned = (f"SELECT DISTINCT place_id FROM involvements WHERE place_id IS NOT NULL AND "
                 f"{tests.among('category', ex.vulnerability_categories)} AND "
                 f"{tests.among('role', ex.vulnerability_roles)} AND occurred_at >= "
                 f"{tests.since(ex.lookback_days)}")
    start = tests.since(ex.window_days)
    by_category, by_role, terms = [], [], []
    for n, (name, signal) in enumerate(sorted(ex.signals.items())):
        if name == NEW_ASSOCIATES or (signal.roles and not signal.categories):
            by_role.append(f"count(DISTINCT subject) FILTER (WHERE "
                           f"{tests.among('role', signal.roles)}) AS s{n}")
        else:
            by_category.append(f"count(DISTINCT incident_id) FILTER (WHERE "
                               f"{tests.among('category', signal.categories)}) AS s{n}")
        terms.append(f"CASE WHEN coalesce(s{n}, 0) >= {tests.param(signal.at_least)} THEN "
                     f"{tests.param(signal.weight)} ELSE 0 END")
    query = f"SELECT k.place_id FROM ({concerned}) k"
    if by_category:
        query += (f" LEFT JOIN (SELECT place_id, {', '.join(by_category)} FROM place_incidents "
                  f"WHERE occurred_at >= {start} GROUP BY place_id) c USING (place_id)")
    if by_role:
        query += (f" LEFT JOIN (SELECT place_id, {', '.join(by_role)} FROM inv_s WHERE place_id "
                  f"IS NOT NULL AND occurred_at >= {start} GROUP BY place_id) r USING (place_id)")
    query += (f" WHERE {' + '.join(terms) or '0'} >= "
              f"{tests.param(ex.alert_at * (1 - SLACK))}")
    return query, tests.params


def _homes(session: Session, con: duckdb.DuckDBPyConnection, config: RiskConfig,
           as_of: datetime, ids: Ids) -> tuple[set[tuple[uuid.UUID, uuid.UUID]], list[str]]:
    """Who lives where among the people of vulnerability concerns at the places the exploitation
    rule could alert on (as risk.loading reads it), and those that are a vulnerable person's
    home (the rule's first condition)."""
    ex = config.exploitation
    if not ex.enabled:
        return set(), []
    bound, params = _exploitation_bound(config, as_of)
    con.execute(f"CREATE TEMP TABLE exploitation_bound AS {bound}", params)
    tests = _Tests(as_of)
    rows = _rows(con, "SELECT DISTINCT record_id, place_id, role, occurred_at >= "
                      f"{tests.since(ex.lookback_days)} FROM involvements WHERE place_id IN "
                      f"(SELECT place_id FROM exploitation_bound) AND "
                      f"{tests.among('category', ex.vulnerability_categories)}", tests.params)
    homes = residents(session, [(ids(r), ids(p)) for r, p, _, _ in rows])
    vulnerable = sorted({p for r, p, role, recent in rows if recent
                         and role in ex.vulnerability_roles
                         and (not ex.residents_only or (ids(r), ids(p)) in homes)})
    return homes, vulnerable


def _rows(con: duckdb.DuckDBPyConnection, query: str,
          params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    return con.execute(query, params or {}).fetchall()


def _incident(row: Sequence[Any], ids: Ids, cache: dict[str, IncidentFact]) -> IncidentFact:
    found = cache.get(row[0])
    if found is None:
        found = cache[row[0]] = IncidentFact(ids(row[0]), ids(row[1]), row[2], aware(row[3]),
                                             ids.optional(row[4]), row[5] or "")
    return found


INVOLVEMENT = ("subject, identity_id, record_id, role, incident_id, org, category, occurred_at, "
               "place_id, narrative")


def _persons(session: Session, con: duckdb.DuckDBPyConnection, ids: Ids,
             cache: dict[str, IncidentFact]) -> dict[str, PersonFacts]:
    persons: dict[str, PersonFacts] = {}
    keys: dict[str, str] = {}
    record_keys: dict[uuid.UUID, str] = {}

    def key_of(subject: str, identity: str | None, record: str) -> str:
        key = keys.get(subject)
        if key is None:
            key = keys[subject] = person_key(ids(record), ids.optional(identity))
        record_keys[ids(record)] = key
        return key

    for subject, identity, record, org, created in _rows(con, (
            "SELECT subject, identity_id, record_id, org, created_at FROM rec_s "
            "WHERE subject IN (SELECT subject FROM person_candidates)")):
        key = key_of(subject, identity, record)
        persons.setdefault(key, PersonFacts(key)).records.append(
            RecordFact(ids(record), ids(org), aware(created)))
    for row in _rows(con, f"SELECT {INVOLVEMENT} FROM inv_s "
                          "WHERE subject IN (SELECT subject FROM person_candidates)"):
        key = key_of(row[0], row[1], row[2])
        persons.setdefault(key, PersonFacts(key)).involvements.append(
            Involvement(_incident(row[4:], ids, cache), ids(row[2]), row[3]))
    attach_cases_and_marac(session, persons, record_keys.get, None)
    return persons


def _place_span(config: RiskConfig) -> int:
    """The longest window a place indicator other than exploitation reads, in days."""
    rp, pe = config.repeat_place, config.place_escalation
    return max([rp.window_days if rp.enabled else 1,
                pe.recent_days + pe.baseline_days if pe.enabled else 1])


def _places(session: Session, con: duckdb.DuckDBPyConnection, config: RiskConfig,
            as_of: datetime, homes: set[tuple[uuid.UUID, uuid.UUID]], ids: Ids,
            cache: dict[str, IncidentFact]) -> dict[uuid.UUID, PlaceFacts]:
    incidents: dict[uuid.UUID, IncidentFact] = {}
    # Every indicator reads only its own window: older incidents matter only where the
    # exploitation rule (the longest lookback) could fire.
    tests = _Tests(as_of)
    for row in _rows(con, "SELECT incident_id, org, category, occurred_at, place_id, narrative "
                          "FROM place_incidents WHERE place_id IN "
                          "(SELECT place_id FROM place_candidates) AND (occurred_at >= "
                          f"{tests.since(_place_span(config))} OR place_id IN "
                          "(SELECT place_id FROM vulnerable_homes))", tests.params):
        incident = _incident(row, ids, cache)
        incidents[incident.incident_id] = incident
    parties: dict[uuid.UUID, list[tuple[str, uuid.UUID, str]]] = defaultdict(list)
    # Only the exploitation rule reads who was involved, and only at a vulnerable person's home:
    # elsewhere it finds no resident whoever the parties are.
    for row in _rows(con, f"SELECT {INVOLVEMENT} FROM inv_s WHERE place_id IN "
                          "(SELECT place_id FROM vulnerable_homes)"):
        record = ids(row[2])
        parties[ids(row[4])].append((person_key(record, ids.optional(row[1])), record, row[3]))
    places: dict[uuid.UUID, PlaceFacts] = {}
    for incident in incidents.values():
        add_place_incident(places, incident, parties, homes)
    add_place_cases(session, places)
    return places


def candidate_population(session: Session, config: RiskConfig, as_of: datetime,
                         extract: Extract | None = None) -> tuple[Population, int]:
    """The facts of every subject that could fire an indicator, and how many subjects there
    are in all (people with records or incidents in the lookback, places with incidents)."""
    extract = extract or read_extract(session, config, as_of)
    con = duckdb.connect()
    try:
        for name in ("links", "records", "incidents", "parties", "marac"):
            con.register(name, getattr(extract, name))
        con.register("severities", pa.table({
            "category": pa.array(list(config.severity), pa.string()),
            "severity": pa.array(list(config.severity.values()), pa.int64())}))
        con.execute(SUBJECTS)
        people, people_params = _person_tests(config, as_of)
        con.execute(f"CREATE TEMP TABLE person_candidates AS {people}", people_params)
        ids, cache = Ids(), dict[str, IncidentFact]()
        homes, vulnerable = _homes(session, con, config, as_of, ids)
        con.register("vulnerable_homes", pa.table({"place_id": pa.array(vulnerable, pa.string())}))
        places, place_params = _place_tests(config, as_of)
        con.execute(f"CREATE TEMP TABLE place_candidates AS {places}", place_params)
        (total,) = _rows(con, "SELECT (SELECT count(*) FROM (SELECT subject FROM inv_s UNION "
                              "SELECT subject FROM rec_s)) + (SELECT count(DISTINCT place_id) "
                              "FROM place_incidents)")[0]
        population = Population(_persons(session, con, ids, cache),
                                _places(session, con, config, as_of, homes, ids, cache))
    finally:
        con.close()
    return population, int(total)
