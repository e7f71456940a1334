"""Running the hub: uvicorn, clean shutdown on SIGTERM."""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn

from core.clock import Clock
from hub.app import create_app
from hub.config import HubConfig
from hub.context import HubContext


def uvicorn_config(app: Any, config: HubConfig) -> uvicorn.Config:
    """uvicorn settings shared by the CLI and the tests."""
    return uvicorn.Config(
        app,
        host=config.host,
        port=config.port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=3,
        # Longer than a client keeps an idle connection (httpx: 5 s), so the client is
        # always the one to drop it: a request sent on a connection at the moment the
        # server drops it would fail (and a centre would wait to retry it).
        timeout_keep_alive=30,
        lifespan="on",
        ssl_certfile=str(config.tls_cert) if config.tls_cert else None,
        ssl_keyfile=str(config.tls_key) if config.tls_key else None,
    )


class _Server(uvicorn.Server):
    """Ends the event streams and closes the pool first on SIGTERM/SIGINT, so shutdown
    is not held up and no request is cut off without an answer."""

    def __init__(self, config: uvicorn.Config, ctx: HubContext) -> None:
        super().__init__(config)
        self.ctx = ctx

    def handle_exit(self, sig: int, frame: Any) -> None:
        self.ctx.begin_shutdown()
        super().handle_exit(sig, frame)


async def serve(config: HubConfig, clock: Clock | None = None) -> None:
    """Migrate, serve until told to stop, close the pool."""
    ctx = await asyncio.to_thread(HubContext.open, config, clock)
    try:
        server = _Server(uvicorn_config(create_app(ctx), config), ctx)
        await server.serve()
    finally:
        ctx.close()


def run(config: HubConfig) -> None:
    """Blocking entry point for `rinda hub`."""
    asyncio.run(serve(config))
