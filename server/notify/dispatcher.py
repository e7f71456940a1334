"""Delivering the outbox: due messages are handed to their sender one by one; a failed
attempt is retried after the configured delays, and after the last one the message
is marked `failed` and a `notification.failed` event tells staff (the manager's view
lists failed and retrying messages with their last error).

Delivery is at least once: a message is marked sent after its sender accepted it, so
a crash in between sends it again at the next start, with the same outbox id in its
`Message-ID` / `Idempotency-Key` for the receiver to drop. Triggers are exactly once:
the outbox holds one row per trigger and channel (`server.notify.outbox`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from anyio import to_thread

from core.events import Event, notification_failed_event
from server.notify.config import NotificationConfig
from server.notify.senders import SendError
from server.store import notifications as store
from server.store.faults import StorageUnavailable
from server.store.notifications import Message
from server.store.writer import Transaction, Writer

log = logging.getLogger(__name__)
BATCH = 50
NO_SENDER = "no_sender"
WAKING_EVENTS = frozenset({"appointment.booked", "appointment.cancelled"})


class Dispatcher:
    """Runs in the server's event loop; `wake()` may be called from any thread."""

    def __init__(
        self,
        writer: Writer,
        config: NotificationConfig,
        upkeep: Callable[[Transaction], Any] | None = None,
    ) -> None:
        self.writer = writer
        self.config = config
        self.upkeep = upkeep
        """Run before each round (queues reminders, marks missed bookings)."""
        self.rounds = 0
        """Rounds completed since start (tests wait on it instead of sleeping)."""
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        writer.observe(self._observe)

    def _observe(self, db: object, events: list[Event], foreign: bool) -> None:
        if any(event.type in WAKING_EVENTS for event in events):
            self.wake()

    def wake(self) -> None:
        """Look for due messages now (thread-safe)."""
        if self._loop is not None and self._wake is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run_forever(self) -> None:
        """Deliver, then wait for a wake-up or `check_seconds`; never ends on its own."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        while True:
            self._wake.clear()
            try:
                await self.round()
            except StorageUnavailable as exc:
                log.warning("notifications skipped: %s", exc.message)
            except Exception:
                log.exception("delivering notifications failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.config.check_seconds)

    async def round(self) -> int:
        """One round: upkeep, then every due message once; returns how many were sent."""
        if self.upkeep is not None:
            await self.writer.run(self.upkeep, actor="system:notifications")
        due: list[Message] = await self.writer.run(
            lambda tx: store.due(tx.db.conn, tx.now, BATCH), actor="system:notifications"
        )
        sent = 0
        for message in due:
            sent += await self._deliver(message)
        self.rounds += 1
        return sent

    async def _deliver(self, message: Message) -> int:
        sender = self.config.senders.get(message.channel)
        if sender is None:
            error = f"no {message.channel} sender is configured"
            await self._record(message, error, final_status=NO_SENDER)
            return 0
        try:
            await to_thread.run_sync(sender.send, message)
        except SendError as exc:
            await self._record(message, str(exc))
            return 0
        await self.writer.run(
            lambda tx: store.mark_sent(tx.db.conn, message.id, tx.now),
            actor="system:notifications",
        )
        return 1

    async def _record(self, message: Message, error: str, final_status: str | None = None) -> None:
        delays = self.config.retry_delays
        attempt = message.attempts  # attempts made before this one

        def command(tx: Transaction) -> None:
            if final_status is None and attempt < len(delays):
                store.mark_attempt_failed(tx.db.conn, message.id, error, tx.now + delays[attempt])
                return
            status = final_status or "failed"
            store.mark_attempt_failed(tx.db.conn, message.id, error, None, status)
            if status == "failed":
                tx.emit(
                    notification_failed_event(
                        message.id, message.kind, message.channel, attempt + 1
                    )
                )

        log.warning("notification %s (%s) not sent: %s", message.id, message.channel, error)
        await self.writer.run(command, actor="system:notifications")
