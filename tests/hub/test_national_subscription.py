"""Hub and two subscribed centres, all real (PostgreSQL, uvicorn on 127.0.0.1): a new
national version is applied by both without a restart; with the hub down they keep
running on it; a withdrawn service is no longer issued but its waiting tickets are
served; a rollback restores it. The network view shows each centre's version."""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from core.clock import ManualClock
from core.data import national_catalogue_text, subscribed_centre_text
from tests.conftest import Staff
from tests.support.hub_link import eventually, link_config
from tests.support.running_hub import RunningHub
from tests.support.running_server import RunningServer

OPEN_ALL_DAY = "\n".join(
    f'{day} = ["00:00-24:00"]' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
)


def centre_file(tmp_path: Path, name: str) -> Path:
    """The demo subscribed centre, open around the clock (its hours are local)."""
    text = subscribed_centre_text()
    start = text.index("[hours]")
    end = text.index("[subscription]")
    path = tmp_path / f"{name}.toml"
    path.write_text(text[:start] + f"[hours]\n{OPEN_ALL_DAY}\n\n" + text[end:], "utf-8")
    return path


def service_name(centre: RunningServer, token: str, service_id: str) -> str:
    with centre.client(token) as http:
        services = http.get("/services").json()
    return next(s for s in services if s["id"] == service_id)["name"]["en"]


def running_version(centre: RunningServer) -> int | None:
    body = httpx.get(f"{centre.url}/api/v1/health", timeout=10).json()
    return body["catalogue"]["running_version"]


@pytest.fixture
def scene(hub_dsn: str, tmp_path: Path, clock: ManualClock) -> Iterator[dict[str, Any]]:
    with contextlib.ExitStack() as stack:
        hub = stack.enter_context(RunningHub(hub_dsn, clock=clock))
        hub.add_user("ieva", "admin")
        admin = hub.client(hub.login("ieva"))
        answer = admin.post(
            "/catalogue/versions", json={"document": national_catalogue_text(), "note": "v1"}
        )
        assert answer.status_code == 201
        centres = {}
        for centre_id, municipality in (("ogre-1", "Ogre"), ("riga-1", "Rīga")):
            token = hub.add_centre(centre_id, municipality)
            server = stack.enter_context(
                RunningServer(
                    tmp_path / centre_id,
                    clock=clock,
                    catalogue_path=centre_file(tmp_path, centre_id),
                    hub=link_config(
                        hub.url, token, catalogue_poll_seconds=0.1, heartbeat_seconds=0.05
                    ),
                )
            )
            centres[centre_id] = server
        yield {"hub": hub, "admin": admin, "centres": centres}


def publish(admin: httpx.Client, document: str, note: str) -> int:
    answer = admin.post("/catalogue/versions", json={"document": document, "note": note})
    assert answer.status_code == 201, answer.text
    return int(answer.json()["version"])


