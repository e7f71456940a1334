"""The application form as a sequence of steps (no Kivy): one field per step, then
consent, then review. Checks each field as the visitor leaves it with the very
rules the server applies (`core.applications`), so most mistakes are caught on
the spot, in the visitor's language; the server's answer is final."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.applications import (
    ApplicationType,
    FieldProblem,
    validate_submission,
)
from core.errors import InvalidInput
from core.model import Localized

CONSENT = "consent"
REVIEW = "review"
LATE_PROBLEMS = {FieldProblem.CONTACT_REQUIRED.value, FieldProblem.CONSENT_REQUIRED.value}
"""Problems that depend on several fields: checked on the review step only."""


def _localized(value: Any) -> Localized:
    value = value or {}
    return Localized(value.get("lv", ""), value.get("ru", ""), value.get("en", ""))


def type_from_json(data: dict[str, Any]) -> ApplicationType:
    """The server's `/application-types` entry as the core's type."""
    return ApplicationType(
        id=data["id"],
        service_id=data["service_id"],
        department_id=data["department_id"],
        name=_localized(data["name"]),
        fields=tuple(f["name"] for f in data["fields"]),
        required=frozenset(f["name"] for f in data["fields"] if f["required"]),
        answer_days=data.get("answer_days"),
        description=_localized(data.get("description")),
    )


@dataclass
class ApplicationForm:
    """One visitor's form in progress."""

    info: dict[str, Any]
    today: date
    values: dict[str, str] = field(default_factory=dict)
    consent: bool = False
    step: int = 0
    errors: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.kind = type_from_json(self.info)
        self.steps: list[str] = [*self.kind.fields, CONSENT, REVIEW]
        self.field_info = {f["name"]: f for f in self.info["fields"]}

    @property
    def current(self) -> str:
        """The field name, `consent` or `review`."""
        return self.steps[self.step]

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def set_value(self, name: str, text: str) -> None:
        self.values[name] = text
        self.errors.pop(name, None)

    def problems(self) -> dict[str, str]:
        """Every problem of the whole form (empty when it may be sent)."""
        filled = {k: v for k, v in self.values.items() if v.strip()}
        try:
            validate_submission(self.kind, filled, consent=self.consent, today=self.today)
        except InvalidInput as exc:
            return dict(exc.fields)
        return {}

    def next(self) -> bool:
        """Leave the current step; False (with `errors` set) if it needs attention."""
        name = self.current
        if name == REVIEW:
            problems = self.problems()
            if problems:
                self.show_problems(problems)
                return False
            return True
        if name == CONSENT:
            if not self.consent:
                self.errors = {CONSENT: FieldProblem.CONSENT_REQUIRED.value}
                return False
        else:
            problem = self.problems().get(name)
            if problem is not None and problem not in LATE_PROBLEMS:
                self.errors = {name: problem}
                return False
        self.errors = {}
        self.step += 1
        return True

    def back(self) -> bool:
        """One step back; False on the first step."""
        if self.step == 0:
            return False
        self.step -= 1
        self.errors = {}
        return True

    def go_to(self, name: str) -> None:
        """Jump to a field (from the review, to change it)."""
        self.step = self.steps.index(name)

    def show_problems(self, problems: dict[str, str]) -> None:
        """Go to the first step with a problem (e.g. from the server) and show it."""
        self.errors = dict(problems)
        for index, name in enumerate(self.steps):
            if name in problems:
                self.step = index
                return
        if CONSENT in problems:
            self.step = self.steps.index(CONSENT)

    def body(self, language: str) -> dict[str, Any]:
        """What is sent to the server."""
        return {
            "type_id": self.kind.id,
            "language": language,
            "fields": {k: v.strip() for k, v in self.values.items() if v.strip()},
            "consent": self.consent,
        }
