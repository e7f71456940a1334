"""Simulated centre logs, for the network benchmark and the hub's page tests.

A centre's working day is run by the simulator (`simulation`: the city scenario
scaled to about 300 visitors) and told as the centre's own event log (`core.events`:
the ticket and counter events a centre server writes), in the shipped form
(`server.hub_link.shipped`: what really leaves a centre for the hub).

Per visit: issued, printed, called (a tenth recalled once), then started and finished,
or marked no-show; a visitor still waiting at closing expires; four in ten served
visitors rate the visit. Counters open, pause for their breaks and close.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from core import events as ev
from core import lifecycle
from core.catalogue import load_catalogue_text
from core.model import CounterState, Service, Ticket
from core.statistics import Figures, Visit, contribution
from server.hub_link.shipped import SCHEMA_VERSION, StaffIds, shipped_data
from simulation.engine import DAY_SECONDS, Simulator
from simulation.scenario import Scenario, load_scenario

ZONE = ZoneInfo("Europe/Riga")
VISITS_PER_DAY = 300
CITY_VISITS_PER_DAY = 466
"""What the shipped city scenario brings in a day (seed 3), to scale it by."""


@dataclass(frozen=True)
class _Catalogue:
    """What `shipped_data` needs of a catalogue: the services by id."""

    services_by_id: dict[str, Service]


def scenario(visits_per_day: int = VISITS_PER_DAY) -> Scenario:
    """The city centre with its arrivals scaled to about `visits_per_day` a day."""
    city = load_scenario("city")
    factor = visits_per_day / CITY_VISITS_PER_DAY
    services = tuple(
        replace(spec, arrivals_per_hour=spec.arrivals_per_hour * factor) for spec in city.services
    )
    return replace(city, services=services, days=1)


def simulate(seed: int, visits_per_day: int = VISITS_PER_DAY) -> tuple[Scenario, list[Any]]:
    """One simulated day's visits (estimates off: they are not shipped, and it is 10x
    faster)."""
    plan = scenario(visits_per_day)
    result = Simulator(plan, seed=seed, estimate=False, forecast=False).run()
    return plan, sorted(result.visits, key=lambda v: v.issued_at)


def _share(text: str) -> float:
    """A stable pseudo-random number in [0, 1) from a text."""
    return int(hashlib.blake2b(text.encode(), digest_size=4).hexdigest(), 16) / 2**32


def day_log(centre_id: str, day: date, seed: int) -> list[dict[str, Any]]:
    """The centre's event log of one day, shipped form, `seq` from 1."""
    plan, visits = simulate(seed)
    services = plan.services_by_id
    catalogue = _Catalogue(services)
    staff = StaffIds(hashlib.sha256(centre_id.encode()).digest())
    midnight = datetime.combine(day, datetime.min.time(), ZONE)

    def at(seconds: float) -> datetime:
        # A centre stores its times in UTC, and ships them so.
        return (midnight + timedelta(seconds=seconds % DAY_SECONDS)).astimezone(UTC)

    drafts: list[tuple[datetime, int, ev.EventDraft]] = []
    order = 0

    def add(moment: datetime, draft: ev.EventDraft) -> None:
        nonlocal order
        order += 1
        drafts.append((moment, order, draft))

    closing = at(plan.closes * 60)
    for spec in plan.counters:
        state = CounterState(counter_id=spec.counter.id)
        clerk = f"clerk-{spec.counter.id}"
        for minute, kind in sorted(
            [(spec.opens, "open"), (spec.closes, "close")]
            + [(b.opens_minute, "pause") for b in spec.counter.breaks]
            + [(b.closes_minute, "open") for b in spec.counter.breaks]
        ):
            moment = at(minute * 60)
            if kind == "open":
                state = lifecycle.open_counter(state, clerk=clerk, now=moment)
                add(moment, ev.counter_event(ev.COUNTER_OPENED, state))
            elif kind == "pause":
                state = lifecycle.pause_counter(state, now=moment)
                add(moment, ev.counter_event(ev.COUNTER_PAUSED, state))
            else:
                state = lifecycle.close_counter(state, now=moment)
                add(moment, ev.counter_event(ev.COUNTER_CLOSED, state))
    for number, visit in enumerate(visits, start=1):
        if visit.turned_away:
            continue
        service = services[visit.service_id]
        issued = at(visit.issued_at)
        ticket: Ticket = lifecycle.issue(
            ticket_id=f"{centre_id}-{day.isoformat()}-{number}",
            service=service,
            seq=number,
            business_day=day,
            language="lv" if _share(f"{visit.ticket_id}/l") < 0.8 else "ru",
            is_priority=visit.is_priority,
            now=issued,
        )
        add(issued, ev.ticket_event(ev.TICKET_ISSUED, ticket, device="kiosk-1"))
        ticket = lifecycle.mark_printed(ticket, printed=True)
        add(issued + timedelta(seconds=2), ev.ticket_event(ev.TICKET_PRINTED, ticket))
        if visit.called_at is None:
            ticket = lifecycle.expire(ticket, now=closing)
            add(closing, ev.ticket_event(ev.TICKET_EXPIRED, ticket))
            continue
        counter = plan.counters[number % len(plan.counters)].counter
        called = at(visit.called_at)
        ticket = lifecycle.call(
            ticket,
            counter_id=counter.id,
            clerk=f"clerk-{counter.id}",
            now=called,
            policy=plan.policy,
        )
        add(called, ev.ticket_event(ev.TICKET_CALLED, ticket, counter_label=counter.label))
        moment = called
        if _share(f"{visit.ticket_id}/r") < 0.1:
            moment = called + timedelta(seconds=40)
            ticket = lifecycle.recall(ticket, counter_id=counter.id, now=moment)
            add(moment, ev.ticket_event(ev.TICKET_RECALLED, ticket, counter_label=counter.label))
        if visit.no_show:
            moment += timedelta(seconds=plan.no_show_wait_seconds)
            ticket = lifecycle.no_show(ticket, counter_id=counter.id, now=moment)
            add(moment, ev.ticket_event(ev.TICKET_NO_SHOW, ticket))
            continue
        moment += timedelta(seconds=plan.walk_seconds)
        ticket = lifecycle.start(ticket, counter_id=counter.id, now=moment)
        add(moment, ev.ticket_event(ev.TICKET_STARTED, ticket))
        moment += timedelta(seconds=visit.duration)
        ticket = lifecycle.finish(ticket, counter_id=counter.id, now=moment)
        add(moment, ev.ticket_event(ev.TICKET_FINISHED, ticket))
        if _share(f"{visit.ticket_id}/f") < 0.4:
            rating = 1 + int(_share(f"{visit.ticket_id}/g") * 5)
            draft = ev.feedback_event(rating, ticket_id=ticket.id, service_id=None, counter_id=None)
            add(moment + timedelta(seconds=20), draft)
    drafts.sort(key=lambda item: (item[0], item[1]))
    log = []
    for seq, (moment, _, draft) in enumerate(drafts, start=1):
        log.append(
            {
                "seq": seq,
                "type": draft.type,
                "at": moment.isoformat(),
                "schema_version": SCHEMA_VERSION,
                "service_id": draft.service_id,
                "counter_id": draft.counter_id,
                "ticket_id": draft.ticket_id,
                "actor": "device:kiosk-1" if draft.type == ev.TICKET_ISSUED else None,
                "data": shipped_data(draft.type, draft.data, catalogue, staff),  # type: ignore[arg-type]  # duck-typed catalogue
            }
        )
    return log


