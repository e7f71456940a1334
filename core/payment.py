"""Paying a fee by bank transfer: the EPC QR code, IBANs and RF creditor references.

- `epc_qr_payload` builds the text of an EPC QR code: the European Payments
  Council's *Quick Response Code: guidelines to enable data capture for the
  initiation of a SEPA credit transfer* (EPC069-12, version 2.1), version `002`,
  character set `1` (UTF-8), identification `SCT`. The lines, in order: `BCD`,
  `002`, `1`, `SCT`, BIC (optional in version 002), payee name (≤ 70), IBAN,
  `EUR` and the amount (0.01–999999999.99), purpose code (≤ 4), a structured RF
  creditor reference (≤ 35) **or** unstructured remittance text (≤ 140), never
  both, and a note to the payer (≤ 70); at most 331 bytes in all (counted in
  UTF-8 bytes: a Cyrillic letter is two). The code itself is printed with error
  correction level M (`printer.raster` always encodes the bytes as UTF-8).
- `checked_iban` validates an IBAN (ISO 13616: country format and the mod-97
  check digits) and `creditor_reference` builds an RF creditor reference
  (ISO 11649: `RF`, two mod-97 check digits, up to 21 letters or digits) from a
  ticket or registration number. Both rules come from `python-stdnum`.

Every problem raises `PaymentError` naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum import iso11649
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_97_10

from core.errors import PaymentError

MAX_PAYLOAD_BYTES = 331
"""EPC069-12 section 3.4: the whole payload, in bytes of its character set."""
MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")
CURRENCY = "EUR"
"""SEPA credit transfers are in euro (EPC069-12 allows no other currency)."""
MAX_REFERENCE_BODY = 21
"""ISO 11649: `RF`, two check digits and up to 21 letters or digits (25 in all)."""


def checked_iban(text: str, field: str = "iban") -> str:
    """The IBAN in its compact form (`LV80BANK0000435195001`): spaces removed, upper
    case, its country's length and format and its mod-97 check digits checked
    (ISO 13616). Raises `PaymentError` naming `field`."""
    try:
        return str(stdnum_iban.validate(text))
    except ValidationError as exc:
        raise PaymentError(field, f"{text!r} is not a valid IBAN ({_reason(exc)})") from None


def grouped_iban(text: str) -> str:
    """An IBAN as it is printed for people: in groups of four (`LV80 BANK 0000 ...`)."""
    return str(stdnum_iban.format(text))


def checked_bic(text: str, field: str = "bic") -> str:
    """A BIC (ISO 9362: 8 or 11 letters and digits), upper case; `PaymentError` otherwise."""
    try:
        return str(stdnum_bic.validate(text))
    except ValidationError as exc:
        raise PaymentError(field, f"{text!r} is not a valid BIC ({_reason(exc)})") from None


def creditor_reference(source: str) -> str:
    """The RF creditor reference (ISO 11649) of a ticket or registration number: its
    letters and digits (upper case, at most 21) after `RF` and two check digits, e.g.
    `KAC/2026/000123` -> `RF56KAC2026000123`. Raises `PaymentError` when `source` has
    no letters or digits, or too many."""
    body = "".join(char for char in source.upper() if char.isascii() and char.isalnum())
    if not body:
        raise PaymentError("reference", f"{source!r} has no letters or digits to refer to")
    if len(body) > MAX_REFERENCE_BODY:
        raise PaymentError(
            "reference",
            f"{source!r} has {len(body)} letters and digits; an RF reference holds "
            f"at most {MAX_REFERENCE_BODY}",
        )
    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def checked_creditor_reference(text: str, field: str = "reference") -> str:
    """An RF creditor reference in compact form, its check digits checked (ISO 11649);
    `PaymentError` naming `field` otherwise."""
    try:
        return str(iso11649.validate(text))
    except ValidationError as exc:
        raise PaymentError(
            field, f"{text!r} is not a valid RF creditor reference ({_reason(exc)})"
        ) from None


def checked_amount(value: Decimal | str | int | float, field: str = "amount") -> Decimal:
    """A euro amount from 0.01 to 999999999.99 with at most two decimals."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise PaymentError(field, f"{value!r} is not an amount") from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise PaymentError(field, f"{value!r} must have at most two decimals")
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise PaymentError(field, f"must be from {MIN_AMOUNT} to {MAX_AMOUNT} EUR, got {value!r}")
    return amount.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class CreditTransfer:
    """What a payer's bank needs to pay a fee: who, where, how much, and what for."""

    payee_name: str
    iban: str
    amount: Decimal
    reference: str = ""
    """A structured RF creditor reference (ISO 11649); or else `remittance_text`."""
    remittance_text: str = ""
    bic: str = ""
    purpose: str = ""
    """An ISO 20022 purpose code (≤ 4 letters), e.g. `GOVT`."""
    note: str = ""
    """Shown to the payer by the banking app (≤ 70)."""


