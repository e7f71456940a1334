"""Applications over the API: lodging, idempotency, inboxes, status, lookup, retention, audit."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from datetime import timedelta

import httpx
import pytest

from tests.support.catalogues import always_open
from tests.support.running_server import RunningServer

FORM = {
    "name": "Jānis Bērziņš",
    "personal_code": "120389-11220",
    "phone": "+371 20000000",
    "text": "Lūdzu izziņu par deklarēto dzīvesvietu.",
    "delivery": "in_person",
}


def lodge(server, staff, key: str | None = None, **changes) -> httpx.Response:
    body = {
        "type_id": "certificate-request",
        "language": "lv",
        "fields": dict(FORM),
        "consent": True,
    }
    body.update(changes)
    headers = {"Idempotency-Key": key} if key else {}
    with server.client(staff.kiosk) as http:
        return http.post("/applications", json=body, headers=headers)


def count(server) -> int:
    with sqlite3.connect(server.data_dir / "rinda.sqlite3") as conn:
        return conn.execute("SELECT COUNT(*) FROM applications").fetchone()[0]


@pytest.fixture
def registry_clerk(server) -> str:
    server.add_user("inese", "clerk", department_id="registry")
    return server.login("inese")


def test_lodging_gives_sequential_numbers_secret_and_deadline(server, staff) -> None:
    first = lodge(server, staff).json()
    second = lodge(server, staff).json()
    assert first["registration_number"] == "KAC/2026/000001"
    assert second["registration_number"] == "KAC/2026/000002"
    assert first["status"] == "received" and first["department_id"] == "registry"
    assert len(first["secret"]) == 9 and first["secret"] != second["secret"]
    assert first["answer_deadline"] == "2026-12-23"  # lodged on Monday 2026-11-23 + 1 month
    # The event log knows an application was lodged, not who lodged it.
    with sqlite3.connect(server.data_dir / "rinda.sqlite3") as conn:
        events = conn.execute(
            "SELECT type, data FROM events WHERE type LIKE 'application.%'"
        ).fetchall()
    assert [kind for kind, _ in events] == ["application.lodged"] * 2
    assert all("Bērziņš" not in data and "120389" not in data for _, data in events)


def test_the_same_idempotency_key_gives_the_same_application(server, staff) -> None:
    first = lodge(server, staff, key="outbox-1")
    again = lodge(server, staff, key="outbox-1")
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    assert count(server) == 1


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        (
            {"fields": {**FORM, "personal_code": "120389-11221"}},
            "personal_code",
            "personal_code_checksum",
        ),
        (
            {"fields": {**FORM, "personal_code": "290203-20000"}},
            "personal_code",
            "personal_code_date",
        ),
        ({"fields": {**FORM, "phone": "12"}}, "phone", "invalid_phone"),
        ({"fields": {**FORM, "email": "a@b"}}, "email", "invalid_email"),
        ({"fields": {**FORM, "text": "x" * 2001}}, "text", "too_long"),
        ({"fields": {**FORM, "favourite_colour": "zaļa"}}, "favourite_colour", "unknown_field"),
        ({"fields": {k: v for k, v in FORM.items() if k != "name"}}, "name", "required"),
        ({"consent": False}, "consent", "consent_required"),
        ({"type_id": "no-such-form"}, "type_id", "unknown_type"),
    ],
)
def test_bad_input_gets_field_errors_and_stores_nothing(
    server, staff, changes, field, code
) -> None:
    response = lodge(server, staff, **changes)
    assert response.status_code == 422, response.text
    assert response.json()["fields"][field] == code
    assert count(server) == 0


def test_malformed_bodies_are_refused(server, staff) -> None:
    with server.client(staff.kiosk) as http:
        assert http.post("/applications", json={"type_id": "x"}).status_code == 422
        assert http.post("/applications", content=b"{").status_code in (400, 422)
        big = {"type_id": "certificate-request", "fields": {"text": "x" * 70000}, "consent": True}
        assert http.post("/applications", json=big).status_code == 413
    assert count(server) == 0


def test_only_lodging_roles_may_lodge(server, staff) -> None:
    with server.client(staff.display) as http:
        response = http.post(
            "/applications",
            json={"type_id": "certificate-request", "fields": FORM, "consent": True},
        )
    assert response.status_code == 403
    assert count(server) == 0


def test_department_inbox_access(server, staff, registry_clerk) -> None:
    lodged = lodge(server, staff).json()
    social = lodge(server, staff, type_id="social-assessment").json()
    server.add_user("sandra", "clerk", department_id="social")
    server.add_user("nobody", "clerk")
    with server.client(registry_clerk) as http:
        inbox = http.get("/applications").json()
        assert [a["registration_number"] for a in inbox] == [lodged["registration_number"]]
        assert "fields" not in inbox[0]
        detail = http.get(f"/applications/{lodged['id']}").json()
        assert detail["fields"]["name"] == "Jānis Bērziņš"
        denied = http.get(f"/applications/{social['id']}")
        assert denied.status_code == 403
        assert "Bērziņš" not in denied.text
        assert http.get("/applications", params={"department": "social"}).status_code == 403
    with server.client(server.login("sandra")) as http:
        assert http.get(f"/applications/{lodged['id']}").status_code == 403
        assert [a["id"] for a in http.get("/applications").json()] == [social["id"]]
    with server.client(server.login("nobody")) as http:
        assert http.get("/applications").status_code == 403
    with server.client(staff.kiosk) as http:
        assert http.get(f"/applications/{lodged['id']}").status_code == 403
    with server.client(staff.manager) as http:
        assert len(http.get("/applications").json()) == 2


def test_status_steps_record_who_and_when(server, staff, registry_clerk) -> None:
    lodged = lodge(server, staff).json()
    with server.client(registry_clerk) as http:
        steps = ["forwarded", "in_progress", "answered"]
        for step in steps:
            response = http.post(f"/applications/{lodged['id']}/status", json={"status": step})
            assert response.status_code == 200, response.text
        illegal = http.post(f"/applications/{lodged['id']}/status", json={"status": "in_progress"})
        assert illegal.status_code == 409
        assert (
            http.post(
                f"/applications/{lodged['id']}/notes", json={"note": "Atbilde nosūtīta"}
            ).status_code
            == 204
        )
        detail = http.get(f"/applications/{lodged['id']}").json()
    assert [h["status"] for h in detail["history"]] == ["received", *steps, None]
    assert [h["actor"] for h in detail["history"]] == ["device:kiosk-1"] + ["user:inese"] * 4
    assert detail["history"][-1]["note"] == "Atbilde nosūtīta"
    assert detail["status"] == "answered" and detail["closed_at"]


def test_lookup_needs_number_and_secret_and_reveals_nothing_else(server, staff) -> None:
    lodged = lodge(server, staff).json()
    url = f"{server.url}/api/v1/applications/lookup"
    good = httpx.post(
        url, json={"registration_number": "kac/2026/1", "secret": lodged["secret"].lower()}
    )
    assert good.status_code == 200, good.text
    assert good.json()["status"] == "received"
    assert "Bērziņš" not in good.text and "120389" not in good.text and "kiosk" not in good.text
    wrong_secret = httpx.post(
        url, json={"registration_number": lodged["registration_number"], "secret": "AAAA-AAAA"}
    )
    unknown = httpx.post(
        url, json={"registration_number": "KAC/2026/000999", "secret": "AAAA-AAAA"}
    )
    assert wrong_secret.status_code == unknown.status_code == 404
    assert wrong_secret.json()["message"].replace("000001", "") == unknown.json()[
        "message"
    ].replace("000999", "")
    by_code = httpx.post(
        url, json={"registration_number": "120389-11220", "secret": lodged["secret"]}
    )
    assert by_code.status_code == 404


def test_lookup_is_rate_limited(server, staff) -> None:
    lodged = lodge(server, staff).json()
    url = f"{server.url}/api/v1/applications/lookup"
    codes = [
        httpx.post(
            url,
            json={"registration_number": lodged["registration_number"], "secret": f"WRONG-{i:03d}"},
        ).status_code
        for i in range(12)
    ]
    assert codes[:10] == [404] * 10 and codes[10:] == [429, 429]
    # Even the right secret is refused while the limit lasts.
    right = httpx.post(
        url, json={"registration_number": lodged["registration_number"], "secret": lodged["secret"]}
    )
    assert right.status_code == 429


def test_reads_and_exports_are_audited_and_csv_is_safe(server, staff, registry_clerk) -> None:
    # A kiosk reference is the kiosk's own code of letters and digits, never a formula.
    refused = lodge(server, staff, kiosk_reference="=cmd")
    assert refused.status_code == 422
    assert refused.json()["fields"] == {"kiosk_reference": "invalid_format"}
    lodged = lodge(server, staff, kiosk_reference="ab12cd34").json()
    with server.client(registry_clerk) as http:
        http.get(f"/applications/{lodged['id']}").raise_for_status()
        exported = http.get("/applications.csv")
        assert http.get("/applications/audit").status_code == 403
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert rows[0]["registration_number"] == lodged["registration_number"]
    assert rows[0]["kiosk_reference"] == "AB12CD34"
    assert "Bērziņš" not in exported.text
    with server.client(staff.manager) as http:
        entries = http.get("/applications/audit").json()
    assert [(e["actor"], e["action"]) for e in entries] == [
        ("user:inese", "export"),
        ("user:inese", "read"),
    ]
    assert entries[1]["application_id"] == lodged["id"]


def test_retention_purges_personal_fields_and_keeps_statistics(
    tmp_path, clock, staff_factory
) -> None:
    with RunningServer(
        tmp_path / "data", clock=clock, catalogue=always_open(), housekeeping_seconds=0.1
    ) as server:
        staff = staff_factory(server)
        open_one = lodge(server, staff).json()
        closed = lodge(server, staff).json()
        server.add_user("inese", "clerk", department_id="registry")
        with server.client(server.login("inese")) as http:
            http.post(
                f"/applications/{closed['id']}/status",
                json={"status": "rejected", "note": "Jānis neatbilst"},
            ).raise_for_status()
        clock.advance(timedelta(days=91))
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with sqlite3.connect(server.data_dir / "rinda.sqlite3") as conn:
                purged = conn.execute(
                    "SELECT purged_at FROM applications WHERE id = ?", (closed["id"],)
                ).fetchone()[0]
            if purged:
                break
            time.sleep(0.1)
        assert purged, "the housekeeping loop did not purge"
        with sqlite3.connect(server.data_dir / "rinda.sqlite3") as conn:
            rows = dict(conn.execute("SELECT id, fields FROM applications").fetchall())
            notes = [
                n
                for (n,) in conn.execute(
                    "SELECT note FROM application_history WHERE note IS NOT NULL"
                )
            ]
            kept = conn.execute(
                "SELECT type_id, status, lodged_at, closed_at FROM applications WHERE id = ?",
                (closed["id"],),
            ).fetchone()
        assert json.loads(rows[closed["id"]]) == {"delivery": "in_person"}
        assert json.loads(rows[open_one["id"]])["name"] == "Jānis Bērziņš"  # still open: kept
        assert notes == []
        assert kept[0] == "certificate-request" and kept[1] == "rejected" and kept[3]
        with server.client(staff.manager) as http:
            assert ("system:retention", "purge") in [
                (e["actor"], e["action"]) for e in http.get("/applications/audit").json()
            ]
