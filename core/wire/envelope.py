"""The envelope of an event on the stream: its members and its one encoder.

Kept apart from `core.wire.events` (which maps each type to its data view and
decodes) so that `core.events` can stamp the envelope without importing that map.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.wire.codec import Json
from core.wire.version import SCHEMA_VERSION


@dataclass(frozen=True)
class Envelope:
    """The members every event has (its data's members sit beside them)."""

    seq: int
    type: str
    at: datetime
    schema_version: int
    service_id: str | None = None
    counter_id: str | None = None
    ticket_id: str | None = None


ENVELOPE_MEMBERS = frozenset(Envelope.__dataclass_fields__)
"""Members every event has; its data's members sit beside them."""


def event_json(
    seq: int,
    event_type: str,
    at: datetime,
    data: Json,
    *,
    service_id: str | None = None,
    counter_id: str | None = None,
    ticket_id: str | None = None,
) -> Json:
    """The stream's JSON of an event whose data is already encoded (as the log stores
    it): the envelope, stamped with this version, and the data beside it."""
    return {
        "seq": seq,
        "type": event_type,
        "at": at.isoformat(),
        "schema_version": SCHEMA_VERSION,
        "service_id": service_id,
        "counter_id": counter_id,
        "ticket_id": ticket_id,
        **data,
    }
