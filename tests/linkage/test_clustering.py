"""Table tests for clustering with must-link and cannot-link decisions."""

from __future__ import annotations

import pytest

from safetyhub.linkage.clustering import Edge, cluster, groups

CHAIN = [Edge("a", "b", 0.99), Edge("b", "c", 0.96), Edge("c", "d", 0.999),
         Edge("e", "f", 0.7)]
NODES = list("abcdef")


@pytest.mark.parametrize("use_splink", [True, False])
@pytest.mark.parametrize(("must", "cannot", "expected"), [
    (set(), set(), [["a", "b", "c", "d"], ["e"], ["f"]]),
    # a cannot be d: the chain splits at its weakest edge (b-c), not at a-b or c-d.
    (set(), {("a", "d")}, [["a", "b"], ["c", "d"], ["e"], ["f"]]),
    # A direct cannot-link removes that edge alone.
    (set(), {("c", "d")}, [["a", "b", "c"], ["d"], ["e"], ["f"]]),
    # A must-link joins a pair below the threshold.
    ({("e", "f")}, set(), [["a", "b", "c", "d"], ["e", "f"]]),
    # Must-link and cannot-link together: both honoured.
    ({("e", "f")}, {("a", "c")}, [["c", "d"], ["a", "b"], ["e", "f"]]),
    # A cannot-link wins over a must-link about the same pair.
    ({("e", "f")}, {("e", "f")}, [["a", "b", "c", "d"], ["e"], ["f"]]),
])
def test_cluster(use_splink: bool, must: set[tuple[str, str]], cannot: set[tuple[str, str]],
                 expected: list[list[str]]) -> None:
    result = groups(cluster(NODES, CHAIN, threshold=0.95, must=must, cannot=cannot,
                            use_splink=use_splink))
    assert sorted(result) == sorted(expected)


def test_must_link_never_overrides_a_cannot_link_reached_through_others() -> None:
    # a must b, b must c, but a cannot c: the weaker must-link loses (a cannot-link is explicit).
    result = groups(cluster(list("abc"), [], threshold=0.95, must={("a", "b"), ("b", "c")},
                            cannot={("a", "c")}, use_splink=False))
    assert not any({"a", "c"} <= set(g) for g in result)