FEE_PURPOSE = "GOVT"
"""ISO 20022 purpose code of a fee paid to a public body ("government payment")."""


def fee_transfer(
    *,
    amount: Decimal | str,
    payee_name: str,
    iban: str,
    bic: str = "",
    reference_source: str | None,
    note: str = "",
) -> CreditTransfer:
    """The transfer that pays a service's fee: into the deciding department's account,
    with an RF creditor reference built from the ticket's day and number or the
    application's registration number (`reference_source`), so the department can
    match the payment to the visit; `note` (e.g. the service's name) is cut to 70
    characters. Without a reference (a printed service standard, before any visit) the
    note goes in the remittance text instead, so the department sees what is paid for.
    Raises `PaymentError` when a field cannot be used."""
    shown = note.strip()
    if len(shown) > 70:
        shown = shown[:69].rstrip() + "…"
    reference = creditor_reference(reference_source) if reference_source is not None else ""
    return CreditTransfer(
        payee_name=payee_name,
        iban=checked_iban(iban),
        amount=checked_amount(amount),
        reference=reference,
        remittance_text="" if reference else shown,
        bic=bic,
        purpose=FEE_PURPOSE,
        note=shown if reference else "",
    )


def epc_qr_payload(transfer: CreditTransfer) -> str:
    """The EPC QR code's text for `transfer` (lines joined by LF, no trailing empty
    lines), every field checked: lengths, IBAN and BIC, amount, RF reference check
    digits, one remittance kind only, and the 331-byte limit counted in UTF-8 bytes.
    Raises `PaymentError` naming the field."""
    name = _limited(transfer.payee_name.strip(), 70, "payee_name", required=True)
    iban = checked_iban(transfer.iban)
    bic = checked_bic(transfer.bic) if transfer.bic.strip() else ""
    amount = checked_amount(transfer.amount)
    purpose = transfer.purpose.strip()
    if purpose and not (len(purpose) <= 4 and purpose.isascii() and purpose.isalnum()):
        raise PaymentError("purpose", f"must be up to 4 letters or digits, got {purpose!r}")
    reference = transfer.reference.strip()
    text = _limited(transfer.remittance_text.strip(), 140, "remittance_text")
    if reference and text:
        raise PaymentError(
            "remittance_text", "give a structured reference or remittance text, not both"
        )
    if reference:
        reference = checked_creditor_reference(reference)
    note = _limited(transfer.note.strip(), 70, "note")
    lines = [
        "BCD",
        "002",
        "1",
        "SCT",
        bic,
        name,
        iban,
        f"{CURRENCY}{amount}",
        purpose,
        reference,
        text,
        note,
    ]
    while not lines[-1]:
        lines.pop()
    payload = "\n".join(lines)
    size = len(payload.encode("utf-8"))
    if size > MAX_PAYLOAD_BYTES:
        raise PaymentError(
            "payload",
            f"is {size} bytes in UTF-8; an EPC QR code holds at most {MAX_PAYLOAD_BYTES}",
        )
    return payload


def _limited(text: str, limit: int, field: str, *, required: bool = False) -> str:
    if required and not text:
        raise PaymentError(field, "is required")
    if "\n" in text or "\r" in text:
        raise PaymentError(field, "must be one line")
    if len(text) > limit:
        raise PaymentError(field, f"is {len(text)} characters; at most {limit}")
    return text


def _reason(exc: ValidationError) -> str:
    return {
        "InvalidChecksum": "wrong check digits",
        "InvalidLength": "wrong length",
        "InvalidFormat": "wrong format",
        "InvalidComponent": "unknown country or part",
    }.get(type(exc).__name__, str(exc))
