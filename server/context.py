"""Everything one running centre server holds, opened and closed together."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from core.catalogue import Catalogue, load_catalogue_text, parse_catalogue
from core.clock import Clock, SystemClock
from core.data import demo_catalogue_text
from core.errors import CatalogueError
from core.settings_file import read_document
from server import appointments
from server.broker import Broker
from server.config import ServerConfig
from server.engine import Engine
from server.hub_link.shipper import HubLink
from server.notify.dispatcher import Dispatcher
from server.pairing import Pairings
from server.ratelimit import RateLimiter
from server.signin_throttle import SignInThrottle, device_cookie_key
from server.store.database import DataDirLock, ReadConnections, database_path
from server.store.faults import StorageWatch
from server.store.writer import Writer
from server.ticket_streams import TicketStreams
from server.tls import ServerTls, ensure_server_tls, machine_names

log = logging.getLogger(__name__)


def load_catalogue(path: Path | None) -> Catalogue:
    """The catalogue at `path`, or the demo catalogue. Raises `CatalogueError` (naming
    the file and the field) when the file cannot be read or is not valid."""
    if path is None:
        return load_catalogue_text(demo_catalogue_text(), "demo catalogue")
    return parse_catalogue(read_document(path, CatalogueError).data, str(path))


@dataclass
class ServerContext:
    """The parts of a running server."""

    config: ServerConfig
    catalogue: Catalogue
    clock: Clock
    writer: Writer
    engine: Engine
    broker: Broker
    reads: ReadConnections
    lock: DataDirLock
    signin_throttle: SignInThrottle
    """Failed sign-ins per account, address and device (its key is kept in the store)."""
    lookup_limiter: RateLimiter
    """Application status lookups per caller and per registration number."""
    ticket_streams: TicketStreams = field(default_factory=TicketStreams)
    """The public ticket page's open live views."""
    booking_limiter: RateLimiter | None = None
    """Holds and confirmations per address on the public booking page."""
    dispatcher: Dispatcher | None = None
    """Delivers the notification outbox (started with the app)."""
    hub_link: HubLink | None = None
    """The shipper to the network hub, when one is configured."""
    tls: ServerTls | None = None
    """The certificate files, when the server serves HTTPS."""
    pairings: Pairings = field(default_factory=Pairings)
    """Terminals waiting to be paired."""

    @classmethod
    def open(
        cls,
        config: ServerConfig,
        clock: Clock | None = None,
        catalogue: Catalogue | None = None,
    ) -> ServerContext:
        """Lock the data directory, open the database, load the live state."""
        catalogue = catalogue or load_catalogue(config.catalogue_path)
        clock = clock or SystemClock()
        lock = DataDirLock(config.data_dir)
        lock.acquire()
        try:
            tls = (
                ensure_server_tls(
                    config.data_dir,
                    (*machine_names(config.host), *config.tls_names),
                    clock.now(),
                    catalogue.centre.name.lv,
                )
                if config.tls
                else None
            )
            path = database_path(config.data_dir)
            broker = Broker()
            watch = StorageWatch(path, clock)
            writer = Writer(path, clock, broker.publish_threadsafe, watch)
            writer.start()
            engine = Engine(catalogue, writer)
            engine.load()
            cookie_key = writer.call(lambda tx: device_cookie_key(tx.db.conn), actor="system:start")
        except BaseException:
            lock.release()
            raise
        ctx = cls(
            config=config,
            catalogue=catalogue,
            clock=clock,
            writer=writer,
            engine=engine,
            broker=broker,
            reads=ReadConnections(path, watch),
            lock=lock,
            signin_throttle=SignInThrottle(cookie_key),
            lookup_limiter=RateLimiter(config.status_lookups_per_minute, timedelta(minutes=1)),
            tls=tls,
        )
        ctx.booking_limiter = RateLimiter(config.bookings_per_minute, timedelta(minutes=1))
        ctx.dispatcher = Dispatcher(
            writer, config.notifications, upkeep=lambda tx: appointments.upkeep(tx, catalogue)
        )
        if config.hub is not None:
            ctx.hub_link = HubLink(
                config.hub,
                data_dir=config.data_dir,
                catalogue=catalogue,
                writer=writer,
                reads=ctx.reads,
                clock=clock,
            )
            ctx.hub_link.start()
        return ctx

    @property
    def storage(self) -> StorageWatch:
        """The store's files and their current fault, if any."""
        return self.writer.watch

    def close(self) -> None:
        """Stop the writer (after queued commands) and release everything."""
        if self.hub_link is not None:
            self.hub_link.stop()
        self.broker.close_all()
        self.writer.stop()
        self.reads.close()
        self.lock.release()
