"""Who may do what at the hub: a centre ships only its own events and reads no network
figures; an analyst limited to a municipality sees only its centres; revoked tokens
stop at once, open event streams included."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.hub_link import eventually
from tests.support.hub_stream import HubStream
from tests.support.processes import rinda
from tests.support.running_hub import RunningHub

PROFILE = {"timezone": "Europe/Riga", "services": [], "counters": 1}
EVENT = {
    "seq": 1,
    "type": "display.ticker",
    "at": "2026-11-23T08:00:00+00:00",
    "schema_version": 1,
    "data": {},
}


@pytest.fixture
def hub(hub_dsn: str) -> Iterator[RunningHub]:
    # A long heartbeat: a stream that ends at once proves the revocation notice works.
    with RunningHub(hub_dsn, heartbeat_seconds=120.0) as running:
        yield running


def ship(hub: RunningHub, token: str, centre_id: str, seq: int = 1) -> httpx.Response:
    with hub.client(token) as http:
        http.put(f"/centres/{centre_id}/profile", json=PROFILE)
        body = {"after": seq - 1, "through": seq, "events": [{**EVENT, "seq": seq}]}
        return http.post(f"/centres/{centre_id}/events", json=body)


def test_a_centre_token_acts_only_for_its_own_centre(hub: RunningHub) -> None:
    riga = hub.add_centre("riga", "Rīga")
    hub.add_centre("ogre", "Ogre")
    assert ship(hub, riga, "riga").status_code == 200
    with hub.client(riga) as http:
        for method, path, body in (
            ("POST", "/centres/ogre/events", {"after": 0, "through": 1, "events": [EVENT]}),
            ("GET", "/centres/ogre/position", None),
            ("PUT", "/centres/ogre/profile", PROFILE),
        ):
            response = http.request(method, path, json=body)
            assert response.status_code == 403, path
            assert response.json()["code"] == "wrong_centre"
        for path in ("/network/centres", "/network/stream"):
            response = http.get(path)
            assert response.status_code == 403 and response.json()["code"] == "forbidden"
    with hub.client("not-a-token") as http:
        assert http.get("/centres/riga/position").json()["code"] == "not_authenticated"
    with hub.client() as http:
        assert http.post("/centres/riga/events", json={}).status_code == 401
    with hub.client(riga) as http:
        assert http.get("/centres/riga/position").json()["acknowledged_seq"] == 1


def test_an_analyst_of_one_municipality_sees_only_its_centres(hub: RunningHub) -> None:
    tokens = {cid: hub.add_centre(cid, m) for cid, m in (("riga", "Rīga"), ("ogre", "Ogre"))}
    hub.add_user("ogre-analyst", "analyst", municipality="Ogre")
    hub.add_user("national", "analyst")
    hub.add_user("root", "admin")
    local, national = hub.login("ogre-analyst"), hub.login("national")
    ogre_stream = HubStream(hub.url, local).start()
    national_stream = HubStream(hub.url, national).start()
    for centre_id, token in tokens.items():
        assert ship(hub, token, centre_id).status_code == 200

    def ids(token: str, **params: str) -> list[str]:
        with hub.client(token) as http:
            response = http.get("/network/centres", params=params)
            response.raise_for_status()
            return [c["id"] for c in response.json()["centres"]]

    assert ids(local) == ["ogre"]
    assert ids(local, municipality="Rīga") == []
    assert ids(national) == ["ogre", "riga"]
    assert ids(hub.login("root"), municipality="Rīga") == ["riga"]
    eventually(
        lambda: {e["centre_id"] for e in national_stream.events} == {"riga", "ogre"},
        what="both centres' updates on the national stream",
    )
    assert {e["centre_id"] for e in ogre_stream.events} == {"ogre"}


def test_revoked_centre_tokens_stop_at_once(hub: RunningHub) -> None:
    token = hub.add_centre("riga", "Rīga")
    assert ship(hub, token, "riga", 1).status_code == 200
    rinda("hub", "centres", "revoke", "riga", "--database", hub.dsn)
    response = ship(hub, token, "riga", 2)
    assert response.status_code == 401
    listing = rinda("hub", "centres", "list", "--database", hub.dsn).stdout
    assert "revoked" in listing


def test_disabled_users_and_ended_sessions_lose_their_streams_at_once(hub: RunningHub) -> None:
    hub.add_user("anna", "analyst")
    first, second = hub.login("anna"), hub.login("anna")
    by_session = HubStream(hub.url, first).start()
    by_user = HubStream(hub.url, second).start()
    assert by_session.status == by_user.status == 200
    with hub.client(first) as http:
        assert http.delete("/session").status_code == 204
    assert by_session.ended.wait(10), "the signed-out session's stream stayed open"
    assert not by_user.ended.is_set()
    rinda("hub", "users", "disable", "anna", "--database", hub.dsn)
    assert by_user.ended.wait(10), "the disabled user's stream stayed open"
    with hub.client(second) as http:
        assert http.get("/network/centres").status_code == 401
