"""Live updates to readers' event streams (SSE): a centre's link moved, and the end of a
stream whose token was revoked.

Ingest threads publish after their commit; each subscriber has a bounded queue on
the event loop and sees only the centres its principal may see. A revocation (the
`rinda_hub_revoked` notification, or a re-check of the token: periodic, and at once
after the listener of those notifications lost its connection) closes the streams of
that user, session or centre.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

QUEUE_LIMIT = 1000


class Closed:
    """Marker put in a subscriber's queue when its stream must end."""


class Recheck:
    """Marker put in a subscriber's queue when it must ask the database whether its
    session still lives (revocation notices may have been missed)."""


CLOSED = Closed()


@dataclass(eq=False)
class Subscription:
    """One open stream."""

    keys: frozenset[str]
    """Revocation keys of its principal and session (`user:NAME`, `session:DIGEST`)."""
    sees: Callable[[str], bool]
    """Whether it may see a centre of the given municipality."""
    queue: asyncio.Queue[dict[str, Any] | Closed | Recheck] = field(
        default_factory=lambda: asyncio.Queue(maxsize=QUEUE_LIMIT)
    )


class Streams:
    """Fan-out of link updates to the open streams."""

    def __init__(self) -> None:
        self._subscriptions: set[Subscription] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The event loop the subscribers live on."""
        self._loop = loop

    def subscribe(self, keys: frozenset[str], sees: Callable[[str], bool]) -> Subscription:
        """A new stream (call on the event loop)."""
        subscription = Subscription(keys, sees)
        self._subscriptions.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Forget a stream."""
        self._subscriptions.discard(subscription)

    def publish_threadsafe(self, message: dict[str, Any]) -> None:
        """Hand a message (with a `municipality`) to the streams that may see it."""
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                self._loop.call_soon_threadsafe(self._publish, message)

    def revoke_threadsafe(self, key: str) -> None:
        """End every stream opened with the revoked user, session or centre."""
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self.revoke, key)

    def revoke(self, key: str) -> None:
        """`revoke_threadsafe`, on the event loop."""
        for subscription in list(self._subscriptions):
            if key in subscription.keys:
                self._close(subscription)

    def recheck_threadsafe(self) -> None:
        """Make every stream ask the database whether its session still lives (after
        the revocation listener lost its connection: notices sent meanwhile are lost)."""
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self.recheck)

    def recheck(self) -> None:
        """`recheck_threadsafe`, on the event loop."""
        for subscription in list(self._subscriptions):
            try:
                subscription.queue.put_nowait(Recheck())
            except asyncio.QueueFull:
                self._close(subscription)

    def close_all(self) -> None:
        """End every stream (shutdown)."""
        for subscription in list(self._subscriptions):
            self._close(subscription)

    def _publish(self, message: dict[str, Any]) -> None:
        for subscription in list(self._subscriptions):
            if not subscription.sees(message["municipality"]):
                continue
            try:
                subscription.queue.put_nowait(message)
            except asyncio.QueueFull:  # too far behind: it reconnects and reloads
                self._close(subscription)

    def _close(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)
        queue = subscription.queue
        while True:
            try:
                queue.put_nowait(CLOSED)
                return
            except asyncio.QueueFull:
                queue.get_nowait()
