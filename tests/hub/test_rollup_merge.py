"""Rollup rows merged in bulk (`hub.store.rollups.merge`, numpy) give exactly the figures
of merging them one by one (`core.statistics.Figures.merge`)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from core.histogram import Histogram
from core.statistics import Figures
from hub.store import rollups

seconds = st.integers(min_value=-30, max_value=9_000)  # a clock set back makes a negative
figures = st.builds(
    lambda issued, served, waits, services, ratings: Figures(
        issued=issued,
        served=served,
        within_target=min(issued, len(waits)),
        waits=Histogram.of(waits),
        service_times=Histogram.of(services),
        ratings={rating: ratings.count(rating) for rating in range(1, 6)},
    ),
    st.integers(0, 500),
    st.integers(0, 500),
    st.lists(seconds, max_size=60),
    st.lists(seconds, max_size=60),
    st.lists(st.integers(1, 5), max_size=20),
)


def packed(part: Figures) -> rollups.Packed:
    row = rollups.to_row(part)
    counted = len(rollups.COUNT_COLUMNS)
    return rollups.Packed(
        "c",
        "s",
        date(2026, 11, 1),
        tuple(row[:counted]),
        part.waits.count,
        row[-5],
        row[-2],
        tuple(row[-1]),
    )


@settings(max_examples=200)
@given(st.lists(figures, max_size=12))
def test_bulk_merge_equals_one_by_one(parts: list[Figures]) -> None:
    one_by_one = Figures()
    for part in parts:
        one_by_one.merge(part)
    merged = rollups.merge([packed(part) for part in parts])
    assert merged.as_dict() == one_by_one.as_dict()
    assert merged.waits == one_by_one.waits
    assert merged.service_times == one_by_one.service_times
    counts = rollups.counted([packed(part) for part in parts])
    figures = one_by_one.as_dict()
    assert counts.visits == figures["issued"] + figures["walk_direct"]
    assert counts.service_level == figures["service_level"]


@settings(max_examples=100)
@given(st.lists(st.lists(figures, max_size=5), max_size=6))
def test_groups_merged_together_equal_each_merged_alone(groups: list[list[Figures]]) -> None:
    rows = {str(index): [packed(part) for part in parts] for index, parts in enumerate(groups)}
    together = rollups.merge_groups(rows)
    assert list(together) == list(rows)
    for name, _parts in rows.items():
        alone = Figures()
        for part in groups[int(name)]:
            alone.merge(part)
        assert together[name].as_dict() == alone.as_dict()
        assert together[name].waits == alone.waits
