"""PNG previews of the same layouts, and the `rinda printer` commands."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from printer.layout import Branding, Logo, TicketContent, ticket_layout
from printer.preview import render_image
from printer.profiles import profile_info
from printer.render_escpos import render
from printer.spec import parse_spec
from tests.support.escpos_decoder import decode
from tests.support.fake_printer import FakeNetworkPrinter, closed_port
from tests.support.processes import rinda


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
@pytest.mark.parametrize("kind", ["ticket", "receipt"])
def test_preview_command_writes_a_png(tmp_path: Path, language: str, kind: str) -> None:
    out = tmp_path / f"{kind}-{language}.png"
    args = ["printer", "preview", "--out", str(out), "--language", language]
    if kind == "receipt":
        args.append("--receipt")
    assert "preview written" in rinda(*args).stdout
    with Image.open(out) as image:
        assert image.width == 576 + 32 and image.height > 600
        if kind == "ticket":
            codes = zxingcpp.read_barcodes(image.convert("L"))
            assert [c.text for c in codes] == ["http://kac.local:8787/t/4f2a9c0b17d3e865"]


def test_preview_follows_the_printer_width(tmp_path: Path) -> None:
    out = tmp_path / "narrow.png"
    rinda("printer", "preview", "--out", str(out), "--printer", "dummy;profile=POS-5890")
    with Image.open(out) as image:
        assert image.width == 384 + 32


def test_logo_is_scaled_and_printed(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (1200, 300), (0, 90, 160)).save(logo)
    content = TicketContent(
        "B007", "Sociālā palīdzība", __import__("datetime").datetime(2026, 11, 23, 9, 0), 0, 0, "lv"
    )
    layout = ticket_layout(content, Branding("Centrs", logo=logo))
    assert isinstance(layout[0], Logo)
    decoded = decode(
        render(layout, parse_spec("dummy;profile=TM-T20II")), profile_info("TM-T20II").code_pages
    )
    first = decoded.images[0]
    assert first.width == 576
    inked = first.point(lambda v: 255 - v).getbbox()
    assert inked is not None and inked[2] - inked[0] <= int(576 * 0.6) + 1
    assert render_image(layout, 576).height > 300


def test_printer_test_command_against_a_network_printer() -> None:
    with FakeNetworkPrinter("healthy") as fake:
        result = rinda(
            "printer", "test", "--printer", f"network:{fake.spec_address};profile=TM-T20II"
        )
        fake.wait_for_jobs(1)
    assert "test page sent" in result.stdout and "printer state ok" in result.stdout
    text = decode(fake.printed(), profile_info("TM-T20II").code_pages).text
    assert "āčēģīķļņšūž ĀČĒĢĪĶĻŅŠŪŽ" in text and "ЁЖЗИЙ" in text


def test_printer_status_command(tmp_path: Path) -> None:
    with FakeNetworkPrinter("near_end") as fake:
        config = tmp_path / "kiosk.toml"
        config.write_text(f'printer = "network:{fake.spec_address}"\n')
        result = rinda("printer", "status", "--config", str(config))
    assert result.stdout.strip() == "near_end"
    offline = rinda(
        "printer",
        "status",
        "--printer",
        f"network:127.0.0.1:{closed_port()};timeout=1",
        check=False,
    )
    assert offline.returncode == 1 and offline.stdout.startswith("offline")


def test_printer_test_reports_failure_and_bad_specs() -> None:
    with FakeNetworkPrinter("paper_out") as fake:
        failed = rinda("printer", "test", "--printer", f"network:{fake.spec_address}", check=False)
    assert failed.returncode == 1 and "paper_out" in failed.stderr
    bad = rinda("printer", "test", "--printer", "network:host;profile=Nope", check=False)
    assert bad.returncode != 0 and "unknown printer profile 'Nope'" in bad.stderr


def test_profiles_listing() -> None:
    listing = rinda("printer", "profiles").stdout
    assert "TM-T20II" in listing and "576 px" in listing and "POS-5890" in listing
