"""The centre's catalogue: centre details, hours, services, counters, departments.

Parsed from TOML text (see `core/data/demo_catalogue.toml` for the format and
`docs/catalogue.md` for every field). Every problem is reported as a
`CatalogueError` whose message names the field, e.g.
`services[2].prefix: must be 1-2 capital Latin letters, got 'a1'`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.applications import ApplicationType, parse_application_types
from core.catalogue_services import Department, parse_department, parse_service, weekly_ranges
from core.errors import CatalogueError, NotFound
from core.hours import WEEKDAYS, DayException, OpeningHours, parse_ranges
from core.model import (
    EMPTY_TEXT,
    LANGUAGES,
    AppointmentPolicy,
    Category,
    Counter,
    LateArrival,
    LifeSituation,
    Localized,
    QueuePolicy,
    Service,
    Strategy,
    WorkProfile,
)
from core.settings import Table, parse_document


@dataclass(frozen=True)
class Centre:
    """Who the centre is and how its day is laid out."""

    name: Localized
    address: Localized = EMPTY_TEXT
    phone: str = ""
    website: str = ""
    timezone: str = "Europe/Riga"
    business_day_starts: time = time(0, 0)
    languages: tuple[str, ...] = LANGUAGES
    ticket_footer: Localized = EMPTY_TEXT
    status_url: str = ""
    """Template of the ticket QR code's address, e.g. `http://kac.local:8000/t/{ticket_id}`."""


@dataclass(frozen=True)
class Catalogue:
    """Everything configured about one centre."""

    centre: Centre
    policy: QueuePolicy
    hours: OpeningHours
    categories: tuple[Category, ...]
    life_situations: tuple[LifeSituation, ...]
    services: tuple[Service, ...]
    counters: tuple[Counter, ...]
    departments: tuple[Department, ...] = ()
    application_types: tuple[ApplicationType, ...] = ()
    appointment_policy: AppointmentPolicy = field(default_factory=AppointmentPolicy)
    national_version: int | None = None
    """The national catalogue version the services come from (None: a centre that keeps
    its own catalogue)."""
    forwarded_departments: frozenset[str] = frozenset()
    """The departments (institutions) whose applications this centre forwards to the
    network hub instead of keeping them in its own back office (`core.national`:
    the national departments its `[subscription] back_office` does not name)."""
    _services_by_id: dict[str, Service] = field(default_factory=dict, repr=False, compare=False)
    _counters_by_id: dict[str, Counter] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._services_by_id.update({s.id: s for s in self.services})
        self._counters_by_id.update({c.id: c for c in self.counters})

    @property
    def services_by_id(self) -> Mapping[str, Service]:
        """Services keyed by id."""
        return self._services_by_id

    @property
    def counters_by_id(self) -> Mapping[str, Counter]:
        """Counters keyed by id."""
        return self._counters_by_id

    def service(self, service_id: str) -> Service:
        """The service with this id, or `NotFound`."""
        try:
            return self._services_by_id[service_id]
        except KeyError:
            raise NotFound("service", service_id) from None

    def counter(self, counter_id: str) -> Counter:
        """The counter with this id, or `NotFound`."""
        try:
            return self._counters_by_id[counter_id]
        except KeyError:
            raise NotFound("counter", counter_id) from None

    def application_type(self, type_id: str) -> ApplicationType:
        """The application type with this id, or `NotFound`."""
        for application_type in self.application_types:
            if application_type.id == type_id:
                return application_type
        raise NotFound("application_type", type_id)

    def department(self, department_id: str) -> Department:
        """The department with this id, or `NotFound`."""
        for department in self.departments:
            if department.id == department_id:
                return department
        raise NotFound("department", department_id)

    def forwards(self, department_id: str) -> bool:
        """Whether an application for this department goes to the network hub (True)
        or stays in this centre's back office (False)."""
        return department_id in self.forwarded_departments


SHARED_SECTIONS = frozenset(
    {"categories", "life_situations", "services", "departments", "application_types"}
)
"""What a national catalogue publishes (`core.national`): services and their standards,
the departments that decide them, categories, life situations, application types."""
CENTRE_SECTIONS = frozenset({"centre", "policy", "hours", "counters", "appointments"})
"""What only a centre's own file says: who it is, its rules, hours, counters and how it
holds appointments."""


