"""`rinda printer setup`: finds the USB printer, writes its udev rule, prints a test page
and sets the kiosk's printer. Only the USB hardware is pretend (a pyusb backend)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from printer.layout import LATVIAN_LETTERS, RUSSIAN_LETTERS
from printer.profiles import profile_info, profile_names
from printer.usb_setup import KNOWN_PRINTERS, find_usb_printers
from rinda.cli import main
from tests.support.escpos_decoder import decode
from tests.support.fake_usb import FakeDevice, FakeUsbBackend

DOCS = Path(__file__).resolve().parents[2] / "docs" / "printers.md"


@pytest.fixture
def usb_bus(monkeypatch: pytest.MonkeyPatch):
    """Plug devices into a pretend bus that pyusb finds instead of libusb's."""
    import usb.backend.libusb1

    devices: list[FakeDevice] = []
    monkeypatch.setattr(usb.backend.libusb1, "get_backend", lambda *a, **k: FakeUsbBackend(devices))
    return devices


def _setup(tmp_path: Path, *extra: str) -> int:
    return main(
        [
            "printer",
            "setup",
            "--config",
            str(tmp_path / "kiosk.toml"),
            "--udev-dir",
            str(tmp_path / "rules.d"),
            *extra,
        ]
    )


def test_setup_finds_the_printer_tests_it_and_writes_the_settings(
    usb_bus, tmp_path: Path, capsys
) -> None:
    epson = FakeDevice(0x04B8, 0x0E15)
    usb_bus.append(FakeDevice(0x046D, 0xC077, interface_class=3))  # a mouse
    usb_bus.append(epson)
    (tmp_path / "kiosk.toml").write_text('# entrance\nserver_url = "https://10.0.0.2:8787"\n')
    assert _setup(tmp_path) == 0
    out = capsys.readouterr().out
    assert "found Epson TM-T20II (04b8:0e15)" in out
    page = decode(bytes(epson.written), profile_info("TM-T20II").code_pages)
    printed = "".join(page.text.split())  # lines wrap at the paper's width
    assert "".join(LATVIAN_LETTERS.split()) in printed
    assert "".join(RUSSIAN_LETTERS.split()) in printed
    assert page.cuts
    settings = tomllib.loads((tmp_path / "kiosk.toml").read_text())
    assert settings["printer"] == "usb:04b8:0e15;profile=TM-T20II"
    assert settings["server_url"] == "https://10.0.0.2:8787"
    rule = (tmp_path / "rules.d/60-rinda-printer.rules").read_text()
    assert 'ATTRS{idVendor}=="04b8", ATTRS{idProduct}=="0e15", MODE="0660", GROUP="plugdev"' in rule
    # Again: the rule is not doubled.
    assert _setup(tmp_path, "--no-test") == 0
    assert (tmp_path / "rules.d/60-rinda-printer.rules").read_text() == rule


def test_an_unknown_model_is_found_by_its_class_and_named_by_its_strings(
    usb_bus, tmp_path: Path
) -> None:
    usb_bus.append(FakeDevice(0x1234, 0x5678, manufacturer="Acme", product="Thermal 80"))
    [found] = find_usb_printers()
    assert found.description == "Acme Thermal 80" and found.profile == "default"
    assert _setup(tmp_path, "--no-test", "--profile", "TM-T88V") == 0
    settings = tomllib.loads((tmp_path / "kiosk.toml").read_text())
    assert settings["printer"] == "usb:1234:5678;profile=TM-T88V"


def test_no_printer_or_several_are_clear_errors(usb_bus, tmp_path: Path, capsys) -> None:
    assert _setup(tmp_path) == 2
    assert "no USB printer found" in capsys.readouterr().err
    usb_bus.extend([FakeDevice(0x04B8, 0x0E15), FakeDevice(0x0416, 0x5011, address=5)])
    assert _setup(tmp_path) == 2
    assert "choose one with --device" in capsys.readouterr().err
    assert not (tmp_path / "kiosk.toml").exists()
    assert _setup(tmp_path, "--device", "0416:5011", "--no-test") == 0
    assert "POS-5890" in (tmp_path / "kiosk.toml").read_text()
    assert _setup(tmp_path, "--device", "04b8:0e15", "--profile", "TM-NOPE") == 2
    assert "TM-NOPE" in capsys.readouterr().err


def test_the_compatibility_table_lists_every_known_model() -> None:
    text = DOCS.read_text()
    for model in KNOWN_PRINTERS:
        ids = f"{model.vendor_id:04x}:{model.product_id:04x}"
        row = next((line for line in text.splitlines() if f"| `{ids}` |" in line), None)
        assert row is not None, f"{model.model} ({ids}) is not in docs/printers.md"
        assert f"`{model.profile}`" in row
        assert model.profile in profile_names()
    table = text[text.index("## Printers in the field") : text.index("## Setting up a USB")]
    named = re.findall(r"^\|[^|]*\|[^|]*\|\s*`([^`]+)`", table, re.MULTILINE)
    assert len(named) >= 6
    for profile in named:
        assert profile in profile_names(), f"docs/printers.md names an unknown profile {profile}"
