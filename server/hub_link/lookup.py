"""A resident's status check for an application lodged at another centre: passed on
to the hub (`POST /api/v1/status-lookups`), which checks the receipt's code against
what the lodging centre forwarded (`core.applications.receipt_verifier`)."""

from __future__ import annotations

import logging
import ssl
from typing import Any

import httpx

from core.errors import NotFound
from server.hub_link.config import HubLinkConfig
from server.ratelimit import TooManyAttempts

log = logging.getLogger(__name__)
TIMEOUT = 5.0
"""Seconds a resident's check waits for the hub before the centre answers on its own."""


def hub_status(config: HubLinkConfig, registration_number: str, secret: str) -> dict[str, Any]:
    """The hub's answer for a forwarded application: `{registration_number, type_id,
    department_id, status, lodged_at, answer_deadline, history}`. Raises `NotFound`
    (the same as a wrong code) when the hub does not know it or cannot be reached,
    `TooManyAttempts` when the hub's limit is reached."""
    verify: ssl.SSLContext | bool = True
    if config.ca_file is not None:
        verify = ssl.create_default_context(cafile=str(config.ca_file))
    try:
        answer = httpx.post(
            f"{config.url.rstrip('/')}/api/v1/status-lookups",
            json={"registration_number": registration_number, "secret": secret},
            headers={"Authorization": f"Bearer {config.token}"},
            timeout=TIMEOUT,
            verify=verify,
        )
    except httpx.HTTPError as exc:
        log.warning("status check passed to the hub failed: %s", exc)
        raise NotFound("application", "with this registration number and code") from None
    if answer.status_code == 429:
        retry = int(answer.headers.get("Retry-After", "60"))
        raise TooManyAttempts("Too many attempts; try again later.", retry)
    if answer.status_code != 200:
        raise NotFound("application", "with this registration number and code")
    body: dict[str, Any] = answer.json()
    return body
