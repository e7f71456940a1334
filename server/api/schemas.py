"""Request and response bodies of the REST API (pydantic, for validation and OpenAPI)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

Language = Literal["lv", "ru", "en"]
Id = Field(min_length=1, max_length=64)


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
    delivered_service: StrictStr | None = Field(default=None, max_length=200)
    note: StrictStr | None = Field(default=None, max_length=1000)


class PrintResultIn(Strict):
    printed: StrictBool
    error: StrictStr | None = Field(default=None, max_length=500)


class WalkDirectIn(Strict):
    service_id: StrictStr = Id
    language: Language = "lv"


class LoginIn(Strict):
    username: StrictStr = Field(min_length=1, max_length=64)
    password: StrictStr = Field(min_length=1, max_length=256)
    counter_id: StrictStr | None = Field(default=None, min_length=1, max_length=64)


class TickerIn(Strict):
    text: StrictStr = Field(max_length=500)


class DeviceStatusIn(Strict):
    printer: Literal["ok", "near_end", "paper_out", "offline", "unknown", "none"] = "none"
    detail: StrictStr | None = Field(default=None, max_length=500)
    version: StrictStr | None = Field(default=None, max_length=40)


class TicketOut(BaseModel):
    """A ticket (more fields are present; see the event log documentation)."""

    id: str
    number: str
    service_id: str
    status: str
    language: str
    is_priority: bool
    people_ahead: int
    estimated_wait_seconds: int | None
    issued_at: str
    counter_id: str | None
    counter_label: str | None
    printed: bool | None


class ErrorOut(BaseModel):
    code: str
    message: str
    fields: dict[str, str] | None = None


class SessionOut(BaseModel):
    token: str
    username: str
    role: str
    counter_id: str | None
    csrf_token: str
