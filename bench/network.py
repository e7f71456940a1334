"""A simulated national day at the network hub, and the quarterly network report.

    .venv/bin/python bench/network.py [--centres 500] [--shippers 4] [--batch 500]
                                      [--report-runs 20] [--skip-ingest] [--skip-report]
                                      [--no-fsync]

1. National day: a private PostgreSQL cluster (fsync on unless --no-fsync) and
   `rinda hub` in a process of its own. `--centres` centres each have one working day
   simulated (`simulation`, the city scenario scaled to about 300 visitors; see
   `network_logs.py`), told as their event logs in the shipped form. `--shippers`
   processes stand in for the centres, each for its share of them, every centre
   shipping at once over real HTTP (`network_shipper.py`). Prints the events ingested
   per second, the time until the last centre was fully acknowledged, the batches'
   latency and the hub's memory (resident set, peak).
2. Quarterly report: a fresh database holds the same number of centres with rollups
   for two quarters (2026-04-01 to 2026-09-30: the report's quarter and the one it is
   compared with), written directly from simulated days (a set of simulated centre
   days, dealt out to centres and days) rather than ingested; then the hub's
   quarterly network report page (`/network/reports`, a national admin, the whole of
   Q3 2026) is fetched `--report-runs` times; prints p50 and p95.

The machine's load is printed with each figure (other work may share it).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hub.api.deps import SESSION_COOKIE  # noqa: E402
from hub.private_cluster import Cluster  # noqa: E402
from tests.support.processes import free_port  # noqa: E402
from tests.support.running_hub import HubProcess  # noqa: E402

DAY = date(2026, 11, 23)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(share * len(ordered) + 0.5) - 1))]


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


class MemoryWatch:
    """Samples a process's resident memory; reports the current and the peak."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _status(self) -> dict[str, int]:
        values = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0])
        return values

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            try:
                self.peak_kib = max(self.peak_kib, self._status().get("VmRSS", 0))
            except OSError:
                return  # the process ended

    def start(self) -> MemoryWatch:
        self._thread.start()
        return self

    def stop(self) -> tuple[int, int]:
        """(current, peak) resident memory in MiB."""
        self._stop.set()
        self._thread.join()
        status = self._status()
        return status["VmRSS"] // 1024, max(status["VmHWM"], self.peak_kib) // 1024


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of processes (and their waited-for children), seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15])
    return total / ticks


