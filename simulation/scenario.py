"""Simulation scenarios: a centre's services, counters, hours and visitors, from TOML.

See `simulation/scenarios/*.toml` and docs/simulation.md for the format.
Errors name the field, like catalogue errors do.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from core.errors import CatalogueError
from core.hours import OpeningHours, parse_minute, parse_range
from core.model import Counter, Localized, QueuePolicy, Service, Strategy, TimeRange, WorkProfile
from core.settings import Table, parse_document
from core.settings_file import read_document

SHIPPED = ("rural", "city", "peak_day", "mmc", "mm4")


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
class BookedVisits:
    """A service's booked visitors: one slot every `slot_minutes` from the scenario's
    opening (the last one ending by its closing), each booked with probability
    `booked_share`; a booked visitor checks in at a uniformly drawn moment from
    `arrive_early_minutes` before to `arrive_late_minutes` after the booked time
    (inside the centre's check-in window, so every one gets a ticket)."""

    slot_minutes: float
    booked_share: float
    arrive_early_minutes: float = 15.0
    arrive_late_minutes: float = 5.0


@dataclass(frozen=True)
class ServiceSpec:
    """A service and its visitors: walk-ins, and booked visitors if `booked`."""

    service: Service
    arrivals_per_hour: float
    duration: DurationModel
    transfers: tuple[tuple[str, float], ...] = ()
    booked: BookedVisits | None = None


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
    """A shipped scenario by name (`city`), or a TOML file. Raises `CatalogueError`
    naming the file and the field, as catalogue errors do (`core.settings`)."""
    if name_or_path in SHIPPED:
        text = (
            resources.files("simulation")
            .joinpath("scenarios", f"{name_or_path}.toml")
            .read_text("utf-8")
        )
        return parse_scenario(parse_document(text, name_or_path, CatalogueError).data, name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        raise CatalogueError(f"{name_or_path}: no such scenario (shipped: {', '.join(SHIPPED)})")
    return parse_scenario(read_document(path, CatalogueError).data, str(path))


SCENARIO_KEYS = {
    "name",
    "description",
    "days",
    "opens",
    "closes",
    "priority_share",
    "no_show_probability",
    "walk_seconds",
    "no_show_wait_seconds",
    "fairness_limit_minutes",
    "arrival_profile",
    "continuous_hours",
    "warmup_hours",
    "cut_off",
}


def _minute(table: Table, key: str, default: str) -> int:
    text = table.text(key, default=default)
    try:
        return parse_minute(text)
    except ValueError as exc:
        raise table.fail(key, str(exc)) from None


def parse_scenario(data: dict[str, Any], source: str = "") -> Scenario:
    """Build a scenario from parsed TOML (read from `source`, named in errors)."""
    root = Table(data, source=source, error=CatalogueError)
    root.reject_unknown({"scenario", "services", "counters"})
    head = root.child("scenario")
    head.reject_unknown(SCENARIO_KEYS)
    continuous = head.number("continuous_hours", default=0.0, minimum=0)
    opens = 0 if continuous else _minute(head, "opens", "08:30")
    closes = 24 * 60 if continuous else _minute(head, "closes", "17:00")
    if closes <= opens:
        raise head.fail("closes", "must be after scenario.opens")
    for key in ("priority_share", "no_show_probability"):
        if not 0 <= head.number(key, default=0.0) <= 1:
            raise head.fail(key, f"must be between 0 and 1, got {head.data[key]!r}")
    profile: list[tuple[int, float]] = []
    for index, item in enumerate(head.data.get("arrival_profile", [])):
        where = f"arrival_profile[{index}]"
        if not isinstance(item, list) or len(item) != 2:
            raise head.fail(where, f'expected ["HH:MM", multiplier], got {item!r}')
        pair = Table(
            {"at": item[0], "multiplier": item[1]},
            head.where(where),
            source=source,
            error=CatalogueError,
        )
        profile.append((_minute(pair, "at", ""), pair.number("multiplier", minimum=0)))
    services = tuple(_service(table) for table in root.children("services", required=False))
    if not services:
        raise root.fail("services", "at least one service is required")
    known = {spec.service.id for spec in services}
    for table, spec in zip(root.children("services"), services, strict=True):
        for target, _ in spec.transfers:
            if target not in known:
                raise table.fail("transfers", f"{target!r} is not a service id")
    counters = tuple(
        _counter(table, known, opens, closes) for table in root.children("counters", required=False)
    )
    if not counters:
        raise root.fail("counters", "at least one counter is required")
    policy = QueuePolicy(
        priority_fairness_limit=timedelta(
            minutes=head.number("fairness_limit_minutes", default=20.0, minimum=1.0)
        ),
        no_show_reactivation_window=timedelta(minutes=15),
    )
    cut_off = head.boolean("cut_off", default=not continuous)
    if cut_off and continuous:
        raise head.fail("cut_off", "a continuous run has no closing time to cut off at")
    return Scenario(
        name=head.text("name", default=source),
        description=head.text("description", default=""),
        days=head.integer("days", default=1, minimum=1),
        opens=opens,
        closes=closes,
        services=services,
        counters=counters,
        arrival_profile=tuple(sorted(profile)) or ((0, 1.0),),
        priority_share=head.number("priority_share", default=0.0),
        no_show_probability=head.number("no_show_probability", default=0.0),
        walk_seconds=head.number("walk_seconds", default=0.0, minimum=0),
        no_show_wait_seconds=head.number("no_show_wait_seconds", default=90.0, minimum=0),
        policy=policy,
        continuous_hours=continuous,
        warmup_hours=head.number("warmup_hours", default=0.0, minimum=0),
        apply_cut_off=cut_off,
    )


def _service(table: Table) -> ServiceSpec:
    table.reject_unknown(
        {
            "id",
            "prefix",
            "name",
            "arrivals_per_hour",
            "target_wait_minutes",
            "expected_duration_minutes",
            "duration",
            "transfers",
            "appointments",
        }
    )
    service_id = table.text("id")
    if not service_id:
        raise table.fail("id", "is required")
    duration = table.optional_child("duration")
    duration.reject_unknown({"distribution", "mean_minutes", "sd_minutes"})
    distribution = duration.one_of(
        "distribution", ("lognormal", "exponential", "fixed"), default="lognormal"
    )
    mean = duration.number("mean_minutes", minimum=0.01) * 60
    sd = duration.number("sd_minutes", default=mean / 120, minimum=0) * 60
    expected = table.number("expected_duration_minutes", default=mean / 60, minimum=0.01)
    transfers = table.optional_child("transfers")
    odds = tuple((target, transfers.number(target, minimum=0)) for target in transfers.data)
    service = Service(
        id=service_id,
        prefix=table.text("prefix", default=service_id[:1].upper()),
        name=Localized.same(table.text("name", default=service_id)),
        description=Localized.same(""),
        category_id="simulated",
        life_situation_ids=(),
        expected_duration=timedelta(minutes=expected),
        target_wait=timedelta(
            minutes=table.number("target_wait_minutes", default=15.0, minimum=0.01)
        ),
    )
    return ServiceSpec(
        service=service,
        arrivals_per_hour=table.number("arrivals_per_hour", minimum=0),
        duration=DurationModel(distribution, mean, sd),
        transfers=odds,
        booked=_booked(table.optional_child("appointments")) if table.has("appointments") else None,
    )


def _booked(table: Table) -> BookedVisits:
    table.reject_unknown(
        {"slot_minutes", "booked_share", "arrive_early_minutes", "arrive_late_minutes"}
    )
    share = table.number("booked_share", default=1.0)
    if not 0 <= share <= 1:
        raise table.fail("booked_share", f"must be between 0 and 1, got {share!r}")
    return BookedVisits(
        slot_minutes=table.number("slot_minutes", minimum=1),
        booked_share=share,
        arrive_early_minutes=table.number("arrive_early_minutes", default=15.0, minimum=0),
        arrive_late_minutes=table.number("arrive_late_minutes", default=5.0, minimum=0),
    )


def _counter(table: Table, services: set[str], opens: int, closes: int) -> CounterSpec:
    table.reject_unknown(
        {"id", "label", "services", "strategy", "weights", "breaks", "opens", "closes"}
    )
    counter_id = table.text("id")
    if not counter_id:
        raise table.fail("id", "is required")
    service_ids = table.string_list("services")
    if not service_ids or not all(s in services for s in service_ids):
        raise table.fail("services", f"must list known service ids, got {list(service_ids)!r}")
    strategy = Strategy(
        table.one_of("strategy", [s.value for s in Strategy], default=Strategy.LONGEST_WAIT.value)
    )
    weight_table = table.optional_child("weights")
    weights = {
        service_id: weight_table.number(service_id, positive=True)
        for service_id in weight_table.data
    }
    breaks: list[TimeRange] = []
    for index, text in enumerate(table.string_list("breaks")):
        try:
            breaks.append(parse_range(text))
        except ValueError as exc:
            raise table.fail(f"breaks[{index}]", str(exc)) from None
    counter = Counter(
        id=counter_id,
        label=table.text("label", default=counter_id),
        name=Localized.same(counter_id),
        profile=WorkProfile(service_ids, strategy, weights),
        breaks=tuple(breaks),
    )
    return CounterSpec(
        counter=counter,
        opens=_minute(table, "opens", "") if table.has("opens") else opens,
        closes=_minute(table, "closes", "") if table.has("closes") else closes,
    )
