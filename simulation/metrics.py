"""Figures from a simulation run: waits, service level, utilisation, estimate accuracy."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from typing import Any

from core.histogram import percentile
from simulation.engine import SimulatedVisit, SimulationResult
from simulation.scenario import Scenario


def p90(values: Sequence[float]) -> float:
    """The 90th percentile by the one definition (`core.histogram.nearest_rank`), as
    the centre's statistics count it; 0 for no values."""
    return float(percentile(values, 0.9)) if values else 0.0


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def wait_figures(visits: Iterable[SimulatedVisit], target_seconds: float | None) -> dict[str, Any]:
    """Mean / p90 / max wait (seconds) and service level of the visits that were called."""
    waits = [v.wait for v in visits if v.wait is not None]
    figures: dict[str, Any] = {
        "visitors": len(waits),
        "mean_wait_seconds": _round(statistics.fmean(waits)) if waits else 0.0,
        "p90_wait_seconds": _round(p90(waits)),
        "max_wait_seconds": _round(max(waits, default=0.0)),
    }
    if target_seconds is not None:
        within = sum(1 for w in waits if w <= target_seconds)
        figures["service_level"] = round(within / len(waits), 4) if waits else 1.0
    return figures


def estimate_figures(visits: Iterable[SimulatedVisit]) -> dict[str, Any]:
    """Accuracy of the estimate shown at issue time against the wait that followed, the
    naive rule's beside it, and the share of waits inside the 80 % range told."""
    visits = list(visits)
    pairs = [
        (v.estimate, v.naive_estimate, v.wait)
        for v in visits
        if v.wait is not None and v.estimate is not None
    ]
    if not pairs:
        return {"estimates": 0}
    errors = [estimate - wait for estimate, _, wait in pairs]
    absolute = [abs(e) for e in errors]
    naive_pairs = [(naive, wait) for _, naive, wait in pairs if naive is not None]
    ranged = [
        v.low <= v.wait <= v.high
        for v in visits
        if v.wait is not None and v.low is not None and v.high is not None
    ]
    naive_abs = [abs(naive - wait) for naive, wait in naive_pairs]
    mean_wait = statistics.fmean(w for _, _, w in pairs)
    return {
        "estimates": len(pairs),
        "estimate_mae_seconds": _round(statistics.fmean(absolute)),
        "estimate_p90_abs_error_seconds": _round(p90(absolute)),
        "estimate_bias_seconds": _round(statistics.fmean(errors)),
        "estimate_mae_share_of_mean_wait": round(statistics.fmean(absolute) / mean_wait, 4)
        if mean_wait
        else None,
        "naive_mae_seconds": _round(statistics.fmean(naive_abs)) if naive_abs else None,
        "naive_p90_abs_error_seconds": _round(p90(naive_abs)) if naive_abs else None,
        "naive_bias_seconds": _round(statistics.fmean(n - w for n, w in naive_pairs))
        if naive_pairs
        else None,
        "ranges": len(ranged),
        "range_coverage": round(sum(ranged) / len(ranged), 4) if ranged else None,
    }


def summarize(result: SimulationResult, scenario: Scenario) -> dict[str, Any]:
    """Per service and overall figures, as `rinda simulate --json` prints them."""
    measured = [v for v in result.visits if v.measured]
    served = [v for v in measured if not v.turned_away]
    services: dict[str, Any] = {}
    for spec in scenario.services:
        service_id = spec.service.id
        mine = [v for v in served if v.service_id == service_id]
        target = spec.service.target_wait.total_seconds()
        services[service_id] = {
            **wait_figures(mine, target),
            **estimate_figures(mine),
            "turned_away": sum(1 for v in measured if v.service_id == service_id and v.turned_away),
        }
    targets = {
        spec.service.id: spec.service.target_wait.total_seconds() for spec in scenario.services
    }
    called = [v for v in served if v.wait is not None]
    within = sum(1 for v in called if v.wait is not None and v.wait <= targets[v.service_id])
    overall = {
        **wait_figures(served, None),
        "service_level": round(within / len(called), 4) if called else 1.0,
        **estimate_figures(served),
        "turned_away": sum(1 for v in measured if v.turned_away),
        "normal_p90_wait_seconds": _round(
            p90([v.wait for v in called if not v.is_priority and v.wait is not None])
        ),
        "priority_p90_wait_seconds": _round(
            p90([v.wait for v in called if v.is_priority and v.wait is not None])
        ),
        "fairness_violations": result.fairness_violations,
    }
    counters = {use.counter_id: round(use.utilisation, 4) for use in result.counters}
    overall["mean_utilisation"] = round(statistics.fmean(counters.values()), 4) if counters else 0.0
    return {
        "scenario": result.scenario,
        "seed": result.seed,
        "services": services,
        "overall": overall,
        "counter_utilisation": counters,
    }
