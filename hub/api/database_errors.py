"""How a database fault reaches a caller: 503 `database_unavailable` with `Retry-After`,
never a 500, at whatever stage it happens.

psycopg raises `OperationalError` whenever PostgreSQL cannot be reached or gives up on
a connection: while a connection is taken from the pool (`PoolTimeout`, `PoolClosed`
and `TooManyRequests` are its subclasses), while a statement runs (the server shut
down, the connection was terminated, a statement was cancelled), and at commit; and
`InterfaceError` when a connection is no longer usable. Both mean "nothing was
changed, try again later". Any other database error is a fault of the hub (500,
logged). An event stream that meets one ends (`hub.api.network`); the revocation
listener reconnects (`hub.revocations`).
"""

from __future__ import annotations

import logging

import psycopg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from server.api.errors import error_body

log = logging.getLogger(__name__)
UNAVAILABLE: tuple[type[psycopg.Error], ...] = (psycopg.OperationalError, psycopg.InterfaceError)
RETRY_AFTER_SECONDS = 5
MESSAGE = "The hub's database cannot be reached; try again later."


def unavailable_response(request: Request) -> Response:
    """503 as JSON for the API, as a page for the browser."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if not request.url.path.startswith("/api/"):
        from hub.web.render import render

        response = render(request, "database_unavailable.html", status_code=503)
        response.headers.update(headers)
        return response
    return JSONResponse(
        error_body("database_unavailable", MESSAGE), status_code=503, headers=headers
    )


async def database_unavailable(request: Request, exc: Exception) -> Response:
    """The handler of `UNAVAILABLE` errors."""
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return unavailable_response(request)


def install(app: FastAPI) -> None:
    """Register the handler for each kind of unavailability."""
    for kind in UNAVAILABLE:
        app.add_exception_handler(kind, database_unavailable)
