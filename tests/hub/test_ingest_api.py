"""Bad batches get a clear 4xx with a documented code and change nothing."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import psycopg
import pytest

from tests.support.running_hub import RunningHub

PROFILE = {"timezone": "Europe/Riga", "services": [], "counters": 1}
TICKET = {
    "id": "t1",
    "original_service_id": "residence",
    "status": "waiting",
    "issued_at": "2026-11-23T08:00:00+00:00",
    "target_wait_seconds": 900,
}


def event(seq: int, **changes: object) -> dict:
    return {
        "seq": seq,
        "type": "ticket.issued",
        "at": "2026-11-23T08:00:00+00:00",
        "schema_version": 1,
        "ticket_id": "t1",
        "data": {"ticket": TICKET},
        **changes,
    }


@pytest.fixture
def link(hub_dsn: str) -> Iterator[httpx.Client]:
    with RunningHub(hub_dsn) as hub:
        token = hub.add_centre("riga", "Rīga")
        with hub.client(token) as http:
            yield http


def stored(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])


def test_events_before_the_profile_are_refused(link: httpx.Client, hub_dsn: str) -> None:
    response = link.post(
        "/centres/riga/events", json={"after": 0, "through": 1, "events": [event(1)]}
    )
    assert response.status_code == 409 and response.json()["code"] == "profile_missing"
    assert stored(hub_dsn) == 0
    bad_zone = link.put("/centres/riga/profile", json={**PROFILE, "timezone": "Mars/Olympus"})
    assert bad_zone.status_code == 422 and bad_zone.json()["fields"] == {"timezone": "unknown"}


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        (
            {"after": 0, "through": 1, "events": [event(1, schema_version=9)]},
            "schema_version",
            "unsupported",
        ),
        ({"after": 0, "through": 1, "events": [event(2)]}, "events", "seq_outside_batch"),
        ({"after": 0, "through": 2, "events": [event(1), event(1)]}, "events", "duplicate"),
        ({"after": 0, "through": 1, "events": [event(1), event(1)]}, "events", "not_contiguous"),
        ({"after": 3, "through": 2, "events": []}, "through", "before_after"),
        ({"after": 0, "through": 10**9, "events": [event(1)]}, "events", "not_contiguous"),
        ({"after": 0, "through": 2, "events": [event(2)]}, "events", "not_contiguous"),
        (
            {"after": 0, "through": 2, "events": [event(1), event(2, data={"ticket": {"id": 5}})]},
            "events",
            "invalid_event_data",
        ),
        (
            {
                "after": 0,
                "through": 1,
                "events": [event(1, type="feedback.given", data={"rating": 9})],
            },
            "events",
            "invalid_feedback",
        ),
    ],
)
def test_malformed_batches_change_nothing(
    link: httpx.Client, hub_dsn: str, body: dict, field: str, problem: str
) -> None:
    link.put("/centres/riga/profile", json=PROFILE).raise_for_status()
    response = link.post("/centres/riga/events", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_input"
    assert response.json()["fields"] == {field: problem}
    assert stored(hub_dsn) == 0
    assert link.get("/centres/riga/position").json()["acknowledged_seq"] == 0


def test_schema_errors_and_oversized_bodies(link: httpx.Client) -> None:
    link.put("/centres/riga/profile", json=PROFILE).raise_for_status()
    missing = link.post("/centres/riga/events", json={"after": 0, "events": []})
    assert missing.status_code == 422 and missing.json()["fields"] == {"through": "required"}
    garbage = link.post(
        "/centres/riga/events", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert garbage.status_code == 400 and garbage.json()["code"] == "malformed_json"
    huge = link.post(
        "/centres/riga/events",
        content=b"[" + b" " * (9 * 1024 * 1024) + b"]",
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413 and huge.json()["code"] == "body_too_large"
