"""Random centres, for checking the estimator where nobody tuned it.

`random_scenario(seed)` draws a centre: 1-4 services with their own arrival rates and
visit lengths (fixed, lognormal or exponential), 1-5 counters each serving a random
non-empty set of services (every service served by one at least) with a random
strategy, a load between 50 % and 95 % of what the counters can do, a priority
share, no-shows, and either working days or one continuous period. The same seed
gives the same centre.
"""

from __future__ import annotations

import random

from core.errors import CatalogueError
from core.model import Strategy
from core.settings import parse_document
from simulation.scenario import Scenario, parse_scenario

DISTRIBUTIONS = ("fixed", "lognormal", "exponential")


def random_scenario(seed: int) -> Scenario:
    """A centre drawn at random (reproducibly) from `seed`."""
    rng = random.Random(f"random-scenario/{seed}")
    service_count = rng.randint(1, 4)
    counter_count = rng.randint(1, 5)
    services = [f"s{i}" for i in range(service_count)]
    means = {s: rng.uniform(3, 20) for s in services}
    profiles = [
        sorted(rng.sample(services, rng.randint(1, service_count))) for _ in range(counter_count)
    ]
    for index, service in enumerate(services):
        if not any(service in profile for profile in profiles):
            profiles[index % counter_count].append(service)
    load = rng.uniform(0.5, 0.95)
    # Arrivals per hour that keep the counters `load` busy if shared evenly.
    capacity = counter_count * 60 / (sum(means.values()) / service_count)
    weights = {s: rng.uniform(0.5, 2) for s in services}
    total = sum(weights.values())
    continuous = rng.random() < 0.3
    lines = [
        "[scenario]",
        f'name = "Random centre {seed}"',
        f'description = "{service_count} services, {counter_count} counters, load {load:.2f}"',
        f"priority_share = {rng.choice([0.0, 0.05, 0.15, 0.3])}",
        f"no_show_probability = {rng.choice([0.0, 0.03, 0.08])}",
    ]
    if continuous:
        lines += ["continuous_hours = 300", "warmup_hours = 5"]
    else:
        lines += ["days = 6", 'opens = "08:00"', 'closes = "17:00"']
    for service in services:
        distribution = rng.choice(DISTRIBUTIONS)
        mean = means[service]
        duration = f'distribution = "{distribution}", mean_minutes = {mean:.2f}'
        if distribution == "lognormal":
            duration += f", sd_minutes = {mean * rng.uniform(0.2, 1.0):.2f}"
        rate = load * capacity * weights[service] / total
        lines += [
            "",
            "[[services]]",
            f'id = "{service}"',
            f'prefix = "{chr(ord("A") + services.index(service))}"',
            f"arrivals_per_hour = {rate:.3f}",
            f"duration = {{ {duration} }}",
        ]
    strategies = [s.value for s in Strategy]
    for index, profile in enumerate(profiles):
        lines += [
            "",
            "[[counters]]",
            f'id = "c{index + 1}"',
            "services = [" + ", ".join(f'"{s}"' for s in profile) + "]",
            f'strategy = "{rng.choice(strategies)}"',
        ]
    text = "\n".join(lines) + "\n"
    return parse_scenario(
        parse_document(text, f"random {seed}", CatalogueError).data, f"random {seed}"
    )
