"""Trends, hot spots and inequality on the fixture data and on hand-made numbers."""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from safetyhub.analytics import hotspots, trends
from safetyhub.analytics.extract import Period
from safetyhub.analytics.picture import Filters, analyst_picture
from tests.analytics.conftest import ACTOR


def test_benjamini_hochberg_keeps_only_small_p_values() -> None:
    assert hotspots.benjamini_hochberg([0.001, 0.5, 0.02, 0.9]) == [True, False, True, False]
    assert hotspots.benjamini_hochberg([0.04, 0.5]) == [False, False]


def test_gi_star_finds_a_cluster_of_high_counts() -> None:
    grid = np.array([[lat, lon] for lat in range(6) for lon in range(6)], dtype=float) / 100
    counts = np.ones(36)
    counts[[0, 1, 6, 7]] = 30  # one corner
    z = hotspots.gi_star(counts, grid + np.array([51.0, -0.5]), k=4)
    assert int(np.argmax(z)) in (0, 1, 6, 7)
    assert z[35] < 0


def test_trend_change_beyond_the_control_limit() -> None:
    assert abs(trends._z(150, 100)) > trends.CONTROL_LIMIT
    assert abs(trends._z(105, 100)) < trends.CONTROL_LIMIT


def test_picture_counts_match_the_fixture(fixture_data: Session) -> None:
    p = analyst_picture(fixture_data, actor=ACTOR, filters=Filters(Period("2024-01", "2024-02")))
    assert [t.month for t in p.county] == ["2024-01", "2024-02"]
    assert p.total == sum(t.count for t in p.county)
    assert dict(p.district_totals).keys() <= {"Guildford", "Woking", "Not known"}
    assert p.concentration.incidents <= p.total
    assert 0 < p.concentration.top_share <= 1
    deciles = {m.measure: {d.decile: d for d in m.deciles} for m in p.inequality}
    assert set(deciles["asb"]) == {1, 5, 10}
    assert deciles["asb"][1].population == 1296
    assert all(m.ratio is None or m.ratio > 0 for m in p.inequality)
