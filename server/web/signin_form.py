"""The sign-in form's rules, shared by the centre's staff pages and the network hub's.

The form carries a one-time token that must match a cookie set with the form
(`SameSite=Strict`, path `/login`), so a sign-in cannot be posted from another site
(login CSRF); after signing in, only a path on this server is followed (no open
redirect). How the password is checked stays with each server.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

MAX_WAIT_DIGITS = 6
"""The longest `wait` (seconds until the next try) the form shows; longer is refused."""


def login_form(
    request: Request,
    render: Callable[..., HTMLResponse],
    cookie: str,
    *,
    error: str,
    wait: str,
    **extra: Any,
) -> HTMLResponse:
    """The sign-in page (template `login.html`) with a fresh form token, also set as the
    cookie `cookie`. `error` names what went wrong before (`failed`, `csrf`,
    `too_many`); `wait` the seconds to wait after too many attempts."""
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        csrf=token,
        error=error,
        wait=int(wait) if wait.isdigit() and 0 < len(wait) <= MAX_WAIT_DIGITS else 1,
        next=request.query_params.get("next", ""),
        **extra,
    )
    response.set_cookie(cookie, token, httponly=True, samesite="strict", path="/login")
    return response


def form_token_matches(request: Request, cookie: str, token: str) -> bool:
    """Whether the posted form token is the one set with the form (constant time)."""
    expected = request.cookies.get(cookie, "")
    return bool(expected) and hmac.compare_digest(expected, token)


def local_path(target: str) -> str:
    """`target` if it is a path on this server, else "" (never another site)."""
    return target if target.startswith("/") and not target.startswith("//") else ""


def form_done(response: Response, cookie: str) -> Response:
    """Drop the used form token from the browser."""
    response.delete_cookie(cookie, path="/login")
    return response
