"""How a storage fault reaches a caller: 503 `storage_unavailable`, never a 500 or silence.

API requests get `{"code": "storage_unavailable", "message", "problem", "file"}`
with `Retry-After`; browser pages get a page that says the same in the
visitor's language. The message names the problem and the file but not the
server's paths (those are in the server log and the manager's view).
"""

from __future__ import annotations

import sqlite3

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from server.api.deps import context
from server.api.errors import error_body, unexpected_error_handler
from server.store.faults import StorageProblem, StorageUnavailable

RETRY_AFTER_SECONDS = 30
PUBLIC_MESSAGES = {
    StorageProblem.READ_ONLY: "a file of its database cannot be written",
    StorageProblem.DISK_FULL: "its disk is full",
    StorageProblem.MISSING: "a file of its database was removed or replaced",
    StorageProblem.DAMAGED: "its database is damaged",
    StorageProblem.BUSY: "another program holds its database",
    StorageProblem.IO_ERROR: "its disk reports errors",
}


def public_message(problem: StorageProblem) -> str:
    """What a caller is told (no server paths)."""
    return (
        f"The server cannot store data now: {PUBLIC_MESSAGES[problem]}. "
        "Nothing was changed; try again later."
    )


def storage_response(request: Request, error: StorageUnavailable) -> Response:
    """503 as JSON for the API, as a page for the browser."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if not request.url.path.startswith("/api/"):
        from server.web.render import render

        response = render(
            request,
            "storage_fault.html",
            status_code=503,
            problem=error.problem.value,
            file=error.file,
        )
        response.headers.update(headers)
        return response
    body = error_body(
        error.code, public_message(error.problem), problem=error.problem.value, file=error.file
    )
    return JSONResponse(body, status_code=503, headers=headers)


async def storage_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StorageUnavailable)
    return storage_response(request, exc)


async def sqlite_error_handler(request: Request, exc: Exception) -> Response:
    """A SQLite error that escaped a read: a storage fault is recorded and answered
    with 503; any other error is a bug (500, logged)."""
    assert isinstance(exc, sqlite3.Error)
    unavailable = context(request).storage.failed(exc, doing="reading")
    if unavailable is None:
        return await unexpected_error_handler(request, exc)
    return storage_response(request, unavailable)


def install(app: FastAPI) -> None:
    """Register the handlers (more specific than the generic `RindaError` one)."""
    app.add_exception_handler(StorageUnavailable, storage_error_handler)
    app.add_exception_handler(sqlite3.Error, sqlite_error_handler)
