"""What goes on a ticket or receipt, independent of any printer.

A layout is a sequence of blocks. The ESC/POS renderer and the PNG preview
both draw the same blocks, so what staff see in a preview is what the
visitor gets on paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path

from core.i18n import format_date, format_datetime, format_time, format_wait, t

LATVIAN_LETTERS = "āčēģīķļņšūž ĀČĒĢĪĶĻŅŠŪŽ"
RUSSIAN_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"


class Size(Enum):
    """Text size classes."""

    NORMAL = 1
    LARGE = 2
    HUGE = 6


class Align(Enum):
    """Horizontal alignment."""

    LEFT = "left"
    CENTER = "center"


@dataclass(frozen=True)
class Text:
    """A paragraph (wrapped to the paper width)."""

    text: str
    size: Size = Size.NORMAL
    bold: bool = False
    align: Align = Align.CENTER
    one_line: bool = False
    """Never wrap (registration numbers, codes): shrink to fit instead."""


@dataclass(frozen=True)
class Number:
    """The ticket number, as large as the paper allows."""

    text: str


@dataclass(frozen=True)
class Logo:
    """The centre's logo image."""

    path: Path


@dataclass(frozen=True)
class Qr:
    """A QR code."""

    data: str


@dataclass(frozen=True)
class Rule:
    """A horizontal line."""


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1


@dataclass(frozen=True)
class Cut:
    """Cut the paper (or feed it out on printers without a cutter)."""


Block = Text | Number | Logo | Qr | Rule | Feed | Cut
Layout = tuple[Block, ...]


@dataclass(frozen=True)
class Branding:
    """A centre's header and footer, in the visitor's language."""

    centre_name: str
    address: str = ""
    footer: str = ""
    logo: Path | None = None


@dataclass(frozen=True)
class TicketContent:
    """What a queue ticket says."""

    number: str
    service_name: str
    issued_at: datetime
    """Local time."""
    people_ahead: int
    estimated_wait_seconds: int | None
    language: str
    is_priority: bool = False
    counter_hint: str = ""
    status_url: str = ""
    appointment_at: datetime | None = None
    """Local time: the booked time of a ticket issued at an appointment's check-in."""


@dataclass(frozen=True)
class ReceiptContent:
    """What an application receipt says."""

    registration_number: str
    lodged_at: datetime
    """Local time."""
    application_type: str
    institution: str
    deadline: date
    secret: str
    language: str


def _header(branding: Branding) -> list[Block]:
    blocks: list[Block] = []
    if branding.logo is not None:
        blocks.append(Logo(branding.logo))
    blocks.append(Text(branding.centre_name, bold=True))
    if branding.address:
        blocks.append(Text(branding.address))
    blocks.append(Rule())
    return blocks


def _footer(branding: Branding) -> list[Block]:
    blocks: list[Block] = []
    if branding.footer:
        blocks += [Rule(), Text(branding.footer)]
    blocks += [Feed(1), Cut()]
    return blocks


def ticket_layout(ticket: TicketContent, branding: Branding) -> Layout:
    """A queue ticket: header, the number very large, service, figures, QR, footer."""
    lang = ticket.language
    blocks = _header(branding)
    blocks += [Text(t("ticket.your_number", lang)), Number(ticket.number)]
    blocks.append(Text(ticket.service_name, size=Size.LARGE, bold=True))
    if ticket.is_priority:
        blocks.append(Text(t("ticket.priority", lang), bold=True))
    blocks += [
        Rule(),
        Text(
            f"{t('ticket.issued', lang)}: {format_datetime(ticket.issued_at, lang)}",
            align=Align.LEFT,
        ),
    ]
    if ticket.appointment_at is not None:
        # A booked visitor is called around the booked time, not after those ahead.
        booked = format_time(ticket.appointment_at, lang)
        blocks.append(Text(t("ticket.booked_for", lang, time=booked), bold=True))
    else:
        blocks += [
            Text(f"{t('ticket.people_ahead', lang)}: {ticket.people_ahead}", align=Align.LEFT),
            Text(
                f"{t('ticket.estimated_wait', lang)}: "
                f"{format_wait(ticket.estimated_wait_seconds, lang)}",
                align=Align.LEFT,
            ),
        ]
    if ticket.counter_hint:
        blocks.append(Text(f"{t('ticket.go_to', lang)}: {ticket.counter_hint}", align=Align.LEFT))
    blocks.append(Text(t("ticket.watch_screen", lang), bold=True))
    if ticket.status_url:
        blocks += [Text(t("ticket.scan_status", lang)), Qr(ticket.status_url)]
    return tuple(blocks + _footer(branding))


def receipt_layout(receipt: ReceiptContent, branding: Branding) -> Layout:
    """An application receipt with everything needed to follow the application."""
    lang = receipt.language
    blocks = _header(branding)
    blocks += [
        Text(t("receipt.title", lang), size=Size.LARGE, bold=True),
        Text(t("receipt.registration_number", lang)),
        Text(receipt.registration_number, size=Size.LARGE, bold=True, one_line=True),
        Rule(),
        Text(
            f"{t('receipt.lodged', lang)}: {format_datetime(receipt.lodged_at, lang)}",
            align=Align.LEFT,
        ),
        Text(f"{t('receipt.type', lang)}: {receipt.application_type}", align=Align.LEFT),
        Text(f"{t('receipt.institution', lang)}: {receipt.institution}", align=Align.LEFT),
        Text(
            f"{t('receipt.deadline', lang)}: {format_date(receipt.deadline, lang)}",
            align=Align.LEFT,
        ),
        Rule(),
        Text(t("receipt.secret", lang)),
        Text(receipt.secret, size=Size.LARGE, bold=True, one_line=True),
        Text(t("receipt.how_to_check", lang)),
        Text(t("receipt.keep", lang), bold=True),
    ]
    return tuple(blocks + _footer(branding))


def printer_test_layout(description: str, language: str = "lv") -> Layout:
    """The printer test page: every Latvian and Russian letter, sizes and a QR code."""
    return (
        Text(t("test.title", language), size=Size.LARGE, bold=True),
        Text(description, align=Align.LEFT),
        Rule(),
        Text(f"{t('test.latvian', language)}:", align=Align.LEFT),
        Text(LATVIAN_LETTERS, align=Align.LEFT),
        Text(f"{t('test.russian', language)}:", align=Align.LEFT),
        Text(RUSSIAN_LETTERS, align=Align.LEFT),
        Text("Ķīšu ēšana — Съешь же ещё этих булок", bold=True),
        Number("A042"),
        Qr("https://rinda.example/printer-test"),
        Feed(1),
        Cut(),
    )


def branding_for(
    centre: dict[str, dict[str, str]], language: str, logo: Path | None = None
) -> Branding:
    """Branding in one language from the centre's localized texts (as `GET /centre` gives them)."""

    def pick(key: str) -> str:
        texts = centre.get(key) or {}
        return texts.get(language) or texts.get("lv") or ""

    return Branding(pick("name"), pick("address"), pick("ticket_footer"), logo)
