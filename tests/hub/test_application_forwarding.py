"""Applications lodged at a centre for an institution its back office does not serve
travel to the hub through the centre's durable outbox: once, with the registration
number the resident holds, whatever fails in between (real PostgreSQL, real hub and
centres on 127.0.0.1)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from core.applications import normalize_secret, receipt_matches
from core.clock import ManualClock
from core.data import national_catalogue_text
from server.admin import run_admin
from server.auth import Role
from server.commands.admin import add_device
from server.forwarding import TRAVELLING
from tests.conftest import Staff
from tests.hub.test_centre_crash import start_centre
from tests.hub.test_national_subscription import centre_file
from tests.support.hub_link import eventually, link_config
from tests.support.processes import free_port
from tests.support.running_hub import RunningHub
from tests.support.running_server import RunningServer

FORM = {
    "name": "Jānis Bērziņš",
    "personal_code": "120389-11220",
    "phone": "+371 20000000",
    "text": "Lūdzu izziņu par deklarēto dzīvesvietu.",
    "delivery": "in_person",
}
LODGING = {"type_id": "certificate-request", "language": "lv", "fields": FORM, "consent": True}


def with_back_office(path: Path, departments: list[str]) -> Path:
    """The centre file with `[subscription] back_office = departments`."""
    text = path.read_text("utf-8")
    listed = ", ".join(f'"{d}"' for d in departments)
    path.write_text(
        text.replace("[subscription]\n", f"[subscription]\nback_office = [{listed}]\n", 1), "utf-8"
    )
    return path


def at_hub(dsn: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "SELECT centre_id, registration_number, department_id, fields FROM applications "
            "ORDER BY centre_id, registration_number"
        ).fetchall()


def centre_rows(data_dir: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(data_dir / "rinda.sqlite3") as conn:
        return conn.execute(sql).fetchall()


def publish_national(hub: RunningHub) -> None:
    hub.add_user("ieva", "admin")
    with hub.client(hub.login("ieva")) as admin:
        answer = admin.post(
            "/catalogue/versions", json={"document": national_catalogue_text(), "note": "v1"}
        )
    assert answer.status_code == 201, answer.text


@pytest.fixture
def scene(hub_dsn: str, tmp_path: Path, clock: ManualClock) -> Iterator[dict[str, Any]]:
    """A hub with the national catalogue; centre `ogre-1` forwards every national
    institution, centre `riga-1` serves `registry` in its own back office."""
    with contextlib.ExitStack() as stack:
        hub = stack.enter_context(RunningHub(hub_dsn, clock=clock, housekeeping_seconds=0.05))
        publish_national(hub)
        centres, tokens = {}, {}
        for centre_id, municipality, served in (
            ("ogre-1", "Ogre", []),
            ("riga-1", "Rīga", ["registry"]),
        ):
            tokens[centre_id] = hub.add_centre(centre_id, municipality)
            centres[centre_id] = stack.enter_context(
                RunningServer(
                    tmp_path / centre_id,
                    clock=clock,
                    catalogue_path=with_back_office(centre_file(tmp_path, centre_id), served),
                    hub=link_config(hub.url, tokens[centre_id], heartbeat_seconds=0.05),
                    housekeeping_seconds=0.05,
                )
            )
        yield {"hub": hub, "centres": centres, "tokens": tokens, "clock": clock}


def test_an_application_for_an_institution_reaches_the_hub_once(scene: dict[str, Any]) -> None:
    hub, centres, tokens = scene["hub"], scene["centres"], scene["tokens"]
    ogre, riga = centres["ogre-1"], centres["riga-1"]
    with ogre.client(Staff(ogre).kiosk) as http:
        lodged = http.post("/applications", json=LODGING)
    assert lodged.status_code == 201, lodged.text
    number = lodged.json()["registration_number"]

    eventually(lambda: at_hub(hub.dsn), 60, "the application at the hub")
    [(centre_id, registration, department, fields)] = at_hub(hub.dsn)
    assert (centre_id, registration, department) == ("ogre-1", number, "registry")
    assert fields == FORM  # the form's fields only: no receipt code, no kiosk name
    eventually(
        lambda: centre_rows(ogre.data_dir, "SELECT status FROM applications") == [("forwarded",)],
        60,
        "the centre to record the hub's acknowledgement",
    )
    [(actor,)] = centre_rows(
        ogre.data_dir, "SELECT actor FROM application_history WHERE status = 'forwarded'"
    )
    assert actor == "system:hub-link"

    # A resend (the hub's answer lost) is stored once.
    [(sent,)] = centre_rows(ogre.data_dir, "SELECT payload FROM application_forwarding")
    payload = json.loads(sent)
    assert set(payload) == set(TRAVELLING) and payload["registration_number"] == number
    assert receipt_matches(payload["receipt_verifier"], normalize_secret(lodged.json()["secret"]))
    assert not receipt_matches(payload["receipt_verifier"], "AAAAAAAA")
    with hub.client(tokens["ogre-1"]) as http:
        again = http.post("/centres/ogre-1/applications", json=payload)
        assert again.status_code == 200 and again.json()["stored"] is False
        # Another centre's token cannot forward in its name; odd input is refused.
        assert http.post("/centres/riga-1/applications", json=payload).status_code == 403
        unknown = http.post(
            "/centres/ogre-1/applications", json={**payload, "fields": {"salary": "1"}}
        )
        assert unknown.status_code == 422
        ghost = http.post("/centres/ogre-1/applications", json={**payload, "department_id": "x"})
        assert ghost.status_code == 422 and ghost.json()["code"] == "invalid_input"
    assert len(at_hub(hub.dsn)) == 1

    # A department the centre's own back office serves stays at the centre.
    with riga.client(Staff(riga).kiosk) as http:
        assert http.post("/applications", json=LODGING).status_code == 201
    assert centre_rows(riga.data_dir, "SELECT COUNT(*) FROM application_forwarding") == [(0,)]
    assert centre_rows(riga.data_dir, "SELECT status FROM applications") == [("received",)]
    assert [row[0] for row in at_hub(hub.dsn)] == ["ogre-1"]


@pytest.mark.slow
def test_hub_down_and_centre_killed_after_acknowledging_the_kiosk(
    tmp_path: Path, hub_dsn: str
) -> None:
    data_dir = tmp_path / "centre"
    kiosk = run_admin(data_dir, lambda tx: add_device(tx, "kiosk-1", Role.KIOSK))
    catalogue = with_back_office(centre_file(tmp_path, "sigulda"), [])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    hub = RunningHub(hub_dsn).start()
    try:
        publish_national(hub)
        token = hub.add_centre("sigulda", "Sigulda")
        centre = start_centre(data_dir, port, catalogue, hub.url, token)
        try:
            eventually(
                lambda: (
                    httpx.get(f"{url}/api/v1/health").json()["catalogue"]["running_version"] == 1
                ),
                60,
                "the centre on the national catalogue",
            )
            hub.stop()  # the hub is down while the resident lodges
            lodged = httpx.post(
                f"{url}/api/v1/applications",
                json=LODGING,
                headers={"Authorization": f"Bearer {kiosk}", "Idempotency-Key": "k-1"},
                timeout=30,
            )
            assert lodged.status_code == 201, lodged.text  # acknowledged to the kiosk
            number = lodged.json()["registration_number"]
            os.kill(centre.pid, signal.SIGKILL)
            centre.wait(timeout=10)
            assert centre_rows(data_dir, "SELECT delivered_at FROM application_forwarding") == [
                (None,)
            ]

            centre = start_centre(data_dir, port, catalogue, hub.url, token)
            hub.start()  # the hub is back, on the same address
            eventually(lambda: at_hub(hub_dsn), 60, "the application at the hub")
            eventually(
                lambda: (
                    centre_rows(data_dir, "SELECT status FROM applications") == [("forwarded",)]
                ),
                60,
                "the centre to record the acknowledgement",
            )
            # Restarting again resends nothing new and stores nothing twice.
            os.kill(centre.pid, signal.SIGKILL)
            centre.wait(timeout=10)
            centre = start_centre(data_dir, port, catalogue, hub.url, token)
            assert [(c, r) for c, r, _, _ in at_hub(hub_dsn)] == [("sigulda", number)]
        finally:
            centre.kill()
            centre.wait(timeout=10)
    finally:
        hub.stop()


def test_institution_staff_see_only_their_institution_and_every_read_is_audited(
    scene: dict[str, Any],
) -> None:
    hub, centres, tokens = scene["hub"], scene["centres"], scene["tokens"]
    ogre = centres["ogre-1"]
    with ogre.client(Staff(ogre).kiosk) as http:
        receipt = http.post("/applications", json=LODGING).json()
        registry = receipt["registration_number"]
        social = http.post(
            "/applications", json={**LODGING, "type_id": "social-assessment"}
        ).json()["registration_number"]
    eventually(lambda: len(at_hub(hub.dsn)) == 2, 60, "both applications at the hub")
    hub.add_user("olga", "institution", institution="registry")
    hub.add_user("sam", "institution", institution="social")

    with hub.client(hub.login("olga")) as olga, hub.client(hub.login("sam")) as sam:
        mine = olga.get("/applications").json()
        assert [a["registration_number"] for a in mine["applications"]] == [registry]
        assert "fields" not in mine["applications"][0]  # the list has no personal data
        application_id = mine["applications"][0]["id"]
        [theirs] = sam.get("/applications").json()["applications"]
        assert theirs["registration_number"] == social

        # Another institution's application is not found, through every route.
        assert sam.get(f"/applications/{application_id}").status_code == 404
        moved = sam.post(f"/applications/{application_id}/status", json={"status": "answered"})
        assert moved.status_code == 404
        assert (
            sam.post(f"/applications/{application_id}/notes", json={"note": "x"}).status_code == 404
        )

        opened = olga.get(f"/applications/{application_id}").json()
        assert opened["fields"]["personal_code"] == FORM["personal_code"]
        assert [step["status"] for step in opened["history"]] == ["forwarded"]

        # The back office's lifecycle: forwarded → in_progress → answered; no way back.
        step = olga.post(f"/applications/{application_id}/status", json={"status": "in_progress"})
        assert step.status_code == 200, step.text
        back = olga.post(f"/applications/{application_id}/status", json={"status": "received"})
        assert back.status_code == 409 and back.json()["code"] == "illegal_transition"
        note = olga.post(f"/applications/{application_id}/notes", json={"note": "Zvanīju."})
        assert note.status_code == 204
        assert olga.get("/applications.csv").text.count(registry) == 1

    # The status flows back to the lodging centre: the resident's check there shows it.
    def checked() -> dict[str, Any]:
        answer = httpx.post(
            f"{ogre.url}/api/v1/applications/lookup",
            json={"registration_number": registry, "secret": receipt["secret"]},
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    eventually(lambda: checked()["status"] == "in_progress", 60, "the status at the centre")
    with hub.client(hub.login("olga")) as olga:
        done = olga.post(f"/applications/{application_id}/status", json={"status": "answered"})
        assert done.status_code == 200
    eventually(lambda: checked()["status"] == "answered", 60, "the answer at the centre")
    assert [s["status"] for s in checked()["history"]] == [
        "received",
        "forwarded",
        "in_progress",
        "answered",
    ]
    # At another centre's kiosk (and its public page): the same answer, through the hub,
    # for the right code only; a wrong code and a wrong number answer alike.
    riga = centres["riga-1"]
    with riga.client(Staff(riga).kiosk) as http:
        elsewhere = http.post(
            "/applications/lookup",
            json={"registration_number": registry.lower(), "secret": receipt["secret"].lower()},
        )
        assert elsewhere.status_code == 200, elsewhere.text
        assert elsewhere.json()["status"] == "answered"
        assert elsewhere.json()["department_name"]["en"] == checked()["department_name"]["en"]
        assert [h["status"] for h in elsewhere.json()["history"]] == [
            h["status"] for h in checked()["history"]
        ]
        assert "fields" not in elsewhere.json()
        refused = [
            http.post("/applications/lookup", json={"registration_number": n, "secret": c})
            for n, c in ((registry, "AAAA-AAAA"), ("OGR/2026/999999", receipt["secret"]))
        ]
    for answer in refused:
        assert answer.status_code == 404
    assert refused[0].json() == refused[1].json() or (
        refused[0].json()["code"] == refused[1].json()["code"]
    )
    public = httpx.post(
        f"{riga.url}/api/v1/applications/lookup",
        json={"registration_number": registry, "secret": receipt["secret"]},
    )
    assert public.status_code == 200 and public.json()["status"] == "answered"
    wrong = httpx.post(
        f"{ogre.url}/api/v1/applications/lookup",
        json={"registration_number": registry, "secret": "AAAA-AAAA"},
    )
    assert wrong.status_code == 404 and "status" not in wrong.json()

    # A centre reads no applications at the hub, not even those it forwarded.
    with hub.client(tokens["ogre-1"]) as centre:
        assert centre.get("/applications").status_code == 403
        assert centre.get(f"/applications/{application_id}").status_code == 403
    # An institution user reads no network figures; an analyst reads no applications.
    hub.add_user("anna", "analyst")
    with hub.client(hub.login("olga")) as olga, hub.client(hub.login("anna")) as anna:
        assert olga.get("/network/centres").status_code == 403
        assert anna.get("/applications").status_code == 403

    hub.add_user("root", "admin")
    with hub.client(hub.login("root")) as admin:
        entries = admin.get("/applications/audit").json()["entries"]
    assert [(e["actor"], e["action"], e["application_id"]) for e in reversed(entries)] == [
        ("olga", "read", application_id),
        ("olga", "export", None),
    ]


def test_personal_fields_are_purged_at_both_ends_after_the_retention_period(
    scene: dict[str, Any],
) -> None:
    hub, ogre, clock = scene["hub"], scene["centres"]["ogre-1"], scene["clock"]
    with ogre.client(Staff(ogre).kiosk) as http:
        receipt = http.post("/applications", json=LODGING).json()
    eventually(lambda: at_hub(hub.dsn), 60, "the application at the hub")
    hub.add_user("olga", "institution", institution="registry")
    with hub.client(hub.login("olga")) as olga:
        [line] = olga.get("/applications").json()["applications"]
        olga.post(f"/applications/{line['id']}/notes", json={"note": "Called her."})
        answered = olga.post(f"/applications/{line['id']}/status", json={"status": "answered"})
        assert answered.status_code == 200
    eventually(
        lambda: centre_rows(ogre.data_dir, "SELECT status FROM applications") == [("answered",)],
        60,
        "the answer at the centre",
    )
    clock.advance(timedelta(days=91))  # past the retention period (90 days at both ends)
    kept = {"delivery": "in_person"}
    eventually(lambda: at_hub(hub.dsn)[0][3] == kept, 60, "the purge at the hub")
    eventually(
        lambda: (
            [
                json.loads(f)
                for (f,) in centre_rows(ogre.data_dir, "SELECT fields FROM applications")
            ]
            == [kept]
        ),
        60,
        "the purge at the centre",
    )
    [(sent,)] = centre_rows(ogre.data_dir, "SELECT payload FROM application_forwarding")
    assert json.loads(sent)["fields"] == kept  # the outbox copy too
    with psycopg.connect(hub.dsn) as conn:
        notes = conn.execute("SELECT note FROM application_history").fetchall()
        purges = conn.execute(
            "SELECT actor, detail FROM application_audit WHERE action = 'purge'"
        ).fetchall()
    assert all(note is None for (note,) in notes)
    assert purges == [("system:retention", "1 applications")]
    # The resident can still check the status (nothing personal in it).
    check = httpx.post(
        f"{scene['centres']['riga-1'].url}/api/v1/applications/lookup",
        json={"registration_number": receipt["registration_number"], "secret": receipt["secret"]},
    )
    assert check.status_code == 200 and check.json()["status"] == "answered"
