"""What leaves the centre for the hub: no visitor personal data, no staff names, no free
text, whatever the event; unknown event types leave with no data at all."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from core import events as ev
from core.catalogue import Catalogue
from server.hub_link.shipped import (
    PRIVATE_TICKET_FIELDS,
    SCHEMA_VERSION,
    TICKET_FIELDS,
    StaffIds,
    shipped_event,
)
from server.store.rows import TICKET_COLUMNS
from tests.support.catalogues import demo_catalogue

MARK = "PRIVATE-Bērziņš-010101-10006"
"""Stands for anything personal or typed by a person."""
AT = "2026-11-23T08:00:00+00:00"


def ticket(**extra: object) -> dict[str, object]:
    return {
        "id": "t-1",
        "number": "A001",
        "prefix": "A",
        "seq": 1,
        "business_day": "2026-11-23",
        "service_id": "residence",
        "original_service_id": "residence",
        "language": "lv",
        "is_priority": False,
        "status": "done",
        "issued_at": AT,
        "first_called_at": AT,
        "started_at": AT,
        "finished_at": AT,
        "counter_id": "c1",
        "walk_direct": False,
        "clerk": MARK,
        "note": MARK,
        "delivered_service": MARK,
        "printed": True,
        **extra,
    }


def row(event_type: str, data: dict[str, object], actor: str | None = f"user:{MARK}") -> tuple:
    return (7, event_type, AT, "residence", "c1", "t-1", actor, json.dumps(data))


def ship(event_type: str, data: dict[str, object], catalogue: Catalogue | None = None) -> dict:
    return shipped_event(row(event_type, data), catalogue or demo_catalogue(), StaffIds(b"k" * 32))


EVENTS: list[tuple[str, dict[str, object]]] = [
    *[
        (kind, {"ticket": ticket(), "counter_label": "1", "device": "kiosk-1"})
        for kind in sorted(ev.TICKET_EVENTS)
    ],
    (ev.TICKET_PRINT_FAILED, {"ticket": ticket(), "device": "kiosk-1", "error": MARK}),
    *[
        (kind, {"counter": {"counter_id": "c1", "status": "open", "since": AT, "clerk": MARK}})
        for kind in (ev.COUNTER_OPENED, ev.COUNTER_PAUSED, ev.COUNTER_CLOSED)
    ],
    ("feedback.given", {"rating": 4}),
    ("application.lodged", {"registration_number": MARK, "type_id": "x", "department_id": "d"}),
    ("application.status", {"registration_number": MARK, "type_id": "x", "status": "answered"}),
    (ev.DEVICE_STATUS, {"device": "kiosk-1", "role": "kiosk", "printer": "ok", "detail": MARK}),
    (ev.TICKER_CHANGED, {"text": MARK}),
    (ev.USER_ADDED, {"username": MARK, "role": "clerk", "counter_id": "c1"}),
    *[(kind, {"username": MARK}) for kind in (ev.USER_DISABLED, ev.USER_ENABLED)],
    (ev.USER_PASSWORD_CHANGED, {"username": MARK}),
    (ev.DEVICE_ADDED, {"device": "kiosk-2", "role": "kiosk", "counter_id": None}),
    (ev.DEVICE_REVOKED, {"device": "kiosk-2"}),
    (ev.HOURS_EXCEPTION_ADDED, {"date": "2026-12-24", "hours": [], "closed": True, "note": MARK}),
    (ev.HOURS_EXCEPTION_REMOVED, {"date": "2026-12-24"}),
    ("some.future_event", {"whatever": MARK, "nested": {"name": MARK}}),
]


def test_nothing_personal_or_typed_by_a_person_leaves() -> None:
    for event_type, data in EVENTS:
        shipped = ship(event_type, data)
        assert MARK not in json.dumps(shipped, ensure_ascii=False), event_type
        assert shipped["seq"] == 7 and shipped["schema_version"] == SCHEMA_VERSION
        assert shipped["at"] == AT and shipped["type"] == event_type


def test_staff_appear_by_a_stable_pseudonymous_id() -> None:
    staff = StaffIds(b"k" * 32)
    first = ship(ev.TICKET_CALLED, {"ticket": ticket()})
    again = ship(ev.TICKET_FINISHED, {"ticket": ticket()})
    counter = ship(
        ev.COUNTER_OPENED,
        {"counter": {"counter_id": "c1", "status": "open", "since": AT, "clerk": MARK}},
    )
    staff_id = first["data"]["ticket"]["staff_id"]
    assert staff_id.startswith("s-") and len(staff_id) == 18
    assert again["data"]["ticket"]["staff_id"] == staff_id
    assert counter["data"]["counter"]["staff_id"] == staff_id
    assert first["actor"] == f"user:{staff_id}"
    assert StaffIds(b"another key....." * 2)(MARK) != staff_id  # meaningless without the key
    assert staff.actor("device:kiosk-1") == "device:kiosk-1"
    assert staff.actor("system") == "system"


def test_ticket_events_carry_their_service_target_and_the_figures_fields() -> None:
    shipped = ship(ev.TICKET_FINISHED, {"ticket": ticket()})["data"]["ticket"]
    residence = demo_catalogue().service("residence")
    assert shipped["target_wait_seconds"] == int(residence.target_wait.total_seconds())
    for name in (
        "id",
        "original_service_id",
        "status",
        "issued_at",
        "first_called_at",
        "started_at",
        "finished_at",
        "walk_direct",
        "counter_id",
    ):
        assert name in shipped
    removed = ship(ev.TICKET_FINISHED, {"ticket": ticket(original_service_id="gone")})
    assert removed["data"]["ticket"]["target_wait_seconds"] == 0  # as the centre's stats


def test_times_are_shipped_with_their_offset() -> None:
    stored = datetime(2026, 11, 23, 8, tzinfo=UTC).isoformat()
    shipped = shipped_event(
        (1, "ticket.issued", stored, None, None, None, None, json.dumps({"ticket": ticket()})),
        demo_catalogue(),
        StaffIds(b"k" * 32),
    )
    assert datetime.fromisoformat(shipped["at"]).utcoffset() is not None


def test_admin_changes_travel_without_names_notes_or_the_person_at_the_command_line() -> None:
    """An admin command names its actor: `user:<admin>` on the admin pages, `cli:<system
    user>` at the command line. Both are people: both travel as staff ids."""
    staff = StaffIds(b"k" * 32)
    added = shipped_event(
        row(ev.USER_ADDED, {"username": MARK, "role": "clerk"}, actor=f"cli:{MARK}"),
        demo_catalogue(),
        staff,
    )
    assert added["actor"] == f"cli:{staff(MARK)}"
    assert added["data"] == {"staff_id": staff(MARK), "role": "clerk"}
    hours = ship(ev.HOURS_EXCEPTION_ADDED, {"date": "2026-12-24", "hours": [], "closed": True})
    assert hours["data"] == {"date": "2026-12-24", "hours": [], "closed": True}
    assert staff.actor("system:demo") == "system:demo"


def test_every_ticket_column_is_decided_shipped_or_private() -> None:
    """The shipped fields are an allow-list beside the store's columns: a new column must
    be put on one side deliberately, never ship (or vanish) by default."""
    assert set(TICKET_FIELDS).isdisjoint(PRIVATE_TICKET_FIELDS)
    assert set(TICKET_FIELDS) | set(PRIVATE_TICKET_FIELDS) == set(TICKET_COLUMNS)
