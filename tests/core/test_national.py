"""The national catalogue and a centre's subscription: one validator, national standard
fields never overridden locally, local-only services marked, withdrawn services kept,
changes described in words."""

from __future__ import annotations

import copy
import tomllib
from typing import Any

import pytest

from core.catalogue import load_catalogue_text
from core.data import demo_catalogue_text, national_catalogue_text, subscribed_centre_text
from core.errors import CatalogueError
from core.national import describe_changes, parse_national, subscribed_catalogue, with_withdrawn


def national() -> dict[str, Any]:
    return tomllib.loads(national_catalogue_text())


def local() -> dict[str, Any]:
    return tomllib.loads(subscribed_centre_text())


def service(document: dict[str, Any], service_id: str) -> dict[str, Any]:
    return next(s for s in document["services"] if s["id"] == service_id)


def test_the_demo_centre_joined_with_the_national_catalogue() -> None:
    catalogue = subscribed_catalogue(local(), national(), version=7, source="centre.toml")
    assert catalogue.national_version == 7
    assert catalogue.service("library-card").is_local
    assert not catalogue.service("residence").is_local
    assert catalogue.service("building-board").daily_cap == 12  # set locally
    # The standard is the national one, word for word.
    whole = load_catalogue_text(demo_catalogue_text())
    assert catalogue.service("residence").standard == whole.service("residence").standard
    assert catalogue.service("certificates").standard.fee_amount is not None
    assert {a.id for a in catalogue.application_types} == {a.id for a in whole.application_types}


@pytest.mark.parametrize(
    "field", ["name", "description", "standard", "category", "life_situations", "withdrawn"]
)
def test_a_local_file_cannot_override_a_national_standard_field(field: str) -> None:
    data = local()
    data["subscription"]["services"][0][field] = service(national(), "residence").get(field, "x")
    with pytest.raises(CatalogueError) as caught:
        subscribed_catalogue(data, national(), version=1, source="centre.toml")
    message = caught.value.message
    assert message.startswith(f"centre.toml: subscription.services[0].{field}: ")
    assert "national standard field" in message


def test_a_local_service_must_be_marked_local() -> None:
    data = local()
    del data["services"][0]["local"]
    with pytest.raises(CatalogueError, match=r"centre.toml: services\[0\].local: .*local = true"):
        subscribed_catalogue(data, national(), version=1, source="centre.toml")


def test_a_local_service_cannot_take_a_national_id() -> None:
    data = local()
    data["services"][0]["id"] = "residence"
    with pytest.raises(CatalogueError, match=r"services\[0\].id: 'residence' is in the national"):
        subscribed_catalogue(data, national(), version=1, source="centre.toml")


def test_offering_a_service_the_national_catalogue_does_not_have() -> None:
    data = local()
    data["subscription"]["offer"].append("ghost")
    with pytest.raises(CatalogueError, match=r"subscription.offer: 'ghost' is not a service of"):
        subscribed_catalogue(data, national(), version=3, source="centre.toml")


def test_a_counter_serving_a_service_not_offered_is_named() -> None:
    data = local()
    data["subscription"]["offer"].remove("specialist")
    with pytest.raises(CatalogueError, match=r"counters\[3\].services: 'specialist'"):
        subscribed_catalogue(data, national(), version=1, source="centre.toml")


def test_the_national_catalogue_has_no_centre_sections() -> None:
    data = national()
    data["hours"] = {"mon": ["08:00-17:00"]}
    with pytest.raises(CatalogueError, match="hours: is not part of the national catalogue"):
        parse_national(data, "v2")


def test_a_national_catalogue_with_an_invalid_iban_is_refused() -> None:
    data = national()
    data["departments"][0]["iban"] = "LV80BANK0000435195002"
    with pytest.raises(CatalogueError) as caught:
        parse_national(data, "upload.toml")
    assert caught.value.message.startswith("upload.toml: departments[0].iban: ")
    assert "not a valid IBAN (wrong check digits)" in caught.value.message


def test_a_fee_needs_a_department_with_an_account() -> None:
    data = national()
    service(data, "residence")["standard"]["fee_amount"] = 5.0
    service(data, "residence")["standard"]["department"] = "social"  # no account
    with pytest.raises(CatalogueError, match=r"services\[0\].standard.fee_amount: .*iban"):
        parse_national(data)
    service(data, "residence")["standard"]["fee_amount"] = 5.001
    service(data, "residence")["standard"]["department"] = "registry"
    with pytest.raises(CatalogueError, match="two decimals"):
        parse_national(data)


def test_a_service_left_out_is_kept_withdrawn_and_the_centre_still_knows_it() -> None:
    before = national()
    after = copy.deepcopy(before)
    after["services"] = [s for s in after["services"] if s["id"] != "family-benefits"]
    kept, withdrawn = with_withdrawn(after, before)
    assert withdrawn == ["family-benefits"]
    assert service(kept, "family-benefits")["withdrawn"] is True
    catalogue = subscribed_catalogue(local(), kept, version=2)
    assert catalogue.service("family-benefits").withdrawn  # counters may still serve it
    assert with_withdrawn(before, None) == (before, [])


def test_changes_in_words() -> None:
    before = national()
    after = copy.deepcopy(before)
    service(after, "residence")["name"]["en"] = "Declaring where you live"
    service(after, "certificates")["standard"]["fee_amount"] = 4.0
    service(after, "council")["withdrawn"] = True
    after["departments"].append({"id": "vid", "name": {"lv": "VID", "ru": "СГД", "en": "SRS"}})
    words = describe_changes(before, after)
    assert (
        "Service 'residence': name.en changed from 'Declaring your place of residence' to "
        "'Declaring where you live'." in words
    )
    assert "Service 'certificates': standard.fee_amount changed from 3.0 to 4.0." in words
    assert "Withdrew service 'council' (Submissions to the council)." in words or any(
        w.startswith("Withdrew service 'council'") for w in words
    )
    assert "Added department 'vid' (SRS)." in words
    assert describe_changes(after, before)[-1].startswith("Removed department 'vid'")
    assert any(w.startswith("Restored service 'council'") for w in describe_changes(after, before))
    assert describe_changes(before, before) == []


def test_national_departments_are_forwarded_unless_the_back_office_serves_them() -> None:
    everything = subscribed_catalogue(local(), national(), version=1)
    assert everything.forwarded_departments == {"registry", "social", "building", "tax", "council"}
    assert everything.forwards("registry")
    mine = local()
    mine["subscription"]["back_office"] = ["social", "council"]
    served = subscribed_catalogue(mine, national(), version=1)
    assert served.forwarded_departments == {"registry", "building", "tax"}
    assert not served.forwards("social")
    # A centre keeping its own catalogue forwards nothing.
    assert load_catalogue_text(demo_catalogue_text()).forwarded_departments == frozenset()


def test_a_back_office_department_must_be_national() -> None:
    mine = local()
    mine["subscription"]["back_office"] = ["ghost"]
    with pytest.raises(
        CatalogueError, match="subscription.back_office: 'ghost' is not a department"
    ):
        subscribed_catalogue(mine, national(), version=1)
