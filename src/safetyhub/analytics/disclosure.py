"""Statistical disclosure control for published counts: primary and secondary suppression.

Counts from 1 to 4 are suppressed (shown "<5"). Then, treating every published figure of a
cube (each cell and every total over any of its dimensions) as linked by "a total is the sum
of its parts", further figures are suppressed until no suppressed figure can be worked out
exactly from the published ones (checked with linear algebra: a figure is derivable exactly
when its unit vector lies in the row space of the constraints on the suppressed figures).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

THRESHOLD = 5
Key = tuple[str | None, ...]  # one value per dimension; None means "all"


@dataclass(frozen=True)
class Figure:
    """One published figure: its count, or that it is suppressed (and why)."""

    value: int
    suppressed: bool = False
    primary: bool = False

    @property
    def shown(self) -> str:
        """The text published: the count, "<5" (small) or "[c]" (hidden to protect a small)."""
        if not self.suppressed:
            return str(self.value)
        return "<5" if self.primary else "[c]"

    @property
    def published(self) -> int | None:
        """The count as published (None when suppressed)."""
        return None if self.suppressed else self.value


def aggregate(counts: Mapping[tuple[str, ...], int], dims: int) -> dict[Key, int]:
    """Every cell and every total over any subset of the dimensions (the cube's lattice)."""
    values: list[set[str]] = [set() for _ in range(dims)]
    for key in counts:
        for d, v in enumerate(key):
            values[d].add(v)
    cube: dict[Key, int] = {}
    for key in itertools.product(*(sorted(v) for v in values)):
        count = counts.get(key, 0)
        for mask in itertools.product((False, True), repeat=dims):
            agg: Key = tuple(None if m else v for v, m in zip(key, mask, strict=True))
            cube[agg] = cube.get(agg, 0) + count
    if not counts:
        cube[(None,) * dims] = 0
    return cube


def _equations(cube: Mapping[Key, int], dims: int) -> list[list[Key]]:
    """Each equation as [total, part, part, ...] (total = sum of parts), over cube keys."""
    children: dict[tuple[Key, int], list[Key]] = {}
    for key in cube:
        for d in range(dims):
            if key[d] is not None:
                parent = (*key[:d], None, *key[d + 1:])
                children.setdefault((parent, d), []).append(key)
    return [[parent, *parts] for (parent, _), parts in children.items()]


def derivable(suppressed: Sequence[Key], equations: Sequence[Sequence[Key]]) -> set[Key]:
    """The suppressed figures that the published ones determine exactly."""
    hidden = set(suppressed)
    rows = [[(key, 1.0 if position == 0 else -1.0) for position, key in enumerate(equation)
             if key in hidden] for equation in equations]
    rows = [row for row in rows if row]
    found: set[Key] = set()  # a figure in no equation is simply hidden: nothing reveals it
    # Equations only link figures in the same connected group: solve each group alone.
    parent = {key: key for key in hidden}

    def root(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for row in rows:
        for key, _ in row[1:]:
            parent[root(key)] = root(row[0][0])
    groups: dict[Key, list[list[tuple[Key, float]]]] = {}
    for row in rows:
        groups.setdefault(root(row[0][0]), []).append(row)
    for group in groups.values():
        found |= _derivable_group(group)
    return found


def _derivable_group(rows: Sequence[Sequence[tuple[Key, float]]]) -> set[Key]:
    """The figures of one linked group that its equations determine exactly."""
    keys = sorted({key for row in rows for key, _ in row}, key=_order)
    index = {key: i for i, key in enumerate(keys)}
    matrix = np.zeros((len(rows), len(keys)))
    for r, row in enumerate(rows):
        for key, sign in row:
            matrix[r, index[key]] += sign
    # The null space of A is that of A^T A (small and square: one row per suppressed figure).
    eigenvalues, vectors = np.linalg.eigh(matrix.T @ matrix)
    null = vectors[:, eigenvalues < 1e-8 * max(1.0, float(eigenvalues.max()))]
    if null.shape[1] == 0:
        return set(keys)
    free = np.abs(null).max(axis=1) > 1e-6
    return {key for key, moves in zip(keys, free, strict=True) if not moves}


def protect(counts: Mapping[tuple[str, ...], int], dims: int) -> dict[Key, Figure]:
    """Every figure of the cube with primary and secondary suppression applied."""
    cube = aggregate(counts, dims)
    equations = _equations(cube, dims)
    primary = {key for key, value in cube.items() if 0 < value < THRESHOLD}
    suppressed = set(primary)
    by_key: dict[Key, list[list[Key]]] = {}
    for equation in equations:
        for key in equation:
            by_key.setdefault(key, []).append(equation)
    _no_lone_figures(cube, equations, suppressed, by_key)
    while True:
        exposed = derivable(sorted(suppressed, key=_order), equations)
        if not exposed:
            break
        added = False
        for key in sorted(exposed, key=_order):
            partner = _partner(key, cube, suppressed, by_key)
            if partner is not None:
                suppressed.add(partner)
                added = True
        if not added:
            # Its own equations have nothing left to hide: hide the smallest figure anywhere.
            # Once every non-zero figure is hidden nothing is derivable (all can scale together).
            rest = [k for k, v in cube.items() if v > 0 and k not in suppressed]
            if not rest:
                break
            suppressed.add(min(rest, key=lambda k: (cube[k], _order(k))))
    return {key: Figure(value, key in suppressed, key in primary) for key, value in cube.items()}


def _no_lone_figures(cube: Mapping[Key, int], equations: Sequence[Sequence[Key]],
                     suppressed: set[Key], by_key: Mapping[Key, list[list[Key]]]) -> None:
    """Cheap first pass: no equation may hide exactly one figure (it would be its difference)."""
    changed = True
    while changed:
        changed = False
        for equation in equations:
            hidden = [key for key in equation if key in suppressed]
            if len(hidden) != 1:
                continue
            candidates = [k for k in equation if k not in suppressed and cube[k] > 0]
            if candidates:
                suppressed.add(min(candidates, key=lambda k: (cube[k], _order(k))))
                changed = True


def _order(key: Key) -> tuple[int, tuple[str, ...]]:
    return (sum(v is None for v in key), tuple(v or "" for v in key))


def _partner(key: Key, cube: Mapping[Key, int], suppressed: set[Key],
             by_key: Mapping[Key, list[list[Key]]]) -> Key | None:
    """The smallest published non-zero figure sharing an equation with `key` (finest first)."""
    candidates = {other for equation in by_key.get(key, []) for other in equation
                  if other not in suppressed and cube[other] > 0}
    if not candidates:
        return None
    return min(candidates, key=lambda k: (cube[k], _order(k)))
