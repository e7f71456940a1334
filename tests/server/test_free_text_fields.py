"""Every place free text enters the server follows the one rule of `core.free_text`.

For each field kind: text with NUL, a right-to-left override or a bidi isolate
is refused with 422 `control_characters` and changes nothing; a lone
surrogate is refused as `malformed_json`; accepted text is stored trimmed and in
NFC (the rule itself is tested once per kind in tests/core/test_free_text.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import httpx
import pytest

from core.errors import InvalidInput
from server.admin import run_admin
from server.auth import Role
from server.commands.admin import add_hours_exception, add_user
from server.store.database import database_path
from tests.conftest import Staff
from tests.support.running_server import RunningServer

TYPED = "  Be\u0304rzin\u0327s\u030c \n"
"""Bērziņš typed with combining marks, with spaces and a line break around it."""
STORED = "Bērziņš"
REFUSED = ["Ja\x00nis", "\u202eevil", "a\u2066b\u2069", "a\u2028b"]


def db(server: RunningServer) -> sqlite3.Connection:
    return sqlite3.connect(database_path(server.data_dir))


def post_json(
    server: RunningServer, token: str, method: str, path: str, body: dict
) -> httpx.Response:
    with server.client(token) as http:
        return http.request(
            method,
            path,
            content=json.dumps(body).encode("ascii"),
            headers={"content-type": "application/json"},
        )


def served_ticket(server: RunningServer, staff: Staff) -> str:
    with server.client(staff.kiosk) as http:
        ticket = http.post("/tickets", json={"service_id": "residence"}).json()
    with server.client(staff.clerk("c1")) as http:
        http.post("/counters/c1/open").raise_for_status()
        http.post("/counters/c1/call-next").raise_for_status()
        http.post(f"/tickets/{ticket['id']}/start").raise_for_status()
    return str(ticket["id"])


def lodged_application(server: RunningServer, staff: Staff, **fields: str) -> httpx.Response:
    body = {
        "type_id": "certificate-request",
        "fields": {
            "name": "Jānis Bērziņš",
            "personal_code": "120389-11220",
            "phone": "+371 20000000",
            "address": "Rīga",
            "text": "Lūdzu izziņu.",
            "delivery": "in_person",
            **fields,
        },
        "consent": True,
    }
    return post_json(server, staff.kiosk, "POST", "/applications", body)


@dataclass(frozen=True)
class Field:
    """One place free text enters: how to send a text there, and how to read it back."""

    name: str
    field: str
    send: Callable[[RunningServer, Staff, str], httpx.Response]
    read: Callable[[RunningServer, Staff], str | None]


def _ticket_action(key: str) -> Callable[[RunningServer, Staff, str], httpx.Response]:
    def send(server: RunningServer, staff: Staff, text: str) -> httpx.Response:
        ticket_id = served_ticket(server, staff)
        return post_json(
            server, staff.clerk("c1"), "POST", f"/tickets/{ticket_id}/finish", {key: text}
        )

    return send


def _ticket_column(column: str) -> Callable[[RunningServer, Staff], str | None]:
    def read(server: RunningServer, staff: Staff) -> str | None:
        with db(server) as conn:
            row = conn.execute(
                f"SELECT {column} FROM tickets WHERE {column} IS NOT NULL"
            ).fetchone()
        return None if row is None else str(row[0])

    return read


def _print_error(server: RunningServer, staff: Staff, text: str) -> httpx.Response:
    with server.client(staff.kiosk) as http:
        ticket = http.post("/tickets", json={"service_id": "residence"}).json()
    return post_json(
        server,
        staff.kiosk,
        "POST",
        f"/tickets/{ticket['id']}/print-result",
        {"printed": False, "error": text},
    )


def _device_status(key: str) -> Callable[[RunningServer, Staff, str], httpx.Response]:
    def send(server: RunningServer, staff: Staff, text: str) -> httpx.Response:
        return post_json(
            server, staff.kiosk, "POST", "/devices/me/status", {"printer": "ok", key: text}
        )

    return send


def _device_read(key: str) -> Callable[[RunningServer, Staff], str | None]:
    def read(server: RunningServer, staff: Staff) -> str | None:
        with db(server) as conn:
            row = conn.execute("SELECT status FROM devices WHERE name = 'kiosk-1'").fetchone()
        return json.loads(row[0]).get(key) if row and row[0] else None

    return read


def _application_note(path: str) -> Callable[[RunningServer, Staff, str], httpx.Response]:
    def send(server: RunningServer, staff: Staff, text: str) -> httpx.Response:
        application = lodged_application(server, staff).json()
        body = {"note": text} if path == "notes" else {"status": "forwarded", "note": text}
        return post_json(
            server, staff.manager, "POST", f"/applications/{application['id']}/{path}", body
        )

    return send


def _history_note(server: RunningServer, staff: Staff) -> str | None:
    with db(server) as conn:
        row = conn.execute("SELECT note FROM application_history WHERE note IS NOT NULL").fetchone()
    return None if row is None else str(row[0])


def _application_field(name: str) -> Field:
    def send(server: RunningServer, staff: Staff, text: str) -> httpx.Response:
        return lodged_application(server, staff, **{name: text})

    def read(server: RunningServer, staff: Staff) -> str | None:
        with db(server) as conn:
            row = conn.execute("SELECT fields FROM applications").fetchone()
        return None if row is None else json.loads(row[0]).get(name)

    return Field(f"application {name}", name, send, read)


def _scalar(sql: str) -> Callable[[RunningServer, Staff], str | None]:
    def read(server: RunningServer, staff: Staff) -> str | None:
        with db(server) as conn:
            row = conn.execute(sql).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    return read


FIELDS = [
    Field(
        "display name",
        "display_name",
        lambda server, staff, text: post_json(
            server,
            staff.admin,
            "POST",
            "/admin/users",
            {"username": "ilze", "role": "clerk", "password": "long enough", "display_name": text},
        ),
        _scalar("SELECT display_name FROM users WHERE username = 'ilze'"),
    ),
    Field(
        "ticker",
        "text",
        lambda server, staff, text: post_json(
            server, staff.manager, "PUT", "/display/ticker", {"text": text}
        ),
        _scalar("SELECT value FROM settings WHERE key = 'ticker'"),
    ),
    Field("device detail", "detail", _device_status("detail"), _device_read("detail")),
    Field("software version", "version", _device_status("version"), _device_read("version")),
    Field("print error", "error", _print_error, _ticket_column("print_error")),
    Field("ticket note", "note", _ticket_action("note"), _ticket_column("note")),
    Field(
        "delivered service",
        "delivered_service",
        _ticket_action("delivered_service"),
        _ticket_column("delivered_service"),
    ),
    Field("application note", "note", _application_note("notes"), _history_note),
    Field("status note", "note", _application_note("status"), _history_note),
    Field(
        "hours note",
        "note",
        lambda server, staff, text: post_json(
            server,
            staff.admin,
            "POST",
            "/admin/hours",
            {"date": "2026-12-24", "closed": True, "note": text},
        ),
        _scalar("SELECT note FROM hours_exceptions"),
    ),
    _application_field("name"),
    _application_field("address"),
    _application_field("text"),
]


@pytest.mark.parametrize("place", FIELDS, ids=lambda f: f.name)
@pytest.mark.parametrize("text", REFUSED, ids=ascii)
def test_control_and_bidi_characters_are_refused_everywhere(
    server: RunningServer, staff: Staff, place: Field, text: str
) -> None:
    response = place.send(server, staff, text)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["fields"] == {place.field: "control_characters"}, body
    assert place.read(server, staff) is None


@pytest.mark.parametrize("place", FIELDS, ids=lambda f: f.name)
def test_a_lone_surrogate_is_refused_everywhere(
    server: RunningServer, staff: Staff, place: Field
) -> None:
    response = place.send(server, staff, "x\ud800y")
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "malformed_json"
    assert place.read(server, staff) is None


@pytest.mark.parametrize("place", FIELDS, ids=lambda f: f.name)
def test_accepted_text_is_stored_trimmed_and_in_nfc(
    server: RunningServer, staff: Staff, place: Field
) -> None:
    response = place.send(server, staff, TYPED)
    assert response.status_code < 300, response.text
    assert place.read(server, staff) == STORED


def test_the_command_line_follows_the_same_rule(server: RunningServer) -> None:
    """`rinda users add --display-name` and `rinda hours add --note` reach the same checks."""
    with pytest.raises(InvalidInput) as caught:
        run_admin(
            server.data_dir,
            lambda tx: add_user(tx, "ilze", Role.CLERK, "long enough", display_name="\u202eevil"),
        )
    assert caught.value.fields == {"display_name": "control_characters"}
    with pytest.raises(InvalidInput) as caught:
        run_admin(
            server.data_dir,
            lambda tx: add_hours_exception(tx, date(2026, 12, 24), [], True, "Eve\x00"),
        )
    assert caught.value.fields == {"note": "control_characters"}
    with pytest.raises(InvalidInput) as caught:
        run_admin(
            server.data_dir,
            lambda tx: add_hours_exception(tx, date(9999, 12, 31), [], True, ""),
        )
    assert caught.value.fields == {"date": "out_of_range"}
