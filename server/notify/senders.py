"""Senders: hand one message to an SMTP server or to an SMS gateway over HTTP.

Each raises `SendError` when the message was not accepted; the dispatcher retries.
Both put the outbox id into the message (the e-mail's `Message-ID`, the gateway's
`Idempotency-Key` header), so a receiver can drop a resend after a crash between
handing a message on and recording that it was.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol

import httpx

from server.store.notifications import Message


class SendError(Exception):
    """The message was not accepted (the text says why, without the message itself)."""


class Sender(Protocol):
    """Hands messages of one channel on."""

    def send(self, message: Message) -> None:
        """Deliver `message` or raise `SendError`."""
        ...


@dataclass(frozen=True)
class SmtpSender:
    """E-mail through an SMTP server (RFC 5321), optionally with STARTTLS and a login."""

    host: str
    port: int
    sender: str
    """The From address, e.g. `kac@ozolkalns.example.lv`."""
    domain: str = "rinda.invalid"
    """The right-hand side of Message-IDs."""
    starttls: bool = False
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 20.0

    def send(self, message: Message) -> None:
        """Send as plain UTF-8 text; `SendError` for a refusal or an unreachable server."""
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = f"<notification-{message.id}@{self.domain}>"
        mail.set_content(message.body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(mail)
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"SMTP {self.host}:{self.port}: {exc}") from exc


@dataclass(frozen=True)
class HttpSmsSender:
    """SMS through a gateway that takes one POST per message (JSON or a form), with the
    number and the text in fields the gateway names, and fixed fields besides."""

    url: str
    body_format: str = "json"
    """`json` or `form`."""
    to_field: str = "to"
    text_field: str = "text"
    fields: dict[str, str] = field(default_factory=dict)
    """Fixed fields sent with every message (a sender name, an account id)."""
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    """Headers sent with every message (an `Authorization` token)."""
    timeout: float = 20.0

    def send(self, message: Message) -> None:
        """POST the message; any answer but 2xx is a `SendError`."""
        payload = {**self.fields, self.to_field: message.recipient, self.text_field: message.body}
        headers = {**self.headers, "Idempotency-Key": f"rinda-notification-{message.id}"}
        try:
            if self.body_format == "form":
                response = httpx.post(self.url, data=payload, headers=headers, timeout=self.timeout)
            else:
                response = httpx.post(self.url, json=payload, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise SendError(f"SMS gateway: {exc.__class__.__name__}: {exc}") from exc
        if not response.is_success:
            raise SendError(f"SMS gateway answered {response.status_code}")
