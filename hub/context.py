"""Everything a running hub holds: settings, the connection pool, the clock, the
partitions it knows and the live stream of link changes."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

import psycopg
from psycopg_pool import ConnectionPool

from core.clock import Clock, SystemClock
from hub.config import HubConfig
from hub.store.migrate import migrate
from hub.store.partitions import Partitions
from hub.streams import Streams


@dataclass
class HubContext:
    """The parts of a running hub."""

    config: HubConfig
    clock: Clock
    pool: ConnectionPool
    partitions: Partitions
    streams: Streams = field(default_factory=Streams)
    ingest_slots: asyncio.Semaphore = field(init=False)
    """Batches being read and stored at once (`HubConfig.ingest_concurrency`)."""

    def __post_init__(self) -> None:
        self.ingest_slots = asyncio.Semaphore(self.config.ingest_concurrency)

    @classmethod
    def open(cls, config: HubConfig, clock: Clock | None = None) -> HubContext:
        """Migrate the database (an empty one gets the whole schema) and open the pool."""
        with psycopg.connect(config.database, autocommit=True) as conn:
            migrate(conn)
            partitions = Partitions()
            partitions.load(conn)
            clock = clock or SystemClock()
            partitions.ensure(conn, [clock.now()])
        pool = ConnectionPool(
            config.database,
            min_size=2,
            max_size=config.pool_size,
            kwargs={"autocommit": True},
            open=True,
            name="rinda-hub",
            # A connection is checked as it is handed out, so after a database restart
            # the first requests get fresh connections instead of broken ones.
            check=ConnectionPool.check_connection,
            timeout=config.pool_timeout,
        )
        pool.wait()
        return cls(config=config, clock=clock, pool=pool, partitions=partitions)

    def begin_shutdown(self) -> None:
        """The hub is stopping: end the event streams, and close the pool (in the
        background) so that a request still waiting for a connection is answered 503 at
        once, rather than cut off by the server's shutdown."""
        self.streams.close_all()
        threading.Thread(target=self.pool.close, name="rinda-hub-pool-close", daemon=True).start()

    def close(self) -> None:
        """Close the pool."""
        self.pool.close()
