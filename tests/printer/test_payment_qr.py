"""The fee's EPC QR code on the printed ticket, receipt and service-information page:
read back from the ESC/POS bytes and the PNG preview with zxing-cpp, every field checked,
in UTF-8, with error correction M; and the same details printed as text beside it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image

from core.payment import CreditTransfer, creditor_reference
from printer.layout import (
    Branding,
    ReceiptContent,
    ServiceInfoContent,
    TicketContent,
    receipt_layout,
    service_info_layout,
    ticket_layout,
)
from printer.preview import render_image
from printer.profiles import profile_info
from printer.render_escpos import render
from printer.spec import parse_spec
from tests.support.escpos_decoder import Decoded, decode

BRANDING = Branding("Ozolkalna novada klientu apkalpošanas centrs", "Rīgas iela 12")
PAYEE = "Ozolkalna novada pašvaldība"
IBAN = "LV80BANK0000435195001"


def transfer(reference: str = "", text: str = "", note: str = "") -> CreditTransfer:
    return CreditTransfer(
        payee_name=PAYEE,
        iban=IBAN,
        amount=Decimal("12.50"),
        reference=reference,
        remittance_text=text,
        bic="HABALV22",
        purpose="GOVT",
        note=note,
    )


def epc_fields(data: bytes) -> dict[str, str]:
    """The payload as a banking app reads it: UTF-8 (character set 1), by line."""
    lines = data.decode("utf-8").split("\n")
    names = [
        "service",
        "version",
        "charset",
        "identification",
        "bic",
        "name",
        "iban",
        "amount",
        "purpose",
        "reference",
        "text",
        "note",
    ]
    return dict(zip(names, lines + [""] * (len(names) - len(lines)), strict=True))


def qr_codes(image: Image.Image) -> list[zxingcpp.Result]:
    return [
        r
        for r in zxingcpp.read_barcodes(image.convert("L"))
        if r.format == zxingcpp.BarcodeFormat.QRCode
    ]


def printed(layout: tuple, spec_text: str) -> Decoded:
    spec = parse_spec(spec_text)
    return decode(render(layout, spec), profile_info(spec.profile, spec.width).code_pages)


def payment_codes(decoded: Decoded) -> list[zxingcpp.Result]:
    found = []
    for image in decoded.images:
        found += [r for r in qr_codes(image) if r.bytes.startswith(b"BCD\n")]
    return found


def ticket(language: str, payment: CreditTransfer) -> tuple:
    return ticket_layout(
        TicketContent(
            number="A042",
            service_name={"lv": "Būvatļauja", "ru": "Разрешение на строительство"}.get(
                language, "x"
            ),
            issued_at=datetime(2026, 11, 23, 10, 15),
            people_ahead=2,
            estimated_wait_seconds=600,
            language=language,
            payment=payment,
        ),
        BRANDING,
    )


@pytest.mark.parametrize("spec", ["dummy;profile=TM-T20II;qr=image", "dummy;profile=simple"])
def test_ticket_qr_decodes_to_every_field_with_an_rf_reference_and_cyrillic_note(spec: str) -> None:
    reference = creditor_reference("20261123A042")
    note = "Разрешение на строительство, талон A042"
    decoded = printed(ticket("ru", transfer(reference=reference, note=note)), spec)
    [code] = payment_codes(decoded)
    assert code.ec_level == "M"
    assert epc_fields(code.bytes) == {
        "service": "BCD",
        "version": "002",
        "charset": "1",
        "identification": "SCT",
        "bic": "HABALV22",
        "name": PAYEE,
        "iban": IBAN,
        "amount": "EUR12.50",
        "purpose": "GOVT",
        "reference": reference,
        "text": "",
        "note": note,
    }


def test_receipt_qr_carries_latvian_and_cyrillic_remittance_text() -> None:
    text = "Iesniegums KAC/2026/000123 — заявление, ķēķis un žogs"
    receipt = ReceiptContent(
        registration_number="KAC/2026/000123",
        lodged_at=datetime(2026, 11, 23, 10, 15),
        application_type="Izziņa",
        institution="Būvvalde",
        deadline=date(2026, 12, 23),
        secret="7K4P-9QX2",
        language="lv",
        payment=transfer(text=text),
    )
    decoded = printed(receipt_layout(receipt, BRANDING), "dummy;profile=TM-T20II;qr=image")
    [code] = payment_codes(decoded)
    fields = epc_fields(code.bytes)
    assert fields["text"] == text and fields["reference"] == ""
    assert code.text.split("\n")[10] == text  # zxing-cpp reads the bytes as UTF-8 too


def test_native_qr_gets_the_utf8_bytes_and_level_m() -> None:
    note = "Maksa par būvatļauju — оплата"
    decoded = printed(
        ticket("lv", transfer(reference="RF18539007547034", note=note)), "dummy;profile=TM-T20II"
    )
    payments = [qr for qr in decoded.qr_codes if qr.data.startswith("BCD\n")]
    assert [qr.ec for qr in payments] == ["M"]
    assert payments[0].data.split("\n")[-1] == note


def test_the_details_are_printed_as_text_beside_the_code() -> None:
    reference = creditor_reference("20261123A042")
    decoded = printed(
        ticket("lv", transfer(reference=reference)), "dummy;profile=TM-T20II;qr=image"
    )
    text = decoded.text
    assert f"Saņēmējs: {PAYEE}" in text
    assert "Konts (IBAN): LV80 BANK 0000 4351 9500 1" in text
    assert "Summa: 12,50 EUR" in text
    assert f"Maksājuma atsauce: {reference}" in text
    assert "BIC: HABALV22" in text


def test_service_information_preview_png_has_the_payment_code() -> None:
    info = ServiceInfoContent(
        service_name="Būvatļauja",
        sections=(("Maksa", "12,50 EUR"), ("Dokumenti", "Pase, būvprojekts")),
        language="lv",
        catalogue_version=4,
        payment=transfer(text="Būvatļauja — Ozolkalns"),
    )
    image = render_image(service_info_layout(info, BRANDING), 576)
    [code] = [r for r in qr_codes(image) if r.bytes.startswith(b"BCD\n")]
    assert epc_fields(code.bytes)["text"] == "Būvatļauja — Ozolkalns"
    assert code.ec_level == "M"
