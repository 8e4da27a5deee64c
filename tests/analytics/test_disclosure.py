"""Disclosure control: no count from 1 to 4 is published and no suppressed one is derivable."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from safetyhub.analytics.disclosure import Key, protect

SMALLISH = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40])


def _table(rows: int, cols: int, layers: int, values: list[int]) -> dict[tuple[str, ...], int]:
    keys = itertools.product([f"r{i}" for i in range(rows)], [f"c{j}" for j in range(cols)],
                             [f"l{k}" for k in range(layers)])
    return dict(zip(keys, values, strict=False))


def _recoverable(figures: dict[Key, int], hidden: list[Key]) -> list[Key]:
    """Suppressed figures determined by the published ones (independent rank test)."""
    dims = len(next(iter(figures)))
    index = {key: i for i, key in enumerate(hidden)}
    rows = []
    for key in figures:
        for d in range(dims):
            if key[d] is None:
                continue
            parent = (*key[:d], None, *key[d + 1:])
            # total - sum(parts) = 0, one equation per (parent, dimension)
            row = np.zeros(len(hidden))
            for other in figures:
                if other[:d] + other[d + 1:] == parent[:d] + parent[d + 1:] and \
                        other[d] is not None and other in index:
                    row[index[other]] -= 1
            if parent in index:
                row[index[parent]] += 1
            rows.append(row)
    if not rows or not hidden:
        return []
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for key, i in index.items():
        unit = np.zeros(len(hidden))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(key)
    return found


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.lists(SMALLISH, min_size=25, max_size=25))
def test_two_way_tables_never_show_small_counts_or_reveal_them(
    rows: int, cols: int, values: list[int]
) -> None:
    counts = {(r, c): v for (r, c, _), v in _table(rows, cols, 1, values).items()}
    figures = protect(counts, 2)
    assert not any(0 < f.value < 5 and not f.suppressed for f in figures.values())
    assert all(f.shown in ("<5", "[c]") or not 0 < int(f.shown) < 5 for f in figures.values())
    hidden = [k for k, f in figures.items() if f.suppressed]
    assert _recoverable({k: f.value for k, f in figures.items()}, hidden) == []


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3),
       st.lists(SMALLISH, min_size=27, max_size=27))
def test_three_way_cubes_never_reveal_a_suppressed_figure(
    rows: int, cols: int, layers: int, values: list[int]
) -> None:
    figures = protect(_table(rows, cols, layers, values), 3)
    assert not any(0 < f.value < 5 and not f.suppressed for f in figures.values())
    hidden = [k for k, f in figures.items() if f.suppressed]
    assert _recoverable({k: f.value for k, f in figures.items()}, hidden) == []


def test_a_lone_small_cell_takes_a_partner_in_its_row_and_column() -> None:
    figures = protect({("a", "x"): 3, ("a", "y"): 10, ("b", "x"): 12, ("b", "y"): 20}, 2)
    assert figures[("a", "x")].shown == "<5"
    hidden = {k for k, f in figures.items() if f.suppressed}
    assert len(hidden) >= 4  # a 2x2 rectangle at least: one small cell needs three partners
    assert figures[(None, None)].shown == "45"
