"""Who comes to a simulated centre, and when: walk-ins and booked visitors."""

from __future__ import annotations

import random

from simulation.scenario import Scenario, ServiceSpec
from simulation.visits import SimulatedVisit

DAY_SECONDS = 24 * 3600


def arrivals_of_day(
    scenario: Scenario, seed: int, day: int, start: float, end: float
) -> list[SimulatedVisit]:
    """Every visitor of a simulated day (or continuous period), in arrival order: walk-ins
    (Poisson, with the time-of-day profile) and booked visitors."""
    arrivals: list[SimulatedVisit] = []
    peak = max(factor for _, factor in scenario.arrival_profile)
    warmup_end = start + scenario.warmup_hours * 3600
    for spec in scenario.services:
        rng = random.Random(f"{seed}/{day}/{spec.service.id}")
        top_rate = spec.arrivals_per_hour * peak / 3600
        if top_rate <= 0:
            continue
        moment = start
        count = 0
        while True:
            moment += rng.expovariate(top_rate)
            if moment >= end:
                break
            minute = (moment % DAY_SECONDS) / 60
            rate = spec.arrivals_per_hour * scenario.multiplier(minute) / 3600
            if rng.random() > rate / top_rate:
                continue
            count += 1
            transfer = None
            draw = rng.random()
            cumulative = 0.0
            for target, probability in spec.transfers:
                cumulative += probability
                if draw < cumulative:
                    transfer = target
                    break
            visit = SimulatedVisit(
                ticket_id=f"{day}-{spec.service.prefix}{count}",
                service_id=spec.service.id,
                is_priority=rng.random() < scenario.priority_share,
                day=day,
                issued_at=moment,
                duration=spec.duration.sample(rng),
                no_show=rng.random() < scenario.no_show_probability,
                transfer_to=transfer,
                measured=moment >= warmup_end,
            )
            arrivals.append(visit)
        if spec.booked is not None:
            arrivals += booked_arrivals(scenario, spec, seed, day, start, end)
    arrivals.sort(key=lambda visit: visit.issued_at)
    return arrivals


def booked_arrivals(
    scenario: Scenario, spec: ServiceSpec, seed: int, day: int, start: float, end: float
) -> list[SimulatedVisit]:
    """The booked visitors of a day: who booked which slot, and when each checks in."""
    booked = spec.booked
    assert booked is not None
    rng = random.Random(f"{seed}/{day}/{spec.service.id}/booked")
    visits: list[SimulatedVisit] = []
    length = booked.slot_minutes * 60
    slot = start
    while slot + length <= end:
        if rng.random() < booked.booked_share:
            check_in = slot + rng.uniform(
                -booked.arrive_early_minutes * 60, booked.arrive_late_minutes * 60
            )
            visits.append(
                SimulatedVisit(
                    ticket_id=f"{day}-{spec.service.prefix}b{len(visits) + 1}",
                    service_id=spec.service.id,
                    is_priority=False,
                    day=day,
                    issued_at=max(check_in, start),
                    duration=spec.duration.sample(rng),
                    no_show=rng.random() < scenario.no_show_probability,
                    transfer_to=None,
                    booked_at=slot,
                )
            )
        slot += length
    return visits
