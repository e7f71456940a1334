"""Cost of a new ticket's estimate in the writer, against the length of the queue.

    .venv/bin/python bench/estimate_cost.py [--issues 400] [--waiting 0 300 2000 10000] [--json]

In process (no HTTP, no database): the live state of the demo centre with 4 counters
open and N residence tickets waiting, then a burst of issues, each asking for its
estimate (`LiveState.tell_new`) and joining the queue, 0.2 ms apart. Prints, per N,
the median and p99 time per issue with the kept play-through (`core.play`), the time
of the first estimate of a new play-through (paid at most once per
`server.live.PLAY_LIFETIME`, or after a call), and the time of a full replay of the
queue (`core.estimate.estimate_new_ticket`, what every issue cost before).
Times are CPU-bound and machine-dependent: compare the columns, not the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import lifecycle  # noqa: E402
from core.estimate import estimate_new_ticket  # noqa: E402
from server.live import LiveState  # noqa: E402
from tests.support.catalogues import always_open  # noqa: E402
from tests.support.factories import T0  # noqa: E402


def measure(waiting: int, issues: int) -> dict[str, Any]:
    catalogue = always_open()
    service = catalogue.service("residence")
    state = LiveState(catalogue)
    for counter in catalogue.counters[:4]:
        state.put_counter(lifecycle.open_counter(state.counters[counter.id], clerk="c", now=T0))
    seq = 0

    def issue(now: Any) -> None:
        nonlocal seq
        seq += 1
        ticket = lifecycle.issue(
            ticket_id=f"t{seq}",
            service=service,
            seq=seq,
            business_day=T0.date(),
            language="lv",
            is_priority=False,
            now=now,
        )
        state.put_ticket(ticket)
        state.count_issue(ticket)

    for n in range(waiting):
        issue(T0 + timedelta(milliseconds=n))
    now = T0 + timedelta(seconds=waiting / 1000 + 60)
    # A call's worth of change: the next estimate starts a new play-through.
    state.record_duration(service.id, 600.0)
    started = time.perf_counter()
    state.tell_new(service.id, False, now)
    first = time.perf_counter() - started
    kept: list[float] = []
    for _ in range(issues):
        now += timedelta(microseconds=200)
        started = time.perf_counter()
        state.tell_new(service.id, False, now)
        issue(now)
        kept.append(time.perf_counter() - started)
    basis = state.play_basis(now)
    replays: list[float] = []
    for _ in range(max(issues // 20, 5)):
        started = time.perf_counter()
        estimate_new_ticket(
            service.id,
            False,
            basis.counters,
            state.book,
            basis.services,
            basis.durations,
            basis.at,
            basis.policy,
            basis.forecast,
            asked_at=now,
        )
        replays.append(time.perf_counter() - started)
    kept.sort()
    return {
        "waiting": waiting,
        "issue_median_ms": statistics.median(kept) * 1e3,
        "issue_p99_ms": kept[int(len(kept) * 0.99) - 1] * 1e3,
        "new_play_ms": first * 1e3,
        "full_replay_ms": statistics.median(replays) * 1e3,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=400)
    parser.add_argument("--waiting", type=int, nargs="+", default=[0, 300, 2000, 10000])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [measure(n, args.issues) for n in args.waiting]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'waiting':>8} {'issue median':>13} {'issue p99':>10} {'new play':>9} {'replay':>8}")
    for row in rows:
        print(
            f"{row['waiting']:>8} {row['issue_median_ms']:>10.3f} ms {row['issue_p99_ms']:>7.3f} ms"
            f" {row['new_play_ms']:>6.2f} ms {row['full_replay_ms']:>5.2f} ms"
        )


if __name__ == "__main__":
    main()
