"""Rendering the hub's pages: the centre's page conventions (language, escaping,
security headers, the base template and its styles), with the hub's own templates
first."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from core.i18n import messages, t
from core.model import LANGUAGES
from hub.api.deps import context
from server.web.render import LANGUAGE_COOKIE, SECURITY_HEADERS, TEMPLATES, page_language

HUB_TEMPLATES = Path(__file__).with_name("templates")


@cache
def environment() -> Environment:
    """Hub templates, then the centre's (its base page and shared parts)."""
    return Environment(
        loader=ChoiceLoader(
            [FileSystemLoader(str(HUB_TEMPLATES)), FileSystemLoader(str(TEMPLATES))]
        ),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    message_prefixes: tuple[str, ...] = (),
    **values: Any,
) -> HTMLResponse:
    """A page in the reader's language, with security headers; times in the network's
    time zone."""
    language = page_language(request)
    ctx = context(request)
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            lang=language,
            t=lambda key, **kw: t(key, language, **kw),
            centre=t("network.hub_name", language),
            timezone=ctx.config.timezone,
            messages=messages(message_prefixes, language) if message_prefixes else {},
            languages=LANGUAGES,
            **values,
        )
    )
    response = HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, samesite="strict", path="/")
    return response
