"""Simple written applications lodged at the kiosk: types, fields, validation, status.

An application type (from the catalogue) picks which of the standard fields
its form shows and which are required; the field definitions themselves
(kind, maximum length, labels) are fixed here so that every centre validates
the same way. Validation returns per-field problem codes, which the server
sends as field errors and the kiosk shows in the visitor's language.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from core.errors import CatalogueError, IllegalTransition, InvalidInput
from core.free_text import APPLICATION_LINE, APPLICATION_TEXT, TextRule, text_problem
from core.model import EMPTY_TEXT, Localized
from core.personal_code import InvalidPersonalCode, parse_personal_code


class FieldKind(StrEnum):
    """How a field is entered and checked."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    PERSONAL_CODE = "personal_code"
    PHONE = "phone"
    EMAIL = "email"
    CHOICE = "choice"


class Delivery(StrEnum):
    """How the applicant wants the answer."""

    IN_PERSON = "in_person"
    POST = "post"
    EMAIL = "email"


@dataclass(frozen=True)
class FieldSpec:
    """One standard form field."""

    name: str
    kind: FieldKind
    max_length: int
    label: Localized
    personal: bool
    """Personal data: purged after the retention period."""
    choices: tuple[str, ...] = ()

    @property
    def text_rule(self) -> TextRule:
        """The free-text rule of the field: one line, or lines for the long text."""
        base = APPLICATION_TEXT if self.kind is FieldKind.LONG_TEXT else APPLICATION_LINE
        return TextRule(min(self.max_length, base.max_length), multiline=base.multiline)


STANDARD_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FieldSpec(
            "name",
            FieldKind.TEXT,
            100,
            Localized("Vārds, uzvārds", "Имя, фамилия", "Name and surname"),
            personal=True,
        ),
        FieldSpec(
            "personal_code",
            FieldKind.PERSONAL_CODE,
            12,
            Localized("Personas kods", "Персональный код", "Personal code"),
            personal=True,
        ),
        FieldSpec(
            "phone",
            FieldKind.PHONE,
            20,
            Localized("Tālrunis", "Телефон", "Phone"),
            personal=True,
        ),
        FieldSpec(
            "email",
            FieldKind.EMAIL,
            120,
            Localized("E-pasts", "Эл. почта", "E-mail"),
            personal=True,
        ),
        FieldSpec(
            "address",
            FieldKind.TEXT,
            200,
            Localized("Pasta adrese", "Почтовый адрес", "Postal address"),
            personal=True,
        ),
        FieldSpec(
            "text",
            FieldKind.LONG_TEXT,
            2000,
            Localized("Iesnieguma teksts", "Текст заявления", "Your application"),
            personal=True,
        ),
        FieldSpec(
            "delivery",
            FieldKind.CHOICE,
            20,
            Localized("Kā saņemt atbildi", "Как получить ответ", "How to receive the answer"),
            personal=False,
            choices=tuple(d.value for d in Delivery),
        ),
    )
}
CONTACT_FIELDS = ("phone", "email")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ]{6,18}$")
EMAIL_PATTERN = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$")


class FieldProblem(StrEnum):
    """Stable codes of field errors."""

    REQUIRED = "required"
    UNKNOWN = "unknown_field"
    NOT_TEXT = "not_text"
    TOO_LONG = "too_long"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"
    INVALID_CHOICE = "invalid_choice"
    CONTACT_REQUIRED = "contact_required"
    CONSENT_REQUIRED = "consent_required"
    CONTROL_CHARACTERS = "control_characters"


@dataclass(frozen=True)
class ApplicationType:
    """A kind of simple application a visitor may lodge at the kiosk."""

    id: str
    service_id: str
    department_id: str
    name: Localized
    fields: tuple[str, ...]
    required: frozenset[str]
    answer_days: int | None = None
    """Days to answer; None means one calendar month (Administrative Procedure Law)."""
    description: Localized = EMPTY_TEXT

    def field_specs(self) -> list[FieldSpec]:
        """The form's fields in order."""
        return [STANDARD_FIELDS[name] for name in self.fields]


def parse_application_types(
    raw: Sequence[Mapping[str, Any]], services: set[str], departments: set[str]
) -> tuple[ApplicationType, ...]:
    """Build application types from the catalogue's `[[application_types]]` tables."""
    result: list[ApplicationType] = []
    for index, item in enumerate(raw):
        path = f"application_types[{index}]"
        allowed = {
            "id",
            "service",
            "department",
            "name",
            "description",
            "fields",
            "required",
            "answer_days",
        }
        for key in item:
            if key not in allowed:
                raise CatalogueError(f"{path}.{key}: is not a known field")

        def need(key: str, path: str = path, item: Mapping[str, Any] = item) -> Any:
            if key not in item:
                raise CatalogueError(f"{path}.{key}: is required")
            return item[key]

        type_id = need("id")
        service_id = need("service")
        if service_id not in services:
            raise CatalogueError(f"{path}.service: {service_id!r} is not a service id")
        department_id = need("department")
        if department_id not in departments:
            raise CatalogueError(f"{path}.department: {department_id!r} is not a department id")
        fields = need("fields")
        if not isinstance(fields, list) or not fields:
            raise CatalogueError(f"{path}.fields: must be a non-empty list of field names")
        for name in fields:
            if name not in STANDARD_FIELDS:
                known = ", ".join(STANDARD_FIELDS)
                raise CatalogueError(f"{path}.fields: {name!r} is not one of {known}")
        required = item.get("required", [])
        for name in required:
            if name not in fields:
                raise CatalogueError(f"{path}.required: {name!r} is not in this type's fields")
        answer_days = item.get("answer_days")
        if answer_days is not None and (
            isinstance(answer_days, bool) or not isinstance(answer_days, int) or answer_days < 1
        ):
            raise CatalogueError(f"{path}.answer_days: must be a positive whole number")
        result.append(
            ApplicationType(
                id=str(type_id),
                service_id=service_id,
                department_id=department_id,
                name=_localized(need("name"), f"{path}.name"),
                description=_localized(item.get("description", {}), f"{path}.description"),
                fields=tuple(fields),
                required=frozenset(required),
                answer_days=answer_days,
            )
        )
    ids = [t.id for t in result]
    for index, type_id in enumerate(ids):
        if type_id in ids[:index]:
            raise CatalogueError(f"application_types[{index}].id: {type_id!r} is used twice")
    return tuple(result)


