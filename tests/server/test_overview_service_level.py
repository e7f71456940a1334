"""The manager's live service level counts each visit by the same rule as the statistics
(whole seconds against the target), so the two never disagree about a visit."""

from __future__ import annotations

from datetime import timedelta


def test_live_service_level_agrees_with_statistics_at_the_target(server, staff, clock) -> None:
    target = server.catalogue.service("residence").target_wait.total_seconds()
    clerk = staff.clerk("c1")
    with server.client(clerk) as http:
        http.post("/counters/c1/open").raise_for_status()
    for extra in (0.6, 1.0):  # a part-second over the target, then a whole second over
        with server.client(staff.kiosk) as http:
            ticket = http.post("/tickets", json={"service_id": "residence", "language": "lv"})
            ticket.raise_for_status()
        clock.advance(timedelta(seconds=target + extra))
        with server.client(clerk) as http:
            http.post(f"/tickets/{ticket.json()['id']}/call", json={"counter_id": "c1"})
            http.post(f"/tickets/{ticket.json()['id']}/no-show").raise_for_status()
    with server.client(staff.manager) as http:
        live = next(
            s for s in http.get("/overview").json()["services"] if s["service_id"] == "residence"
        )
        stats = http.get("/stats", params={"group": "service"}).json()["groups"]["residence"]
    assert (live["called"], live["within_target"]) == (stats["called"], stats["within_target"])
    assert (live["called"], live["within_target"]) == (2, 1)
    assert live["service_level"] == stats["service_level"] == 0.5
