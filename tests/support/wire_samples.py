"""Wire views for tests from the few members a test cares about.

`sample(View, {...})` fills every member the test leaves out with a plain value of
its type ("" for text, 0, false, no items, a fixed time, null where allowed),
recursively, and decodes the result as the view: tests state only what matters to
them and still get views a real server could send.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from core import events as ev
from core.wire.codec import decode
from core.wire.events import EVENT_DATA, EventView, decode_event
from core.wire.version import SCHEMA_VERSION

T = TypeVar("T")
MOMENT = "2026-11-23T08:00:00+00:00"


def _plain(hint: Any, given: Any, *, missing: bool) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if missing:
            return None
        inner = next(a for a in args if a is not type(None))
        return None if given is None else _plain(inner, given, missing=False)
    if origin is tuple:
        return [_plain(args[0], item, missing=False) for item in given or []]
    if origin in (Mapping, dict):
        return dict(given or {})
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return complete(hint, given or {})
    if not missing:
        return given
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return next(iter(hint)).value
    if hint is bool:
        return False
    if hint in (int, float):
        return 0
    if hint is datetime:
        return MOMENT
    if hint is date:
        return MOMENT[:10]
    return ""


def complete(view: type, partial: Mapping[str, Any]) -> dict[str, Any]:
    """`partial` with every member of `view` it lacks filled in (as JSON)."""
    hints = typing.get_type_hints(view)
    result = dict(partial)
    for spec in dataclasses.fields(view):
        has_default = (
            spec.default is not dataclasses.MISSING
            or spec.default_factory is not dataclasses.MISSING
        )
        if spec.name in partial:
            result[spec.name] = _plain(hints[spec.name], partial[spec.name], missing=False)
        elif not has_default:
            result[spec.name] = _plain(hints[spec.name], None, missing=True)
    return result


def sample(view: type[T], partial: Mapping[str, Any] | None = None) -> T:
    """A `view` with the given members, the rest plain."""
    return decode(view, complete(view, partial or {}))


def sample_event(partial: Mapping[str, Any]) -> EventView:
    """An event with the given members (`type` and `seq` at least), the rest plain: a
    ticket event's `ticket`, a counter event's `counter` and so on are filled in too."""
    data_view = EVENT_DATA[partial["type"]]
    data = complete(data_view, {k: v for k, v in partial.items() if k in _fields(data_view)})
    envelope = {
        "at": MOMENT,
        "schema_version": SCHEMA_VERSION,
        **{k: v for k, v in partial.items() if k not in data},
    }
    if partial["type"] in ev.TICKET_EVENTS:
        ticket = data["ticket"]
        envelope.setdefault("ticket_id", ticket["id"])
        envelope.setdefault("service_id", ticket.get("service_id"))
        envelope.setdefault("counter_id", ticket.get("counter_id"))
    return decode_event({**envelope, **data})


def _fields(view: type) -> set[str]:
    return {spec.name for spec in dataclasses.fields(view)}
