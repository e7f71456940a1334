"""`POST/GET/DELETE /api/v1/session`: analysts and admins sign in, as at a centre: a
bearer token, and for the browser a session cookie with a CSRF token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from core.errors import Forbidden, NotAuthenticated
from hub.accounts import HubPrincipal, HubRole
from hub.api.deps import SESSION_COOKIE, authenticate, bearer_token, context
from hub.sessions import login, logout
from server.api.json_body import StrictJSONRoute
from server.api.session import set_session_cookie
from server.auth import token_digest
from server.ratelimit import RateLimiter

router = APIRouter(tags=["session"], route_class=StrictJSONRoute)
LOGIN_LIMITER = "login_limiter"


class LoginIn(BaseModel):
    """A user name and password."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


def principal_json(principal: HubPrincipal) -> dict[str, Any]:
    """Who is signed in, what they may see, and the CSRF token a page sends back."""
    return {
        "username": principal.name,
        "role": principal.role.value,
        "municipality": principal.municipality,
        "csrf_token": principal.csrf_token,
    }


def sign_in(request: Request, body: LoginIn) -> tuple[str, HubPrincipal]:
    """Admit the attempt (`TooManyAttempts` after ten failures in a minute from this
    client for this user), check the password, open a session: its token and principal
    (a plain function: run it off the event loop)."""
    ctx = context(request)
    limiter: RateLimiter = request.app.state.extras.setdefault(
        LOGIN_LIMITER, RateLimiter(10, timedelta(minutes=1))
    )
    client = request.client.host if request.client else "?"
    key = f"{client}:{body.username}"
    now = ctx.clock.now()
    limiter.check(key, now)
    try:
        with ctx.pool.connection() as conn:
            return login(conn, body.username, body.password, now, ctx.config.session_lifetime)
    except NotAuthenticated:
        limiter.hit(key, now)
        raise


@router.post("/session")
async def create(body: LoginIn, request: Request) -> JSONResponse:
    """Sign in; returns a bearer token (and sets the pages' session cookie)."""
    token, principal = await to_thread.run_sync(sign_in, request, body)
    response = JSONResponse({"token": token, **principal_json(principal)})
    set_session_cookie(request, response, SESSION_COOKIE, token)
    return response


@router.get("/session")
def whoami(principal: HubPrincipal = Depends(authenticate)) -> dict[str, Any]:
    """The signed-in user (or the centre a token belongs to)."""
    return principal_json(principal)


@router.delete("/session", status_code=204)
def delete(request: Request, principal: HubPrincipal = Depends(authenticate)) -> Response:
    """Sign out: the token stops working, and streams opened with it end (a centre's
    token is not a session: it is revoked with `rinda hub centres revoke`)."""
    if principal.role is HubRole.CENTRE:
        raise Forbidden("A centre's token is not a session; it is revoked, not signed out.")
    end_session(request, bearer_token(request))
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def end_session(request: Request, token: str) -> None:
    """End a session and the streams opened with it."""
    ctx = context(request)
    with ctx.pool.connection() as conn:
        logout(conn, token)
    ctx.streams.revoke_threadsafe(f"session:{token_digest(token)}")
