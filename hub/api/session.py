"""`POST/GET/DELETE /api/v1/session`: analysts and admins sign in for a bearer token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from hub.accounts import HubPrincipal, login, logout
from hub.api.deps import authenticate, bearer_token, context
from server.auth import token_digest
from server.ratelimit import RateLimiter

router = APIRouter(tags=["session"])
LOGIN_LIMITER = "login_limiter"


class LoginIn(BaseModel):
    """A user name and password."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


def principal_json(principal: HubPrincipal) -> dict[str, Any]:
    """Who is signed in and what they may see."""
    return {
        "username": principal.name,
        "role": principal.role.value,
        "municipality": principal.municipality,
    }


@router.post("/session")
def create(body: LoginIn, request: Request) -> dict[str, Any]:
    """Sign in; returns a bearer token valid for 12 hours."""
    ctx = context(request)
    limiter: RateLimiter = request.app.state.extras.setdefault(
        LOGIN_LIMITER, RateLimiter(10, timedelta(minutes=1))
    )
    client = request.client.host if request.client else "?"
    now = ctx.clock.now()
    limiter.hit(f"{client}:{body.username}", now)
    with ctx.pool.connection() as conn:
        token = login(conn, body.username, body.password, now)
        row = conn.execute(
            "SELECT role, municipality FROM users WHERE username = %s", (body.username,)
        ).fetchone()
    assert row is not None
    return {"token": token, "username": body.username, "role": row[0], "municipality": row[1]}


@router.get("/session")
def whoami(principal: HubPrincipal = Depends(authenticate)) -> dict[str, Any]:
    """The signed-in user (or the centre a token belongs to)."""
    return principal_json(principal)


@router.delete("/session", status_code=204)
def delete(request: Request, principal: HubPrincipal = Depends(authenticate)) -> Response:
    """Sign out: the token stops working, and streams opened with it end."""
    ctx = context(request)
    token = bearer_token(request)
    with ctx.pool.connection() as conn:
        logout(conn, token)
    ctx.streams.revoke_threadsafe(f"session:{token_digest(token)}")
    return Response(status_code=204)
