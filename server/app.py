"""Building the ASGI application of a centre server."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.api import (
    admin,
    applications,
    appointments,
    catalogue,
    counters,
    devices,
    errors,
    events,
    feedback,
    health,
    pairing,
    queue,
    session,
    stats,
    storage_errors,
    tickets,
)
from server.api.schemas import ERROR_RESPONSES
from server.applications import purge_expired
from server.appointments import purge_contacts
from server.backups import backup_loop
from server.context import ServerContext
from server.credential_watch import watch_credentials
from server.store.faults import StorageUnavailable
from server.web import booking, pages, ticket_page

log = logging.getLogger(__name__)
API_ROUTERS: tuple[APIRouter, ...] = tuple(
    module.router
    for module in (
        health,
        catalogue,
        tickets,
        counters,
        queue,
        events,
        session,
        devices,
        admin,
        applications,
        stats,
        feedback,
        appointments,
        pairing,
    )
)
"""Every router of the REST API, mounted under `API_PREFIX` (docs/api.md lists their routes)."""
STATIC_DIR = Path(pages.__file__).with_name("static")
API_PREFIX = "/api/v1"


class BodyLimit:
    """Refuse request bodies over the limit with 413 `body_too_large`, whatever their framing.

    The whole body (at most `max_bytes`) is read before the app runs: a declared
    `Content-Length` over the limit is refused at once, a chunked body as soon as
    its chunks pass the limit. Refusing inside the app instead would not work:
    an error raised while the framework reads the body becomes its own 400.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _too_large(send, self.max_bytes)
                return
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                first: Message = message  # the client left before sending its body
                break
            body = message.get("body", b"")
            received += len(body)
            if received > self.max_bytes:
                await _too_large(send, self.max_bytes)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                first = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
                break
        pending = [first]

        async def replay_receive() -> Message:
            if pending:
                return pending.pop()
            return await receive()

        await self.app(scope, replay_receive, send)


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps(
        errors.error_body(errors.HTTP_CODES[413], f"The request body is larger than {limit} bytes.")
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _housekeeping_loop(ctx: ServerContext) -> None:
    while True:
        try:
            await ctx.engine.housekeeping.run()
            await ctx.writer.run(
                lambda tx: purge_expired(tx, ctx.config.retention_days), actor="system:retention"
            )
            await ctx.writer.run(
                lambda tx: purge_contacts(tx, ctx.config.retention_days), actor="system:retention"
            )
        except StorageUnavailable as exc:  # reported by /health and the manager's view
            log.warning("housekeeping skipped: %s", exc.message)
        except Exception:
            log.exception("housekeeping failed")
        await asyncio.sleep(ctx.config.housekeeping_seconds)


async def _foreign_events_loop(ctx: ServerContext) -> None:
    """Hand on, every `log_check_seconds`, the events another process appended (an
    admin command at the command line), so live streams deliver them while the
    server itself writes nothing."""
    while True:
        await asyncio.sleep(ctx.config.log_check_seconds)
        try:
            await asyncio.wrap_future(ctx.writer.catch_up())
        except StorageUnavailable as exc:  # reported by /health and the manager's view
            log.warning("reading the event log skipped: %s", exc.message)
        except Exception:
            log.exception("reading events another process appended failed")


def create_app(ctx: ServerContext) -> FastAPI:
    """The FastAPI app serving one centre (the context is opened by the caller)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx.broker.bind(asyncio.get_running_loop())
        housekeeping = asyncio.create_task(_housekeeping_loop(ctx))
        credential_watch = asyncio.create_task(watch_credentials(ctx))
        foreign_events = asyncio.create_task(_foreign_events_loop(ctx))
        tasks = [housekeeping, credential_watch, foreign_events]
        if ctx.dispatcher is not None:
            tasks.append(asyncio.create_task(ctx.dispatcher.run_forever()))
        if ctx.config.backup is not None:
            tasks.append(
                asyncio.create_task(backup_loop(ctx.config.data_dir, ctx.config.backup, ctx.clock))
            )
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            ctx.broker.close_all()

    app = FastAPI(
        title="Rinda centre server",
        version="1",
        description="Queue management for a one-stop-shop customer service centre.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    errors.install(app)
    storage_errors.install(app)
    for router in API_ROUTERS:
        app.include_router(router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(pages.router)
    app.include_router(ticket_page.router)
    app.include_router(booking.router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.add_middleware(BodyLimit, max_bytes=ctx.config.max_body_bytes)
    return app
