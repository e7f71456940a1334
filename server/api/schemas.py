"""Request and response bodies of the REST API (pydantic, for validation and OpenAPI)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from core import days, free_text
from core.free_text import TextRule

Language = Literal["lv", "ru", "en"]
Id = Field(min_length=1, max_length=64)


def free_text_check(rule: TextRule) -> AfterValidator:
    """The pydantic form of `core.free_text`: the field error is the problem's code."""

    def check(value: str) -> str:
        cleaned, problem = free_text.text_problem(value, rule)
        if problem is not None:
            raise PydanticCustomError(problem.value, free_text.describe(problem, value, rule))
        return cleaned

    return AfterValidator(check)


def _day(value: object) -> date:
    day, problem = days.day_problem(value)
    if problem is not None:
        raise PydanticCustomError(problem.value, days.describe(problem))
    assert day is not None
    return day


Day = Annotated[
    date,
    BeforeValidator(_day),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": f"YYYY-MM-DD from {days.FIRST_DAY} to {days.LAST_DAY}",
            "examples": [days.FIRST_DAY.isoformat(), days.LAST_DAY.isoformat()],
        }
    ),
]
"""A calendar day `YYYY-MM-DD` within `core.days`' range (never a number of seconds)."""
DisplayName = Annotated[
    StrictStr,
    Field(max_length=free_text.DISPLAY_NAME.max_length),
    free_text_check(free_text.DISPLAY_NAME),
]
TickerText = Annotated[
    StrictStr, Field(max_length=free_text.TICKER.max_length), free_text_check(free_text.TICKER)
]
DeviceDetail = Annotated[
    StrictStr,
    Field(max_length=free_text.DEVICE_DETAIL.max_length),
    free_text_check(free_text.DEVICE_DETAIL),
]
SoftwareVersion = Annotated[
    StrictStr,
    Field(max_length=free_text.SOFTWARE_VERSION.max_length),
    free_text_check(free_text.SOFTWARE_VERSION),
]
TicketNote = Annotated[
    StrictStr,
    Field(max_length=free_text.TICKET_NOTE.max_length),
    free_text_check(free_text.TICKET_NOTE),
]
DeliveredService = Annotated[
    StrictStr,
    Field(max_length=free_text.DELIVERED_SERVICE.max_length),
    free_text_check(free_text.DELIVERED_SERVICE),
]
ApplicationNote = Annotated[
    StrictStr,
    Field(max_length=free_text.APPLICATION_NOTE.max_length),
    free_text_check(free_text.APPLICATION_NOTE),
]
HoursNote = Annotated[
    StrictStr,
    Field(max_length=free_text.HOURS_NOTE.max_length),
    free_text_check(free_text.HOURS_NOTE),
]


class Strict(BaseModel):
    """Unknown fields are refused, never ignored."""

    model_config = ConfigDict(extra="forbid")


class IssueTicketIn(Strict):
    service_id: StrictStr = Id
    language: Language = "lv"
    priority: StrictBool = False


class TicketActionIn(Strict):
    counter_id: StrictStr | None = Field(default=None, min_length=1, max_length=64)
    service_id: StrictStr | None = Field(default=None, min_length=1, max_length=64)
    delivered_service: DeliveredService | None = None
    note: TicketNote | None = None


class PrintResultIn(Strict):
    printed: StrictBool
    error: DeviceDetail | None = None


class WalkDirectIn(Strict):
    service_id: StrictStr = Id
    language: Language = "lv"


class LoginIn(Strict):
    username: StrictStr = Field(min_length=1, max_length=64)
    password: StrictStr = Field(min_length=1, max_length=256)
    counter_id: StrictStr | None = Field(default=None, min_length=1, max_length=64)


class TickerIn(Strict):
    text: TickerText


class DeviceStatusIn(Strict):
    printer: Literal["ok", "near_end", "paper_out", "offline", "unknown", "none"] = "none"
    detail: DeviceDetail | None = None
    version: SoftwareVersion | None = None


class ErrorOut(BaseModel):
    """Every error: a stable machine-readable `code`, a message for people, and for
    `invalid_input` the problem of each field."""

    code: str
    message: str
    fields: dict[str, str] | None = None


ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 422, 429)
"""The statuses of refusals (docs/api.md lists their codes)."""
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": "Refused; see `code`"} for status in ERROR_STATUSES
}
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "CSV (RFC 4180); text that a spreadsheet would evaluate starts with '",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}