def postgres_pids() -> list[int]:
    """Every PostgreSQL process on the machine (the benchmark's cluster is the only one
    it starts)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def national_day(cluster: Cluster, args: argparse.Namespace) -> None:
    from network_shipper import run as ship

    dsn = cluster.create_database()
    hub = HubProcess(dsn, free_port()).start()
    assert hub.process is not None
    try:
        centres = [
            (f"centre-{n:03d}", hub.add_centre(f"centre-{n:03d}", f"Municipality {n % 40}"), n)
            for n in range(args.centres)
        ]
        print(
            f"national day: {args.centres} centres registered at the hub (pid "
            f"{hub.process.pid}); preparing their logs ...",
            flush=True,
        )
        context = multiprocessing.get_context("spawn")
        pipes, processes = [], []
        for index in range(args.shippers):
            share = centres[index :: args.shippers]
            ours, theirs = context.Pipe()
            process = context.Process(
                target=ship, args=(hub.url, share, DAY, args.batch, theirs), daemon=True
            )
            process.start()
            pipes.append(ours)
            processes.append(process)
        total = 0
        prepared_at = time.perf_counter()
        for pipe in pipes:
            kind, events = pipe.recv()  # the shippers prepare their logs
            assert kind == "ready"
            total += events
        print(
            f"national day: {total} events of {args.centres} centres prepared in "
            f"{time.perf_counter() - prepared_at:.0f} s; shipping with {args.shippers} "
            f"processes, every centre at once, batches of {args.batch} ({load()})"
        )
        memory = MemoryWatch(hub.process.pid).start()
        hub_cpu = cpu_seconds([hub.process.pid])
        shipper_cpu = cpu_seconds([p.pid for p in processes if p.pid])
        started = time.time()
        for pipe in pipes:
            pipe.send("go")
        results = []
        for pipe in pipes:
            try:
                kind, done = pipe.recv()
            except EOFError:
                raise SystemExit(
                    f"a shipper failed; the hub's exit status: {hub.process.poll()}"
                ) from None
            assert kind == "done"
            results += done
        hub_cpu = cpu_seconds([hub.process.pid]) - hub_cpu
        shipper_cpu = cpu_seconds([p.pid for p in processes if p.pid]) - shipper_cpu
        for process in processes:
            process.join(timeout=30)
        rss, peak = memory.stop()
        finished = max(r["done_at"] for r in results)
        elapsed = finished - started
        latencies = [x for r in results for x in r["latencies"]]
        retries = sum(r["retries"] for r in results)
        failures = [f for r in results for f in r["failures"]]
        stored = _stored(dsn)
        print(
            f"national day: {total} events ingested in {elapsed:.1f} s = "
            f"{total / elapsed:.0f} events/s; the last of {len(results)} centres fully "
            f"acknowledged after {elapsed:.1f} s (first after "
            f"{min(r['done_at'] for r in results) - started:.1f} s)"
        )
        print(
            f"national day: batch latency p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, {retries} retried; hub RSS "
            f"{rss} MiB at the end, {peak} MiB at the peak; stored {stored} events "
            f"({'all' if stored == total else 'MISSING SOME'}) ({load()})"
        )
        for failure in failures[:10]:
            print(f"national day: a batch was sent again: {failure}")
        print(
            f"national day: CPU used while shipping: hub {hub_cpu:.1f} s, shippers "
            f"{shipper_cpu:.1f} s (PostgreSQL's backends are not counted here)"
        )
    finally:
        hub.stop()


REPORT_DAYS = (date(2026, 4, 1), date(2026, 9, 30))
"""Two quarters: Q3 2026 (the report's) and Q2 (what it is compared with)."""
SAMPLES = 48
"""Simulated centre days, dealt out to the centres' days."""


def write_rollups(dsn: str, centres: int) -> tuple[int, int]:
    """Rollups of `centres` centres over `REPORT_DAYS`, written directly (daily and
    monthly rows) from simulated days; returns (daily rows, monthly rows)."""
    import psycopg

    from hub.simulated_logs import day_figures, profile
    from hub.store import rollups
    from hub.store.partitions import next_month

    samples: list[dict[str, tuple[rollups.Packed, tuple]]] = []
    for seed in range(SAMPLES):
        per_service = day_figures(seed, REPORT_DAYS[0])
        samples.append(
            {
                service: (
                    rollups.Packed("", service, REPORT_DAYS[0], *_packed(figures)),
                    rollups.to_row(figures),
                )
                for service, figures in per_service.items()
            }
        )
    days = []
    day = REPORT_DAYS[0]
    while day <= REPORT_DAYS[1]:
        days.append(day)
        day += timedelta(days=1)
    columns = ", ".join(("centre_id", "service_id", "day", *rollups.COLUMNS))
    daily = monthly = 0
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "UPDATE centres SET timezone = 'Europe/Riga', profile = %s",
            (psycopg.types.json.Jsonb(profile()),),
        )
        with conn.cursor().copy(f"COPY rollups_daily ({columns}) FROM STDIN") as copy:
            for number in range(centres):
                for index, day in enumerate(days):
                    for service, (_, row) in samples[(number * 7 + index) % SAMPLES].items():
                        copy.write_row((f"centre-{number:03d}", service, day, *row))
                        daily += 1
        month_columns = columns.replace("day", "month", 1)
        with conn.cursor().copy(f"COPY rollups_monthly ({month_columns}) FROM STDIN") as copy:
            for number in range(centres):
                month = REPORT_DAYS[0]
                while month <= REPORT_DAYS[1]:
                    parts: dict[str, list[rollups.Packed]] = {}
                    for index, day in enumerate(days):
                        if month <= day < next_month(month):
                            sample = samples[(number * 7 + index) % SAMPLES]
                            for service, (packed, _) in sample.items():
                                parts.setdefault(service, []).append(packed)
                    for service, rows in parts.items():
                        figures = rollups.merge(rows)
                        copy.write_row(
                            (f"centre-{number:03d}", service, month, *rollups.to_row(figures))
                        )
                        monthly += 1
                    month = next_month(month)
    return daily, monthly


