"""Building the hub's ASGI application."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from hub import inbox
from hub.api import (
    applications,
    catalogue,
    centres,
    database_errors,
    health,
    network,
    session,
    stats,
)
from hub.context import HubContext
from hub.revocations import RevocationListener
from hub.web import catalogue_page, pages
from server.api import errors
from server.api.schemas import ERROR_RESPONSES as CENTRE_ERROR_RESPONSES
from server.api.schemas import ErrorOut
from server.app import BodyLimit

API_PREFIX = "/api/v1"
API_ROUTERS: tuple[APIRouter, ...] = tuple(
    module.router for module in (health, centres, applications, session, network, stats, catalogue)
)
"""Every router of the hub's REST API, under `API_PREFIX` (docs/hub-api.md lists them)."""
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    **CENTRE_ERROR_RESPONSES,
    503: {"model": ErrorOut, "description": "The database cannot be reached; try again"},
}
"""Every route may be refused (docs/hub-api.md lists the codes of each status)."""
log = logging.getLogger(__name__)


EVENTS_PATH = re.compile(rf"^{API_PREFIX}/centres/[^/]+/events$")


class IngestAdmission:
    """At most `HubConfig.ingest_concurrency` batches of events are read and stored at
    once; the others wait before their bodies are read (the bytes stay with the
    sender, held back by TCP), so hundreds of centres catching up at once cost no more
    memory, nor garbage collection, than a few."""

    def __init__(self, app: ASGIApp, slots: asyncio.Semaphore) -> None:
        self.app = app
        self.slots = slots

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and EVENTS_PATH.match(scope["path"])
        ):
            async with self.slots:
                await self.app(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _housekeeping_loop(ctx: HubContext) -> None:
    """The retention purge of forwarded applications, every `housekeeping_seconds`."""
    while True:
        try:
            await asyncio.to_thread(_purge, ctx)
        except Exception:  # a database outage: the next round tries again
            log.exception("the hub's retention purge failed")
        await asyncio.sleep(ctx.config.housekeeping_seconds)


def _purge(ctx: HubContext) -> None:
    with ctx.pool.connection() as conn:
        inbox.purge_expired(conn, ctx.clock.now(), ctx.config.application_retention)


def create_app(ctx: HubContext) -> FastAPI:
    """The FastAPI app of the network hub (the context is opened by the caller)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx.streams.bind(asyncio.get_running_loop())
        listener = RevocationListener(ctx.config.database, ctx.streams)
        await asyncio.to_thread(listener.start)
        # What was loaded to start (the libraries, the app) lives as long as the hub:
        # keep it out of the garbage collector's full passes, which an ingest of many
        # batches would otherwise repeat over it again and again.
        gc.collect()
        gc.freeze()
        housekeeping = asyncio.create_task(_housekeeping_loop(ctx))
        try:
            yield
        finally:
            housekeeping.cancel()
            ctx.streams.close_all()
            await asyncio.to_thread(listener.stop)

    app = FastAPI(
        title="Rinda network hub",
        version="1",
        description="Every centre's event log in one place, and figures across the network.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.state.extras = {}
    errors.install(app)
    database_errors.install(app)
    for router in API_ROUTERS:
        app.include_router(router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(pages.router)
    app.include_router(catalogue_page.router)
    app.mount(
        "/static",
        StaticFiles(packages=[("server.web", "static"), ("hub.web", "static")]),
        name="static",
    )
    app.add_middleware(BodyLimit, max_bytes=ctx.config.max_body_bytes)
    app.add_middleware(IngestAdmission, slots=ctx.ingest_slots)  # outside: before reading
    return app
