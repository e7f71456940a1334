"""The parameters of `GET /api/v1/events`, checked: where to resume, which events.

A value the stream could not honour is refused before the stream starts (a 4xx
answer), never after it has begun with 200: an event number beyond what SQLite
can hold, or a filter that can match nothing (an unknown event type, service
or counter), which would leave a terminal listening forever to silence.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.catalogue import Catalogue
from core.errors import InvalidInput
from core.events import EVENT_TYPES
from server.broker import EventFilter

MAX_EVENT_SEQ = 2**63 - 1
"""The largest event number the log can hold (SQLite INTEGER)."""
EVENT_STREAM_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-Sent Events (WHATWG HTML, section 9.2); `id:` is the event number",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}
EVENT_TYPE_PREFIXES = frozenset(
    ".".join(parts[:length])
    for parts in (t.split(".") for t in EVENT_TYPES)
    for length in range(1, len(parts))
)


def checked_filter(
    catalogue: Catalogue,
    services: Iterable[str],
    counters: Iterable[str],
    types: Iterable[str],
) -> EventFilter:
    """The stream's filter; `InvalidInput` names every value that can match no event."""
    event_filter = EventFilter(frozenset(services), frozenset(counters), frozenset(types))
    unknown = {
        "service": event_filter.service_ids - set(catalogue.services_by_id),
        "counter": event_filter.counter_ids - set(catalogue.counters_by_id),
        "type": event_filter.types - EVENT_TYPES - EVENT_TYPE_PREFIXES,
    }
    problems = {name: f"unknown_{name}" for name, values in unknown.items() if values}
    if problems:
        problems = {**problems, **({"type": "unknown_event_type"} if unknown["type"] else {})}
        values = ", ".join(sorted(v for group in unknown.values() for v in group))
        raise InvalidInput(f"These filter values match no event: {values[:200]}.", problems)
    return event_filter
