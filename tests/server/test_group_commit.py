"""Group commit changes nothing a command sees or returns: the same commands, queued
together, give the same database, events and answers whether the writer commits them
one by one (`max_group=1`) or together; a group that cannot be committed runs again
command by command."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.clock import ManualClock
from server.actor import Actor
from server.commands.counters import CounterAction
from server.commands.tickets import TicketAction, TicketParams
from server.engine import Engine
from server.store.database import database_path
from server.store.writer import MAX_GROUP, Idempotency, Transaction, Writer
from tests.support.catalogues import MONDAY_MORNING, always_open

SERVICES = ["residence", "certificates", "social-assistance", "council"]
COUNTERS = ["c1", "c2", "c3", "c5"]
MANAGER = Actor("boss", any_counter=True)
KIOSK = Actor("kiosk-1")
ACTIONS = ["recall", "start", "finish", "no-show", "park", "resume", "cancel", "transfer", "call"]

Op = tuple[Any, ...]
operations = st.one_of(
    st.tuples(st.just("issue"), st.sampled_from(SERVICES), st.booleans(), st.integers(0, 6)),
    st.tuples(
        st.just("counter"), st.sampled_from(COUNTERS), st.sampled_from(["open", "pause", "close"])
    ),
    st.tuples(st.just("call_next"), st.sampled_from(COUNTERS)),
    st.tuples(
        st.just("act"),
        st.integers(1, 30),
        st.sampled_from(ACTIONS),
        st.sampled_from(COUNTERS),
        st.sampled_from(SERVICES),
    ),
    st.tuples(st.just("time"), st.sampled_from([1, 10, 90])),
)


@pytest.fixture(autouse=True)
def numbered_ticket_ids(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Ticket ids drawn in order instead of at random, so that two runs name the same
    tickets the same (the writer orders commands; the random source is outside it)."""
    counter = itertools.count(1)
    monkeypatch.setattr("server.commands.tickets.new_ticket_id", lambda: f"t{next(counter)}")
    yield


def _reset_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = itertools.count(1)
    monkeypatch.setattr("server.commands.tickets.new_ticket_id", lambda: f"t{next(counter)}")


def _outcome(value: Any) -> Any:
    if isinstance(value, BaseException):
        return ("error", type(value).__name__, str(value))
    return ("ok", value)


async def _play(engine: Engine, clock: ManualClock, waves: list[list[Op]]) -> list[Any]:
    """Each wave of operations in turn: the three first counters open, then every
    operation of the wave queued at once."""
    for counter in COUNTERS[:3]:
        await engine.counters.act(counter, CounterAction.OPEN, MANAGER)
    results = []
    for ops in waves:
        results += await _wave(engine, clock, ops)
    return results


async def _wave(engine: Engine, clock: ManualClock, ops: list[Op]) -> list[Any]:
    """Queue every operation behind a closed gate, then open it: the writer finds them
    all waiting at once."""
    gate = threading.Event()
    held = engine.writer.submit(lambda tx: gate.wait(10))

    def advance(minutes: int) -> Any:
        def command(tx: Transaction) -> None:
            clock.advance(timedelta(minutes=minutes))  # seen by the commands after this one

        return engine.run(command, MANAGER)

    def coroutine(op: Op) -> Any:
        kind = op[0]
        if kind == "issue":
            _, service, priority, key = op
            idempotency = Idempotency("kiosk-1", f"k{key}", {"service": service}) if key else None
            return engine.tickets.issue(service, "lv", priority, KIOSK, idempotency)
        if kind == "counter":
            return engine.counters.act(op[1], CounterAction(op[2]), MANAGER)
        if kind == "call_next":
            return engine.tickets.call_next(op[1], MANAGER)
        if kind == "act":
            _, number, action, counter, service = op
            params = TicketParams(
                counter_id=counter if action in ("call", "resume") else None,
                service_id=service if action == "transfer" else None,
            )
            return engine.tickets.act(f"t{number}", TicketAction(action), params, MANAGER)
        return advance(op[1])

    tasks = [asyncio.ensure_future(coroutine(op)) for op in ops]
    await asyncio.sleep(0)  # every task has submitted its command
    gate.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    held.result()
    return [_outcome(r) for r in results]


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations'"  # wall-clock times
            )
        ]
        return {
            table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
    finally:
        conn.close()


def _run(directory: Path, waves: list[list[Op]], max_group: int) -> tuple[list[Any], Any, int]:
    clock = ManualClock(MONDAY_MORNING)
    path = database_path(directory)
    directory.mkdir()
    writer = Writer(path, clock, max_group=max_group)
    writer.start()
    try:
        engine = Engine(always_open(), writer)
        engine.load()
        loop = asyncio.new_event_loop()
        try:
            results = loop.run_until_complete(_play(engine, clock, waves))
        finally:
            loop.close()
        live = engine.snapshot
        state = (sorted(live.tickets.items()), sorted(live.counters.items()))
    finally:
        writer.stop()
    return results, (_dump(path), state), writer.groups


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(waves=st.lists(st.lists(operations, min_size=2, max_size=20), min_size=1, max_size=5))
def test_grouped_and_single_commits_give_the_same_results(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    waves: list[list[Op]],
) -> None:
    base = tmp_path_factory.mktemp("group")
    _reset_ids(monkeypatch)
    alone, alone_state, alone_groups = _run(base / "alone", waves, max_group=1)
    _reset_ids(monkeypatch)
    grouped, grouped_state, groups = _run(base / "grouped", waves, max_group=MAX_GROUP)
    assert alone_groups == 0
    assert groups >= 1, "the commands were committed together"
    assert grouped == alone
    assert grouped_state == alone_state
    print(
        "DBG",
        groups,
        sorted(set(o[0] if o[0] == "ok" else o[1] for o in alone)),
        sum(o[0] == "ok" for o in alone),
        len(alone),
    )


def test_a_group_that_meets_an_sqlite_error_runs_again_command_by_command(
    tmp_path: Path,
) -> None:
    """An SQLite error may spoil the whole transaction: the group is undone, the live
    state is rebuilt, and each command runs alone; the others still succeed."""
    clock = ManualClock(MONDAY_MORNING)
    writer = Writer(database_path(tmp_path), clock)
    writer.start()
    engine = Engine(always_open(), writer)
    engine.load()
    loop = asyncio.new_event_loop()

    async def play() -> list[Any]:
        gate = threading.Event()
        held = writer.submit(lambda tx: gate.wait(10))
        tasks = [
            asyncio.ensure_future(engine.tickets.issue("residence", "lv", False, KIOSK)),
            asyncio.ensure_future(
                engine.run(lambda tx: tx.execute("INSERT INTO no_such_table VALUES (1)"), MANAGER)
            ),
            asyncio.ensure_future(engine.tickets.issue("residence", "lv", False, KIOSK)),
        ]
        await asyncio.sleep(0)
        gate.set()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        held.result()
        return results

    try:
        first, broken, second = loop.run_until_complete(play())
    finally:
        loop.close()
        writer.stop()
    assert isinstance(broken, sqlite3.OperationalError)
    assert [first["number"], second["number"]] == ["A001", "A002"]
    assert writer.groups == 0, "nothing was committed as a group"
    conn = sqlite3.connect(database_path(tmp_path))
    stored = sorted(row[0] for row in conn.execute("SELECT number FROM tickets"))
    conn.close()
    assert stored == ["A001", "A002"]
    assert sorted(t.number for t in engine.snapshot.tickets.values()) == stored