def days_log(centre_id: str, days: list[date], seed: int) -> list[dict[str, Any]]:
    """The centre's log over several days (each simulated with its own seed), `seq`
    running on from 1."""
    log: list[dict[str, Any]] = []
    for offset, day in enumerate(days):
        for event in day_log(centre_id, day, seed * 1000 + offset):
            log.append({**event, "seq": len(log) + 1})
    return log


def day_figures(seed: int, day: date) -> dict[str, Figures]:
    """Per service, the figures of one simulated day (for rollups written directly)."""
    plan, visits = simulate(seed)
    midnight = datetime.combine(day, datetime.min.time(), ZONE)
    rng = random.Random(seed)
    figures: dict[str, Figures] = {}
    for visit in visits:
        if visit.turned_away:
            continue
        issued = midnight + timedelta(seconds=visit.issued_at % DAY_SECONDS)
        called = (
            None
            if visit.called_at is None
            else midnight + timedelta(seconds=visit.called_at % DAY_SECONDS)
        )
        served = called is not None and not visit.no_show
        started = called + timedelta(seconds=plan.walk_seconds) if served and called else None
        status = "done" if served else ("no_show" if called else "expired")
        counted = Visit(
            ticket_id=visit.ticket_id,
            service_id=visit.service_id,
            status=status,
            issued_at=issued,
            target_wait_seconds=plan.services_by_id[visit.service_id].target_wait.total_seconds(),
            first_called_at=called,
            started_at=started,
            finished_at=started + timedelta(seconds=visit.duration) if started else None,
            rating=1 + int(rng.random() * 5) if served and rng.random() < 0.4 else None,
        )
        figures.setdefault(visit.service_id, Figures()).add(contribution(counted))
    return figures


def profile() -> dict[str, Any]:
    """The centre profile a simulated centre sends (time zone, services): the city
    scenario's services are the demo catalogue's, and are named as there."""
    plan = scenario()
    demo = load_catalogue_text(
        resources.files("core.data").joinpath("demo_catalogue.toml").read_text("utf-8")
    )
    return {
        "timezone": ZONE.key,
        "services": [
            {
                "id": spec.service.id,
                "name": (
                    demo.services_by_id[spec.service.id].name
                    if spec.service.id in demo.services_by_id
                    else spec.service.name
                ).as_dict(),
                "target_wait_seconds": int(spec.service.target_wait.total_seconds()),
            }
            for spec in plan.services
        ],
        "counters": len(plan.counters),
    }
