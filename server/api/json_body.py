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
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

MAX_DEPTH = 32
"""Deepest nesting of arrays and objects accepted (no request needs more than 3)."""
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""A `\\u` escape of a UTF-16 surrogate (D800-DFFF), as JSON text writes one."""


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
    """Depth, and (only when the text writes one as an escape) lone surrogates.

    A decoded string can hold a lone surrogate only if the JSON text wrote it as a
    `\\uD800`-`\\uDFFF` escape: the body was decoded as UTF-8, which cannot carry
    one. So strings are examined only when such an escape appears in the text, and
    the common body costs one pass over its containers (no recursion: it may be deep)."""
    level = [value] if type(value) in (dict, list) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            raise json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels", text, 0)
        inner: list[Any] = []
        for item in level:
            members = item.values() if type(item) is dict else item
            inner.extend([m for m in members if type(m) is dict or type(m) is list])
        level = inner
    if _SURROGATE_ESCAPE.search(text):
        _check_strings(value, text)


def _check_strings(value: Any, text: str) -> None:
    """Every string and member name is encodable as UTF-8 (no lone surrogate)."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            _check_text(item, text)
        elif isinstance(item, dict):
            for key, member in item.items():
                _check_text(key, text)
                stack.append(member)
        elif isinstance(item, list):
            stack.extend(item)


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
