"""Everything one running centre server holds, opened and closed together."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from core.catalogue import Catalogue, load_catalogue_text, parse_catalogue
from core.clock import Clock, SystemClock
from core.data import demo_catalogue_text
from core.errors import CatalogueError
from core.national import SUBSCRIPTION
from core.settings_file import read_document
from core.wire.payloads import CatalogueStatusView
from server import appointments
from server.broker import Broker
from server.config import ServerConfig
from server.engine import Engine
from server.hub_link.forwarder import Forwarder
from server.hub_link.shipper import HubLink
from server.hub_link.subscription import (
    CatalogueSubscription,
    catalogue_at_start,
    joined,
    load_applied,
)
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


def load_catalogue(path: Path | None, data_dir: Path | None = None) -> Catalogue:
    """The catalogue at `path`, or the demo catalogue; for a centre subscribed to the
    national catalogue, its file joined with the version last applied in `data_dir`.
    Raises `CatalogueError` (naming the file and the field) when the file cannot be read
    or is not valid, or a subscribed centre has not applied a version yet."""
    if path is None:
        return load_catalogue_text(demo_catalogue_text(), "demo catalogue")
    document = read_document(path, CatalogueError)
    if SUBSCRIPTION not in document.data:
        return parse_catalogue(document.data, str(path))
    applied = load_applied(data_dir) if data_dir is not None else None
    if applied is None:
        raise CatalogueError(
            f"{path}: subscription: no national catalogue version has been applied in "
            f"{data_dir} yet: start the server with its hub once"
        )
    return joined(document.data, str(path), applied.version, applied.document)


@dataclass
class ServerContext:
    """The parts of a running server."""

    config: ServerConfig
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
    forwarder: Forwarder | None = None
    """The shipper to the network hub, when one is configured."""
    subscription: CatalogueSubscription | None = None
    """The national catalogue subscription, when the centre's file has one."""
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
        """Lock the data directory, open the database, load the live state. A centre
        subscribed to the national catalogue runs on the version it last applied (or, the
        first time, the hub's current one) and applies new ones as they come."""
        clock = clock or SystemClock()
        local: Mapping[str, Any] | None = None
        if catalogue is None and config.catalogue_path is not None:
            document = read_document(config.catalogue_path, CatalogueError)
            if SUBSCRIPTION in document.data:
                local = document.data
            else:
                catalogue = parse_catalogue(document.data, str(config.catalogue_path))
        lock = DataDirLock(config.data_dir)
        lock.acquire()
        try:
            if local is not None:
                catalogue = catalogue_at_start(
                    local, str(config.catalogue_path), config.data_dir, config.hub, clock.now()
                )
            catalogue = catalogue or load_catalogue(None)
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
            writer,
            config.notifications,
            upkeep=lambda tx: appointments.upkeep(tx, engine.catalogue),
        )
        if config.hub is not None:
            ctx.hub_link = HubLink(
                config.hub,
                data_dir=config.data_dir,
                catalogue=lambda: engine.catalogue,
                writer=writer,
                reads=ctx.reads,
                clock=clock,
            )
            ctx.hub_link.start()
            ctx.forwarder = Forwarder(config.hub, writer=writer, reads=ctx.reads)
            ctx.forwarder.start()
        if local is not None and config.hub is not None:
            link = ctx.hub_link
            ctx.subscription = CatalogueSubscription(
                config.hub,
                local=local,
                source=str(config.catalogue_path),
                data_dir=config.data_dir,
                apply=engine.apply_catalogue,
                clock=clock,
                on_applied=link.refresh_profile if link is not None else lambda: None,
            )
            ctx.subscription.start()
        return ctx

    @property
    def catalogue(self) -> Catalogue:
        """The catalogue the centre runs on now (a new national version replaces it)."""
        return self.engine.catalogue

    def catalogue_status(self) -> CatalogueStatusView:
        """Which national catalogue version runs (None: the centre keeps its own) and,
        for a subscribed centre, whether a newer one waits (`SubscriptionStatus`)."""
        running = self.catalogue.national_version
        if self.subscription is None:
            return CatalogueStatusView(subscribed=False, running_version=running)
        status = self.subscription.status()
        return CatalogueStatusView(
            subscribed=True,
            running_version=status.running_version,
            applied_at=status.applied_at,
            latest_version=status.latest_version,
            newer_waiting=status.newer_waiting,
            last_checked_at=status.last_checked_at,
            refused_version=status.refused_version,
            refused_because=status.refused_because,
            last_error=status.last_error,
        )

    @property
    def storage(self) -> StorageWatch:
        """The store's files and their current fault, if any."""
        return self.writer.watch

    def close(self) -> None:
        """Stop the writer (after queued commands) and release everything."""
        if self.subscription is not None:
            self.subscription.stop()
        if self.hub_link is not None:
            self.hub_link.stop()
        if self.forwarder is not None:
            self.forwarder.stop()
        self.broker.close_all()
        self.writer.stop()
        self.reads.close()
        self.lock.release()