@dataclass(frozen=True)
class Services:
    """The shared sections of a catalogue, cross-checked."""

    categories: tuple[Category, ...]
    life_situations: tuple[LifeSituation, ...]
    services: tuple[Service, ...]
    departments: tuple[Department, ...]
    application_types: tuple[ApplicationType, ...]


def load_catalogue_text(text: str, source: str = "catalogue") -> Catalogue:
    """Parse catalogue TOML text; errors name `source` (the file) and the field."""
    return parse_catalogue(parse_document(text, source, CatalogueError).data, source)


def parse_catalogue(
    data: Mapping[str, Any], source: str = "", *, national_version: int | None = None
) -> Catalogue:
    """Build and cross-check a catalogue from parsed TOML (read from `source`, which
    errors name with the field: `catalogue.toml: services[2].prefix: ...`).
    `national_version`: the national catalogue version its shared sections come from."""
    root = Table(dict(data), source=source, error=CatalogueError)
    root.reject_unknown(SHARED_SECTIONS | CENTRE_SECTIONS)
    centre = _parse_centre(root.child("centre"))
    policy = _parse_policy(root.child("policy")) if root.has("policy") else QueuePolicy()
    hours = _parse_hours(root.child("hours"), centre.timezone)
    shared = parse_services(root)
    counters = tuple(
        _parse_counter(node, {s.id for s in shared.services}) for node in root.children("counters")
    )
    if not counters:
        raise root.fail("counters", "at least one counter is required")
    _unique(root, "counters", [c.id for c in counters])
    appointment_policy = (
        _parse_appointment_policy(root.child("appointments"))
        if root.has("appointments")
        else AppointmentPolicy()
    )
    return Catalogue(
        appointment_policy=appointment_policy,
        centre=centre,
        policy=policy,
        hours=hours,
        categories=shared.categories,
        life_situations=shared.life_situations,
        services=shared.services,
        counters=counters,
        departments=shared.departments,
        application_types=shared.application_types,
        national_version=national_version,
    )


def parse_services(root: Table) -> Services:
    """The shared sections of a catalogue document (`SHARED_SECTIONS`), each reference
    checked: a service's category, life situations and department, an application
    type's service and department; ids and prefixes unique."""
    categories = tuple(
        Category(node.ident("id"), node.localized("name")) for node in root.children("categories")
    )
    situations = tuple(
        LifeSituation(node.ident("id"), node.localized("name"))
        for node in root.children("life_situations", required=False)
    )
    departments = tuple(
        parse_department(node) for node in root.children("departments", required=False)
    )
    _unique(root, "categories", [c.id for c in categories])
    _unique(root, "life_situations", [s.id for s in situations])
    _unique(root, "departments", [d.id for d in departments])
    services = tuple(
        parse_service(
            node,
            {c.id for c in categories},
            {s.id for s in situations},
            {d.id: d for d in departments},
        )
        for node in root.children("services")
    )
    if not services:
        raise root.fail("services", "at least one service is required")
    _unique(root, "services", [s.id for s in services])
    _unique(root, "services", [s.prefix for s in services], what="prefix")
    application_types = parse_application_types(
        root.children("application_types", required=False),
        {s.id for s in services},
        {d.id for d in departments},
    )
    return Services(categories, situations, services, departments, application_types)


def _unique(root: Table, key: str, values: list[str], what: str = "id") -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise root.fail(f"{key}[{index}].{what}", f"{value!r} is used twice")
        seen.add(value)


def _parse_centre(node: Table) -> Centre:
    node.reject_unknown(
        {
            "name",
            "address",
            "phone",
            "website",
            "timezone",
            "business_day_starts",
            "languages",
            "ticket_footer",
            "status_url",
        }
    )
    timezone = node.text("timezone", default="Europe/Riga")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise node.fail("timezone", f"{timezone!r} is not a known time zone") from None
    starts_text = node.text("business_day_starts", default="00:00")
    try:
        hour, minute = (int(part) for part in starts_text.split(":"))
        starts = time(hour, minute)
    except ValueError:
        raise node.fail("business_day_starts", f"expected HH:MM, got {starts_text!r}") from None
    languages = node.string_list("languages") or LANGUAGES
    for language in languages:
        if language not in LANGUAGES:
            raise node.fail("languages", f"{language!r} is not one of {', '.join(LANGUAGES)}")
    status_url = node.text("status_url", default="")
    if status_url and "{ticket_id}" not in status_url:
        raise node.fail("status_url", "must contain {ticket_id}")
    return Centre(
        name=node.localized("name"),
        address=node.localized("address", required=False),
        phone=node.text("phone", default=""),
        website=node.text("website", default=""),
        timezone=timezone,
        business_day_starts=starts,
        languages=tuple(languages),
        ticket_footer=node.localized("ticket_footer", required=False),
        status_url=status_url,
    )


