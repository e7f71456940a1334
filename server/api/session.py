"""`POST/GET/DELETE /api/v1/session`: sign in, who am I, sign out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from core.wire.payloads import PrincipalView
from server.api.deps import SESSION_COOKIE, authenticate, context
from server.api.json_body import StrictJSONRoute
from server.api.responses import SessionOut
from server.api.schemas import ErrorOut, LoginIn
from server.api.wire_models import response_model
from server.auth import Principal, check_credentials
from server.sessions import create_session, logout
from server.signin_throttle import DEVICE_COOKIE, DEVICE_COOKIE_LIFETIME
from server.store.writer import Transaction

router = APIRouter(tags=["session"], route_class=StrictJSONRoute)


def principal_json(principal: Principal) -> dict[str, Any]:
    """What the console needs to know about the signed-in user."""
    return {
        "username": principal.name,
        "display_name": principal.display_name,
        "role": principal.role.value,
        "counter_id": principal.counter_id,
        "department_id": principal.department_id,
        "csrf_token": principal.csrf_token,
    }


@dataclass(frozen=True)
class SignedIn:
    """A new session: its token, who holds it, and the client's new device cookie."""

    token: str
    principal: Principal
    device_cookie: str


async def sign_in(request: Request, body: LoginIn) -> SignedIn:
    """Admit the attempt (or `TooManyAttempts`), check the password off the event loop,
    then open a session through the writer."""
    ctx = context(request)
    if body.counter_id is not None:
        ctx.catalogue.counter(body.counter_id)
    throttle = ctx.signin_throttle
    address = request.client.host if request.client else "unknown"
    attempt = throttle.begin(
        body.username, address, request.cookies.get(DEVICE_COOKIE), ctx.clock.now()
    )
    credentials = await to_thread.run_sync(
        check_credentials, ctx.reads.get(), body.username, body.password
    )
    throttle.succeeded(attempt)
    config = ctx.config

    def command(tx: Transaction) -> tuple[str, Principal]:
        return create_session(
            tx.db.conn,
            credentials,
            tx.now,
            body.counter_id,
            idle=config.session_idle,
            lifetime=config.session_lifetime,
        )

    token, principal = await ctx.writer.run(command, actor=f"user:{body.username}")
    return SignedIn(token, principal, throttle.device_cookie(body.username))


@router.post(
    "/session",
    response_model=SessionOut,
    responses={401: {"model": ErrorOut}, 429: {"model": ErrorOut}},
)
async def create(body: LoginIn, request: Request) -> JSONResponse:
    """Sign in; returns a bearer token (and sets the console's session cookie and the
    device cookie that exempts this client from other clients' failed sign-ins)."""
    signed_in = await sign_in(request, body)
    response = JSONResponse({"token": signed_in.token, **principal_json(signed_in.principal)})
    set_sign_in_cookies(request, response, signed_in)
    return response


def set_sign_in_cookies(request: Request, response: Any, signed_in: SignedIn) -> None:
    """The session cookie (ends with the browser) and the device cookie (a year); both
    HttpOnly, SameSite=Strict, and Secure when served over HTTPS."""
    set_session_cookie(request, response, SESSION_COOKIE, signed_in.token)
    response.set_cookie(
        DEVICE_COOKIE,
        signed_in.device_cookie,
        max_age=int(DEVICE_COOKIE_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def set_session_cookie(request: Request, response: Any, name: str, token: str) -> None:
    """A session cookie (ends with the browser): HttpOnly, SameSite=Strict, and Secure
    when served over HTTPS. The network hub's sign-in sets its own the same way."""
    response.set_cookie(
        name,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


@router.get("/session", response_model=response_model(PrincipalView))
async def whoami(request: Request) -> dict[str, Any]:
    """The signed-in user (and the CSRF token the console sends with its requests)."""
    return principal_json(authenticate(request))


@router.delete("/session", status_code=204)
async def delete(request: Request, principal: Principal = Depends(authenticate)) -> Response:
    """Sign out (the event streams opened with this session end too)."""
    ctx = context(request)
    header = request.headers.get("authorization", "")
    token = header.partition(" ")[2].strip() or request.cookies.get(SESSION_COOKIE, "")

    def command(tx: Transaction) -> None:
        logout(tx.db.conn, token)

    await ctx.writer.run(command, actor=f"user:{principal.name}")
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
