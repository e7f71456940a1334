"""Catalogues for tests: the demo catalogue, optionally open around the clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from core.catalogue import Catalogue
from core.hours import OpeningHours
from core.model import TimeRange
from server.context import load_catalogue

RIGA = ZoneInfo("Europe/Riga")
MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=RIGA).astimezone(UTC)
"""A Monday within the demo centre's opening hours."""


def demo_catalogue() -> Catalogue:
    """The bundled demo catalogue as shipped."""
    return load_catalogue(None)


def always_open(catalogue: Catalogue | None = None) -> Catalogue:
    """The catalogue with the centre open 00:00-24:00 every day and no exceptions."""
    catalogue = catalogue or demo_catalogue()
    hours = OpeningHours(
        timezone=catalogue.hours.timezone,
        weekly={day: (TimeRange(0, 24 * 60),) for day in range(7)},
    )
    services = tuple(replace(s, weekly_hours=None) for s in catalogue.services)
    counters = tuple(replace(c, breaks=()) for c in catalogue.counters)
    return replace(catalogue, hours=hours, services=services, counters=counters)


def single_service_toml(counters: int = 4, *, daily_cap: int = 0) -> str:
    """A one-service centre, open around the clock, with `counters` counters."""
    days = "\n".join(
        f'{day} = ["00:00-24:00"]' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    )
    desks = "\n".join(
        f'[[counters]]\nid = "c{i}"\nlabel = "{i}"\n'
        f'name = {{ lv = "{i}. lodziņš", ru = "Окно {i}", en = "Counter {i}" }}\n'
        f'services = ["residence"]\n'
        for i in range(1, counters + 1)
    )
    return f"""
[centre]
name = {{ lv = "Testa centrs", ru = "Тестовый центр", en = "Test centre" }}

[hours]
{days}

[[categories]]
id = "general"
name = {{ lv = "Vispārīgi", ru = "Общее", en = "General" }}

[[services]]
id = "residence"
prefix = "A"
category = "general"
name = {{ lv = "Deklarēšana", ru = "Декларирование", en = "Declaring residence" }}
expected_duration_minutes = 5
target_wait_minutes = 15
daily_cap = {daily_cap}

{desks}
"""
