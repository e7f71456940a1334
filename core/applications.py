"""Simple written applications lodged at the kiosk: types, fields, validation, status.

An application type (from the catalogue) picks which of the standard fields
its form shows and which are required; the field definitions themselves
(kind, maximum length, labels) are fixed here so that every centre validates
the same way. Validation returns per-field problem codes, which the server
sends as field errors and the kiosk shows in the visitor's language.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from core.errors import IllegalTransition, InvalidInput
from core.free_text import APPLICATION_LINE, APPLICATION_TEXT, TextRule, text_problem
from core.model import EMPTY_TEXT, Localized
from core.personal_code import InvalidPersonalCode, parse_personal_code
from core.settings import Table


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


def kept_after_retention(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of an application that stay after the retention period: the standard
    fields not marked `personal` (the one rule for the centre and the hub)."""
    return {
        name: value
        for name, value in fields.items()
        if name in STANDARD_FIELDS and not STANDARD_FIELDS[name].personal
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
    tables: Sequence[Table], services: set[str], departments: set[str]
) -> tuple[ApplicationType, ...]:
    """Build application types from the catalogue's `[[application_types]]` tables, by
    the catalogue's standard (`core.settings.Table`): an id like every id, a name in
    every language, errors naming the file and the field."""
    result: list[ApplicationType] = []
    for table in tables:
        table.reject_unknown(
            {
                "id",
                "service",
                "department",
                "name",
                "description",
                "fields",
                "required",
                "answer_days",
            }
        )
        type_id = table.ident("id")
        service_id = table.text("service")
        if service_id not in services:
            raise table.fail("service", f"{service_id!r} is not a service id")
        department_id = table.text("department")
        if department_id not in departments:
            raise table.fail("department", f"{department_id!r} is not a department id")
        if "fields" not in table.data:
            raise table.fail("fields", "is required")
        fields = table.string_list("fields")
        if not fields:
            raise table.fail("fields", "must be a non-empty list of field names")
        for name in fields:
            if name not in STANDARD_FIELDS:
                known = ", ".join(STANDARD_FIELDS)
                raise table.fail("fields", f"{name!r} is not one of {known}")
        required = table.string_list("required")
        for name in required:
            if name not in fields:
                raise table.fail("required", f"{name!r} is not in this type's fields")
        answer_days = table.integer("answer_days", minimum=1) if table.has("answer_days") else None
        result.append(
            ApplicationType(
                id=type_id,
                service_id=service_id,
                department_id=department_id,
                name=table.localized("name"),
                description=table.localized("description", required=False),
                fields=fields,
                required=frozenset(required),
                answer_days=answer_days,
            )
        )
    ids = [t.id for t in result]
    for index, type_id in enumerate(ids):
        if type_id in ids[:index]:
            raise tables[index].fail("id", f"{type_id!r} is used twice")
    return tuple(result)


class Need(StrEnum):
    """How much a field is needed, given the answers so far (see `field_need`)."""

    OPTIONAL = "optional"
    REQUIRED = "required"
    """The application type requires it."""
    FOR_DELIVERY = "for_delivery"
    """The chosen way of receiving the answer needs it (post: address; e-mail: e-mail)."""
    ONE_CONTACT = "one_contact"
    """A phone number or an e-mail address is needed; a contact field asked later will do."""
    CONTACT = "contact"
    """No other contact was given and none is asked later: this one is needed."""

    @property
    def is_required(self) -> bool:
        """Whether leaving the field empty is a problem."""
        return self in (Need.REQUIRED, Need.FOR_DELIVERY, Need.CONTACT)

    @property
    def problem(self) -> FieldProblem:
        """The problem code of an empty field with this need."""
        return FieldProblem.CONTACT_REQUIRED if self is Need.CONTACT else FieldProblem.REQUIRED


DELIVERY_NEEDS = {Delivery.POST.value: "address", Delivery.EMAIL.value: "email"}
"""The field each way of receiving the answer needs."""
DECIDING_FIELDS = {"delivery": ("address", "email", "phone")}
"""Fields whose answer decides whether later fields are needed, with those fields (the
contact rule makes the phone depend on the delivery too): asked before them."""


def asking_order(fields: Sequence[str]) -> tuple[str, ...]:
    """The order in which a form asks its fields: the catalogue's order, except that a
    field which decides whether others are needed (`DECIDING_FIELDS`) comes before the
    first of them, so that a form never has to send the visitor back to an earlier step.

    `["name", "phone", "email", "address", "text", "delivery"]` is asked as
    `["name", "delivery", "phone", "email", "address", "text"]`.
    """
    order = list(fields)
    for decider, dependents in DECIDING_FIELDS.items():
        if decider not in order:
            continue
        first = min((order.index(name) for name in dependents if name in order), default=None)
        if first is not None and first < order.index(decider):
            order.remove(decider)
            order.insert(first, decider)
    return tuple(order)


