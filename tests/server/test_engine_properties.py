"""Hypothesis drives the real engine (writer + SQLite) through random days of work.

Invariants after every step: numbers are unique per prefix per business day;
no ticket is held by two counters; a counter holds only a called or serving
ticket that names it; the live state equals what the database says.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from core.clock import ManualClock
from core.errors import RindaError
from server.actor import Actor
from server.commands.counters import CounterAction
from server.commands.tickets import TicketAction, TicketParams
from server.engine import Engine
from server.store.database import database_path
from server.store.writer import Writer
from tests.support.catalogues import MONDAY_MORNING, always_open

SERVICES = ["residence", "certificates", "social-assistance", "council"]
COUNTERS = ["c1", "c2", "c3", "c5"]
MANAGER = Actor("boss", any_counter=True)


class EngineMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.directory = Path(tempfile.mkdtemp(prefix="rinda-prop-"))
        self.clock = ManualClock(MONDAY_MORNING)
        self.writer = Writer(database_path(self.directory), self.clock)
        self.writer.start()
        self.engine = Engine(always_open(), self.writer)
        self.engine.load()
        self.loop = asyncio.new_event_loop()

    def teardown(self) -> None:
        self.loop.close()
        self.writer.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def run(self, coroutine) -> object:
        try:
            return self.loop.run_until_complete(coroutine)
        except RindaError:
            return None

    @rule(service=st.sampled_from(SERVICES), priority=st.booleans())
    def issue(self, service: str, priority: bool) -> None:
        self.run(self.engine.tickets.issue(service, "lv", priority, MANAGER))

    @rule(counter=st.sampled_from(COUNTERS), action=st.sampled_from(["open", "pause", "close"]))
    def counter_action(self, counter: str, action: str) -> None:
        self.run(self.engine.counters.act(counter, CounterAction(action), MANAGER))

    @rule(counter=st.sampled_from(COUNTERS))
    def call_next(self, counter: str) -> None:
        self.run(self.engine.tickets.call_next(counter, MANAGER))

    @rule(
        counter=st.sampled_from(COUNTERS),
        action=st.sampled_from(
            ["recall", "start", "finish", "no-show", "park", "cancel", "transfer"]
        ),
        service=st.sampled_from(SERVICES),
    )
    def act_on_current(self, counter: str, action: str, service: str) -> None:
        current = self.engine.snapshot.counters[counter].current_ticket_id
        if current is None:
            return
        params = TicketParams(service_id=service) if action == "transfer" else TicketParams()
        self.run(self.engine.tickets.act(current, TicketAction(action), params, MANAGER))

    @rule(counter=st.sampled_from(COUNTERS), pick=st.integers(0, 50))
    def call_specific_or_resume(self, counter: str, pick: int) -> None:
        tickets = sorted(self.engine.snapshot.tickets.values(), key=lambda t: t.id)
        if not tickets:
            return
        ticket = tickets[pick % len(tickets)]
        action = "resume" if ticket.status.value == "parked" else "call"
        self.run(
            self.engine.tickets.act(
                ticket.id, TicketAction(action), TicketParams(counter_id=counter), MANAGER
            )
        )

    @rule(minutes=st.sampled_from([1, 7, 30, 240, 720]))
    def time_passes(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))
        self.run(self.engine.housekeeping.run())

    @invariant()
    def numbers_unique_per_prefix_and_day(self) -> None:
        conn = sqlite3.connect(database_path(self.directory))
        rows = conn.execute("SELECT prefix, business_day, seq, number FROM tickets").fetchall()
        states = conn.execute("SELECT counter_id, current_ticket_id FROM counter_states").fetchall()
        statuses = dict(conn.execute("SELECT id, status FROM tickets").fetchall())
        holders = dict(conn.execute("SELECT id, counter_id FROM tickets").fetchall())
        conn.close()
        keys = [(prefix, day, seq) for prefix, day, seq, _ in rows]
        assert len(keys) == len(set(keys))
        numbers = [(day, number) for _, day, _, number in rows]
        assert len(numbers) == len(set(numbers))
        held = [ticket for _, ticket in states if ticket is not None]
        assert len(held) == len(set(held)), "a ticket is held by two counters"
        for counter_id, ticket_id in states:
            if ticket_id is not None:
                assert statuses[ticket_id] in ("called", "serving")
                assert holders[ticket_id] == counter_id
        live = self.engine.snapshot
        for counter_id, ticket_id in states:
            assert live.counters[counter_id].current_ticket_id == ticket_id
        active = {i for i, s in statuses.items() if s in ("waiting", "called", "serving", "parked")}
        assert set(live.tickets) == active


EngineMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=40, deadline=None)
TestEngineProperties = EngineMachine.TestCase
