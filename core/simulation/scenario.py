"""Simulation scenarios: a centre's services, counters, hours and visitors, from TOML.

See `core/data/scenarios/*.toml` and docs/simulation.md for the format.
Errors name the field, like catalogue errors do.
"""

from __future__ import annotations

import math
import random
import tomllib
from dataclasses import dataclass, field, replace
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from core.errors import CatalogueError
from core.hours import OpeningHours, parse_minute, parse_range
from core.model import Counter, Localized, QueuePolicy, Service, Strategy, TimeRange, WorkProfile

SHIPPED = ("rural", "city", "peak_day", "mmc")


@dataclass(frozen=True)
class DurationModel:
    """How long visits of a service take."""

    distribution: str
    mean_seconds: float
    sd_seconds: float = 0.0

    def sample(self, rng: random.Random) -> float:
        """One visit length in seconds."""
        if self.distribution == "exponential":
            return rng.expovariate(1 / self.mean_seconds)
        if self.distribution == "fixed":
            return self.mean_seconds
        # Lognormal with the given mean and standard deviation.
        variance = math.log(1 + (self.sd_seconds / self.mean_seconds) ** 2)
        mu = math.log(self.mean_seconds) - variance / 2
        return rng.lognormvariate(mu, math.sqrt(variance))


@dataclass(frozen=True)
class ServiceSpec:
    """A service and its visitors."""

    service: Service
    arrivals_per_hour: float
    duration: DurationModel
    transfers: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class CounterSpec:
    """A counter (with its planned breaks) and its hours, in minutes since midnight."""

    counter: Counter
    opens: int
    closes: int


@dataclass(frozen=True)
class Scenario:
    """Everything a simulated day needs."""

    name: str
    description: str
    days: int
    opens: int
    closes: int
    services: tuple[ServiceSpec, ...]
    counters: tuple[CounterSpec, ...]
    arrival_profile: tuple[tuple[int, float], ...] = ((0, 1.0),)
    priority_share: float = 0.0
    no_show_probability: float = 0.0
    walk_seconds: float = 0.0
    no_show_wait_seconds: float = 90.0
    policy: QueuePolicy = field(default_factory=QueuePolicy)
    continuous_hours: float = 0.0
    """If set: one uninterrupted period of this many hours (queueing-theory validation)."""
    warmup_hours: float = 0.0
    apply_cut_off: bool = True

    @property
    def services_by_id(self) -> dict[str, Service]:
        """Services keyed by id."""
        return {spec.service.id: spec.service for spec in self.services}

    @property
    def hours(self) -> OpeningHours:
        """The simulated centre's opening hours: every day from `opens` to `closes`, on
        the simulator's clock (UTC). A continuous run is open all day, every day."""
        day = (TimeRange(self.opens, self.closes),)
        return OpeningHours(timezone="UTC", weekly=dict.fromkeys(range(7), day))

    def multiplier(self, minute: float) -> float:
        """The arrival-rate multiplier at a minute of the day."""
        value = 1.0
        for start, factor in self.arrival_profile:
            if minute >= start:
                value = factor
        return value

    def with_strategy(self, strategy: Strategy) -> Scenario:
        """The same centre with every counter using `strategy`."""
        counters = tuple(
            replace(
                spec,
                counter=replace(
                    spec.counter, profile=replace(spec.counter.profile, strategy=strategy)
                ),
            )
            for spec in self.counters
        )
        return replace(self, counters=counters)


