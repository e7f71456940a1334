"""`POST/GET/DELETE /api/v1/session`: sign in, who am I, sign out."""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from server.api.deps import SESSION_COOKIE, authenticate, context
from server.api.json_body import StrictJSONRoute
from server.api.schemas import ErrorOut, LoginIn, SessionOut
from server.auth import Principal, check_credentials, create_session, logout
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


async def sign_in(request: Request, body: LoginIn) -> tuple[str, Principal]:
    """Check the password (off the event loop), then open a session through the writer."""
    ctx = context(request)
    client = request.client.host if request.client else "?"
    limiter = ctx.extras["login_limiter"]
    limiter.hit(f"{client}:{body.username}", ctx.clock.now())  # type: ignore[attr-defined]
    if body.counter_id is not None:
        ctx.catalogue.counter(body.counter_id)
    credentials = await to_thread.run_sync(
        check_credentials, ctx.reads.get(), body.username, body.password
    )

    def command(tx: Transaction) -> tuple[str, Principal]:
        return create_session(tx.db.conn, credentials, tx.now, body.counter_id)

    result: tuple[str, Principal] = await ctx.writer.run(command, actor=f"user:{body.username}")
    return result


@router.post(
    "/session",
    response_model=SessionOut,
    responses={401: {"model": ErrorOut}, 429: {"model": ErrorOut}},
)
async def create(body: LoginIn, request: Request) -> JSONResponse:
    """Sign in; returns a bearer token (and sets the console's session cookie)."""
    token, principal = await sign_in(request, body)
    response = JSONResponse({"token": token, **principal_json(principal)})
    set_session_cookie(request, response, token)
    return response


def set_session_cookie(request: Request, response: Any, token: str) -> None:
    """HttpOnly, SameSite=Strict; Secure when served over HTTPS."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


@router.get("/session")
async def whoami(request: Request) -> dict[str, Any]:
    """The signed-in user (and the CSRF token the console sends with its requests)."""
    return principal_json(authenticate(request))


@router.delete("/session", status_code=204)
async def delete(request: Request, principal: Principal = Depends(authenticate)) -> Response:
    """Sign out."""
    ctx = context(request)
    header = request.headers.get("authorization", "")
    token = header.partition(" ")[2].strip() or request.cookies.get(SESSION_COOKIE, "")

    def command(tx: Transaction) -> None:
        logout(tx.db.conn, token)

    await ctx.writer.run(command, actor=f"user:{principal.name}")
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
