"""Counter commands: open, pause or close a counter; the hall displays' ticker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core import events as ev
from core import lifecycle
from core.model import CounterState
from server.actor import Actor
from server.commands import NamedAction
from server.store.settings import TICKER, put_setting
from server.store.writer import Transaction

if TYPE_CHECKING:
    from server.engine import Engine


class CounterAction(NamedAction):
    """What staff can do to a counter (`POST /counters/{id}/{action}`)."""

    OPEN = "open"
    PAUSE = "pause"
    CLOSE = "close"


_TRANSITIONS: dict[CounterAction, tuple[Callable[[CounterState, Actor, datetime], Any], str]] = {
    CounterAction.OPEN: (
        lambda state, actor, now: lifecycle.open_counter(state, clerk=actor.name, now=now),
        ev.COUNTER_OPENED,
    ),
    CounterAction.PAUSE: (
        lambda state, actor, now: lifecycle.pause_counter(state, now=now),
        ev.COUNTER_PAUSED,
    ),
    CounterAction.CLOSE: (
        lambda state, actor, now: lifecycle.close_counter(state, now=now),
        ev.COUNTER_CLOSED,
    ),
}
"""Each action's transition (`core.lifecycle`) and the event it logs."""


class CounterCommands:
    """The counter commands of one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def act(self, counter_id: str, action: CounterAction, actor: Actor) -> dict[str, Any]:
        """Open, pause or close a counter; returns its new state."""
        engine = self.engine
        engine.catalogue.counter(counter_id)
        actor.check_counter(counter_id)
        transition, event_type = _TRANSITIONS[action]

        def command(tx: Transaction) -> dict[str, Any]:
            changed: CounterState = transition(engine.counter_state(counter_id), actor, tx.now)
            engine.save_counter(tx, changed, event_type)
            return ev.counter_state_json(changed)

        result: dict[str, Any] = await engine.run(command, actor)
        return result

    async def set_ticker(self, text: str, actor: Actor) -> str:
        """Set the hall displays' ticker text (notices, opening hours)."""
        engine = self.engine

        def command(tx: Transaction) -> str:
            put_setting(tx.db.conn, TICKER, text)
            tx.emit(ev.ticker_event(text))

            def apply() -> None:
                engine.state.ticker = text

            tx.on_commit(apply)
            return text

        result: str = await engine.run(command, actor)
        return result
