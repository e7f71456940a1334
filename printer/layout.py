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

from core.i18n import (
    format_date,
    format_datetime,
    format_time,
    format_wait,
    format_wait_range,
    range_minutes,
    t,
)
from core.payment import CreditTransfer, epc_qr_payload, grouped_iban

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
    payment: CreditTransfer | None = None
    """The service's fee, to pay by bank transfer (an EPC QR code and its details)."""
    estimated_wait_range_seconds: tuple[int, int] | None = None
    """The 80 % range the server told with the estimate (printed instead of the single
    figure when it says more: "12–20 min")."""

    appointment_at: datetime | None = None
    """Local time: the booked time of a ticket issued at an appointment's check-in."""

    @property
    def wait_text(self) -> str:
        """The estimated wait as printed: the range when one was told, else `~15 min`."""
        told_range = range_minutes(self.estimated_wait_range_seconds)
        if told_range is not None:
            return format_wait_range(*told_range, self.language)
        return format_wait(self.estimated_wait_seconds, self.language)


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
    payment: CreditTransfer | None = None
    """The application's fee, to pay by bank transfer."""


@dataclass(frozen=True)
class ServiceInfoContent:
    """A service's published standard, as the kiosk prints it."""

    service_name: str
    sections: tuple[tuple[str, str], ...]
    """(heading, text) in the visitor's language: who may apply, documents, fee ..."""
    language: str
    description: str = ""
    catalogue_version: int | None = None
    """The national catalogue version the standard comes from."""
    payment: CreditTransfer | None = None


def payment_blocks(transfer: CreditTransfer, language: str) -> list[Block]:
    """The fee's EPC QR code (EPC069-12, see `core.payment`) with the same details
    printed beside it as text. Raises `PaymentError` when a field cannot be encoded."""
    payload = epc_qr_payload(transfer)
    lang = language

    def line(key: str, value: str) -> Text:
        return Text(f"{t(key, lang)}: {value}", align=Align.LEFT)

    blocks: list[Block] = [
        Rule(),
        Text(t("payment.title", lang), size=Size.LARGE, bold=True),
        Text(t("payment.scan", lang)),
        Qr(payload),
        line("payment.payee", transfer.payee_name),
        line("payment.iban", grouped_iban(transfer.iban)),
    ]
    if transfer.bic:
        blocks.append(line("payment.bic", transfer.bic))
    amount = f"{transfer.amount:.2f}"
    if lang in ("lv", "ru"):
        amount = amount.replace(".", ",")  # the decimal comma of Latvian and Russian
    blocks.append(line("payment.amount", f"{amount} EUR"))
    if transfer.reference:
        blocks.append(line("payment.reference", transfer.reference))
    if transfer.remittance_text:
        blocks.append(line("payment.details", transfer.remittance_text))
    if transfer.note:
        blocks.append(Text(transfer.note, align=Align.LEFT))
    return blocks


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
            Text(f"{t('ticket.estimated_wait', lang)}: {ticket.wait_text}", align=Align.LEFT),
        ]
    if ticket.counter_hint:
        blocks.append(Text(f"{t('ticket.go_to', lang)}: {ticket.counter_hint}", align=Align.LEFT))
    blocks.append(Text(t("ticket.watch_screen", lang), bold=True))
    if ticket.status_url:
        blocks += [Text(t("ticket.scan_status", lang)), Qr(ticket.status_url)]
    if ticket.payment is not None:
        blocks += payment_blocks(ticket.payment, lang)
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
    if receipt.payment is not None:
        blocks += payment_blocks(receipt.payment, lang)
    return tuple(blocks + _footer(branding))


def service_info_layout(info: ServiceInfoContent, branding: Branding) -> Layout:
    """A service's standard: its name, description and every section, the catalogue
    version it comes from and, for a service with a fee, how to pay it."""
    lang = info.language
    blocks = _header(branding)
    blocks += [
        Text(t("info.title", lang)),
        Text(info.service_name, size=Size.LARGE, bold=True),
    ]
    if info.description:
        blocks.append(Text(info.description, align=Align.LEFT))
    for heading, text in info.sections:
        blocks += [Text(heading, bold=True, align=Align.LEFT), Text(text, align=Align.LEFT)]
    if info.payment is not None:
        blocks += payment_blocks(info.payment, lang)
    if info.catalogue_version is not None:
        blocks += [Rule(), Text(t("info.version", lang, version=info.catalogue_version))]
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
