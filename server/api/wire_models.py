"""The wire views (`core.wire`) as the API's response models, and the one way a route
answers with a view.

`response_model(View)` is a pydantic model generated from the view's dataclass:
the same fields and types, every field required in the answer and no other member
allowed, so `/api/v1/openapi.json` states exactly what the view's encoder writes
(`tests/server/test_responses.py` checks every route's real answers against it).
The view stays the one definition; nothing here is written twice.

Routes answer with `wire_response(view)`: the view's own encoder writes the JSON
(FastAPI does not re-validate or re-encode it), so a response costs one encoding.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, create_model

from core.wire.codec import OMIT_WHEN_NONE, Json, encode

RESPONSE_CONFIG = ConfigDict(extra="forbid")
"""Answers hold exactly the declared members (each one required, unless the view leaves
it out when it has no value: `core.wire.codec.omitted`)."""


def _model_type(hint: Any) -> Any:
    """A field type with every wire view in it replaced by its model."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_model_type(a) for a in args)]  # noqa: UP007
    if origin is tuple:
        return list[_model_type(args[0])]  # type: ignore[misc]
    if origin in (Mapping, dict):
        return dict[args[0], _model_type(args[1])]  # type: ignore[misc, valid-type]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return response_model(hint)
    return hint


@cache
def response_model(view: type) -> type[BaseModel]:
    """The response model of a wire view (one per view, named like it)."""
    hints = typing.get_type_hints(view)
    fields: dict[str, Any] = {}
    for spec in dataclasses.fields(view):
        kind = _model_type(hints[spec.name])
        if spec.metadata.get(OMIT_WHEN_NONE):
            fields[spec.name] = (kind, None)  # left out when None: not required
        else:
            fields[spec.name] = (kind, ...)
    model: type[BaseModel] = create_model(
        view.__name__,
        __config__=RESPONSE_CONFIG,
        __doc__=view.__doc__,
        __module__=view.__module__,
        **fields,
    )
    return model


def response_list(view: type) -> Any:
    """The response model of a list of views."""
    return list[response_model(view)]  # type: ignore[misc]


def wire_response(
    view: Any | Sequence[Any],
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A JSON answer of a view (or a list of views), written by its encoder."""
    body: Json | list[Json] = (
        [encode(item) for item in view] if isinstance(view, list | tuple) else encode(view)
    )
    return JSONResponse(body, status_code=status_code, headers=headers)
