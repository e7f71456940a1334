"""The calibrated estimate and its 80 % range (`core.wait_range`)."""

from __future__ import annotations

import random

import pytest

from core.wait_range import COVERAGE, MINIMUM_OUTCOMES, ErrorLog, naive_wait, wait_bin


def test_the_naive_rule() -> None:
    assert naive_wait(6, 600.0, 3) == 1200.0
    assert naive_wait(0, 600.0, 3) == 0.0
    assert naive_wait(4, 600.0, 0) is None


def test_bins_grow_by_root_two() -> None:
    assert wait_bin(None) is None
    assert wait_bin(0) == wait_bin(29.9) == -1
    assert wait_bin(30) == 0
    assert wait_bin(30 * 2**0.5 + 0.01) == 1
    assert wait_bin(120) == 4


def test_until_enough_outcomes_the_play_through_stands_alone() -> None:
    log = ErrorLog()
    for _ in range(MINIMUM_OUTCOMES - 1):
        log.record(600, 500, 900)
    told = log.tell(600, 500)
    assert (told.seconds, told.low_seconds, told.high_seconds) == (600, None, None)


def test_a_steady_underestimate_is_corrected_and_the_range_holds_80_percent() -> None:
    rng = random.Random(3)
    log = ErrorLog()
    for _ in range(300):
        log.record(600, 600, 600 * rng.uniform(1.0, 2.0))  # always late, by 0-100 %
    told = log.tell(600, 600)
    assert told.seconds == pytest.approx(900, rel=0.1)
    assert told.low_seconds is not None and told.high_seconds is not None
    assert told.low_seconds < told.seconds < told.high_seconds
    later = [600 * rng.uniform(1.0, 2.0) for _ in range(2000)]
    held = sum(told.low_seconds <= w <= told.high_seconds for w in later) / len(later)
    assert held == pytest.approx(COVERAGE, abs=0.05)


def test_the_tighter_rule_is_the_one_calibrated() -> None:
    """Waits that follow the naive figure and not the play-through: the naive figure
    is calibrated (its errors are the smaller)."""
    rng = random.Random(4)
    log = ErrorLog()
    for _ in range(300):
        naive = rng.choice([300.0, 600.0, 1200.0])
        log.record(rng.uniform(100, 2000), naive, naive + rng.uniform(-30, 30))
    told = log.tell(900, 600)
    assert told.seconds == pytest.approx(600, abs=40)


def test_never_a_negative_wait() -> None:
    log = ErrorLog()
    for _ in range(100):
        log.record(900, 900, 0)
    told = log.tell(100, 100)
    assert told.seconds >= 0 and (told.low_seconds or 0) >= 0
