"""Personal codes of both formats and field-level validation of application forms."""

from __future__ import annotations

from datetime import date

import pytest

from core.applications import (
    ApplicationStatus,
    FieldProblem,
    Need,
    answer_deadline,
    asking_order,
    check_field,
    check_status_change,
    field_need,
    registration_number,
    validate_submission,
)
from core.catalogue import load_catalogue_text
from core.data import demo_catalogue_text
from core.errors import IllegalTransition, InvalidInput
from core.personal_code import CodeFormat, CodeProblem, InvalidPersonalCode, parse_personal_code

TODAY = date(2026, 11, 23)
# Check digits worked out by hand: (1101 - sum of digits x 1 6 3 7 9 10 5 8 4 2) mod 11.
VALID_LEGACY = ["010101-10006", "120389-11220", "29020420002", "290204 20002"]
VALID_MODERN = ["325794-61005", "39999999999", "320000-00000"]


@pytest.mark.parametrize("code", VALID_LEGACY)
def test_valid_legacy_codes(code: str) -> None:
    parsed = parse_personal_code(code, TODAY)
    assert parsed.format is CodeFormat.LEGACY
    assert parsed.normalized[6] == "-" and len(parsed.normalized) == 12


def test_legacy_code_gives_the_birth_date() -> None:
    assert parse_personal_code("290204-20002").birth_date == date(2004, 2, 29)
    assert parse_personal_code("120389-11220").birth_date == date(1989, 3, 12)


@pytest.mark.parametrize("code", VALID_MODERN)
def test_valid_2017_codes(code: str) -> None:
    parsed = parse_personal_code(code, TODAY)
    assert parsed.format is CodeFormat.MODERN and parsed.birth_date is None


def test_a_code_starting_with_32_is_read_as_the_2017_format() -> None:
    # Day 32 cannot be a birth date, so the two formats never collide.
    assert parse_personal_code("320189-11220").format is CodeFormat.MODERN


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("010101-10007", CodeProblem.CHECKSUM),  # one off the check digit
        ("120389-11221", CodeProblem.CHECKSUM),
        ("290203-20000", CodeProblem.DATE),  # 29 February 2003 did not exist
        ("011389-11220", CodeProblem.DATE),  # month 13
        ("010120-30000", CodeProblem.DATE),  # century digit 3
        ("010718-20000", CodeProblem.DATE),  # legacy codes end with births on 30 June 2017
        ("151226-20000", CodeProblem.DATE),  # born in December 2026
        ("30123456789", CodeProblem.FORMAT),  # 2017 format: second digit 2-9
        ("31123456789", CodeProblem.FORMAT),
        ("0101011000", CodeProblem.FORMAT),  # ten digits
        ("010101-100066", CodeProblem.FORMAT),
        ("01O101-10006", CodeProblem.FORMAT),  # a letter O
        ("０１０１０１-10006", CodeProblem.FORMAT),  # full-width digits
        ("", CodeProblem.FORMAT),
    ],
)
def test_invalid_codes_say_why(code: str, problem: CodeProblem) -> None:
    with pytest.raises(InvalidPersonalCode) as caught:
        parse_personal_code(code, TODAY)
    assert caught.value.problem is problem


@pytest.fixture(scope="module")
def certificate_request():
    return load_catalogue_text(demo_catalogue_text()).application_type("certificate-request")


GOOD = {
    "name": "Jānis Bērziņš",
    "personal_code": "120389-11220",
    "phone": "+371 20000000",
    "text": "Lūdzu izziņu par deklarēto dzīvesvietu.",
    "delivery": "in_person",
}


def problems(kind, values, consent=True) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        validate_submission(kind, values, consent=consent, today=TODAY)
    return caught.value.fields


def test_a_good_form_is_cleaned(certificate_request) -> None:
    cleaned = validate_submission(
        certificate_request, {**GOOD, "name": "  Jānis Bērziņš "}, consent=True, today=TODAY
    )
    assert cleaned["name"] == "Jānis Bērziņš"
    assert cleaned["personal_code"] == "120389-11220"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": None}, {"name": FieldProblem.REQUIRED}),
        ({"name": "   "}, {"name": FieldProblem.REQUIRED}),
        ({"name": "x" * 101}, {"name": FieldProblem.TOO_LONG}),
        ({"name": 42}, {"name": FieldProblem.NOT_TEXT}),
        ({"name": "A\x00B"}, {"name": FieldProblem.CONTROL_CHARACTERS}),
        ({"text": "y" * 2001}, {"text": FieldProblem.TOO_LONG}),
        ({"personal_code": "120389-11221"}, {"personal_code": CodeProblem.CHECKSUM}),
        ({"personal_code": "abc"}, {"personal_code": CodeProblem.FORMAT}),
        ({"phone": "call me"}, {"phone": FieldProblem.INVALID_PHONE}),
        ({"email": "not-an-address"}, {"email": FieldProblem.INVALID_EMAIL}),
        ({"delivery": "pigeon"}, {"delivery": FieldProblem.INVALID_CHOICE}),
        ({"delivery": "post"}, {"address": FieldProblem.REQUIRED}),
        ({"delivery": "email"}, {"email": FieldProblem.REQUIRED}),
        ({"phone": None}, {"email": FieldProblem.CONTACT_REQUIRED}),
        ({"shoe_size": "44"}, {"shoe_size": FieldProblem.UNKNOWN}),
    ],
)
def test_every_kind_of_bad_input_is_named(certificate_request, change, expected) -> None:
    values = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    assert problems(certificate_request, values) == expected


