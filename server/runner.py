"""Running a centre server: uvicorn, zeroconf advertisement, clean shutdown on SIGTERM."""

from __future__ import annotations

import asyncio
import faulthandler
import gc
import logging
import signal
import socket
from typing import Any

import uvicorn

from core.clock import Clock
from core.discovery import Advertiser
from server import systemd
from server.app import create_app
from server.config import ServerConfig
from server.context import ServerContext
from server.public_url import start_up_warnings
from server.store.faults import StorageUnavailable
from server.tls import ServerTls

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    """Ends the event streams first on SIGTERM/SIGINT, so shutdown is not held up."""

    def __init__(self, config: uvicorn.Config, ctx: ServerContext) -> None:
        super().__init__(config)
        self.ctx = ctx

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start listening; then tell systemd the server is ready (`Type=notify`)."""
        await super().startup(sockets)
        if self.started:
            systemd.notify("READY=1")

    def handle_exit(self, sig: int, frame: Any) -> None:
        self.ctx.broker.close_all()
        super().handle_exit(sig, frame)
        # SIGTERM is the normal way to stop a service: after the clean shutdown,
        # exit with status 0 instead of re-raising the signal (uvicorn's default).
        self._captured_signals = [s for s in self._captured_signals if s != signal.SIGTERM]


def uvicorn_config(
    app: Any, config: ServerConfig, sock: socket.socket | None = None, tls: ServerTls | None = None
) -> uvicorn.Config:
    """uvicorn settings shared by the CLI and the tests. `X-Forwarded-For` and
    `X-Forwarded-Proto` are believed only from the configured trusted proxies (uvicorn
    would otherwise believe them from 127.0.0.1, or from `FORWARDED_ALLOW_IPS`). With
    `tls`, HTTPS only: a plain HTTP request gets no answer (the handshake fails)."""
    return uvicorn.Config(
        app,
        host=config.host,
        port=config.port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=3,
        lifespan="on",
        http="httptools",
        loop="uvloop" if _has_uvloop() else "asyncio",
        proxy_headers=bool(config.trusted_proxies),
        forwarded_allow_ips=list(config.trusted_proxies),
        ssl_certfile=str(tls.cert_file) if tls else None,
        ssl_keyfile=str(tls.key_file) if tls else None,
    )


def _has_uvloop() -> bool:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


def settle_garbage_collector() -> None:
    """Move everything loaded at start-up (libraries, catalogue, the day's queue) out of
    the collector's sight. Full collections then scan only what arrived since, so
    they no longer pause the writer and the event loop for tens of milliseconds
    (seen as the call -> event p99 in bench/load.py)."""
    gc.collect()
    gc.freeze()


async def serve(
    config: ServerConfig, clock: Clock | None = None, ready: Any = None, *, settle_gc: bool = False
) -> None:
    """Open the data directory, serve until told to stop, close everything. `settle_gc`
    is for a server process of its own (not for servers inside a test process)."""
    ctx = ServerContext.open(config, clock)
    for warning in start_up_warnings(ctx.catalogue, config.public_url):
        log.warning("%s", warning)
    advertiser: Advertiser | None = None
    watchdog: asyncio.Task[None] | None = None
    try:
        app = create_app(ctx)
        server = _Server(uvicorn_config(app, config, tls=ctx.tls), ctx)
        if config.advertise:
            advertiser = Advertiser(
                ctx.catalogue.centre.name.lv,
                config.port,
                host=config.host,
                interfaces=config.advertise_interfaces,
                ca_fingerprint=ctx.tls.ca_fingerprint if ctx.tls else None,
            )
            try:
                await advertiser.start()
            except OSError as exc:
                log.warning("zeroconf advertisement failed (%s); terminals need a manual URL", exc)
                advertiser = None
        if ready is not None:
            ready(ctx)
        if settle_gc:
            settle_garbage_collector()
        watchdog = _start_systemd_watchdog(ctx)
        await server.serve()
    finally:
        systemd.notify("STOPPING=1")
        if watchdog is not None:
            watchdog.cancel()
        if advertiser is not None:
            await advertiser.stop()
        ctx.close()


def _start_systemd_watchdog(ctx: ServerContext) -> asyncio.Task[None] | None:
    """When systemd watches the server, ping its watchdog while the writer answers
    (`server.systemd`; READY=1 is sent by `_Server.startup`)."""

    async def writer_answers() -> bool:
        try:
            await ctx.writer.run(lambda tx: None, actor="system:watchdog")
        except StorageUnavailable:
            return True  # it answered; a storage fault is reported, a restart would not help
        return True

    interval = systemd.watchdog_interval()
    if interval is None:
        return None
    return asyncio.create_task(systemd.watchdog_loop(writer_answers, interval))


def run(config: ServerConfig) -> None:
    """Blocking entry point for `rinda server`."""
    # A fatal signal (SIGBUS from a memory-mapped file, say) at least names itself
    # and where it struck, instead of ending the process without a word.
    faulthandler.enable()
    asyncio.run(serve(config, settle_gc=True))
