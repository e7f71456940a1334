"""The live view tells what each centre's own queue tells, and says so when it cannot:
a centre whose link is down is shown as down, with its last event, never as empty."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.clock import ManualClock
from hub.link_state import DOWN_AFTER, Link, LinkState
from tests.support.hub_link import eventually
from tests.support.network_scene import Centre, network


def hall_at_the_centre(centre: Centre) -> dict:
    """What the centre's own `/api/v1/queue` and `/api/v1/stats` say now."""
    queue = centre.get("/queue")
    today = queue["business_day"]
    total = centre.get("/stats", group="total", **{"from": today, "to": today})["groups"]
    figures = total.get("total", {"served": 0, "service_level": None})
    return {
        "counters_open": sum(1 for c in queue["counters"] if c["status"] == "open"),
        "waiting": sum(s["waiting"] for s in queue["services"]),
        "longest_wait_seconds": max(s["longest_wait_seconds"] for s in queue["services"]),
        "serving": sum(1 for c in queue["counters"] if c["current"] is not None),
        "served_today": figures["served"],
        "service_level_today": figures["service_level"],
    }


HALL = (
    "counters_open",
    "waiting",
    "longest_wait_seconds",
    "serving",
    "served_today",
    "service_level_today",
)


def hall_at_the_hub(live: dict, centre_id: str) -> dict:
    entry = next(c for c in live["centres"] if c["id"] == centre_id)
    assert entry["link"]["state"] == "up", entry["link"]
    return {name: entry["live"][name] for name in HALL}


@pytest.mark.slow
def test_the_live_view_equals_each_centres_own_queue(
    tmp_path: Path, hub_dsn: str, clock: ManualClock
) -> None:
    # The centres' day runs for hours on the clock: the reader's session must outlast it.
    with network(hub_dsn, clock, session_idle=timedelta(days=1)) as scene:
        riga = scene.add_centre(tmp_path, "riga", "Rīga", "Rīgas centrs", seed=21)
        ogre = scene.add_centre(tmp_path, "ogre", "Ogre", "Ogres centrs", seed=22)
        with scene.reader() as reader:
            seen_waiting = seen_serving = 0
            for _ in range(5):
                # Calls and releases change which counter holds whom without any counter
                # event: the view must still agree.
                riga.activity.run(25)
                ogre.activity.run(25)
                scene.settle()
                live = reader.get("/network/live").json()
                for centre in (riga, ogre):
                    assert hall_at_the_hub(live, centre.centre_id) == hall_at_the_centre(centre)
                    seen_waiting += hall_at_the_centre(centre)["waiting"]
                    seen_serving += hall_at_the_centre(centre)["serving"]
            assert seen_waiting > 0 and seen_serving > 0  # the comparison was not of zeros


@pytest.mark.slow
def test_a_silent_centre_is_down_with_its_last_event_and_no_figures(
    tmp_path: Path, hub_dsn: str, clock: ManualClock
) -> None:
    with network(hub_dsn, clock) as scene:
        quiet = scene.add_centre(
            tmp_path, "quiet", "Rīga", "Klusais", seed=3, heartbeat_seconds=0.1
        )
        quiet.activity.run(30)
        scene.settle()
        last_event = (
            quiet.server.ctx.reads.get().execute("SELECT MAX(at) FROM events").fetchone()[0]
        )
        with scene.reader() as reader:

            def state() -> dict:
                return reader.get("/network/live").json()["centres"][0]

            # Idle but alive: its heartbeats keep it up, however long nothing happens.
            clock.advance(timedelta(minutes=10))
            eventually(lambda: state()["link"]["seconds_since_contact"] == 0, what="a heartbeat")
            assert state()["link"]["state"] == "up" and state()["live"] is not None
            assert state()["live"]["waiting"] > 0
            scene.take_down("quiet")  # the centre (or its link) goes away
            clock.advance(DOWN_AFTER + timedelta(seconds=1))
            down = state()
        assert down["link"]["state"] == "down"
        assert down["live"] is None  # not "0 waiting": nothing is known
        stored_last = datetime.fromisoformat(down["link"]["last_event_at"])
        assert stored_last == datetime.fromisoformat(last_event).replace(tzinfo=UTC)


def test_the_link_rules() -> None:
    now = datetime(2026, 11, 23, 10, tzinfo=UTC)
    heard = now - timedelta(seconds=5)

    def link(**changes: object) -> Link:
        fields = {
            "acknowledged_seq": 100,
            "log_end": 100,
            "last_event_at": heard,
            "last_contact_at": heard,
            "revoked": False,
            **changes,
        }
        return Link(**fields)  # type: ignore[arg-type]

    assert link().state(now) is LinkState.UP
    assert link(log_end=130).state(now) is LinkState.CATCHING_UP
    assert link(log_end=130).lag_events == 30
    assert link(log_end=None).lag_events == 0
    assert link(last_contact_at=now - DOWN_AFTER).state(now) is LinkState.UP
    assert link(last_contact_at=now - DOWN_AFTER - timedelta(seconds=1)).state(now) is (
        LinkState.DOWN
    )
    assert link(last_contact_at=None, last_event_at=None).state(now) is LinkState.NEVER
    assert link(revoked=True).state(now) is LinkState.REVOKED
    assert not LinkState.DOWN.live and LinkState.CATCHING_UP.live
