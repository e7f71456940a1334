"""The kiosk's application form, step by step (no window): each field is checked on its own
step with the server's rules, what is needed is known before it is asked, and a
correction from the review goes back to the review."""

from __future__ import annotations

from datetime import date

import pytest

from core.applications import Need
from core.catalogue import load_catalogue_text
from core.data import demo_catalogue_text
from core.wire.payloads import ApplicationTypeView
from kiosk.application_form import CONSENT, REVIEW, ApplicationForm

TODAY = date(2026, 11, 23)


def info(type_id: str) -> ApplicationTypeView:
    """The type as the server's `GET /application-types` gives it."""
    catalogue = load_catalogue_text(demo_catalogue_text())
    kind = catalogue.application_type(type_id)
    return ApplicationTypeView.of(kind, catalogue.department(kind.department_id).name)


@pytest.fixture
def form() -> ApplicationForm:
    return ApplicationForm(info("certificate-request"), today=TODAY)


def answer(form: ApplicationForm, text: str) -> bool:
    form.set_value(form.current, text)
    return form.next()


def test_the_answer_s_delivery_is_asked_before_the_contact_fields(form) -> None:
    assert form.steps == [
        "name",
        "personal_code",
        "delivery",
        "phone",
        "email",
        "address",
        "text",
        CONSENT,
        REVIEW,
    ]


def test_answer_by_e_mail_makes_the_e_mail_step_required_on_the_spot(form) -> None:
    assert answer(form, "Jānis Bērziņš")
    assert answer(form, "120389-11220")
    assert answer(form, "email")
    assert form.current == "phone"
    assert form.need("phone") is Need.OPTIONAL  # the e-mail address is needed anyway
    assert answer(form, "")
    assert form.current == "email"
    # Said before asking, and checked on this step, not after Submit.
    assert form.need("email") is Need.FOR_DELIVERY
    assert not answer(form, "")
    assert form.current == "email" and form.errors == {"email": "required"}
    assert not answer(form, "janis@")
    assert form.errors == {"email": "invalid_email"}
    assert answer(form, "janis@example.lv")
    assert answer(form, "")  # address: optional
    assert answer(form, "Lūdzu izziņu.")
    form.consent = True
    assert form.next()
    assert form.current == REVIEW and form.problems() == {}


def test_phone_or_e_mail_is_asked_for_where_it_can_still_be_given(form) -> None:
    for text in ("Anna", "120389-11220", "in_person"):
        assert answer(form, text)
    assert form.need("phone") is Need.ONE_CONTACT
    assert answer(form, "")  # the e-mail may still come
    assert form.need("email") is Need.CONTACT
    assert not answer(form, "")
    assert form.errors == {"email": "contact_required"}


def fill_to_review(form: ApplicationForm) -> None:
    for text in ("Anna", "120389-11220", "in_person", "20000000", "", "", "Lūdzu."):
        assert answer(form, text)
    form.consent = True
    assert form.next()
    assert form.current == REVIEW


def test_a_correction_from_the_review_returns_to_the_review(form) -> None:
    fill_to_review(form)
    form.go_to("email")
    assert answer(form, "anna@example.lv")
    assert form.current == REVIEW, "not through address, text and consent again"
    form.go_to("name")
    assert not answer(form, "")
    assert form.current == "name"
    assert answer(form, "Anna Ozola")
    assert form.current == REVIEW


def test_a_correction_that_makes_another_field_needed_visits_that_field_first(form) -> None:
    fill_to_review(form)
    form.go_to("delivery")
    assert answer(form, "post")
    assert form.current == "address"
    assert form.need("address") is Need.FOR_DELIVERY
    assert answer(form, "Rīgas iela 1, Rīga")
    assert form.current == REVIEW
    assert form.problems() == {}


def test_server_problems_lead_to_the_field_and_back_to_the_review(form) -> None:
    fill_to_review(form)
    form.show_problems({"phone": "invalid_phone"})
    assert form.current == "phone" and form.errors == {"phone": "invalid_phone"}
    assert answer(form, "+371 20000001")
    assert form.current == REVIEW