def test_publish_apply_hub_down_withdraw_and_rollback(scene: dict[str, Any]) -> None:
    hub, admin, centres = scene["hub"], scene["admin"], scene["centres"]
    staff = {name: Staff(server) for name, server in centres.items()}
    for name, server in centres.items():
        assert running_version(server) == 1
        assert service_name(server, staff[name].kiosk, "residence") == (
            "Declaring your place of residence"
        )
    pids_before = {name: id(server.ctx) for name, server in centres.items()}

    # Version 2: new wording. Both centres apply it without a restart.
    v1 = national_catalogue_text()
    v2 = v1.replace('en = "Declaring your place of residence"', 'en = "Declaring where you live"')
    assert publish(admin, v2, "Plainer English") == 2
    for name, server in centres.items():
        eventually(lambda server=server: running_version(server) == 2, 60, f"{name} on v2")
        assert service_name(server, staff[name].kiosk, "residence") == "Declaring where you live"
        assert id(server.ctx) == pids_before[name]
        with server.client(staff[name].kiosk) as http:
            centre = http.get("/centre").json()
        assert centre["national_version"] == 2
    # The hub knows which version each runs.
    reader = hub.client(hub.login("ieva"))

    def hub_sees(version: int) -> bool:
        with psycopg.connect(hub.dsn) as conn:
            rows = conn.execute("SELECT catalogue_version FROM centres ORDER BY id").fetchall()
        return rows == [(version,), (version,)]

    eventually(lambda: hub_sees(2), 60, "the hub to know both run version 2")
    live = {c["id"]: c for c in reader.get("/network/centres").json()["centres"]}
    assert live["ogre-1"]["catalogue_version"] == 2

    # The hub goes down: centres keep running on version 2, and say so.
    ogre, riga = centres["ogre-1"], centres["riga-1"]
    hub.stop()
    eventually(
        lambda: httpx.get(f"{ogre.url}/api/v1/health").json()["catalogue"]["last_error"],
        60,
        "the centre to notice the hub is away",
    )
    with ogre.client(staff["ogre-1"].kiosk) as http:
        issued = http.post("/tickets", json={"service_id": "residence", "language": "lv"})
    assert issued.status_code == 201
    health = httpx.get(f"{ogre.url}/api/v1/health").json()["catalogue"]
    assert health["running_version"] == 2 and not health["newer_waiting"]
    # A restart while the hub is away runs on the version last applied.
    data_dir, catalogue_path, config_hub = (
        riga.data_dir,
        riga.config_overrides["catalogue_path"],
        riga.config_overrides["hub"],
    )
    riga.stop()
    riga = RunningServer(data_dir, clock=ogre.clock, catalogue_path=catalogue_path, hub=config_hub)
    riga.start()
    centres["riga-1"] = riga
    staff["riga-1"].server = riga  # the same database: its tokens still work
    try:
        assert running_version(riga) == 2
        assert service_name(riga, staff["riga-1"].kiosk, "residence") == "Declaring where you live"
        hub.start()

        # Version 3 withdraws family benefits (left out of the upload): not issued any more,
        # but the ticket already waiting for it is served.
        for name, server in centres.items():
            with server.client(staff[name].kiosk) as http:
                waiting = http.post(
                    "/tickets", json={"service_id": "family-benefits", "language": "ru"}
                )
                assert waiting.status_code == 201
                staff[name].waiting = waiting.json()["id"]  # type: ignore[attr-defined]
        start = v2.index('[[services]]\nid = "family-benefits"')
        v3 = v2[:start] + v2[v2.index("[[services]]", start + 1) :]
        assert publish(admin, v3, "Family benefits move to the state portal") == 3
        for name, server in centres.items():
            eventually(lambda server=server: running_version(server) == 3, 60, f"{name} on v3")
            with server.client(staff[name].kiosk) as http:
                refused = http.post(
                    "/tickets", json={"service_id": "family-benefits", "language": "lv"}
                )
                assert refused.status_code == 409
                assert refused.json()["code"] == "service_withdrawn"
                queue = {q["service_id"]: q for q in http.get("/queue").json()["services"]}
                assert queue["family-benefits"]["unavailable_reason"] == "service_withdrawn"
                services = {s["id"]: s for s in http.get("/services").json()}
                assert services["family-benefits"]["withdrawn"] is True
            clerk = staff[name].clerk("c3")
            with server.client(clerk) as http:
                assert http.post("/counters/c3/open").status_code == 200
                called = http.post("/counters/c3/call-next")
                assert called.status_code == 200
                assert called.json()["id"] == staff[name].waiting  # type: ignore[attr-defined]
                assert called.json()["service_id"] == "family-benefits"

        # Rollback to version 2: a new version 4, family benefits offered again.
        answer = admin.post("/catalogue/rollback", json={"version": 2, "note": "Portal delayed"})
        assert answer.status_code == 201 and answer.json()["version"] == 4
        for name, server in centres.items():
            eventually(lambda server=server: running_version(server) == 4, 60, f"{name} on v4")
            with server.client(staff[name].kiosk) as http:
                again = http.post(
                    "/tickets", json={"service_id": "family-benefits", "language": "en"}
                )
                assert again.status_code == 201
        eventually(lambda: hub_sees(4), 60, "the hub to know both run version 4")
    finally:
        riga.stop()


def test_a_version_the_centre_cannot_take_is_refused_and_shown(scene: dict[str, Any]) -> None:
    """A version that drops a service a centre's counter serves still validates at the hub
    (it keeps the service withdrawn), but a version without a category a local service
    uses cannot be joined: the centre keeps running on its version and says why."""
    admin, centres = scene["admin"], scene["centres"]
    ogre = centres["ogre-1"]
    v1 = national_catalogue_text()
    data = tomllib.loads(v1)
    assert data["categories"][0]["id"] == "residence"
    # A local category that now clashes with a national one.
    v2 = v1.replace('[[categories]]\nid = "residence"', '[[categories]]\nid = "local"', 1).replace(
        'category = "residence"', 'category = "local"'
    )
    publish(admin, v2, "Renamed a category")

    def refused() -> dict[str, Any] | None:
        info = httpx.get(f"{ogre.url}/api/v1/health").json()["catalogue"]
        return info if info["refused_version"] == 2 else None

    info = eventually(refused, 60, "the centre to refuse version 2")
    assert info["running_version"] == 1 and info["newer_waiting"] is True
    assert "categories[0].id: 'local' is in the national catalogue" in info["refused_because"]
