"""Request dependencies: the server context, the authenticated caller, idempotency keys."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any

from fastapi import Request

from core.errors import Forbidden, InvalidInput, NotAuthenticated
from server.actor import Actor, ActorKind
from server.auth import Permission, Principal
from server.context import ServerContext
from server.sessions import needs_touch, principal_for_token, touch_session
from server.store.writer import Idempotency, Transaction

log = logging.getLogger(__name__)
SESSION_COOKIE = "rinda_session"
CSRF_HEADER = "x-csrf-token"
BACKGROUND_HEADER = "x-rinda-background"
"""A request with `X-Rinda-Background: 1` was made by a page on its own (a refresh
after an event, a periodic poll), not by the person: it does not keep the session
alive. The event stream never does either."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_IDEMPOTENCY_KEY = 100


def context(request: Request) -> ServerContext:
    """The running server's context."""
    ctx: ServerContext = request.app.state.ctx
    return ctx


def principal_from_token(request: Request, token: str, *, via_cookie: bool) -> Principal:
    """The session or device holding `token`, or `NotAuthenticated`."""
    ctx = context(request)
    return principal_for_token(
        ctx.reads.get(), token, ctx.clock.now(), ctx.config.session_idle, via_cookie=via_cookie
    )


def note_use(request: Request, principal: Principal) -> None:
    """A request by a person (not marked as background) keeps their session alive. The
    use is written through the writer at most once a minute, and the request does not
    wait for it: a lost write only brings the idle end a minute closer."""
    ctx = context(request)
    now = ctx.clock.now()
    if request.headers.get(BACKGROUND_HEADER) == "1" or not needs_touch(principal, now):
        return
    digest = principal.credential

    def command(tx: Transaction) -> None:
        touch_session(tx.db.conn, digest, now)

    future = ctx.writer.submit(command, actor=f"user:{principal.name}", bulk=True)
    future.add_done_callback(_log_failure)


def _log_failure(future: Future[None]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("recording a session's use failed: %s", future.exception())


def authenticate(request: Request, *, counts_as_use: bool = True) -> Principal:
    """The caller, from a bearer token or the session cookie (with CSRF check).
    `counts_as_use` False: the request does not keep a session alive."""
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Use 'Authorization: Bearer <token>'.")
        principal = principal_from_token(request, token.strip(), via_cookie=False)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise NotAuthenticated("Sign in first.")
        principal = principal_from_token(request, cookie, via_cookie=True)
        if request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            if not sent or sent != principal.csrf_token:
                raise Forbidden("The request did not carry this session's CSRF token.")
    if counts_as_use:
        note_use(request, principal)
    return principal


def requires(
    permission: Permission, *, counts_as_use: bool = True
) -> Callable[[Request], Coroutine[Any, Any, Principal]]:
    """A dependency that authenticates and checks one permission. `counts_as_use`
    False: the request does not keep a session alive (the event stream)."""

    async def dependency(request: Request) -> Principal:
        principal = authenticate(request, counts_as_use=counts_as_use)
        principal.require(permission)
        request.state.principal = principal
        return principal

    dependency.permission = permission  # type: ignore[attr-defined]  # read by the docs test
    return dependency


def actor_of(principal: Principal) -> Actor:
    """The engine's view of a caller."""
    return Actor(
        name=principal.name,
        counter_id=principal.counter_id,
        any_counter=principal.can(Permission.OPERATE_ANY),
        kind=ActorKind(principal.kind),
    )


def idempotency_from(request: Request, principal: Principal, body: Any) -> Idempotency | None:
    """The request's `Idempotency-Key`, scoped to the caller and the endpoint."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    if not (1 <= len(key) <= MAX_IDEMPOTENCY_KEY) or not key.isascii() or not key.isprintable():
        raise InvalidInput(
            "Idempotency-Key must be 1-100 printable ASCII characters.",
            {"Idempotency-Key": "invalid"},
        )
    scope = f"{principal.kind}:{principal.name} {request.method} {request.url.path}"
    return Idempotency(scope=scope, key=key, request=body)
