"""Turning errors into JSON bodies `{"code", "message"}` with the right HTTP status."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.days import DayProblem
from core.errors import (
    CatalogueError,
    Conflict,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PaymentError,
    RindaError,
    ServiceUnavailable,
)
from core.free_text import TextProblem
from server.ratelimit import TooManyAttempts

log = logging.getLogger(__name__)

STATUS_BY_ERROR: tuple[tuple[type[RindaError], int], ...] = (
    (NotFound, 404),
    (InvalidInput, 422),
    (Conflict, 409),
    (ServiceUnavailable, 409),
    (CatalogueError, 422),
    (PaymentError, 422),
    (NotAuthenticated, 401),
    (Forbidden, 403),
    (TooManyAttempts, 429),
)
HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
}
"""Codes of the HTTP errors the framework raises itself (an unknown path, a wrong method,
a body that cannot be read)."""
FIELD_CODES = frozenset(p.value for p in TextProblem) | frozenset(p.value for p in DayProblem)
"""Field problems raised inside request models, passed through as they are."""


def _text(value: object) -> str:
    """Text safe to encode as UTF-8: a lone surrogate is shown as its escape."""
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The JSON error shape every endpoint uses. Field names and messages may quote what
    the client sent, so every text is made safe to encode (the handler must not fail)."""
    body: dict[str, Any] = {"code": code, "message": _text(message)}
    for key, value in extra.items():
        body[key] = (
            {_text(name): _text(problem) for name, problem in value.items()}
            if isinstance(value, dict)
            else value
        )
    return body


def status_for(error: RindaError) -> int:
    """The HTTP status of a domain error."""
    for error_type, status in STATUS_BY_ERROR:
        if isinstance(error, error_type):
            return status
    return 400


async def rinda_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RindaError)
    extra: dict[str, Any] = {}
    if isinstance(exc, InvalidInput) and exc.fields:
        extra["fields"] = exc.fields
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, NotAuthenticated) else None
    if isinstance(exc, TooManyAttempts):
        headers = {"Retry-After": str(exc.retry_after)}
    return JSONResponse(
        error_body(exc.code, exc.message, **extra), status_code=status_for(exc), headers=headers
    )


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return JSONResponse(
            error_body("malformed_json", "The request body is not valid JSON."), status_code=400
        )
    fields: dict[str, str] = {}
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query")]
        name = ".".join(location) or "body"
        fields[name] = field_problem(error)
    return JSONResponse(
        error_body("invalid_input", "Some fields are not valid.", fields=fields), status_code=422
    )


def field_problem(error: dict[str, Any]) -> str:
    """The stable code of one pydantic validation error (`required`, `too_long` ...)."""
    kind = error.get("type", "")
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return "unknown_field"
    if kind in ("string_too_long", "too_long"):
        return "too_long"
    if kind == "string_pattern_mismatch":
        return "invalid_format"
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        return "out_of_range"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "not_a_number"
    if kind in FIELD_CODES:
        return str(kind)
    return str(error.get("msg", kind))


async def http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    fallback = "bad_request" if exc.status_code < 500 else "internal_error"
    code = HTTP_CODES.get(exc.status_code, fallback)
    message = exc.detail if isinstance(exc.detail, str) else code
    return JSONResponse(
        error_body(code, message),
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


async def unexpected_error_handler(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse(
        error_body("internal_error", "Something went wrong on the server; it was logged."),
        status_code=500,
    )


def install(app: FastAPI) -> None:
    """Register the handlers on an app."""
    app.add_exception_handler(RindaError, rinda_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