def field_need(application_type: ApplicationType, name: str, answers: Mapping[str, Any]) -> Need:
    """Whether field `name` is needed, given the `answers` so far (non-empty values).

    The one home of "which field is required when": the type's `required` list; the
    address when the answer goes by post and the e-mail address when it goes by e-mail;
    and at least one of phone and e-mail when the form offers them: the last of those
    in asking order is needed when no other was given. The kiosk asks this before each
    step (with the answers given so far), the server for the whole form.
    """
    for_delivery = DELIVERY_NEEDS.get(str(answers.get("delivery") or ""))
    if name in application_type.required:
        return Need.REQUIRED
    if for_delivery == name:
        return Need.FOR_DELIVERY
    if name in CONTACT_FIELDS:
        contacts = [f for f in asking_order(application_type.fields) if f in CONTACT_FIELDS]
        others = [other for other in contacts if other != name]
        if any(
            _given(answers.get(other))
            or other in application_type.required
            or other == for_delivery
            for other in others
        ):
            return Need.OPTIONAL  # another contact is given, or needed anyway
        return Need.CONTACT if contacts[-1] == name else Need.ONE_CONTACT
    return Need.OPTIONAL


def _given(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def check_value(
    application_type: ApplicationType, name: str, value: Any, today: date | None = None
) -> tuple[str | None, str | None]:
    """One field's value on its own: `(cleaned, None)`, `(None, None)` when empty, or
    `(None, problem)` with a `FieldProblem` or `core.personal_code.CodeProblem` code."""
    if name not in application_type.fields:
        return None, FieldProblem.UNKNOWN.value
    spec = STANDARD_FIELDS[name]
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, FieldProblem.NOT_TEXT.value
    text, text_error = text_problem(value, spec.text_rule)
    if text_error is not None:
        return None, text_error.value
    if not text:
        return None, None
    clean, problem = _check_kind(spec, text, today)
    return (None, problem) if problem is not None else (clean, None)


def check_field(
    application_type: ApplicationType,
    name: str,
    answers: Mapping[str, Any],
    today: date | None = None,
) -> str | None:
    """The problem code of field `name` given all `answers` so far (its own value among
    them), or None: the check of one step of a form, the same as `validate_submission`."""
    value = answers.get(name)
    clean, problem = check_value(application_type, name, value, today)
    if problem is not None:
        return problem
    if clean is None:
        need = field_need(application_type, name, answers)
        if need.is_required:
            return need.problem.value
    return None


def validate_submission(
    application_type: ApplicationType,
    values: Mapping[str, Any],
    *,
    consent: bool,
    today: date | None = None,
) -> dict[str, str]:
    """Check a submitted form; return the cleaned values or raise `InvalidInput`.

    `InvalidInput.fields` maps each bad field to a `FieldProblem` or
    `core.personal_code.CodeProblem` code. Each field is checked by `check_field`,
    the very check a kiosk makes as the visitor leaves the field's step.
    """
    problems: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for name in [*values, *(f for f in application_type.fields if f not in values)]:
        problem = check_field(application_type, name, values, today)
        if problem is not None:
            problems[name] = problem
            continue
        clean, _ = check_value(application_type, name, values.get(name), today)
        if clean is not None:
            cleaned[name] = clean
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


def normalize_secret(secret: str) -> str:
    """Case, spaces and the hyphen do not matter when a receipt's code is typed back."""
    return "".join(ch for ch in secret.upper() if ch.isalnum())


RECEIPT_VERIFIER_COST = 2**14
"""scrypt's CPU/memory cost `n` for `receipt_verifier` (RFC 7914; r = 8, p = 1: 16 MiB
and tens of milliseconds a check)."""


def receipt_verifier(normalized_secret: str, salt: str) -> str:
    """What the hub keeps to check a receipt's code for an application it was forwarded:
    `salt$hash` (hex), the hash being scrypt (RFC 7914) of the code with a random
    `salt` (hex), so that a copy of the hub's database does not give the ~40-bit codes
    away cheaply. `normalized_secret`: the code as `server.applications.normalize_secret`
    makes it. Costs tens of milliseconds (more on a busy machine): never compute it in
    the writer's transaction."""
    digest = hashlib.scrypt(
        normalized_secret.encode(),
        salt=bytes.fromhex(salt),
        n=RECEIPT_VERIFIER_COST,
        r=8,
        p=1,
        maxmem=64 * 1024 * 1024,
        dklen=32,
    ).hex()
    return f"{salt}${digest}"


def receipt_matches(verifier: str, normalized_secret: str) -> bool:
    """Whether a code matches a `receipt_verifier` (in constant time for the digest)."""
    salt, _, _ = verifier.partition("$")
    try:
        expected = receipt_verifier(normalized_secret, salt)
    except ValueError:
        return False
    return hmac.compare_digest(expected, verifier)


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
