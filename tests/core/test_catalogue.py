"""Catalogue parsing: the demo catalogue is valid; every mistake is named precisely."""

from __future__ import annotations

import tomllib

import pytest

from core.catalogue import load_catalogue_text, parse_catalogue
from core.data import demo_catalogue_text
from core.errors import CatalogueError
from core.model import Channel, Strategy


def demo() -> dict:
    return tomllib.loads(demo_catalogue_text())


def test_demo_catalogue_is_realistic_and_complete() -> None:
    catalogue = load_catalogue_text(demo_catalogue_text())
    assert 4 <= len(catalogue.counters) <= 6
    assert len(catalogue.services) >= 8
    assert {c.id for c in catalogue.categories} >= {"residence", "social", "property"}
    assert catalogue.life_situations
    for service in catalogue.services:
        for text in (service.name, service.standard.who_may_apply, service.standard.fee):
            assert text.lv and text.ru and text.en, service.id
        assert service.standard.department_id
        assert service.standard.channels
    residence = catalogue.service("residence")
    assert residence.prefix == "A" and Channel.E_SERVICE in residence.standard.channels
    assert catalogue.counter("c3").profile.strategy is Strategy.SERVICE_LEVEL
    assert catalogue.counter("c3").profile.weight("social-assistance") == 1.5
    assert catalogue.hours.timezone == "Europe/Riga"
    assert catalogue.application_types


def break_it(path: list, value) -> dict:
    data = demo()
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["services", 2, "prefix"], "a1", "services[2].prefix: must be 1-2 capital Latin letters"),
        (["services", 1, "prefix"], "A", "services[1].prefix: 'A' is used twice"),
        (
            ["services", 0, "target_wait_minutes"],
            -5,
            "services[0].target_wait_minutes: must be at least 1",
        ),
        (
            ["services", 0, "expected_duration_minutes"],
            "ten",
            "services[0].expected_duration_minutes: must be a whole number",
        ),
        (["services", 0, "name"], KeyError, "services[0].name: is required"),
        (["services", 0, "name"], "Deklarēšana", "services[0].name: must give each language"),
        (["services", 0, "category"], "nope", "services[0].category: 'nope' is not a category id"),
        (["services", 0, "colour"], "red", "services[0].colour: is not a known field"),
        (
            ["services", 0, "standard", "department"],
            "x",
            "services[0].standard.department: 'x' is not a department id",
        ),
        (
            ["services", 0, "standard", "channels"],
            ["fax"],
            "services[0].standard.channels: 'fax' is not one of",
        ),
        (
            ["counters", 0, "services"],
            ["ghost"],
            "counters[0].services: 'ghost' is not a service id",
        ),
        (["counters", 0, "strategy"], "random", "counters[0].strategy: 'random' is not one of"),
        (
            ["counters", 0, "services"],
            [],
            "counters[0].services: a counter must serve at least one service",
        ),
        (["hours", "mon"], ["19:00-08:00"], "hours.mon: closing time must be after opening time"),
        (
            ["hours", "exceptions", 0, "date"],
            "tomorrow",
            "hours.exceptions[0].date: must be a date",
        ),
        (
            ["centre", "timezone"],
            "Mars/Olympus",
            "centre.timezone: 'Mars/Olympus' is not a known time zone",
        ),
        (["centre", "status_url"], "http://x/", "centre.status_url: must contain {ticket_id}"),
        (
            ["application_types", 0, "fields"],
            ["name", "shoe_size"],
            "application_types[0].fields: 'shoe_size' is not one of",
        ),
        # Application types were read by a laxer parser than the rest of the catalogue:
        # any id and any language went. The catalogue's standard holds for them too.
        (
            ["application_types", 0, "id"],
            "Bad Id!",
            "application_types[0].id: must be lowercase letters, digits, '-' or '_', got 'Bad Id!'",
        ),
        (
            ["application_types", 0, "name", "de"],
            "Antrag",
            "application_types[0].name.de: is not a language (use lv, ru, en)",
        ),
        (
            ["application_types", 0, "name", "ru"],
            KeyError,
            "application_types[0].name.ru: is required",
        ),
        (["policy", "expire_parked"], "no", "policy.expire_parked: must be true or false"),
        (
            ["hours", "exceptions", 0, "closed"],
            "yes",
            "hours.exceptions[0].closed: must be true or false, got 'yes'",
        ),
    ],
)
def test_invalid_catalogue_names_the_field_and_the_problem(path: list, value, message: str) -> None:
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(break_it(path, value))
    assert message in str(info.value)


def test_errors_name_the_catalogue_file() -> None:
    text = demo_catalogue_text().replace('prefix = "C"', 'prefix = "c1"')
    with pytest.raises(CatalogueError, match=r"^centre\.toml: services\[2\]\.prefix: must be"):
        load_catalogue_text(text, "centre.toml")


def test_invalid_toml_is_reported_with_the_source() -> None:
    with pytest.raises(CatalogueError, match=r"my\.toml: not valid TOML"):
        load_catalogue_text("[centre\nname=", "my.toml")
