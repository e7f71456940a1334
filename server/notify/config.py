"""The notifications settings file (`rinda server --notifications FILE`), e.g.:

    [email]
    host = "mail.ozolkalns.example.lv"
    port = 587
    sender = "kac@ozolkalns.example.lv"
    starttls = true
    username = "kac"
    password = "..."

    [sms]
    url = "https://sms.example.lv/api/send"
    format = "json"            # or "form"
    to_field = "to"
    text_field = "text"
    fields = { from = "KAC" }
    headers = { Authorization = "Bearer ..." }

    [delivery]
    retry_minutes = [1, 5, 15, 60, 240]
    check_seconds = 5

Either channel may be left out: messages for it are then recorded as `no_sender`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from core.errors import SettingsError
from core.settings import Table
from core.settings_file import read_document
from server.notify.outbox import Channel
from server.notify.senders import HttpSmsSender, Sender, SmtpSender

DEFAULT_RETRIES = (1, 5, 15, 60, 240)
"""Minutes before each further attempt; after the last, the message has failed."""


@dataclass(frozen=True)
class NotificationConfig:
    """Which senders exist and how delivery is retried."""

    senders: dict[str, Sender] = field(default_factory=dict)
    retry_delays: tuple[timedelta, ...] = tuple(timedelta(minutes=m) for m in DEFAULT_RETRIES)
    check_seconds: float = 5.0
    """How often due messages (and reminders) are looked for, besides at once after a
    booking or a cancellation."""


def parse_notifications(root: Table) -> NotificationConfig:
    """Build the config from a parsed file; `SettingsError` names file, key and value."""
    root.reject_unknown({"email", "sms", "delivery"})
    senders: dict[str, Sender] = {}
    if root.has("email"):
        node = root.child("email")
        node.reject_unknown(
            {"host", "port", "sender", "domain", "starttls", "username", "password", "timeout"}
        )
        sender = node.text("sender")
        senders[Channel.EMAIL.value] = SmtpSender(
            host=node.text("host"),
            port=node.integer("port", default=25, minimum=1),
            sender=sender,
            domain=node.text("domain", default=sender.partition("@")[2] or "rinda.invalid"),
            starttls=node.boolean("starttls", default=False),
            username=node.text("username", default=""),
            password=node.text("password", default=""),
            timeout=node.number("timeout", default=20.0, positive=True),
        )
    if root.has("sms"):
        node = root.child("sms")
        node.reject_unknown(
            {"url", "format", "to_field", "text_field", "fields", "headers", "timeout"}
        )
        url = node.text("url")
        if not url.startswith(("http://", "https://")):
            raise node.fail("url", f"must be an http(s) address, got {url!r}")
        senders[Channel.SMS.value] = HttpSmsSender(
            url=url,
            body_format=node.one_of("format", ["json", "form"], default="json"),
            to_field=node.text("to_field", default="to"),
            text_field=node.text("text_field", default="text"),
            fields=_strings(node, "fields"),
            headers=_strings(node, "headers"),
            timeout=node.number("timeout", default=20.0, positive=True),
        )
    delays = tuple(timedelta(minutes=m) for m in DEFAULT_RETRIES)
    check_seconds = 5.0
    if root.has("delivery"):
        node = root.child("delivery")
        node.reject_unknown({"retry_minutes", "check_seconds"})
        if node.has("retry_minutes"):
            minutes = node.data["retry_minutes"]
            if not isinstance(minutes, list) or not all(
                isinstance(m, (int, float)) and not isinstance(m, bool) and m > 0 for m in minutes
            ):
                raise node.fail(
                    "retry_minutes", f"must be a list of positive minutes, got {minutes!r}"
                )
            delays = tuple(timedelta(minutes=m) for m in minutes)
        check_seconds = node.number("check_seconds", default=5.0, positive=True)
    return NotificationConfig(senders=senders, retry_delays=delays, check_seconds=check_seconds)


def _strings(node: Table, key: str) -> dict[str, str]:
    if not node.has(key):
        return {}
    child = node.child(key)
    return {name: child.text(name) for name in child.data}


def load_notifications(path: Path) -> NotificationConfig:
    """Read and check the notifications file; `SettingsError` on any problem."""
    return parse_notifications(read_document(path, SettingsError))