def _parse_policy(node: Table) -> QueuePolicy:
    node.reject_unknown(
        {
            "priority_fairness_limit_minutes",
            "no_show_reactivation_minutes",
            "expire_parked",
            "expire_after_closing_minutes",
        }
    )
    return QueuePolicy(
        priority_fairness_limit=timedelta(
            minutes=node.integer("priority_fairness_limit_minutes", default=20, minimum=1)
        ),
        no_show_reactivation_window=timedelta(
            minutes=node.integer("no_show_reactivation_minutes", default=15)
        ),
        expire_parked_at_closing=node.boolean("expire_parked", default=True),
        expire_grace=timedelta(minutes=node.integer("expire_after_closing_minutes", default=30)),
    )


def _parse_hours(node: Table, timezone: str) -> OpeningHours:
    node.reject_unknown({*WEEKDAYS, "exceptions"})
    exceptions: dict[date, DayException] = {}
    for item in node.children("exceptions", required=False):
        item.reject_unknown({"date", "hours", "closed", "note"})
        day = item.day("date")
        closed = item.boolean("closed", default=False)
        texts = item.string_list("hours")
        if closed and texts:
            raise item.fail("hours", "a closed day cannot also have hours")
        if not closed and not texts:
            raise item.fail("hours", "give the day's hours, or closed = true")
        try:
            ranges = () if closed else parse_ranges(list(texts))
        except ValueError as exc:
            raise item.fail("hours", str(exc)) from None
        exceptions[day] = DayException(day, ranges, item.text("note", default=""))
    return OpeningHours(timezone=timezone, weekly=weekly_ranges(node), exceptions=exceptions)


def _parse_counter(node: Table, services: set[str]) -> Counter:
    node.reject_unknown(
        {"id", "label", "name", "services", "strategy", "weights", "area", "breaks"}
    )
    service_ids = node.string_list("services")
    if not service_ids:
        raise node.fail("services", "a counter must serve at least one service")
    for service_id in service_ids:
        if service_id not in services:
            raise node.fail("services", f"{service_id!r} is not a service id")
    strategy_text = node.text("strategy", default=Strategy.LONGEST_WAIT.value)
    try:
        strategy = Strategy(strategy_text)
    except ValueError:
        allowed = ", ".join(s.value for s in Strategy)
        raise node.fail("strategy", f"{strategy_text!r} is not one of {allowed}") from None
    weights: dict[str, float] = {}
    if node.has("weights"):
        weight_node = node.child("weights")
        for service_id in weight_node.data:
            if service_id not in service_ids:
                raise weight_node.fail(service_id, "is not a service of this counter")
            weights[service_id] = weight_node.number(service_id, default=1.0, positive=True)
    label = node.text("label", max_length=8)
    if not label:
        raise node.fail("label", "must not be empty")
    try:
        breaks = parse_ranges(list(node.string_list("breaks")))
    except ValueError as exc:
        raise node.fail("breaks", str(exc)) from None
    return Counter(
        id=node.ident("id"),
        label=label,
        name=node.localized("name"),
        profile=WorkProfile(service_ids=service_ids, strategy=strategy, weights=weights),
        area=node.localized("area", required=False),
        breaks=breaks,
    )


def _parse_appointment_policy(node: Table) -> AppointmentPolicy:
    node.reject_unknown(
        {
            "hold_minutes",
            "check_in_early_minutes",
            "check_in_late_minutes",
            "late_arrival",
            "reminder_hours",
        }
    )
    late = node.one_of(
        "late_arrival", [choice.value for choice in LateArrival], default="normal_ticket"
    )
    return AppointmentPolicy(
        hold=timedelta(minutes=node.integer("hold_minutes", default=10, minimum=1)),
        check_in_early=timedelta(minutes=node.integer("check_in_early_minutes", default=30)),
        check_in_late=timedelta(minutes=node.integer("check_in_late_minutes", default=10)),
        late_arrival=LateArrival(late),
        reminder_before=timedelta(hours=node.integer("reminder_hours", default=24)),
    )
