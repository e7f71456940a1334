"""The application form as a sequence of steps (no Kivy): one field per step, then
consent, then review.

Which field is needed when, and what is wrong with a value, are decided by
`core.applications` (`field_need`, `check_field`): the very rules the server
applies. The form asks the fields in `asking_order` (the answer's delivery
before the contact fields it may make necessary), says before each step
whether the field is needed and why, checks each field as the visitor leaves
its step, and after a correction from the review goes back to the review
instead of through the later steps again. The server's answer is final.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.applications import (
    ApplicationType,
    FieldProblem,
    Need,
    asking_order,
    check_field,
    field_need,
    validate_submission,
)
from core.errors import InvalidInput
from core.wire.payloads import ApplicationTypeView, FormFieldView

CONSENT = "consent"
REVIEW = "review"


def type_of(view: ApplicationTypeView) -> ApplicationType:
    """The server's `/application-types` entry as the core's type."""
    return ApplicationType(
        id=view.id,
        service_id=view.service_id,
        department_id=view.department_id,
        name=view.name,
        fields=tuple(f.name for f in view.fields),
        required=frozenset(f.name for f in view.fields if f.required),
        answer_days=view.answer_days,
        description=view.description,
    )


@dataclass
class ApplicationForm:
    """One visitor's form in progress."""

    info: ApplicationTypeView
    today: date
    values: dict[str, str] = field(default_factory=dict)
    consent: bool = False
    step: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    correcting: bool = False
    """Changing an answer from the review: *Next* returns to the review."""

    def __post_init__(self) -> None:
        self.kind = type_of(self.info)
        self.fields: tuple[str, ...] = asking_order(self.kind.fields)
        self.steps: list[str] = [*self.fields, CONSENT, REVIEW]
        self.field_info: dict[str, FormFieldView] = {f.name: f for f in self.info.fields}

    @property
    def current(self) -> str:
        """The field name, `consent` or `review`."""
        return self.steps[self.step]

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def set_value(self, name: str, text: str) -> None:
        self.values[name] = text
        self.errors.pop(name, None)

    def answers(self) -> dict[str, str]:
        """The answers given so far (empty fields left out)."""
        return {k: v for k, v in self.values.items() if v.strip()}

    def need(self, name: str) -> Need:
        """Whether field `name` is needed, given the answers so far (shown before asking)."""
        return field_need(self.kind, name, self.answers())

    def problems(self) -> dict[str, str]:
        """Every problem of the whole form (empty when it may be sent)."""
        try:
            validate_submission(self.kind, self.answers(), consent=self.consent, today=self.today)
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
            problem = check_field(self.kind, name, self.answers(), self.today)
            if problem is not None:
                self.errors = {name: problem}
                return False
        self.errors = {}
        if self.correcting:
            self._after_correction()
        else:
            self.step += 1
        return True

    def _after_correction(self) -> None:
        """Back to the review, unless the change left a field needing attention
        (e.g. the answer now goes by post and there is no address yet): that first."""
        problems = self.problems()
        for index, name in enumerate(self.steps):
            if name in problems:
                self.step = index  # the step says why it is needed (`need`) before asking
                return
        self.correcting = False
        self.step = self.steps.index(REVIEW)

    def back(self) -> bool:
        """One step back; False on the first step."""
        if self.step == 0:
            return False
        self.step -= 1
        self.errors = {}
        return True

    def go_to(self, name: str) -> None:
        """Jump to a field from the review, to change it; *Next* comes back."""
        self.step = self.steps.index(name)
        self.errors = {}
        self.correcting = True

    def show_problems(self, problems: dict[str, str]) -> None:
        """Go to the first step with a problem (e.g. from the server) and show it;
        once it is put right, *Next* returns to the review."""
        self.errors = dict(problems)
        self.correcting = True
        for index, name in enumerate(self.steps):
            if name in problems:
                self.step = index
                return

    def body(self, language: str) -> dict[str, Any]:
        """What is sent to the server."""
        return {
            "type_id": self.kind.id,
            "language": language,
            "fields": {k: v.strip() for k, v in self.values.items() if v.strip()},
            "consent": self.consent,
        }
