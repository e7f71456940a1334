"""EPC QR payloads, IBAN and RF creditor reference check digits (known-good and known-bad
values from the standards' own examples, and an independent mod-97 computation)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import PaymentError
from core.payment import (
    MAX_PAYLOAD_BYTES,
    CreditTransfer,
    checked_amount,
    checked_creditor_reference,
    checked_iban,
    creditor_reference,
    epc_qr_payload,
    fee_transfer,
    grouped_iban,
)

GOOD_IBANS = [
    "LV80BANK0000435195001",  # the IBAN registry's Latvian example
    "LV80 BANK 0000 4351 9500 1",
    "DE89370400440532013000",
    "GB82WEST12345698765432",
    "EE382200221020145685",
    "LT121000011101001000",
]
BAD_IBANS = [
    ("LV80BANK0000435195002", "check digits"),  # one digit changed
    ("LV81BANK0000435195001", "check digits"),
    ("LV80BANK000043519500", "length"),  # a digit short
    ("LV80BANK00004351950011", "length"),
    ("XX80BANK0000435195001", "country"),
    ("", "empty"),
]
GOOD_REFERENCES = ["RF18539007547034", "RF18 5390 0754 7034", "RF712348231"]
BAD_REFERENCES = ["RF19539007547034", "RF18539007547035", "RX18539007547034", "RF18"]


def mod97_by_hand(text: str) -> int:
    """ISO 7064 MOD 97-10 the long way: move the first four characters to the end,
    letters become 10..35, the remainder of the whole number by 97."""
    text = text.replace(" ", "")
    moved = text[4:] + text[:4]
    digits = "".join(str(int(char, 36)) for char in moved)
    return int(digits) % 97


@pytest.mark.parametrize("iban", GOOD_IBANS)
def test_known_good_ibans_pass_in_compact_form(iban: str) -> None:
    assert mod97_by_hand(iban) == 1
    assert checked_iban(iban) == iban.replace(" ", "")


@pytest.mark.parametrize(("iban", "why"), BAD_IBANS)
def test_known_bad_ibans_are_refused_naming_the_field(iban: str, why: str) -> None:
    with pytest.raises(PaymentError) as caught:
        checked_iban(iban, field="departments[0].iban")
    assert caught.value.field == "departments[0].iban"
    assert "not a valid IBAN" in caught.value.message


def test_iban_is_printed_in_groups_of_four() -> None:
    assert grouped_iban("LV80BANK0000435195001") == "LV80 BANK 0000 4351 9500 1"


@pytest.mark.parametrize("reference", GOOD_REFERENCES)
def test_known_good_rf_references(reference: str) -> None:
    assert mod97_by_hand(reference) == 1
    assert checked_creditor_reference(reference) == reference.replace(" ", "")


@pytest.mark.parametrize("reference", BAD_REFERENCES)
def test_known_bad_rf_references(reference: str) -> None:
    with pytest.raises(PaymentError, match="not a valid RF creditor reference"):
        checked_creditor_reference(reference)


def test_rf_reference_of_the_iso_example_and_of_our_numbers() -> None:
    assert creditor_reference("539007547034") == "RF18539007547034"
    assert creditor_reference("KAC/2026/000123") == "RF56KAC2026000123"
    assert creditor_reference("2026-11-23 A042") == creditor_reference("20261123A042")


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/- ", min_size=1, max_size=40))
def test_every_built_reference_has_valid_check_digits(source: str) -> None:
    body = "".join(c for c in source if c.isalnum())
    if not body or len(body) > 21:
        with pytest.raises(PaymentError):
            creditor_reference(source)
        return
    reference = creditor_reference(source)
    assert reference.endswith(body) and mod97_by_hand(reference) == 1
    assert checked_creditor_reference(reference) == reference


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("0.01", True),
        ("999999999.99", True),
        ("12.5", True),
        ("0", False),
        ("0.001", False),
        ("1000000000.00", False),
        ("-5", False),
        ("NaN", False),
        ("abc", False),
    ],
)
def test_amount_range_and_decimals(value: str, ok: bool) -> None:
    if ok:
        assert checked_amount(value) == Decimal(value).quantize(Decimal("0.01"))
    else:
        with pytest.raises(PaymentError):
            checked_amount(value)


def transfer(**changes: object) -> CreditTransfer:
    values: dict[str, object] = {
        "payee_name": "Ogres novada pašvaldība",
        "iban": "LV80BANK0000435195001",
        "amount": Decimal("7.50"),
        "reference": "RF56KAC2026000123",
        "bic": "HABALV22",
        "purpose": "GOVT",
        "note": "Dzīvesvietas deklarēšana",
    }
    values.update(changes)
    return CreditTransfer(**values)  # type: ignore[arg-type]


def test_payload_lines_in_the_order_of_epc069_12() -> None:
    lines = epc_qr_payload(transfer()).split("\n")
    assert lines == [
        "BCD",
        "002",
        "1",
        "SCT",
        "HABALV22",
        "Ogres novada pašvaldība",
        "LV80BANK0000435195001",
        "EUR7.50",
        "GOVT",
        "RF56KAC2026000123",
        "",
        "Dzīvesvietas deklarēšana",
    ]


def test_unstructured_text_goes_on_line_11_and_trailing_empty_lines_are_left_out() -> None:
    text = "Мусор: вывоз, Rīga — ķēķis"
    lines = epc_qr_payload(transfer(reference="", remittance_text=text, note="", bic="")).split(
        "\n"
    )
    assert lines[4] == "" and lines[9] == "" and lines[10] == text and len(lines) == 11


def test_both_remittance_kinds_are_refused() -> None:
    with pytest.raises(PaymentError, match="not both"):
        epc_qr_payload(transfer(remittance_text="Rēķins 12"))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"payee_name": ""}, "payee_name"),
        ({"payee_name": "x" * 71}, "payee_name"),
        ({"iban": "LV80BANK0000435195002"}, "iban"),
        ({"bic": "HABA"}, "bic"),
        ({"amount": Decimal("0")}, "amount"),
        ({"purpose": "GOVERN"}, "purpose"),
        ({"reference": "RF19539007547034"}, "reference"),
        ({"reference": "", "remittance_text": "x" * 141}, "remittance_text"),
        ({"note": "y" * 71}, "note"),
        ({"note": "two\nlines"}, "note"),
    ],
)
def test_each_bad_field_is_named(changes: dict[str, object], field: str) -> None:
    with pytest.raises(PaymentError) as caught:
        epc_qr_payload(transfer(**changes))
    assert caught.value.field == field


def test_the_byte_limit_counts_bytes_not_characters() -> None:
    # 140 Cyrillic letters are 140 characters (allowed) but 280 bytes: with the other
    # lines the payload passes 331 bytes and is refused; 140 Latin letters fit.
    base = {"reference": "", "note": "Оплата пошлины за услугу в центре обслуживания"}
    latin = epc_qr_payload(transfer(remittance_text="a" * 140, **base))
    assert len(latin.encode("utf-8")) <= MAX_PAYLOAD_BYTES
    cyrillic = "ж" * 140
    assert len(cyrillic) == 140
    with pytest.raises(PaymentError) as caught:
        epc_qr_payload(transfer(remittance_text=cyrillic, **base))
    assert caught.value.field == "payload" and "bytes" in caught.value.problem


def test_a_fee_transfer_refers_to_the_visit_and_cuts_a_long_note() -> None:
    fee = fee_transfer(
        amount="3.00",
        payee_name="Ozolkalna novada pašvaldība",
        iban="LV80 BANK 0000 4351 9500 1",
        reference_source="2026-11-23 C007",
        note="Справки и подтверждения о задекларированном месте жительства и составе семьи",
    )
    assert fee.reference == creditor_reference("20261123C007") and fee.purpose == "GOVT"
    assert fee.iban == "LV80BANK0000435195001" and fee.amount == Decimal("3.00")
    assert len(fee.note) == 70 and fee.note.endswith("…")
    lines = epc_qr_payload(fee).split("\n")
    assert lines[7] == "EUR3.00" and lines[9] == fee.reference and lines[11] == fee.note
