"""Booked visitors mixed with walk-ins: called around the booked time, while walk-ins
keep the fairness bound (`core.routing`), on the simulator's virtual clock."""

from __future__ import annotations

import tomllib

import pytest

from core.errors import CatalogueError
from simulation.engine import Simulator
from simulation.metrics import p90, summarize
from simulation.scenario import parse_scenario

MIXED = """
[scenario]
name = "mixed"
days = 20
opens = "09:00"
closes = "17:00"
priority_share = 0.1
fairness_limit_minutes = 20

[[services]]
id = "registry"
arrivals_per_hour = 6
target_wait_minutes = 20
duration = { distribution = "lognormal", mean_minutes = 10, sd_minutes = 5 }
[services.appointments]
slot_minutes = 20
booked_share = 0.8
arrive_early_minutes = 15
arrive_late_minutes = 5

[[counters]]
id = "c1"
services = ["registry"]

[[counters]]
id = "c2"
services = ["registry"]
"""
N_MINUTES = 7
"""Nine booked visitors in ten are called within this many minutes of their time."""


def test_booked_visitors_are_called_around_their_time_and_walk_ins_keep_their_bound() -> None:
    scenario = parse_scenario(tomllib.loads(MIXED), "mixed")
    result = Simulator(scenario, 1).run()
    booked = [v for v in result.visits if v.booked_at is not None]
    walk_ins = [v for v in result.visits if v.booked_at is None and not v.turned_away]
    assert len(booked) > 300 and len(walk_ins) > 800
    late_by = [
        v.called_after_booked_time / 60 for v in booked if v.called_after_booked_time is not None
    ]
    assert len(late_by) == len(booked)
    assert p90(late_by) <= N_MINUTES
    # Called before their time only by a counter with nobody else to call: never more
    # than the earliest check-in (15 minutes) ahead.
    assert min(late_by) >= -15
    walk_in_waits = [v.wait / 60 for v in walk_ins if v.wait is not None]
    assert p90(late_by) < p90(walk_in_waits)
    # No walk-in past the fairness limit was overtaken by anyone who had waited less,
    # booked or priority.
    assert result.fairness_violations == 0
    assert summarize(result, scenario)["overall"]["fairness_violations"] == 0


def test_booked_visitors_in_a_scenario_are_checked() -> None:
    wrong = MIXED.replace("booked_share = 0.8", "booked_share = 1.5")
    with pytest.raises(CatalogueError, match="booked_share"):
        parse_scenario(tomllib.loads(wrong), "mixed")
