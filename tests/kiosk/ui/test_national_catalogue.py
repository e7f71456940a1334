"""A kiosk of a centre subscribed to the national catalogue (real hub on PostgreSQL,
real centre server, real Kivy kiosk, a printer on a loopback socket): a new version's
text appears on the kiosk without a restart; a withdrawn service is greyed out and
said to be no longer offered; the printed service information and ticket carry the
fee's EPC QR code, read back with zxing-cpp."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp

from core.clock import ManualClock
from core.data import national_catalogue_text, subscribed_centre_text
from core.payment import creditor_reference
from printer.profiles import profile_info
from tests.support.escpos_decoder import decode
from tests.support.fake_printer import FakeNetworkPrinter
from tests.support.hub_link import link_config
from tests.support.kivy_harness import find, texts
from tests.support.running_hub import RunningHub
from tests.support.running_server import RunningServer

pytestmark = pytest.mark.gui
ALL_DAY = "\n".join(
    f'{day} = ["00:00-24:00"]' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
)


@pytest.fixture
def hub(hub_dsn: str, clock: ManualClock) -> Iterator[RunningHub]:
    with RunningHub(hub_dsn, clock=clock) as running:
        running.add_user("ieva", "admin")
        yield running


@pytest.fixture
def admin(hub: RunningHub):
    client = hub.client(hub.login("ieva"))
    answer = client.post(
        "/catalogue/versions", json={"document": national_catalogue_text(), "note": "v1"}
    )
    assert answer.status_code == 201
    return client


@pytest.fixture
def server(hub: RunningHub, admin, tmp_path: Path, clock: ManualClock) -> Iterator[RunningServer]:
    """A centre subscribed to the hub's catalogue, open around the clock."""
    text = subscribed_centre_text()
    text = (
        text[: text.index("[hours]")]
        + f"[hours]\n{ALL_DAY}\n\n"
        + text[text.index("[subscription]") :]
    )
    path = tmp_path / "centre.toml"
    path.write_text(text, "utf-8")
    token = hub.add_centre("ogre-1", "Ogre")
    with RunningServer(
        tmp_path / "data",
        clock=clock,
        catalogue_path=path,
        hub=link_config(hub.url, token, catalogue_poll_seconds=0.1),
    ) as running:
        yield running


def epc_lines(data: bytes) -> list[str]:
    return data.decode("utf-8").split("\n")


def payment_codes(decoded) -> list:
    found = []
    for image in decoded.images:
        found += [
            r for r in zxingcpp.read_barcodes(image.convert("L")) if r.bytes.startswith(b"BCD\n")
        ]
    return found


def test_new_version_on_the_kiosk_withdrawn_service_and_printed_payment(
    make_kiosk, admin, server
) -> None:
    with FakeNetworkPrinter("healthy") as printer:
        kiosk = make_kiosk(printer=f"network:{printer.spec_address};profile=TM-T20II;qr=image")
        app = kiosk.app
        kiosk.until(lambda: app.manager.current == "start", what="the start screen")
        app.set_language("en")
        app.show_info("residence")
        info = app.screens["info"]
        kiosk.settle()
        assert info.service_name == "Declaring your place of residence"

        # Version 2: the text changes at the hub; the kiosk shows it, never restarted.
        v2 = national_catalogue_text().replace(
            'en = "Declaring your place of residence"', 'en = "Declaring where you live"'
        )
        answer = admin.post("/catalogue/versions", json={"document": v2, "note": "Plainer"})
        assert answer.status_code == 201
        kiosk.until(
            lambda: app.catalogue.service("residence").name.en == "Declaring where you live",
            timeout=60,
            what="the kiosk to read the new version",
        )
        # The visitor's session ended with the old catalogue (the kiosk's rule); the next
        # visitor reads the new text.
        app.set_language("en")
        app.show_info("residence")
        kiosk.settle()
        assert info.service_name == "Declaring where you live"
        assert "Declaring where you live" in texts(info)
        kiosk.screenshot("national-catalogue-info-v2")

        # The service information of a service with a fee, printed with its EPC QR code.
        app.show_info("certificates")
        kiosk.settle()
        kiosk.tap(find(info, "print_button"))
        kiosk.until(lambda: info.print_status not in ("", "…"), what="the page to print")
        assert info.print_status == "Printed. Please take it." or "rint" in info.print_status
        page = decode(printer.printed(), profile_info("TM-T20II").code_pages)
        [code] = payment_codes(page)
        lines = epc_lines(code.bytes)
        assert lines[:9] == [
            "BCD",
            "002",
            "1",
            "SCT",
            "BANKLV22",
            "Ozolkalna novada pašvaldība",
            "LV80BANK0000435195001",
            "EUR3.00",
            "GOVT",
        ]
        assert lines[9] == "" and lines[10] == "Certificates and statements"
        assert code.ec_level == "M"
        assert "National service catalogue version 2" in page.text
        assert "Account (IBAN): LV80 BANK 0000 4351 9500 1" in page.text

        # A ticket for it: the QR refers to the ticket's day and number.
        app.go("start")
        app.choose_service("certificates")
        kiosk.settle()
        if app.manager.current == "priority":
            kiosk.tap(find(app.screens["priority"], "priority_no_button"))
        ticket_screen = app.screens["ticket"]
        kiosk.until(lambda: ticket_screen.state == "issued", what="the ticket")
        assert ticket_screen.printed
        ticket = app.outcome.ticket
        printed = decode(printer.printed(), profile_info("TM-T20II").code_pages)
        reference = creditor_reference(f"{ticket.business_day}{ticket.number}")
        references = [epc_lines(c.bytes)[9] for c in payment_codes(printed)]
        assert reference in references

        # Version 3 leaves family benefits out: greyed out, "No longer offered".
        document = v2
        start = document.index('[[services]]\nid = "family-benefits"')
        v3 = document[:start] + document[document.index("[[services]]", start + 1) :]
        assert (
            admin.post("/catalogue/versions", json={"document": v3, "note": "Out"}).status_code
            == 201
        )
        services = app.screens["services"]

        def withdrawn() -> bool:
            row = app.catalogue.queue_row("family-benefits")
            return row is not None and row.unavailable_reason == "service_withdrawn"

        kiosk.until(withdrawn, timeout=60, what="the kiosk to know the service is withdrawn")
        app.finish_visit()
        app.set_language("en")
        app.choose_services("ticket")
        kiosk.settle()
        kiosk.screenshot("national-catalogue-withdrawn")
        from kiosk.viewmodels import service_row

        row = service_row(app.catalogue, app.catalogue.service("family-benefits"), "en")
        assert not row.enabled and row.reason == "No longer offered"
        assert services is app.screens["services"]
