"""Request dependencies: the server context, the authenticated caller, idempotency keys."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request

from core.errors import Forbidden, InvalidInput, NotAuthenticated
from server.auth import Permission, Principal, principal_for_token
from server.context import ServerContext
from server.engine import Actor
from server.store.writer import Idempotency

SESSION_COOKIE = "rinda_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_IDEMPOTENCY_KEY = 100


def context(request: Request) -> ServerContext:
    """The running server's context."""
    ctx: ServerContext = request.app.state.ctx
    return ctx


def authenticate(request: Request) -> Principal:
    """The caller, from a bearer token or the session cookie (with CSRF check)."""
    ctx = context(request)
    header = request.headers.get("authorization", "")
    now = ctx.clock.now()
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Use 'Authorization: Bearer <token>'.")
        return principal_for_token(ctx.reads.get(), token.strip(), now)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise NotAuthenticated("Sign in first.")
    principal = principal_for_token(ctx.reads.get(), cookie, now, via_cookie=True)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or sent != principal.csrf_token:
            raise Forbidden("The request did not carry this session's CSRF token.")
    return principal


def requires(
    permission: Permission,
) -> Callable[[Request], Coroutine[Any, Any, Principal]]:
    """A dependency that authenticates and checks one permission."""

    async def dependency(request: Request) -> Principal:
        principal = authenticate(request)
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
        kind=principal.kind,
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