def test_consent_is_required(certificate_request) -> None:
    assert problems(certificate_request, GOOD, consent=False) == {
        "consent": FieldProblem.CONSENT_REQUIRED
    }


def test_several_problems_at_once(certificate_request) -> None:
    found = problems(certificate_request, {"phone": "x", "personal_code": "1"}, consent=False)
    assert set(found) == {"name", "text", "delivery", "phone", "personal_code", "consent"}


def test_registration_numbers_and_deadlines() -> None:
    assert registration_number("KAC", 2026, 123) == "KAC/2026/000123"
    assert answer_deadline(date(2026, 1, 31), None) == date(2026, 2, 28)
    assert answer_deadline(date(2026, 12, 15), None) == date(2027, 1, 15)
    assert answer_deadline(date(2026, 11, 23), 10) == date(2026, 12, 3)


def test_status_lifecycle() -> None:
    check_status_change("R", ApplicationStatus.RECEIVED, ApplicationStatus.FORWARDED)
    check_status_change("R", ApplicationStatus.IN_PROGRESS, ApplicationStatus.ANSWERED)
    with pytest.raises(IllegalTransition):
        check_status_change("R", ApplicationStatus.ANSWERED, ApplicationStatus.IN_PROGRESS)
    with pytest.raises(IllegalTransition):
        check_status_change("R", ApplicationStatus.RECEIVED, ApplicationStatus.ANSWERED)


def test_the_delivery_is_asked_before_the_fields_it_decides(certificate_request) -> None:
    assert asking_order(certificate_request.fields) == (
        "name",
        "personal_code",
        "delivery",
        "phone",
        "email",
        "address",
        "text",
    )
    assert asking_order(("name", "phone", "email", "text")) == ("name", "phone", "email", "text")
    assert asking_order(("delivery", "name", "email")) == ("delivery", "name", "email")


@pytest.mark.parametrize(
    ("name", "answers", "need"),
    [
        ("name", {}, Need.REQUIRED),
        ("address", {}, Need.OPTIONAL),
        ("address", {"delivery": "post"}, Need.FOR_DELIVERY),
        ("address", {"delivery": "email"}, Need.OPTIONAL),
        ("email", {"delivery": "email", "phone": "20000000"}, Need.FOR_DELIVERY),
        # Phone or e-mail: the phone may stay empty while the e-mail is still to come ...
        ("phone", {}, Need.ONE_CONTACT),
        # ... which is then the last chance; given a phone, the e-mail is optional.
        ("email", {}, Need.CONTACT),
        ("email", {"phone": "20000000"}, Need.OPTIONAL),
        ("email", {"phone": "  "}, Need.CONTACT),
        ("phone", {"email": "a@b.lv"}, Need.OPTIONAL),
        # The answer goes by e-mail: the e-mail address is needed anyway, the phone is not.
        ("phone", {"delivery": "email"}, Need.OPTIONAL),
    ],
)
def test_which_field_is_needed_when(certificate_request, name, answers, need) -> None:
    assert field_need(certificate_request, name, answers) is need
    problem = check_field(certificate_request, name, answers, TODAY)
    assert (problem is not None) == need.is_required
    assert problem in (None, need.problem)


def test_a_step_is_checked_exactly_as_the_server_checks_the_form(certificate_request) -> None:
    # Answer by e-mail without an e-mail address: the e-mail step says so at once ...
    answers = {**GOOD, "delivery": "email"}
    assert check_field(certificate_request, "email", answers, TODAY) == FieldProblem.REQUIRED
    # ... and the server names the same field with the same code.
    assert problems(certificate_request, answers) == {"email": FieldProblem.REQUIRED}
    assert check_field(certificate_request, "personal_code", {"personal_code": "1"}, TODAY) == (
        CodeProblem.FORMAT
    )
    assert check_field(certificate_request, "email", {**answers, "email": "x@y.lv"}, TODAY) is None
