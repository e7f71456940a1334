"""The wire views: every event type and payload round-trips through its one encoder and
decoder; readers ignore members they do not know and refuse a schema version they do
not read, saying so; there is one `Json` alias and one place that builds events."""

from __future__ import annotations

import ast
import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.events import EVENT_TYPES
from core.model import TicketStatus
from core.wire import payloads
from core.wire.codec import WireError, decode, encode
from core.wire.events import EVENT_DATA, EventView, UnknownData, decode_event, encode_event
from core.wire.version import SCHEMA_VERSION, UnsupportedVersion
from tests.support.wire_samples import sample, sample_event

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "terminal", "simulation", "printer", "server", "kiosk", "display", "hub")
PAYLOADS = [
    view
    for view in vars(payloads).values()
    if isinstance(view, type)
    and dataclasses.is_dataclass(view)
    and view.__module__ == payloads.__name__
]

moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2999, 12, 31), timezones=st.just(UTC)
)
st.register_type_strategy(datetime, moments)


def through_json(value: Any) -> Any:
    """As another program receives it: JSON text, parsed."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def test_every_event_type_has_a_data_view() -> None:
    assert set(EVENT_DATA) == set(EVENT_TYPES)


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_event_type_round_trips_through_its_wire_view(event_type: str, data: Any) -> None:
    event = EventView(
        seq=data.draw(st.integers(1, 2**62)),
        type=event_type,
        at=data.draw(moments),
        data=data.draw(st.builds(EVENT_DATA[event_type])),
        service_id=data.draw(st.none() | st.text(max_size=8)),
        counter_id=data.draw(st.none() | st.text(max_size=8)),
        ticket_id=data.draw(st.none() | st.text(max_size=8)),
    )
    sent = through_json(encode_event(event))
    assert sent["schema_version"] == SCHEMA_VERSION
    received = decode_event(sent, strict=True)
    # A data member named like an envelope member (the counter a new user or device is
    # linked to) stands in its place on the stream.
    shadowed = {
        name: getattr(event.data, name)
        for name in ("service_id", "counter_id", "ticket_id")
        if name in EVENT_DATA[event_type].__dataclass_fields__
    }
    assert received == dataclasses.replace(event, **shadowed)


@pytest.mark.parametrize("view", PAYLOADS, ids=lambda view: view.__name__)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_payload_round_trips_through_its_wire_view(view: type, data: Any) -> None:
    value = data.draw(st.builds(view))
    assert decode(view, through_json(encode(value)), strict=True) == value


def test_a_reader_ignores_members_it_does_not_know() -> None:
    sent = encode_event(
        sample_event({"seq": 7, "type": "ticket.called", "ticket": {"id": "t1", "number": "A001"}})
    )
    newer = {**sent, "hall": "B", "ticket": {**sent["ticket"], "colour": "red"}}
    assert decode_event(newer) == decode_event(sent)
    with pytest.raises(WireError, match="unknown members colour"):
        decode_event(newer, strict=True)


@pytest.mark.parametrize("version", [2, 0, "1", None, True])
def test_a_reader_refuses_a_schema_version_it_does_not_read(version: Any) -> None:
    sent = {**encode_event(sample_event({"seq": 7, "type": "display.ticker", "text": "Hi"}))}
    if version is None:
        del sent["schema_version"]
    else:
        sent["schema_version"] = version
    with pytest.raises(UnsupportedVersion) as refused:
        decode_event(sent)
    message = str(refused.value)
    assert message.startswith("Event 7 has ")
    assert f"this program reads {SCHEMA_VERSION}" in message
    if version == 2:
        assert "schema version 2" in message and "update this one" in message


def test_an_event_of_a_type_the_reader_does_not_know_is_kept_as_it_came() -> None:
    sent = {**encode_event(sample_event({"seq": 9, "type": "display.ticker", "text": "x"}))}
    sent["type"] = "hall.lights"
    received = decode_event(sent)
    assert received.data == UnknownData({"text": "x"})


def test_a_decoding_error_names_the_member() -> None:
    ticket = encode(sample(payloads.LiveTicketView, {"id": "t1"}))
    with pytest.raises(WireError, match=r"^called_at: expected an ISO 8601 datetime"):
        decode(payloads.LiveTicketView, {**ticket, "called_at": "soon"})
    with pytest.raises(WireError, match=r"^counters\[0\]\.status: expected one of open"):
        queue = encode(sample(payloads.QueueView, {"counters": [{"id": "c1"}]}))
        queue["counters"][0]["status"] = "lunch"
        decode(payloads.QueueView, queue)
    with pytest.raises(WireError, match="^number: missing"):
        decode(payloads.TicketView, {k: v for k, v in ticket.items() if k != "number"})


def test_an_optional_detail_is_left_out_when_it_has_no_value() -> None:
    printed = encode_event(sample_event({"seq": 3, "type": "ticket.printed", "device": "k1"}))
    assert printed["device"] == "k1" and "error" not in printed and "counter_label" not in printed


def test_a_ticket_view_carries_every_field_of_the_domain_ticket() -> None:
    domain = {f.name for f in dataclasses.fields(payloads.Ticket)}
    assert {f.name for f in dataclasses.fields(payloads.TicketView)} == domain
    assert sample(payloads.TicketView, {"status": "called"}).status is TicketStatus.CALLED


def _assignments(name: str) -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                targets = node.targets if isinstance(node, ast.Assign) else []
                if isinstance(node, ast.AnnAssign):
                    targets = [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_there_is_one_json_alias() -> None:
    """`Json = dict[str, Any]` was defined in seven modules."""
    assert _assignments("Json") == ["core/wire/codec.py:36"]


def test_only_core_events_builds_an_event() -> None:
    """Every event is built from its data view by a function of `core.events`, never as
    a dict typed out where it happens (which is how payloads drifted apart)."""
    built = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "core" / "events.py":
                continue
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Call):
                    func = node.func
                    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    if name == "EventDraft":
                        built.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert built == []