def _packed(figures):
    from hub.store import rollups

    values = rollups.to_row(figures)
    counts = tuple(values[: len(rollups.COUNT_COLUMNS)])
    return counts, figures.waits.count, values[-5], values[-2], tuple(values[-1])


def quarterly_report(cluster: Cluster, args: argparse.Namespace) -> None:
    """p50/p95 of the quarterly report page over two quarters of rollups."""
    import psycopg

    from hub.store.migrate import migrate

    dsn = cluster.create_database()
    with psycopg.connect(dsn, autocommit=True) as conn:
        migrate(conn)
    hub = HubProcess(dsn, free_port())
    for n in range(args.centres):
        hub.add_centre(f"centre-{n:03d}", f"Municipality {n % 40:02d}", name=f"Centre {n:03d}")
    began = time.perf_counter()
    daily, monthly = write_rollups(dsn, args.centres)
    print(
        f"quarterly report: {daily} daily and {monthly} monthly rollup rows of {args.centres} "
        f"centres over {REPORT_DAYS[0]} to {REPORT_DAYS[1]} written in "
        f"{time.perf_counter() - began:.0f} s (from {SAMPLES} simulated centre days)",
        flush=True,
    )
    hub.add_user("bench-admin", "admin")
    hub.start()
    assert hub.process is not None
    print(f"quarterly report: the hub runs as pid {hub.process.pid}", flush=True)
    try:
        with httpx.Client(base_url=hub.url, timeout=120) as browser:
            token = browser.post(
                "/api/v1/session", json={"username": "bench-admin", "password": "correct horse"}
            ).json()["token"]
            browser.cookies.set(SESSION_COOKIE, token)
            for label, path in (
                (
                    "the report page (/network/reports?quarter=2026-Q3)",
                    "/network/reports?quarter=2026-Q3",
                ),
                (
                    "network stats by centre for Q3 (API)",
                    "/api/v1/network/stats?group=centre&from=2026-07-01&to=2026-09-30",
                ),
            ):
                first = _timed(browser, path)
                times = [_timed(browser, path) for _ in range(args.report_runs)]
                print(
                    f"quarterly report: {label}: p50 {percentile(times, 0.5):.2f} s, "
                    f"p95 {percentile(times, 0.95):.2f} s over {len(times)} runs "
                    f"(first, cold: {first:.2f} s) ({load()})",
                    flush=True,
                )
    finally:
        hub.stop()


def _timed(client: httpx.Client, path: str) -> float:
    began = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - began
    response.raise_for_status()
    return elapsed


def _stored(dsn: str) -> int:
    import psycopg

    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT sum(events_stored) FROM centres").fetchone()
    return int(row[0] or 0) if row else 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--centres", type=int, default=500)
    parser.add_argument("--shippers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--report-runs", type=int, default=20)
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-report", action="store_true")
    parser.add_argument("--no-fsync", action="store_true", help="PostgreSQL without fsync")
    args = parser.parse_args()
    cluster = Cluster(durable=not args.no_fsync).start()
    try:
        if not args.skip_ingest:
            national_day(cluster, args)
        if not args.skip_report:
            quarterly_report(cluster, args)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
