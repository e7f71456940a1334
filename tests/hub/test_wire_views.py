"""The hub reads the centre's events by the same wire views and version rule as the
terminals: what it validates is part of `core.wire`'s views, never a shape of its own."""

from __future__ import annotations

import dataclasses

import pytest

from core.errors import InvalidInput
from core.wire.event_data import CounterData, FeedbackData, TicketData
from core.wire.events import EVENT_DATA
from core.wire.payloads import CounterStateView, TicketView
from core.wire.version import SCHEMA_VERSION
from hub import wire
from server.hub_link import shipped

PSEUDONYMS = {"staff_id", "target_wait_seconds"}
"""What the centre's shipper puts in place of a name, or adds from its catalogue."""


def names(view: type) -> set[str]:
    return {f.name for f in dataclasses.fields(view)}


def test_the_ticket_and_counter_the_hub_reads_are_parts_of_their_wire_views() -> None:
    assert set(wire.ShippedTicket.model_fields) - PSEUDONYMS <= names(TicketView)
    assert set(wire.ShippedCounter.model_fields) - PSEUDONYMS <= names(CounterStateView)


def test_every_ticket_field_either_travels_or_stays() -> None:
    travels, stays = set(shipped.TICKET_FIELDS), set(shipped.PRIVATE_TICKET_FIELDS)
    assert travels | stays == names(TicketView) and not travels & stays
    assert set(shipped.COUNTER_FIELDS) <= names(CounterStateView)


@pytest.mark.parametrize("event_type", sorted(EVENT_DATA))
def test_the_hub_reads_each_event_by_its_wire_data_view(event_type: str) -> None:
    kind = wire._kind({"type": event_type})
    expected = {TicketData: "ticket", CounterData: "counter", FeedbackData: "feedback"}
    assert kind == expected.get(EVENT_DATA[event_type], "other")


def test_the_shipped_form_carries_the_events_schema_version() -> None:
    assert shipped.SCHEMA_VERSION == SCHEMA_VERSION


def test_a_batch_of_a_version_the_hub_does_not_read_is_refused_with_a_clear_message() -> None:
    event = {
        "seq": 1,
        "type": "display.ticker",
        "at": "2026-11-23T08:00:00+00:00",
        "schema_version": SCHEMA_VERSION + 1,
        "data": {},
    }
    with pytest.raises(InvalidInput) as refused:
        wire.parse_batch({"after": 0, "through": 1, "events": [event]})
    assert refused.value.fields == {"schema_version": "unsupported"}
    assert str(refused.value) == (
        f"Event 1 has schema version {SCHEMA_VERSION + 1}; this program reads "
        f"{SCHEMA_VERSION}: the program that wrote it is newer, update this one."
    )
