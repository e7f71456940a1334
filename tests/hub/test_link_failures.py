"""When the hub or the link fails, the centre works on without waiting, reports its lag,
and catches up afterwards with nothing lost or doubled."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.conftest import Staff
from tests.support.catalogues import always_open
from tests.support.centre_activity import activity_for
from tests.support.hub_link import (
    caught_up,
    centre_figures,
    eventually,
    hub_figures,
    link_config,
    link_status,
    stored_seqs,
)
from tests.support.link_proxy import LinkProxy
from tests.support.processes import free_port
from tests.support.running_hub import HubProcess, RunningHub
from tests.support.running_server import RunningServer

GROUPS = ("service", "day", "total")


def local_seqs(centre: RunningServer) -> list[int]:
    assert centre.ctx is not None
    return [r[0] for r in centre.ctx.reads.get().execute("SELECT seq FROM events ORDER BY seq")]


def assert_same_figures(dsn: str, centre_id: str, centre: RunningServer, staff, first, last):
    for group in GROUPS:
        assert hub_figures(dsn, centre_id, first, last, group) == centre_figures(
            centre.url, staff.manager, first, last, group
        ), group


@pytest.mark.slow
def test_hub_away_for_minutes_then_back(tmp_path: Path, hub_dsn: str, clock) -> None:
    """The hub is stopped while the centre keeps issuing and calling for simulated
    minutes; the link reports its lag; when the hub returns, the centre catches up."""
    zone = always_open().hours.zone
    first_day = clock.now().astimezone(zone).date()
    hub = RunningHub(hub_dsn).start()
    token = hub.add_centre("jelgava", "Jelgava")
    port = hub.port
    with RunningServer(
        tmp_path / "centre", clock=clock, catalogue=always_open(), hub=link_config(hub.url, token)
    ) as centre:
        staff = Staff(centre)
        activity = activity_for(centre, staff, clock, seed=11)
        activity.run(60)
        eventually(lambda: caught_up(centre.url), what="the first catch-up")

        hub.stop()
        before = len(local_seqs(centre))
        outage_start = clock.now()
        activity.run(200)
        clock.advance(timedelta(minutes=5))
        assert len(local_seqs(centre)) > before
        status = eventually(
            lambda: (s := link_status(centre.url))["state"] == "retrying" and s,
            what="the link to report the outage",
        )
        assert status["lag_events"] > 0
        # The oldest event the hub lacks is from the start of the outage, minutes ago.
        assert 300 <= status["lag_seconds"] <= (clock.now() - outage_start).total_seconds()
        assert "reach the hub" in status["last_error"]

        hub = RunningHub(hub_dsn, port=port).start()
        try:
            eventually(lambda: caught_up(centre.url), what="the catch-up after the outage")
            assert stored_seqs(hub_dsn, "jelgava") == local_seqs(centre)
            last_day = clock.now().astimezone(zone).date()
            assert_same_figures(hub_dsn, "jelgava", centre, staff, first_day, last_day)
        finally:
            hub.stop()


@pytest.mark.slow
def test_a_link_that_passes_nothing_does_not_hold_up_the_centre(
    tmp_path: Path, hub_dsn: str, clock
) -> None:
    """A link that accepts connections but carries no data: local commands go on as
    before (none waits for the hub: with a 10-minute hub time-out, any that did would
    hang), and the shipper cuts the dead connection after its time-out and retries."""
    with RunningHub(hub_dsn) as hub, LinkProxy(hub.port) as proxy:
        token = hub.add_centre("valmiera", "Valmiera")
        config = link_config(proxy.url, token, io_timeout=600.0)
        with RunningServer(
            tmp_path / "centre", clock=clock, catalogue=always_open(), hub=config
        ) as centre:
            staff = Staff(centre)
            activity = activity_for(centre, staff, clock, seed=5)
            activity.run(20)
            eventually(lambda: caught_up(centre.url))
            proxy.set_mode("stall")
            activity.run(150)  # each command has 30 s; a wait on the hub would be 600 s
            assert link_status(centre.url)["lag_events"] > 0
            proxy.set_mode("pass")
            # The shipper's request was cut with the connection: it retries and catches up.
            eventually(lambda: caught_up(centre.url), what="the catch-up")
            assert stored_seqs(hub_dsn, "valmiera") == local_seqs(centre)

        detect = link_config(proxy.url, token, io_timeout=0.5)
        with RunningServer(
            tmp_path / "centre", clock=clock, catalogue=always_open(), hub=detect
        ) as centre:
            staff.server = centre  # the same centre, restarted with a short time-out
            proxy.set_mode("stall")
            stalled_before = proxy.stalled
            activity = activity_for(centre, staff, clock, seed=6)
            activity.run(20)
            status = eventually(
                lambda: (
                    (s := link_status(centre.url))["state"] == "retrying"
                    and proxy.stalled >= stalled_before + 2
                    and s
                ),
                what="the dead link to be detected and retried",
            )
            assert "did not answer in time" in status["last_error"]
            proxy.set_mode("pass")
            eventually(lambda: caught_up(centre.url), what="the catch-up")
            assert stored_seqs(hub_dsn, "valmiera") == local_seqs(centre)


@pytest.mark.slow
def test_hub_killed_mid_ingest_loses_and_doubles_nothing(
    tmp_path: Path, hub_dsn: str, clock
) -> None:
    """The hub is killed (-9) while a batch is inside its ingest transaction (held there
    by a lock the test takes on the centre's rollup rows): that batch is rolled back
    whole, and the centre resends it to the restarted hub."""
    zone = always_open().hours.zone
    first_day = clock.now().astimezone(zone).date()
    hub = HubProcess(hub_dsn, free_port()).start()
    token = hub.add_centre("cesis", "Cēsis")
    try:
        with RunningServer(
            tmp_path / "centre",
            clock=clock,
            catalogue=always_open(),
            hub=link_config(hub.url, token, io_timeout=600.0),
        ) as centre:
            staff = Staff(centre)
            activity = activity_for(centre, staff, clock, seed=9)
            activity.run(80)
            eventually(lambda: caught_up(centre.url), what="the first catch-up")

            blocker = psycopg.connect(hub_dsn)
            blocker.execute("SELECT 1 FROM rollups_daily WHERE centre_id = 'cesis' FOR UPDATE")
            blocker.execute("SELECT 1 FROM rollups_monthly WHERE centre_id = 'cesis' FOR UPDATE")
            activity.run(60)
            with psycopg.connect(hub_dsn, autocommit=True) as watch:
                eventually(
                    lambda: watch.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock' AND query LIKE '%rollups_%'"
                    ).fetchone()[0],
                    what="an ingest waiting inside its transaction",
                )
                hub.kill()
                blocker.rollback()
                blocker.close()
                # The killed hub's transaction never committed: nothing past the ack.
                acknowledged = watch.execute(
                    "SELECT acknowledged_seq FROM centres WHERE id = 'cesis'"
                ).fetchone()[0]
                eventually(
                    lambda: (
                        watch.execute(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            "AND wait_event_type = 'Lock'"
                        ).fetchone()[0]
                        == 0
                    )
                )
                assert max(stored_seqs(hub_dsn, "cesis")) == acknowledged

            hub.start()
            eventually(lambda: caught_up(centre.url), what="the catch-up after the restart")
            assert stored_seqs(hub_dsn, "cesis") == local_seqs(centre)
            last_day = clock.now().astimezone(zone).date()
            assert_same_figures(hub_dsn, "cesis", centre, staff, first_day, last_day)
    finally:
        hub.stop()


def test_commands_do_not_wait_for_the_link(tmp_path: Path, hub_dsn: str, clock) -> None:
    """Issue and call while the shipper is stuck in a request to a silent hub: the
    commands are answered (the writer is never held by the link)."""
    with RunningHub(hub_dsn) as hub, LinkProxy(hub.port) as proxy:
        token = hub.add_centre("tukums", "Tukums")
        proxy.set_mode("stall")
        config = link_config(proxy.url, token, io_timeout=600.0)
        with RunningServer(
            tmp_path / "centre", clock=clock, catalogue=always_open(), hub=config
        ) as centre:
            staff = Staff(centre)
            eventually(lambda: proxy.stalled >= 1, what="the shipper to be stuck")
            answered = threading.Event()

            def issue_and_call() -> None:
                activity = activity_for(centre, staff, clock, seed=2)
                activity.run(30)
                answered.set()

            worker = threading.Thread(target=issue_and_call, daemon=True)
            worker.start()
            worker.join(timeout=120)
            assert answered.is_set()
            with httpx.Client(base_url=f"{centre.url}/api/v1") as http:
                assert http.get("/health").json()["hub_link"]["state"] in ("starting", "retrying")
