"""The writer's in-memory queue: the running arrival tally and the lazily built snapshot."""

from __future__ import annotations

import threading
from datetime import timedelta

from core.estimate import ArrivalForecast
from server.live import LiveState
from tests.support.catalogues import always_open
from tests.support.factories import T0, ticket

MIN = timedelta(minutes=1)


def test_running_tally_gives_the_same_forecast_as_the_history() -> None:
    catalogue = always_open()
    residence, certificates = catalogue.services[0], catalogue.services[1]
    state = LiveState(catalogue)
    issued = []
    for n in range(150):  # every 45 s, alternating services, every fifth a priority
        svc = residence if n % 2 else certificates
        t = ticket(svc, n + 1, T0 + n * 45 * timedelta(seconds=1), is_priority=n % 5 == 0)
        state.count_issue(t)
        issued.append((t.issued_at, t.service_id, t.is_priority))
        if n % 10 == 9:
            now = t.issued_at + 2 * MIN
            assert state.forecast(now) == ArrivalForecast.from_history(issued, now)
    # Long after the last issue, the window has emptied.
    later = T0 + 5 * 60 * MIN
    assert state.forecast(later) == ArrivalForecast.from_history(issued, later) == ArrivalForecast()


def test_snapshot_shows_published_changes_only_and_whole_transactions() -> None:
    catalogue = always_open()
    state = LiveState(catalogue)
    residence = catalogue.services[0]
    first = state.snapshot
    state.put_ticket(ticket(residence, 1, T0))
    assert state.snapshot is first  # not published yet
    state.publish(7)
    published = state.snapshot
    assert published.version == first.version + 1 and published.event_seq == 7
    assert list(published.tickets) == ["A1"]
    assert state.snapshot is published  # built once, reused until the next change
    # While the writer applies a transaction's changes under the lock, a reader waits
    # and then sees all of them.
    seen = []
    with state.lock:
        reader = threading.Thread(target=lambda: seen.append(state.snapshot))
        reader.start()
        state.put_ticket(ticket(residence, 2, T0 + MIN))
        reader.join(0.2)
        assert reader.is_alive()  # blocked on the lock
        state.put_ticket(ticket(residence, 3, T0 + 2 * MIN))
        state.publish(9)
    reader.join(5)
    assert sorted(seen[0].tickets) == ["A1", "A2", "A3"] and seen[0].event_seq == 9
