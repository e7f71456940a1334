"""Rendering pages: the Jinja2 environment, the page language, the signed-in user."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from core.errors import NotAuthenticated
from core.i18n import messages, t
from core.model import LANGUAGES
from server.api.deps import SESSION_COOKIE, context, note_use, principal_from_token
from server.auth import Principal

LANGUAGE_COOKIE = "rinda_lang"
TEMPLATES = Path(__file__).with_name("templates")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@cache
def environment() -> Environment:
    """The template environment (every value is escaped unless marked safe)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def page_language(request: Request) -> str:
    """`?lang=` if given, else the language cookie, else the browser's, else Latvian."""
    asked = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if asked in LANGUAGES:
        return str(asked)
    accept = request.headers.get("accept-language", "")
    for part in accept.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "lv"


def page_principal(request: Request) -> Principal | None:
    """The user signed in with the session cookie, if any (opening a page is use)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        principal = principal_from_token(request, cookie, via_cookie=True)
    except NotAuthenticated:
        return None
    note_use(request, principal)
    return principal


def render(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    message_prefixes: tuple[str, ...] = (),
    **values: Any,
) -> HTMLResponse:
    """A page in the visitor's language, with security headers."""
    language = page_language(request)
    ctx = context(request)
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            lang=language,
            t=lambda key, **kw: t(key, language, **kw),
            centre=ctx.catalogue.centre.name.get(language),
            timezone=ctx.catalogue.centre.timezone,
            messages=messages(message_prefixes, language) if message_prefixes else {},
            languages=LANGUAGES,
            **values,
        )
    )
    response = HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, samesite="strict", path="/")
    return response
