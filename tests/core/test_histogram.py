"""Whole-second histograms give exactly the figures of the durations they hold, however
they were split, merged and corrected; a visit's figures are one function."""

from __future__ import annotations

import math
import statistics
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.histogram import Histogram, whole_seconds
from core.statistics import Figures, Visit, contribution

durations = st.lists(st.integers(min_value=0, max_value=20_000), min_size=1, max_size=200)


def nearest_rank(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


@given(durations)
def test_summary_equals_the_figures_of_the_list(values: list[int]) -> None:
    summary = Histogram.of(values).summary()
    assert summary == {
        "mean": round(statistics.fmean(values), 1),
        "median": round(statistics.median(values), 1),
        "p90": round(float(nearest_rank(values, 0.9)), 1),
        "max": round(float(max(values)), 1),
    }


@given(durations, st.data())
def test_split_and_merged_histograms_give_the_same_figures(values: list[int], data) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(values)), max_size=5)))
    parts = [values[a:b] for a, b in zip([0, *cuts], [*cuts, len(values)], strict=True)]
    merged = Histogram()
    for part in parts:
        merged.merge(Histogram.of(part))
    assert merged == Histogram.of(values)
    assert merged.summary() == Histogram.of(values).summary()
    for share in (0.5, 0.9, 0.95):
        assert merged.percentile(share) == nearest_rank(values, share)


@given(durations, durations)
def test_taking_a_part_back_leaves_the_rest(kept: list[int], removed: list[int]) -> None:
    histogram = Histogram.of(kept + removed)
    histogram.merge(Histogram.of(removed), sign=-1)
    assert histogram == Histogram.of(kept)


def test_counts_never_fall_below_zero_and_durations_are_whole() -> None:
    histogram = Histogram.of([5])
    with pytest.raises(ValueError):
        histogram.add(6, -1)
    with pytest.raises(TypeError):
        histogram.add(5.5)  # type: ignore[arg-type]
    assert Histogram().summary()["median"] is None


def test_whole_seconds_drops_the_part_second() -> None:
    start = datetime(2026, 3, 10, 9, tzinfo=UTC)
    assert whole_seconds(start, start + timedelta(seconds=59.9)) == 59
    assert whole_seconds(start, start + timedelta(seconds=60)) == 60


def visit_at(status: str, wait: float | None, service: float | None, **extra) -> Visit:
    issued = datetime(2026, 3, 10, 9, tzinfo=UTC)
    called = issued + timedelta(seconds=wait) if wait is not None else None
    started = called if service is not None else None
    finished = started + timedelta(seconds=service) if started and service is not None else None
    return Visit(
        "t1",
        "residence",
        status,
        issued,
        300.0,
        first_called_at=called,
        started_at=started,
        finished_at=finished,
        **extra,
    )


def test_a_visit_contributes_by_its_status_and_times() -> None:
    served = contribution(visit_at("done", 300.7, 120.2, rating=4))
    assert (served.issued, served.served, served.wait_seconds, served.within_target) == (
        1,
        1,
        300,
        1,
    )
    assert served.service_seconds == 120 and served.rating == 4
    late = contribution(visit_at("no_show", 301, None))
    assert (late.no_shows, late.within_target, late.service_seconds) == (1, 0, None)
    walk_in = contribution(visit_at("done", 0, 60, walk_direct=True))
    assert (walk_in.issued, walk_in.walk_direct, walk_in.wait_seconds) == (0, 1, None)
    waiting = contribution(visit_at("waiting", None, None))
    assert (waiting.issued, waiting.wait_seconds, waiting.served) == (1, None, 0)


def test_figures_take_a_changed_visit_back_exactly() -> None:
    """A no-show reactivated and then served: the hub takes the old figures back and
    adds the new ones, ending where a centre counting the final visit ends."""
    before = visit_at("no_show", 400, None)
    after = visit_at("done", 400, 90, rating=5)
    rolled = Figures()
    rolled.add(contribution(before))
    rolled.add(contribution(before), sign=-1)
    rolled.add(contribution(after))
    direct = Figures()
    direct.add(contribution(after))
    assert rolled.as_dict() == direct.as_dict()
    with pytest.raises(ValueError):
        Figures().add(contribution(after), sign=-1)


@given(st.lists(st.integers(min_value=-50, max_value=20_000), min_size=0, max_size=200))
def test_a_histogram_of_counts_is_the_histogram_of_its_durations(values: list[int]) -> None:
    counts: dict[int, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    counts[123_456] = 0  # a zero count is no duration
    made = Histogram.of_counts(counts)
    assert made == Histogram.of(values)
    assert made.summary() == Histogram.of(values).summary()


def test_a_histogram_of_counts_is_checked() -> None:
    with pytest.raises(ValueError):
        Histogram.of_counts({5: -1})
    with pytest.raises(TypeError):
        Histogram.of_counts({5.5: 1})  # type: ignore[dict-item]
