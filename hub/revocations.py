"""Hearing revocations made by other processes (`rinda hub centres revoke`, a user
disabled) through PostgreSQL's LISTEN/NOTIFY, so open streams end at once."""

from __future__ import annotations

import logging
import threading

import psycopg

from hub.accounts import REVOKED_CHANNEL
from hub.streams import Streams

log = logging.getLogger(__name__)


class RevocationListener:
    """A thread that LISTENs on `rinda_hub_revoked` and closes the matching streams; it
    reconnects if its connection drops, and then has every stream re-check its session
    (a notice sent while it was away is never delivered)."""

    def __init__(self, dsn: str, streams: Streams, retry_seconds: float = 2.0) -> None:
        self._dsn = dsn
        self._streams = streams
        self._retry_seconds = retry_seconds
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rinda-hub-revocations", daemon=True)

    def start(self) -> None:
        """Start listening; returns once the first LISTEN is in place."""
        self._thread.start()
        self._listening.wait(timeout=10)

    def stop(self) -> None:
        """Stop listening."""
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        lost = False
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {REVOKED_CHANNEL}".encode())
                    self._listening.set()
                    if lost:
                        # Notices sent while we were away are lost: every open stream
                        # asks the database itself whether its session still lives.
                        self._streams.recheck_threadsafe()
                        lost = False
                    while not self._stop.is_set():
                        for notice in conn.notifies(timeout=0.5, stop_after=1):
                            self._streams.revoke_threadsafe(notice.payload)
            except psycopg.Error as exc:
                lost = True
                self._listening.set()
                log.warning("revocation listener lost its connection (%s); retrying", exc)
                self._stop.wait(self._retry_seconds)