def _localized(value: Any, path: str) -> Localized:
    if not isinstance(value, dict):
        raise CatalogueError(f"{path}: must be a table with lv, ru and en")
    return Localized(str(value.get("lv", "")), str(value.get("ru", "")), str(value.get("en", "")))


def validate_submission(
    application_type: ApplicationType,
    values: Mapping[str, Any],
    *,
    consent: bool,
    today: date | None = None,
) -> dict[str, str]:
    """Check a submitted form; return the cleaned values or raise `InvalidInput`.

    `InvalidInput.fields` maps each bad field to a `FieldProblem` or
    `core.personal_code.CodeProblem` code.
    """
    problems: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for name, value in values.items():
        if name not in application_type.fields:
            problems[name] = FieldProblem.UNKNOWN
            continue
        spec = STANDARD_FIELDS[name]
        if value is None:
            continue
        if not isinstance(value, str):
            problems[name] = FieldProblem.NOT_TEXT
            continue
        text, text_error = text_problem(value, spec.text_rule)
        if text_error is not None:
            problems[name] = text_error.value
            continue
        if text:
            clean, problem = _check_kind(spec, text, today)
            if problem is not None:
                problems[name] = problem
            else:
                cleaned[name] = clean
    for name in application_type.required:
        if name not in cleaned and name not in problems:
            problems[name] = FieldProblem.REQUIRED
    delivery = cleaned.get("delivery")
    if delivery == Delivery.POST and "address" not in cleaned and "address" not in problems:
        problems["address"] = FieldProblem.REQUIRED
    if delivery == Delivery.EMAIL and "email" not in cleaned and "email" not in problems:
        problems["email"] = FieldProblem.REQUIRED
    offered_contacts = [f for f in CONTACT_FIELDS if f in application_type.fields]
    if (
        offered_contacts
        and not any(f in cleaned for f in offered_contacts)
        and not any(f in problems for f in offered_contacts)
    ):
        problems[offered_contacts[0]] = FieldProblem.CONTACT_REQUIRED
    if not consent:
        problems["consent"] = FieldProblem.CONSENT_REQUIRED
    if problems:
        raise InvalidInput("Some fields need attention.", problems)
    return cleaned


def _check_kind(spec: FieldSpec, text: str, today: date | None) -> tuple[str, str | None]:
    """The cleaned value and a problem code (None when the value is fine)."""
    if spec.kind is FieldKind.PERSONAL_CODE:
        try:
            return parse_personal_code(text, today).normalized, None
        except InvalidPersonalCode as exc:
            return text, exc.problem.value
    if spec.kind is FieldKind.PHONE and not PHONE_PATTERN.match(text):
        return text, FieldProblem.INVALID_PHONE.value
    if spec.kind is FieldKind.EMAIL and not EMAIL_PATTERN.match(text):
        return text, FieldProblem.INVALID_EMAIL.value
    if spec.kind is FieldKind.CHOICE and text not in spec.choices:
        return text, FieldProblem.INVALID_CHOICE.value
    return text, None


class ApplicationStatus(StrEnum):
    """Where an application is in the back office."""

    RECEIVED = "received"
    FORWARDED = "forwarded"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    REJECTED = "rejected"

    @property
    def is_closed(self) -> bool:
        """Answered or rejected: nothing more happens, retention starts counting."""
        return self in (ApplicationStatus.ANSWERED, ApplicationStatus.REJECTED)


NEXT_STATUSES: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    ApplicationStatus.RECEIVED: frozenset(
        {ApplicationStatus.FORWARDED, ApplicationStatus.IN_PROGRESS, ApplicationStatus.REJECTED}
    ),
    ApplicationStatus.FORWARDED: frozenset(
        {ApplicationStatus.IN_PROGRESS, ApplicationStatus.ANSWERED, ApplicationStatus.REJECTED}
    ),
    ApplicationStatus.IN_PROGRESS: frozenset(
        {ApplicationStatus.ANSWERED, ApplicationStatus.REJECTED}
    ),
    ApplicationStatus.ANSWERED: frozenset(),
    ApplicationStatus.REJECTED: frozenset(),
}


def check_status_change(
    registration_number: str, current: ApplicationStatus, new: ApplicationStatus
) -> None:
    """Raise `IllegalTransition` unless `current -> new` is a legal step."""
    if new not in NEXT_STATUSES[current]:
        raise IllegalTransition(registration_number, current.value, f"moved to {new.value}")


def registration_number(prefix: str, year: int, seq: int) -> str:
    """`KAC/2026/000123`."""
    return f"{prefix}/{year}/{seq:06d}"


def answer_deadline(lodged_on: date, answer_days: int | None) -> date:
    """The legal deadline for the answer.

    `answer_days` calendar days, or by default one calendar month (the same
    day next month, or that month's last day when it is shorter).
    """
    if answer_days is not None:
        return lodged_on + timedelta(days=answer_days)
    year, month = (
        (lodged_on.year + 1, 1)
        if lodged_on.month == 12
        else (
            lodged_on.year,
            lodged_on.month + 1,
        )
    )
    day = min(lodged_on.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)
