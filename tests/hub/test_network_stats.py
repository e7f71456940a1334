"""`/api/v1/network/stats[.csv]` gives a centre's own `/api/v1/stats` figures, for any
set of centres, by the same definitions, day rule and CSV; an analyst limited to a
municipality counts only its centres."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import ManualClock
from tests.support.network_scene import network

GROUPS = ("service", "day", "week", "quarter", "total")


def without_clerk_time(groups: dict) -> dict:
    return {name: {**figures, "clerk_time": None} for name, figures in groups.items()}


@pytest.mark.slow
def test_network_statistics_are_each_centres_own(
    tmp_path: Path, hub_dsn: str, clock: ManualClock
) -> None:
    with network(hub_dsn, clock, session_idle=timedelta(days=3)) as scene:
        riga = scene.add_centre(tmp_path, "riga", "Rīga", "Rīgas centrs", seed=31)
        ogre = scene.add_centre(tmp_path, "ogre", "Ogre", "Ogres centrs", seed=32)
        first = clock.now().date()
        for _ in range(3):  # over more than one day
            riga.activity.run(60)
            ogre.activity.run(60)
            clock.advance(timedelta(hours=9))
        scene.settle()
        period = {"from": first.isoformat(), "to": clock.now().date().isoformat()}
        own = {
            c.centre_id: {g: c.get("/stats", group=g, **period)["groups"] for g in GROUPS}
            for c in (riga, ogre)
        }
        assert len(own["riga"]["day"]) >= 2
        with scene.reader() as national, scene.reader("ogre-analyst", "Ogre") as local:
            for centre_id in ("riga", "ogre"):
                for group in GROUPS:
                    answer = national.get(
                        "/network/stats", params={**period, "group": group, "centre": centre_id}
                    ).json()
                    assert answer["groups"] == without_clerk_time(own[centre_id][group]), group
            by_centre = national.get("/network/stats", params={**period, "group": "centre"})
            assert by_centre.json()["groups"] == {
                cid: without_clerk_time(own[cid]["total"])["total"] for cid in ("ogre", "riga")
            }
            by_place = national.get("/network/stats", params={**period, "group": "municipality"})
            assert by_place.json()["groups"]["Ogre"] == by_centre.json()["groups"]["ogre"]

            # An analyst of Ogre counts Ogre only, and Rīga's centre is unknown to her.
            mine = local.get("/network/stats", params={**period, "group": "centre"}).json()
            assert list(mine["groups"]) == ["ogre"]
            total = local.get("/network/stats", params={**period, "group": "total"}).json()
            assert total["groups"] == without_clerk_time(own["ogre"]["total"])
            hidden = local.get("/network/stats", params={**period, "centre": "riga"})
            assert hidden.status_code == 404 and hidden.json()["code"] == "unknown_centre"
            elsewhere = local.get("/network/stats", params={**period, "municipality": "Rīga"})
            assert elsewhere.json()["groups"] == {}

            # The CSV: the centre's columns, the centre's rows (clerk time stays there).
            hub_csv = national.get(
                "/network/stats.csv", params={**period, "group": "service", "centre": "riga"}
            )
            assert hub_csv.headers["content-type"].startswith("text/csv")
            mine_csv = riga.get("/stats.csv", group="service", **period)
            hub_rows = list(csv.reader(io.StringIO(hub_csv.text)))
            own_rows = list(csv.reader(io.StringIO(mine_csv.text)))
            assert hub_rows[0] == own_rows[0]
            clerk_columns = sum(1 for name in own_rows[0] if name.startswith("clerk_"))
            assert [row[:-clerk_columns] for row in hub_rows] == [
                row[:-clerk_columns] for row in own_rows
            ]
            assert all(set(row[-clerk_columns:]) == {""} for row in hub_rows[1:])


def test_bad_periods_and_groupings_are_refused_as_at_a_centre(hub_dsn: str) -> None:
    from tests.support.running_hub import RunningHub

    with RunningHub(hub_dsn) as hub:
        hub.add_user("anna")
        with hub.client(hub.login("anna")) as http:
            for params, field, problem in (
                ({"group": "clerk"}, "group", "invalid_choice"),
                ({"from": "2026-03-01", "to": "2026-02-01"}, "to", "before_from"),
                ({"from": "2025-01-01", "to": "2026-03-01"}, "to", "too_long"),
                ({"from": "2026-02-30"}, "from", "invalid_date"),
                ({"to": "1999-12-31"}, "to", "out_of_range"),
            ):
                response = http.get("/network/stats", params=params)
                assert response.status_code == 422, (params, response.text)
                assert response.json()["fields"] == {field: problem}, params


def test_the_csv_is_safe_to_open_in_a_spreadsheet(hub_dsn: str) -> None:
    """Names come from people (a municipality typed at `rinda hub centres add`)."""
    import psycopg

    from tests.support.running_hub import RunningHub

    with RunningHub(hub_dsn) as hub:
        hub.add_centre("x", '=HYPERLINK("http://evil")')
        with psycopg.connect(hub_dsn, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO rollups_daily SELECT 'x', 'svc', '2026-11-23', 1, 1, 0, 0, 0, 0, 1, "
                "1, 60, '\\x3c00000001000000'::bytea, 1, 300, '\\x2c01000001000000'::bytea, "
                "'{0,0,0,0,1}'"
            )
        hub.add_user("anna")
        with hub.client(hub.login("anna")) as http:
            text = http.get(
                "/network/stats.csv",
                params={"group": "municipality", "from": "2026-11-23", "to": "2026-11-23"},
            ).text
        row = list(csv.reader(io.StringIO(text)))[1]
        assert row[0] == '\'=HYPERLINK("http://evil")'
        assert row[1:3] == ["1", "1"]
