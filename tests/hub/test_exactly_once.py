"""Every event is stored once at the hub, however often and in whatever order it is
sent, and the hub's figures equal the centre's own `/api/v1/stats`."""

from __future__ import annotations

import json
import random
from pathlib import Path

import httpx
import psycopg
import pytest

from server.hub_link.shipped import StaffIds, shipped_event
from server.store.events import EVENT_COLUMNS
from tests.conftest import Staff
from tests.support.catalogues import always_open
from tests.support.centre_activity import SECRET_NOTE, activity_for
from tests.support.hub_link import (
    caught_up,
    centre_figures,
    eventually,
    hub_figures,
    link_config,
    stored_seqs,
)
from tests.support.running_hub import RunningHub
from tests.support.running_server import RunningServer

GROUPS = ("service", "day", "total")


def local_events(server: RunningServer) -> list[tuple]:
    assert server.ctx is not None
    return [
        tuple(r)
        for r in server.ctx.reads.get()
        .execute(f"SELECT {EVENT_COLUMNS} FROM events ORDER BY seq")
        .fetchall()
    ]


@pytest.mark.slow
def test_a_centre_ships_its_day_and_the_figures_match(tmp_path: Path, hub_dsn: str, clock) -> None:
    with RunningHub(hub_dsn) as hub:
        token = hub.add_centre("riga-centrs", "Rīga")
        config = link_config(hub.url, token)
        with RunningServer(
            tmp_path / "centre", clock=clock, catalogue=always_open(), hub=config
        ) as centre:
            staff = Staff(centre)
            assert staff.manager  # created now: its user.added is part of the day's log
            first_day = clock.now().astimezone(always_open().hours.zone).date()
            activity = activity_for(centre, staff, clock)
            activity.run(400)
            eventually(lambda: caught_up(centre.url), what="the hub to acknowledge everything")
            local = local_events(centre)
            assert stored_seqs(hub_dsn, "riga-centrs") == [row[0] for row in local]
            day = clock.now().astimezone(always_open().hours.zone).date()
            for group in GROUPS:
                assert hub_figures(hub_dsn, "riga-centrs", first_day, day, group) == (
                    centre_figures(centre.url, staff.manager, first_day, day, group)
                ), group
            assert centre.ctx is not None
            local_counters = dict(
                centre.ctx.reads.get().execute("SELECT counter_id, status FROM counter_states")
            )
            with psycopg.connect(hub_dsn) as conn:
                hub_counters = dict(
                    conn.execute("SELECT counter_id, status FROM counter_states").fetchall()
                )
            assert hub_counters == {k: v for k, v in local_counters.items() if k in hub_counters}
            assert set(hub_counters) == {"c1", "c2", "c3", "c4", "c5"}
            health = httpx.get(f"{centre.url}/api/v1/health").json()["hub_link"]
            assert health["state"] == "caught_up" and health["lag_seconds"] == 0
            overview = httpx.get(
                f"{centre.url}/api/v1/overview",
                headers={"Authorization": f"Bearer {staff.manager}"},
            ).json()
            assert overview["hub_link"]["acknowledged_seq"] == local[-1][0]

        with psycopg.connect(hub_dsn) as conn:
            text = json.dumps(
                [row[0] for row in conn.execute("SELECT data FROM events").fetchall()],
                ensure_ascii=False,
            )
            actors = {row[0] for row in conn.execute("SELECT DISTINCT actor FROM events")}
        # No clerk's note, no user names: staff appear only as pseudonymous ids.
        assert SECRET_NOTE[:20] not in text and "Bērziņš" not in text
        assert "clerk-c1" not in text and not any("clerk-c" in (a or "") for a in actors)
        assert '"staff_id": "s-' in text


def test_resent_and_reordered_batches_are_stored_once(tmp_path: Path, hub_dsn: str, clock) -> None:
    """The same events sent twice, in overlapping batches, shuffled inside each batch:
    each stored once, figures as if sent once in order."""
    with RunningServer(tmp_path / "centre", clock=clock, catalogue=always_open()) as centre:
        staff = Staff(centre)
        first_day = clock.now().astimezone(always_open().hours.zone).date()
        activity_for(centre, staff, clock, seed=7).run(250)
        rows = local_events(centre)
        staff_ids = StaffIds(b"k" * 32)
        shipped = [shipped_event(row, centre.catalogue or always_open(), staff_ids) for row in rows]
        day = clock.now().astimezone(always_open().hours.zone).date()
        expected = {g: centre_figures(centre.url, staff.manager, first_day, day, g) for g in GROUPS}

    rng = random.Random(3)
    with RunningHub(hub_dsn) as hub:
        token = hub.add_centre("ogre", "Ogre")
        with hub.client(token) as http:
            profile = {"timezone": "Europe/Riga", "services": [], "counters": 5}
            http.put("/centres/ogre/profile", json=profile).raise_for_status()
            last = shipped[-1]["seq"]
            for rounds in range(2):
                position = 0
                while position < last:
                    size = rng.randint(1, 60)
                    batch = [e for e in shipped if position < e["seq"] <= position + size]
                    rng.shuffle(batch)
                    through = min(position + size, last)
                    response = http.post(
                        "/centres/ogre/events",
                        json={"after": position, "through": through, "events": batch},
                    )
                    response.raise_for_status()
                    receipt = response.json()
                    assert receipt["acknowledged_seq"] == (last if rounds else through)
                    if rounds:
                        assert receipt["stored"] == 0 and receipt["duplicates"] == len(batch)
                    position = through
            # A batch from before the acknowledged position: all duplicates.
            again = http.post(
                "/centres/ogre/events", json={"after": 0, "through": 50, "events": shipped[:50]}
            ).json()
            assert again == {**again, "stored": 0, "acknowledged_seq": last}
    assert stored_seqs(hub_dsn, "ogre") == [row[0] for row in rows]
    for group in GROUPS:
        assert hub_figures(hub_dsn, "ogre", first_day, day, group) == expected[group], group
