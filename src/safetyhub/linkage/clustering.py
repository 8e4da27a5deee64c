"""Clustering scored pairs into people, honouring analysts' must-link and cannot-link decisions.

Connected components (Splink's, on DuckDB) of the pairs at or above the auto-link threshold
plus every must-link pair, less every cannot-link pair. A component that still holds a
cannot-link pair through other records is rebuilt strongest edge first (Kruskal), skipping any
edge that would join a cannot-link pair: so it splits at its weakest edges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyarrow as pa  # type: ignore[import-untyped]
from splink import DuckDBAPI
from splink.clustering import cluster_pairwise_predictions_at_threshold

Pair = tuple[str, str]
MUST = 2.0  # sorts a must-link edge before any probability


@dataclass(frozen=True)
class Edge:
    """A scored pair of record ids."""

    left: str
    right: str
    probability: float


def ordered(a: str, b: str) -> Pair:
    """A pair in canonical order (smaller id first)."""
    return (a, b) if a <= b else (b, a)


class _UnionFind:
    def __init__(self, nodes: Iterable[str]) -> None:
        self.parent = {n: n for n in nodes}

    def find(self, node: str) -> str:
        parent = self.parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node


def constrained_components(nodes: Sequence[str], edges: Iterable[Edge],
                           cannot: set[Pair]) -> dict[str, str]:
    """Kruskal, strongest edge first, never joining a cannot-link pair: node -> cluster root."""
    sets = _UnionFind(nodes)
    members: dict[str, set[str]] = {n: {n} for n in nodes}
    forbidden: dict[str, set[str]] = defaultdict(set)
    for a, b in cannot:
        if a in members and b in members:
            forbidden[a].add(b)
            forbidden[b].add(a)
    for edge in sorted(edges, key=lambda e: (-e.probability, e.left, e.right)):
        ra, rb = sets.find(edge.left), sets.find(edge.right)
        if ra == rb or forbidden[ra] & members[rb]:
            continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        sets.parent[rb] = ra
        members[ra] |= members.pop(rb)
        forbidden[ra] |= forbidden.pop(rb, set())
    return {n: sets.find(n) for n in nodes}


def _splink_components(nodes: Sequence[str], edges: Sequence[Edge]) -> dict[str, str]:
    """Splink's connected components over every given edge."""
    if not edges:
        return {n: n for n in nodes}
    api = DuckDBAPI()
    node_table = pa.table({"unique_id": list(nodes)})
    edge_table = pa.table({
        "unique_id_l": [e.left for e in edges],
        "unique_id_r": [e.right for e in edges],
        "match_probability": [min(e.probability, 1.0) for e in edges],
    })
    result = cluster_pairwise_predictions_at_threshold(
        node_table, edge_table, api, node_id_column_name="unique_id",
        threshold_match_probability=0.0,
    ).as_pyarrow_table()  # type: ignore[no-untyped-call]
    return dict(zip(result.column("unique_id").to_pylist(),
                    (str(c) for c in result.column("cluster_id").to_pylist()), strict=True))


def cluster(nodes: Sequence[str], scored: Iterable[Edge], *, threshold: float,
            must: set[Pair], cannot: set[Pair], use_splink: bool = True) -> dict[str, str]:
    """Each node's cluster key: human decisions first, then pairs at or above `threshold`."""
    known = set(nodes)
    edges = [e for e in scored if e.probability >= threshold
             and ordered(e.left, e.right) not in cannot and ordered(e.left, e.right) not in must]
    edges += [Edge(a, b, MUST) for a, b in must if a in known and b in known and (a, b)
              not in cannot]
    if not use_splink:
        return constrained_components(nodes, edges, cannot)
    components = _splink_components(nodes, edges)
    by_cluster: dict[str, list[str]] = defaultdict(list)
    for node, key in components.items():
        by_cluster[key].append(node)
    conflicted = {components[a] for a, b in cannot
                  if a in components and b in components and components[a] == components[b]}
    for key in conflicted:
        inside = set(by_cluster[key])
        local = [e for e in edges if e.left in inside and e.right in inside]
        for node, root in constrained_components(sorted(inside), local, cannot).items():
            components[node] = f"{key}/{root}"
    return components


def groups(assignment: dict[str, str]) -> list[list[str]]:
    """Clusters as sorted lists of members, largest first."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for node, key in assignment.items():
        by_key[key].append(node)
    return sorted((sorted(m) for m in by_key.values()), key=lambda m: (-len(m), m[0]))
