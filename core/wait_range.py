"""The estimate a visitor is told, calibrated by how past estimates turned out, with an
80 % range.

The play-through of `core.estimate` says when a visitor *would* be called if every
visit took its expected time. Visits vary, and how much they vary differs by centre:
with exponential visit lengths (a high-variance queue) the play-through alone is no
better than the naive rule (`naive_wait`). So the centre remembers, for recent
visitors, the play-through's error (the wait that followed minus the play-through
estimate) and, at their issue, both figures. A new visitor is told the play-through
estimate plus the *median* of the errors of recent visitors told similar figures (the
median minimises the mean absolute error), and the shortest range holding `COVERAGE`
of those recent outcomes: split conformal prediction, binned by the size of both
estimates (Vovk, Gammerman, Shafer, "Algorithmic Learning in a Random World", 2005;
Lei et al., "Distribution-free predictive inference for regression", JASA 2018).
Until `MINIMUM_OUTCOMES` similar visitors have been called the play-through stands
alone and no range is told.

Pure: no clock, no I/O; callers pass seconds.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass

COVERAGE = 0.8
"""Share of actual waits the told range aims to hold."""
WINDOW = 300
"""Recent outcomes remembered per context (bin of both estimates, and of one)."""
MINIMUM_OUTCOMES = 20
"""Outcomes a context needs before it calibrates anything."""
SHORT_WAIT_SECONDS = 30.0
"""Estimates below this are one bin ("no real wait"); above, bins grow by √2."""


@dataclass(frozen=True)
class ToldWait:
    """What a visitor is told: the expected wait and, once learnt, an 80 % range (s)."""

    seconds: float
    low_seconds: float | None = None
    high_seconds: float | None = None


def naive_wait(people_ahead: int, mean_visit_seconds: float, open_counters: int) -> float | None:
    """The naive rule: people ahead × mean visit length ÷ open counters serving the
    service (seconds; None with no counter open). The baseline every estimate is
    measured against (issue 22)."""
    if open_counters <= 0:
        return None
    return people_ahead * mean_visit_seconds / open_counters


def wait_bin(seconds: float | None) -> int | None:
    """Which bin an estimate falls in: -1 below `SHORT_WAIT_SECONDS`, then one bin per
    factor √2 (None: no estimate)."""
    if seconds is None:
        return None
    if seconds < SHORT_WAIT_SECONDS:
        return -1
    return int(math.log2(seconds / SHORT_WAIT_SECONDS) * 2)


ALL = "all"
"""The context of every outcome (the last one asked)."""


def _contexts(estimate: float, naive: float | None) -> Iterator[Hashable]:
    """Most specific first: both estimates' bins, the play-through's alone, all."""
    yield (wait_bin(estimate), wait_bin(naive))
    yield wait_bin(estimate)
    yield ALL


@dataclass(frozen=True)
class ErrorSpread:
    """What the recent errors of one context say (seconds): their median, the shortest
    interval holding `COVERAGE` of them, and their mean distance from the median."""

    median: float
    low: float
    high: float
    dispersion: float

    @classmethod
    def of(cls, errors: list[float]) -> ErrorSpread:
        """From errors sorted in ascending order (at least one)."""
        count = len(errors)
        middle = count // 2
        median = errors[middle] if count % 2 else (errors[middle - 1] + errors[middle]) / 2
        held = max(math.ceil(COVERAGE * count), 1)
        start = min(range(count - held + 1), key=lambda i: (errors[i + held - 1] - errors[i], i))
        dispersion = sum(abs(error - median) for error in errors) / count
        return cls(median, errors[start], errors[start + held - 1], dispersion)


@dataclass(frozen=True)
class ContextSpread:
    """The errors of both rules in one context; `naive` only where every outcome had a
    naive figure."""

    play_through: ErrorSpread
    naive: ErrorSpread | None

    def tell(self, estimate: float, naive: float | None) -> ToldWait:
        """Calibrate the rule whose errors were the tighter (smaller mean absolute
        deviation from their median: the smaller mean absolute error once corrected)."""
        base, spread = estimate, self.play_through
        if (
            naive is not None
            and self.naive is not None
            and self.naive.dispersion < self.play_through.dispersion
        ):
            base, spread = naive, self.naive
        low = max(base + spread.low, 0.0)
        high = max(base + spread.high, low)
        point = min(max(base + spread.median, low), high)
        return ToldWait(point, low, high)


@dataclass(frozen=True)
class Calibration:
    """What recent errors say, per context: an immutable table readers may share."""

    spreads: Mapping[Hashable, ContextSpread]

    def tell(self, estimate_seconds: float, naive_seconds: float | None) -> ToldWait:
        """The calibrated wait and 80 % range for a play-through estimate and the naive
        rule's figure (seconds)."""
        for context in _contexts(estimate_seconds, naive_seconds):
            spread = self.spreads.get(context)
            if spread is not None:
                return spread.tell(estimate_seconds, naive_seconds)
        return ToldWait(estimate_seconds)


class ErrorLog:
    """Recent outcomes of estimates (mutable; owned by one thread)."""

    def __init__(self, window: int = WINDOW, minimum: int = MINIMUM_OUTCOMES) -> None:
        self.window = window
        self.minimum = minimum
        self._errors: dict[Hashable, deque[tuple[float, float | None]]] = {}
        self._spreads: dict[Hashable, ContextSpread] = {}
        self._dirty: set[Hashable] = set()
        self._calibration = Calibration({})

    def record(self, estimate_seconds: float, naive_seconds: float | None, waited: float) -> None:
        """A visitor told `estimate_seconds` by the play-through (and `naive_seconds` by
        the naive rule) was called after `waited` seconds."""
        errors = (
            waited - estimate_seconds,
            None if naive_seconds is None else waited - naive_seconds,
        )
        for context in _contexts(estimate_seconds, naive_seconds):
            self._errors.setdefault(context, deque(maxlen=self.window)).append(errors)
            self._dirty.add(context)

    def calibration(self) -> Calibration:
        """The current table (only contexts with new outcomes are summarised again)."""
        if self._dirty:
            for context in self._dirty:
                outcomes = self._errors[context]
                if len(outcomes) < self.minimum:
                    continue
                naive = [n for _, n in outcomes if n is not None]
                self._spreads[context] = ContextSpread(
                    ErrorSpread.of(sorted(p for p, _ in outcomes)),
                    ErrorSpread.of(sorted(naive)) if len(naive) == len(outcomes) else None,
                )
            self._dirty.clear()
            self._calibration = Calibration(dict(self._spreads))
        return self._calibration

    def tell(self, estimate_seconds: float, naive_seconds: float | None) -> ToldWait:
        """`Calibration.tell` on the current table."""
        return self.calibration().tell(estimate_seconds, naive_seconds)

    def clear(self) -> None:
        """Forget every outcome."""
        self._errors.clear()
        self._spreads.clear()
        self._dirty.clear()
        self._calibration = Calibration({})
