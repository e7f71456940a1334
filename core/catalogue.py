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
from core.errors import CatalogueError, NotFound
from core.hours import WEEKDAYS, DayException, OpeningHours, parse_ranges
from core.model import (
    EMPTY_TEXT,
    LANGUAGES,
    AppointmentPolicy,
    AppointmentRules,
    Category,
    Channel,
    Counter,
    LateArrival,
    LifeSituation,
    Localized,
    QueuePolicy,
    Service,
    ServiceStandard,
    Strategy,
    TimeRange,
    WorkProfile,
)
from core.settings import Table, parse_document


@dataclass(frozen=True)
class Department:
    """An institution or department that decides applications."""

    id: str
    name: Localized
    email: str = ""


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


def load_catalogue_text(text: str, source: str = "catalogue") -> Catalogue:
    """Parse catalogue TOML text; errors name `source` (the file) and the field."""
    return parse_catalogue(parse_document(text, source, CatalogueError).data, source)


def parse_catalogue(data: Mapping[str, Any], source: str = "") -> Catalogue:
    """Build and cross-check a catalogue from parsed TOML (read from `source`, which
    errors name with the field: `catalogue.toml: services[2].prefix: ...`)."""
    root = Table(dict(data), source=source, error=CatalogueError)
    root.reject_unknown(
        {
            "centre",
            "policy",
            "hours",
            "categories",
            "life_situations",
            "services",
            "counters",
            "departments",
            "application_types",
            "appointments",
        }
    )
    centre = _parse_centre(root.child("centre"))
    policy = _parse_policy(root.child("policy")) if root.has("policy") else QueuePolicy()
    hours = _parse_hours(root.child("hours"), centre.timezone)
    categories = tuple(
        Category(node.ident("id"), node.localized("name")) for node in root.children("categories")
    )
    situations = tuple(
        LifeSituation(node.ident("id"), node.localized("name"))
        for node in root.children("life_situations", required=False)
    )
    departments = tuple(
        Department(node.ident("id"), node.localized("name"), node.text("email", default=""))
        for node in root.children("departments", required=False)
    )
    _unique(root, "categories", [c.id for c in categories])
    _unique(root, "life_situations", [s.id for s in situations])
    _unique(root, "departments", [d.id for d in departments])
    services = tuple(
        _parse_service(
            node,
            {c.id for c in categories},
            {s.id for s in situations},
            {d.id for d in departments},
        )
        for node in root.children("services")
    )
    if not services:
        raise root.fail("services", "at least one service is required")
    _unique(root, "services", [s.id for s in services])
    _unique(root, "services", [s.prefix for s in services], what="prefix")
    counters = tuple(
        _parse_counter(node, {s.id for s in services}) for node in root.children("counters")
    )
    if not counters:
        raise root.fail("counters", "at least one counter is required")
    _unique(root, "counters", [c.id for c in counters])
    application_types = parse_application_types(
        root.children("application_types", required=False),
        {s.id for s in services},
        {d.id for d in departments},
    )
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
        categories=categories,
        life_situations=situations,
        services=services,
        counters=counters,
        departments=departments,
        application_types=application_types,
    )


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


def _weekly(node: Table) -> dict[int, tuple[TimeRange, ...]]:
    weekly: dict[int, tuple[TimeRange, ...]] = {}
    for index, day in enumerate(WEEKDAYS):
        if day not in node.data:
            continue
        texts = node.data[day]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise node.fail(
                day, f'must be a list like ["08:30-12:00", "12:30-17:00"], got {texts!r}'
            )
        try:
            weekly[index] = parse_ranges(texts)
        except ValueError as exc:
            raise node.fail(day, str(exc)) from None
    return weekly


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
    return OpeningHours(timezone=timezone, weekly=_weekly(node), exceptions=exceptions)


def _parse_service(
    node: Table, categories: set[str], situations: set[str], departments: set[str]
) -> Service:
    node.reject_unknown(
        {
            "id",
            "prefix",
            "name",
            "description",
            "category",
            "life_situations",
            "expected_duration_minutes",
            "target_wait_minutes",
            "daily_cap",
            "standard",
            "hours",
            "appointments",
        }
    )
    prefix = node.text("prefix", max_length=2)
    if not (1 <= len(prefix) <= 2 and prefix.isascii() and prefix.isalpha() and prefix.isupper()):
        raise node.fail("prefix", f"must be 1-2 capital Latin letters, got {prefix!r}")
    category = node.text("category")
    if category not in categories:
        raise node.fail("category", f"{category!r} is not a category id")
    life = node.string_list("life_situations")
    for situation in life:
        if situation not in situations:
            raise node.fail("life_situations", f"{situation!r} is not a life situation id")
    cap = node.integer("daily_cap", default=0, minimum=0) or None
    standard = ServiceStandard()
    if node.has("standard"):
        standard = _parse_standard(node.child("standard"), departments)
    return Service(
        id=node.ident("id"),
        prefix=prefix,
        name=node.localized("name"),
        description=node.localized("description", required=False),
        category_id=category,
        life_situation_ids=life,
        expected_duration=timedelta(minutes=node.integer("expected_duration_minutes", minimum=1)),
        target_wait=timedelta(minutes=node.integer("target_wait_minutes", minimum=1)),
        daily_cap=cap,
        standard=standard,
        weekly_hours=_weekly(node.child("hours")) if node.has("hours") else None,
        appointments=(
            _parse_appointment_rules(node.child("appointments"))
            if node.has("appointments")
            else None
        ),
    )


def _parse_appointment_rules(node: Table) -> AppointmentRules:
    node.reject_unknown(
        {
            "slot_minutes",
            "parallel",
            "days_ahead",
            "per_person",
            "minimum_notice_minutes",
            "release_delay_minutes",
            "hours",
        }
    )
    return AppointmentRules(
        slot_length=timedelta(minutes=node.integer("slot_minutes", minimum=5)),
        parallel=node.integer("parallel", default=1, minimum=1),
        days_ahead=node.integer("days_ahead", default=14, minimum=0),
        per_person=node.integer("per_person", default=1, minimum=1),
        minimum_notice=timedelta(minutes=node.integer("minimum_notice_minutes", default=120)),
        release_delay=timedelta(minutes=node.integer("release_delay_minutes", default=30)),
        weekly=_weekly(node.child("hours")) if node.has("hours") else None,
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


def _parse_standard(node: Table, departments: set[str]) -> ServiceStandard:
    node.reject_unknown(
        {
            "who_may_apply",
            "documents",
            "fee",
            "decision_time",
            "institution",
            "department",
            "channels",
            "result_delivery",
        }
    )
    department = node.text("department", default="") or None
    if department is not None and department not in departments:
        raise node.fail("department", f"{department!r} is not a department id")
    channels: list[Channel] = []
    for value in node.string_list("channels"):
        try:
            channels.append(Channel(value))
        except ValueError:
            allowed = ", ".join(c.value for c in Channel)
            raise node.fail("channels", f"{value!r} is not one of {allowed}") from None
    return ServiceStandard(
        who_may_apply=node.localized("who_may_apply", required=False),
        documents=node.localized("documents", required=False),
        fee=node.localized("fee", required=False),
        decision_time=node.localized("decision_time", required=False),
        institution=node.localized("institution", required=False),
        department_id=department,
        channels=tuple(channels),
        result_delivery=node.localized("result_delivery", required=False),
    )


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
