"""Counts of whole-second durations, and the summary figures read from them.

A centre's statistics and the network hub's rollups describe waits and service
times with the same `Histogram`: a centre fills one from its visits, the hub
adds and subtracts visits as they change and merges stored histograms of many
days and centres. Because a duration is counted in whole seconds and the
histogram keeps one bucket per second, every figure read from it (mean,
median, nearest-rank percentile, maximum) is exactly the figure of the list
of durations it was filled from, however it was split and merged on the way.
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from fractions import Fraction
from typing import TypeVar

T = TypeVar("T", int, float)


def nearest_rank(share: float, count: int) -> int:
    """The 1-based rank of the `share` percentile among `count` values, by the
    nearest-rank definition: the smallest rank with at least `share` of the values at
    or below it, `ceil(share * count)`, and at least 1 (so the p90 of ten values is the
    9th). `share` is taken as the decimal fraction it is written as (0.9 is 9/10), so
    binary rounding cannot move the rank. Raises `ValueError` for no values or a
    share outside [0, 1].

    The one definition of a percentile in Rinda: centre statistics, the hub's rollups
    (both through `Histogram`), the simulator and the benchmarks (`percentile`)."""
    if count < 1:
        raise ValueError("a percentile of no values")
    exact = Fraction(share).limit_denominator(1_000_000)
    if not 0 <= exact <= 1:
        raise ValueError(f"a percentile's share is between 0 and 1, not {share!r}")
    return max(1, math.ceil(exact * count))


def percentile(values: Sequence[T], share: float) -> T:
    """The nearest-rank `share` percentile of `values` (see `nearest_rank`): a value
    that really occurred. Raises `ValueError` for no values."""
    ordered = sorted(values)
    return ordered[nearest_rank(share, len(ordered)) - 1]


def whole_seconds(start: datetime, end: datetime) -> int:
    """Elapsed real time from `start` to `end`, in whole seconds (the part-second
    dropped: 59.9 s counts as 59 s). Both times must be aware."""
    return math.floor((end - start).total_seconds())


class Histogram:
    """How many durations took each whole number of seconds.

    Counts may go down as well as up (a hub takes back a visit's old figures when
    the visit changes), but never below zero: `ValueError` if they would."""

    __slots__ = ("_counts",)

    def __init__(self, counts: Mapping[int, int] | None = None) -> None:
        self._counts: dict[int, int] = {}
        if counts:
            for seconds, times in counts.items():
                self.add(seconds, times)

    @classmethod
    def of_counts(cls, counts: Mapping[int, int]) -> Histogram:
        """A histogram holding these counts (whole seconds -> how many), checked in bulk:
        the fast way to take in counts read or merged elsewhere. `TypeError` for a
        duration that is not whole seconds, `ValueError` for a negative count."""
        kept = dict(counts)
        if 0 in kept.values():
            kept = {seconds: times for seconds, times in kept.items() if times}
        if kept and not set(map(type, kept)) <= {int}:
            raise TypeError("durations are whole seconds")
        if kept and min(kept.values()) < 0:
            raise ValueError("a count cannot be below zero")
        histogram = cls()
        histogram._counts = kept
        return histogram

    @classmethod
    def of(cls, durations: Iterable[int]) -> Histogram:
        """A histogram of whole-second durations."""
        histogram = cls()
        for seconds in durations:
            histogram.add(seconds)
        return histogram

    def add(self, seconds: int, times: int = 1) -> None:
        """Count `seconds` `times` more times (negative `times` takes counts away)."""
        if not isinstance(seconds, int):
            raise TypeError(f"durations are whole seconds, not {seconds!r}")
        count = self._counts.get(seconds, 0) + times
        if count < 0:
            raise ValueError(f"the count of {seconds} s would fall below zero")
        if count:
            self._counts[seconds] = count
        else:
            self._counts.pop(seconds, None)

    def merge(self, other: Histogram, sign: int = 1) -> None:
        """Add (or with `sign=-1`, take away) every count of `other`."""
        for seconds, times in other._counts.items():
            self.add(seconds, sign * times)

    def items(self) -> Iterator[tuple[int, int]]:
        """(seconds, count) pairs, shortest first."""
        return iter(sorted(self._counts.items()))

    @property
    def count(self) -> int:
        """How many durations."""
        return sum(self._counts.values())

    @property
    def total(self) -> int:
        """Their sum, in seconds."""
        return sum(map(operator.mul, self._counts.keys(), self._counts.values()))

    def __bool__(self) -> bool:
        return bool(self._counts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Histogram) and self._counts == other._counts

    __hash__ = None  # type: ignore[assignment]  # mutable: not hashable

    def __repr__(self) -> str:
        return f"Histogram({dict(self.items())})"

    def ranked(self, rank: int) -> int:
        """The `rank`-th shortest duration (1-based)."""
        if not 1 <= rank <= self.count:
            raise IndexError(f"rank {rank} of {self.count}")
        seen = 0
        for seconds, times in self.items():
            seen += times
            if seen >= rank:
                return seconds
        raise AssertionError("unreachable")

    def percentile(self, share: float) -> int:
        """Nearest-rank percentile (`nearest_rank`): the smallest duration with at
        least `share` of all durations at or below it (a value that really occurred)."""
        return self.ranked(nearest_rank(share, self.count))

    def median(self) -> float:
        """The middle duration; with an even count, the mean of the two middle ones
        (as `statistics.median`)."""
        count = self.count
        if count % 2:
            return float(self.ranked(count // 2 + 1))
        return (self.ranked(count // 2) + self.ranked(count // 2 + 1)) / 2

    def summary(self) -> dict[str, float | None]:
        """Mean, median, p90 and max in seconds, rounded to 0.1 s (None when empty): the
        figures of `median` and `percentile`, found by bisecting the running counts."""
        if not self._counts:
            return {"mean": None, "median": None, "p90": None, "max": None}
        durations = sorted(self._counts)
        running = list(itertools.accumulate(map(self._counts.__getitem__, durations)))
        count = running[-1]

        def ranked(rank: int) -> int:
            return durations[bisect.bisect_left(running, rank)]

        if count % 2:
            median = float(ranked(count // 2 + 1))
        else:
            median = (ranked(count // 2) + ranked(count // 2 + 1)) / 2
        return {
            "mean": round(self.total / count, 1),
            "median": round(median, 1),
            "p90": round(float(ranked(nearest_rank(0.9, count))), 1),
            "max": round(float(durations[-1]), 1),
        }
