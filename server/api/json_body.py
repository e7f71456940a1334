"""Reading JSON request bodies strictly (RFC 8259 with the I-JSON rules of RFC 7493).

A body is refused as `malformed_json` (400) when it is not UTF-8, is not JSON
(`NaN` and `Infinity` are not), holds a number beyond IEEE 754 double precision,
nests deeper than `MAX_DEPTH`, or holds a lone UTF-16 surrogate (`"\\ud800"`)
in a string or a member name: such a "string" is no text, cannot be stored
as UTF-8 and would only fail later, deep in the server.

Every router uses `StrictJSONRoute`, so no endpoint sees a body parsed any
other way. The refusal is raised as `json.JSONDecodeError`, which FastAPI turns
into the same validation error as any other malformed JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

MAX_DEPTH = 32
"""Deepest nesting of arrays and objects accepted (no request needs more than 3)."""


def decode_json(body: bytes) -> Any:
    """The JSON value of `body`; raises `json.JSONDecodeError` for anything not I-JSON."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError("the body is not UTF-8", "", exc.start) from None
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, 0) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # an integer of more than 4300 digits
        raise json.JSONDecodeError(str(exc), text, 0) from None
    _check(value, text)
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (RFC 8259, section 6)")


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"{text[:20]} is beyond IEEE 754 double precision (RFC 7493, 2.2)")
    return number


def _check(value: Any, text: str) -> None:
    """Depth and surrogates, without recursion (the value may be deep)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item, text)
        elif isinstance(item, list | dict):
            if depth > MAX_DEPTH:
                raise json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels", text, 0)
            if isinstance(item, dict):
                for key, member in item.items():
                    _check_text(key, text)
                    stack.append((member, depth + 1))
            else:
                stack.extend((member, depth + 1) for member in item)


def _check_text(item: str, text: str) -> None:
    try:
        item.encode("utf-8")
    except UnicodeEncodeError:
        raise json.JSONDecodeError("a string holds a lone UTF-16 surrogate", text, 0) from None


class StrictJSONRequest(Request):
    """A request whose `json()` is `decode_json`."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = decode_json(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    """An API route that reads its JSON body with `decode_json`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict_handler
