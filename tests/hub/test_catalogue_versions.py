"""The national catalogue at the hub (real PostgreSQL, real hub on 127.0.0.1): publish,
versions with who/when/note, changes in words, rollback, the one validator, who may."""

from __future__ import annotations

import tomllib

import psycopg
import pytest

from core.data import national_catalogue_text
from tests.support.running_hub import RunningHub


@pytest.fixture
def hub(hub_dsn: str):
    with RunningHub(hub_dsn) as running:
        running.add_user("ieva", "admin")
        running.add_user("andris", "analyst")
        yield running


def edited(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_publish_versions_changes_and_rollback(hub: RunningHub) -> None:
    admin = hub.client(hub.login("ieva"))
    first = national_catalogue_text()
    answer = admin.post("/catalogue/versions", json={"document": first, "note": "First"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["version"] == 1 and answer.json()["published_by"] == "ieva"

    second = edited(first, "fee_amount = 3.00", "fee_amount = 4.50")
    answer = admin.post("/catalogue/versions", json={"document": second, "note": "New fee"})
    assert answer.status_code == 201
    assert answer.json()["changes"] == [
        "Service 'certificates': standard.fee_amount changed from 3.0 to 4.5."
    ]
    # Leaving a service out keeps it withdrawn, and says so.
    data = tomllib.loads(second)
    start = second.index('[[services]]\nid = "family-benefits"')
    end = second.index("[[services]]", start + 1)
    third = second[:start] + second[end:]
    answer = admin.post("/catalogue/versions", json={"document": third, "note": "No longer"})
    body = answer.json()
    assert body["version"] == 3 and body["kept_withdrawn"] == ["family-benefits"]
    assert "Withdrew service 'family-benefits' (Family benefits)." in body["changes"] or any(
        c.startswith("Withdrew service 'family-benefits'") for c in body["changes"]
    )
    current = admin.get("/catalogue").json()
    assert current["version"] == 3
    kept = tomllib.loads(current["document"])
    assert next(s for s in kept["services"] if s["id"] == "family-benefits")["withdrawn"] is True
    assert len(kept["services"]) == len(data["services"])

    answer = admin.post("/catalogue/rollback", json={"version": 2, "note": "Too soon"})
    assert answer.status_code == 201
    body = answer.json()
    assert body["version"] == 4 and body["restores"] == 2
    assert body["note"] == "Rollback to version 2: Too soon"
    assert any(c.startswith("Restored service 'family-benefits'") for c in body["changes"])
    assert admin.get("/catalogue").json()["document"] == second

    listing = admin.get("/catalogue/versions").json()
    assert [v["version"] for v in listing] == [4, 3, 2, 1]
    assert [v["note"] for v in listing][1:] == ["No longer", "New fee", "First"]
    words = admin.get("/catalogue/versions/4/changes", params={"since": 1}).json()["changes"]
    assert words == ["Service 'certificates': standard.fee_amount changed from 3.0 to 4.5."]
    again = admin.post("/catalogue/versions", json={"document": second, "note": "again"})
    assert again.status_code == 409 and again.json()["code"] == "catalogue_unchanged"

    with psycopg.connect(hub.dsn) as conn:
        rows = conn.execute(
            "SELECT version, fee_amount::text, withdrawn FROM catalogue_services "
            "WHERE service_id = 'certificates' ORDER BY version"
        ).fetchall()
        assert rows == [
            (1, "3.00", False),
            (2, "4.50", False),
            (3, "4.50", False),
            (4, "4.50", False),
        ]
        decided = conn.execute(
            "SELECT service_id FROM catalogue_services WHERE version = 4 AND department_id = "
            "'registry' ORDER BY service_id"
        ).fetchall()
        assert [r[0] for r in decided] == ["certificates", "residence"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'iban = "LV80BANK0000435195001"',
            'iban = "LV80BANK0000435195002"',
            "upload: departments[0].iban: 'LV80BANK0000435195002' is not a valid IBAN",
        ),
        ('prefix = "C"', 'prefix = "c1"', "upload: services[2].prefix: must be 1-2 capital"),
        ("[[departments]]", "[centre]\nname = 1\n\n[[departments]]", "upload: centre: is not part"),
        ('id = "registry"', 'id = "registry"\n[oops', "upload: not valid TOML"),
    ],
)
def test_a_bad_document_is_refused_naming_the_field(
    hub: RunningHub, old: str, new: str, message: str
) -> None:
    admin = hub.client(hub.login("ieva"))
    document = edited(national_catalogue_text(), old, new)
    answer = admin.post("/catalogue/versions", json={"document": document, "note": "x"})
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_catalogue"
    assert answer.json()["message"].startswith(message)
    assert admin.get("/catalogue/versions").json() == []


def test_who_may_read_and_publish(hub: RunningHub) -> None:
    analyst = hub.client(hub.login("andris"))
    document = national_catalogue_text()
    refused = analyst.post("/catalogue/versions", json={"document": document, "note": "x"})
    assert refused.status_code == 403
    assert analyst.get("/catalogue").json()["code"] == "unknown_catalogue_version"
    admin = hub.client(hub.login("ieva"))
    admin.post("/catalogue/versions", json={"document": document, "note": "First"})
    token = hub.add_centre("ogre-1", "Ogre")
    centre = hub.client(token)
    assert centre.get("/catalogue").json()["version"] == 1
    assert centre.get("/catalogue/versions").status_code == 403  # history is for readers
    assert (
        centre.post("/catalogue/versions", json={"document": document, "note": "x"}).status_code
        == 403
    )
    assert centre.put("/centres/ogre-1/catalogue", json={"version": 1}).status_code == 200
    assert centre.put("/centres/ogre-1/catalogue", json={"version": 9}).status_code == 404
    assert centre.put("/centres/riga-1/catalogue", json={"version": 1}).status_code == 403
    with psycopg.connect(hub.dsn) as conn:
        row = conn.execute("SELECT catalogue_version FROM centres WHERE id = 'ogre-1'").fetchone()
        assert row == (1,)
