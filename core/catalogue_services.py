"""The catalogue's services, their published standards and the departments (state
institutions and municipal departments) that decide them: read from a catalogue's
`[[services]]` and `[[departments]]` tables by the one settings reader
(`core.settings.Table`), every problem a `CatalogueError` naming the field.

These are the parts a national catalogue publishes (`core.national`); a centre's own
file adds its hours, counters and local-only services (`docs/catalogue.md`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from core.errors import PaymentError
from core.hours import WEEKDAYS, parse_ranges
from core.model import (
    EMPTY_TEXT,
    AppointmentRules,
    Channel,
    Localized,
    Service,
    ServiceStandard,
    TimeRange,
)
from core.payment import checked_amount, checked_bic, checked_iban
from core.settings import Table

DEPARTMENT_KINDS = ("municipal", "state")

SERVICE_FIELDS = frozenset(
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
        "local",
        "withdrawn",
    }
)
"""Every field of a `[[services]]` table."""
STANDARD_FIELDS = frozenset(
    {
        "who_may_apply",
        "documents",
        "fee",
        "fee_amount",
        "decision_time",
        "institution",
        "department",
        "channels",
        "result_delivery",
    }
)
"""Every field of a service's `[services.standard]` table."""


@dataclass(frozen=True)
class Department:
    """A state institution or municipal department that decides applications (and
    receives the fees of the services it decides)."""

    id: str
    name: Localized
    email: str = ""
    """The inbox its applications are forwarded to."""
    kind: str = "municipal"
    """`municipal` (a department of the municipality) or `state` (a state institution)."""
    contact: Localized = EMPTY_TEXT
    """Address, phone, opening hours: how residents reach it."""
    payee_name: str = ""
    """Whom fees are paid to (the account holder's name, at most 70 characters)."""
    iban: str = ""
    """The account fees are paid into (compact form, mod-97 checked)."""
    bic: str = ""


def parse_department(node: Table) -> Department:
    """A `[[departments]]` table; its IBAN and BIC are checked (ISO 13616, ISO 9362)."""
    node.reject_unknown({"id", "name", "email", "kind", "contact", "payee_name", "iban", "bic"})
    iban = node.text("iban", default="")
    bic = node.text("bic", default="")
    payee = node.text("payee_name", default="", max_length=70)
    try:
        iban = checked_iban(iban) if iban else ""
        bic = checked_bic(bic) if bic else ""
    except PaymentError as exc:
        raise node.fail(exc.field, exc.problem) from None
    if iban and not payee:
        raise node.fail("payee_name", "is required with an iban (whom the fee is paid to)")
    return Department(
        id=node.ident("id"),
        name=node.localized("name"),
        email=node.text("email", default=""),
        kind=node.one_of("kind", DEPARTMENT_KINDS, default="municipal"),
        contact=node.localized("contact", required=False),
        payee_name=payee,
        iban=iban,
        bic=bic,
    )


def weekly_ranges(node: Table) -> dict[int, tuple[TimeRange, ...]]:
    """Weekday (0 = Monday) -> opening ranges, from `mon = ["08:30-12:00", ...]` keys."""
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


def parse_service(
    node: Table,
    categories: set[str],
    situations: set[str],
    departments: dict[str, Department],
) -> Service:
    """A `[[services]]` table, its references checked against the catalogue's ids."""
    node.reject_unknown(SERVICE_FIELDS)
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
        standard = parse_standard(node.child("standard"), departments)
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
        weekly_hours=weekly_ranges(node.child("hours")) if node.has("hours") else None,
        appointments=(
            parse_appointment_rules(node.child("appointments"))
            if node.has("appointments")
            else None
        ),
        is_local=node.boolean("local", default=False),
        withdrawn=node.boolean("withdrawn", default=False),
    )


def parse_appointment_rules(node: Table) -> AppointmentRules:
    """A service's `[services.appointments]`: how its appointments are offered here."""
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
        weekly=weekly_ranges(node.child("hours")) if node.has("hours") else None,
    )


def parse_standard(node: Table, departments: dict[str, Department]) -> ServiceStandard:
    """A service's `[services.standard]` table. A `fee_amount` needs a `department`
    with an account to pay into."""
    node.reject_unknown(STANDARD_FIELDS)
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
    fee_amount: Decimal | None = None
    if node.has("fee_amount"):
        number = node.number("fee_amount")
        try:
            fee_amount = checked_amount(repr(number))
        except PaymentError as exc:
            raise node.fail("fee_amount", exc.problem) from None
        if department is None or not departments[department].iban:
            raise node.fail(
                "fee_amount",
                "a fee is paid into the deciding department's account: give a department "
                "with an iban and payee_name",
            )
    return ServiceStandard(
        who_may_apply=node.localized("who_may_apply", required=False),
        documents=node.localized("documents", required=False),
        fee=node.localized("fee", required=False),
        decision_time=node.localized("decision_time", required=False),
        institution=node.localized("institution", required=False),
        department_id=department,
        channels=tuple(channels),
        result_delivery=node.localized("result_delivery", required=False),
        fee_amount=fee_amount,
    )