def load_scenario(name_or_path: str) -> Scenario:
    """A shipped scenario by name (`city`), or a TOML file."""
    if name_or_path in SHIPPED:
        text = (
            resources.files("core.data")
            .joinpath("scenarios", f"{name_or_path}.toml")
            .read_text("utf-8")
        )
        return parse_scenario(tomllib.loads(text), name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        raise CatalogueError(f"{name_or_path}: no such scenario (shipped: {', '.join(SHIPPED)})")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: not valid TOML: {exc}") from exc
    return parse_scenario(data, str(path))


def _minute(text: Any, where: str) -> int:
    if not isinstance(text, str):
        raise CatalogueError(f"{where}: expected HH:MM, got {text!r}")
    try:
        return parse_minute(text)
    except ValueError as exc:
        raise CatalogueError(f"{where}: {exc}") from None


def _number(
    table: dict[str, Any], key: str, where: str, default: float | None = None, minimum: float = 0.0
) -> float:
    if key not in table:
        if default is None:
            raise CatalogueError(f"{where}.{key}: is required")
        return default
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise CatalogueError(
            f"{where}.{key}: must be a number of at least {minimum}, got {value!r}"
        )
    return float(value)


def parse_scenario(data: dict[str, Any], source: str = "scenario") -> Scenario:
    """Build a scenario from parsed TOML."""
    head = data.get("scenario")
    if not isinstance(head, dict):
        raise CatalogueError(f"{source}: a [scenario] table is required")
    continuous = _number(head, "continuous_hours", "scenario", 0.0)
    opens = 0 if continuous else _minute(head.get("opens", "08:30"), "scenario.opens")
    closes = 24 * 60 if continuous else _minute(head.get("closes", "17:00"), "scenario.closes")
    if closes <= opens:
        raise CatalogueError("scenario.closes: must be after scenario.opens")
    probability_keys = ("priority_share", "no_show_probability")
    for key in probability_keys:
        if not 0 <= _number(head, key, "scenario", 0.0) <= 1:
            raise CatalogueError(f"scenario.{key}: must be between 0 and 1")
    profile: list[tuple[int, float]] = []
    for index, item in enumerate(head.get("arrival_profile", [])):
        if not isinstance(item, list) or len(item) != 2:
            raise CatalogueError(
                f'scenario.arrival_profile[{index}]: expected ["HH:MM", multiplier]'
            )
        profile.append(
            (
                _minute(item[0], f"scenario.arrival_profile[{index}]"),
                _number({"m": item[1]}, "m", f"scenario.arrival_profile[{index}]"),
            )
        )
    services = tuple(
        _service(item, f"services[{index}]") for index, item in enumerate(data.get("services", []))
    )
    if not services:
        raise CatalogueError("services: at least one service is required")
    known = {spec.service.id for spec in services}
    for index, spec in enumerate(services):
        for target, _ in spec.transfers:
            if target not in known:
                raise CatalogueError(f"services[{index}].transfers: {target!r} is not a service id")
    counters = tuple(
        _counter(item, f"counters[{index}]", known, opens, closes)
        for index, item in enumerate(data.get("counters", []))
    )
    if not counters:
        raise CatalogueError("counters: at least one counter is required")
    policy = QueuePolicy(
        priority_fairness_limit=timedelta(
            minutes=_number(head, "fairness_limit_minutes", "scenario", 20.0, 1.0)
        ),
        no_show_reactivation_window=timedelta(minutes=15),
    )
    return Scenario(
        name=str(head.get("name", source)),
        description=str(head.get("description", "")),
        days=int(_number(head, "days", "scenario", 1.0, 1.0)),
        opens=opens,
        closes=closes,
        services=services,
        counters=counters,
        arrival_profile=tuple(sorted(profile)) or ((0, 1.0),),
        priority_share=_number(head, "priority_share", "scenario", 0.0),
        no_show_probability=_number(head, "no_show_probability", "scenario", 0.0),
        walk_seconds=_number(head, "walk_seconds", "scenario", 0.0),
        no_show_wait_seconds=_number(head, "no_show_wait_seconds", "scenario", 90.0),
        policy=policy,
        continuous_hours=continuous,
        warmup_hours=_number(head, "warmup_hours", "scenario", 0.0),
        apply_cut_off=_cut_off(head, continuous),
    )


def _cut_off(head: dict[str, Any], continuous: float) -> bool:
    value = head.get("cut_off", not continuous)
    if not isinstance(value, bool):
        raise CatalogueError(f"scenario.cut_off: must be true or false, got {value!r}")
    if value and continuous:
        raise CatalogueError("scenario.cut_off: a continuous run has no closing time to cut off at")
    return value


def _service(item: Any, where: str) -> ServiceSpec:
    if not isinstance(item, dict):
        raise CatalogueError(f"{where}: must be a table")
    service_id = item.get("id")
    if not isinstance(service_id, str) or not service_id:
        raise CatalogueError(f"{where}.id: is required")
    duration = item.get("duration", {})
    if not isinstance(duration, dict):
        raise CatalogueError(f"{where}.duration: must be a table")
    distribution = duration.get("distribution", "lognormal")
    if distribution not in ("lognormal", "exponential", "fixed"):
        raise CatalogueError(f"{where}.duration.distribution: use lognormal, exponential or fixed")
    mean = _number(duration, "mean_minutes", f"{where}.duration", minimum=0.01) * 60
    sd = _number(duration, "sd_minutes", f"{where}.duration", mean / 120) * 60
    expected = _number(item, "expected_duration_minutes", where, mean / 60, 0.01)
    transfers = item.get("transfers", {})
    if not isinstance(transfers, dict):
        raise CatalogueError(f"{where}.transfers: must be a table of service = probability")
    name = Localized.same(str(item.get("name", service_id)))
    service = Service(
        id=service_id,
        prefix=str(item.get("prefix", service_id[:1].upper())),
        name=name,
        description=Localized.same(""),
        category_id="simulated",
        life_situation_ids=(),
        expected_duration=timedelta(minutes=expected),
        target_wait=timedelta(minutes=_number(item, "target_wait_minutes", where, 15.0, 0.01)),
    )
    return ServiceSpec(
        service=service,
        arrivals_per_hour=_number(item, "arrivals_per_hour", where),
        duration=DurationModel(distribution, mean, sd),
        transfers=tuple((str(k), float(v)) for k, v in transfers.items()),
    )


def _counter(item: Any, where: str, services: set[str], opens: int, closes: int) -> CounterSpec:
    if not isinstance(item, dict):
        raise CatalogueError(f"{where}: must be a table")
    counter_id = str(item.get("id", ""))
    if not counter_id:
        raise CatalogueError(f"{where}.id: is required")
    service_ids = item.get("services", [])
    if not service_ids or not all(s in services for s in service_ids):
        raise CatalogueError(f"{where}.services: must list known service ids")
    try:
        strategy = Strategy(item.get("strategy", "longest_wait"))
    except ValueError:
        raise CatalogueError(
            f"{where}.strategy: unknown strategy {item.get('strategy')!r}"
        ) from None
    weights = {str(k): float(v) for k, v in item.get("weights", {}).items()}
    breaks: list[TimeRange] = []
    for index, text in enumerate(item.get("breaks", [])):
        try:
            breaks.append(parse_range(text))
        except ValueError as exc:
            raise CatalogueError(f"{where}.breaks[{index}]: {exc}") from None
    counter = Counter(
        id=counter_id,
        label=str(item.get("label", counter_id)),
        name=Localized.same(counter_id),
        profile=WorkProfile(tuple(service_ids), strategy, weights),
        breaks=tuple(breaks),
    )
    return CounterSpec(
        counter=counter,
        opens=_minute(item["opens"], f"{where}.opens") if "opens" in item else opens,
        closes=_minute(item["closes"], f"{where}.closes") if "closes" in item else closes,
    )
