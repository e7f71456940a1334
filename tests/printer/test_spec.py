"""The printer specification string."""

from __future__ import annotations

import pytest

from printer.errors import InvalidPrinterSpec
from printer.spec import parse_spec


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("network:10.0.0.7", {"transport": "network", "host": "10.0.0.7", "port": 9100}),
        (
            "network:printer.local:9101;profile=TM-T20II",
            {"host": "printer.local", "port": 9101, "profile": "TM-T20II"},
        ),
        ("network:[fe80::1]:9100", {"host": "fe80::1", "port": 9100}),
        (
            "serial:/dev/ttyUSB0@19200;profile=POS-5890",
            {
                "transport": "serial",
                "device": "/dev/ttyUSB0",
                "baudrate": 19200,
                "profile": "POS-5890",
            },
        ),
        ("serial:socket://127.0.0.1:9100", {"device": "socket://127.0.0.1:9100"}),
        ("usb:04b8:0e15", {"transport": "usb", "vendor_id": 0x04B8, "product_id": 0x0E15}),
        (
            "file:/dev/usb/lp0;cut=none",
            {"transport": "file", "path": "/dev/usb/lp0", "cut": "none"},
        ),
        (
            "dummy;profile=simple;width=576;text=image;qr=image;status=required;timeout=1.5",
            {
                "transport": "dummy",
                "width": 576,
                "text": "image",
                "qr": "image",
                "status": "required",
                "timeout": 1.5,
            },
        ),
    ],
)
def test_valid_specs(text: str, expected: dict) -> None:
    spec = parse_spec(text)
    for key, value in expected.items():
        assert getattr(spec, key) == value, key


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("bluetooth:aa:bb", "unknown printer transport 'bluetooth'"),
        ("network:", "needs a host"),
        ("network:10.0.0.7:99999", "not a TCP port"),
        ("usb:04b8", "VENDOR:PRODUCT"),
        ("usb:xyz:0e15", "hexadecimal"),
        ("file:", "needs a path"),
        ("dummy;profile=NoSuchPrinter", "unknown printer profile 'NoSuchPrinter'"),
        ("dummy;colour=red", "unknown printer option 'colour'"),
        ("dummy;cut=sideways", "cut must be one of"),
        ("dummy;timeout=forever", "timeout must be seconds"),
        ("dummy;width", "key=value"),
    ],
)
def test_invalid_specs_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidPrinterSpec, match=message):
        parse_spec(text)
