"""The printer specification string: where the printer is and what it can do.

    TRANSPORT[:ADDRESS][;option=value]...

    network:HOST[:PORT]                raw TCP (port 9100 by default); IPv6 as [addr]:port
    serial:DEVICE_OR_URL[@BAUD]        /dev/ttyUSB0@19200, or any pyserial URL (socket://, rfc2217://)
    usb:VENDOR:PRODUCT                 hexadecimal USB ids, e.g. usb:04b8:0e15
    file:PATH                          append to a file or device node (/dev/usb/lp0)
    dummy                              keep the bytes in memory (tests, demos)

Options:
    profile=NAME      python-escpos printer profile (TM-T20II, POS-5890, simple ...);
                      default `default`
    width=PIXELS      printable width when the profile does not know it (default 384 = 58 mm)
    timeout=SECONDS   for connecting and sending (default 3)
    status=optional|required|off
                      query paper and online state before printing; `required` refuses to
                      print when the printer does not answer; `off` never asks (default optional)
    text=auto|image   print text in the printer's code pages where possible, or always as images
    qr=auto|native|image|none
    cut=auto|full|partial|none
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from printer.errors import InvalidPrinterSpec

Transport = Literal["network", "serial", "usb", "file", "dummy"]
DEFAULT_PORT = 9100
DEFAULT_TIMEOUT = 3.0
DEFAULT_WIDTH = 384
OPTION_VALUES = {
    "status": ("optional", "required", "off"),
    "text": ("auto", "image"),
    "qr": ("auto", "native", "image", "none"),
    "cut": ("auto", "full", "partial", "none"),
}


@dataclass(frozen=True)
class PrinterSpec:
    """A parsed printer specification."""

    transport: Transport
    host: str = ""
    port: int = DEFAULT_PORT
    device: str = ""
    baudrate: int = 19200
    vendor_id: int = 0
    product_id: int = 0
    path: str = ""
    profile: str = "default"
    width: int | None = None
    timeout: float = DEFAULT_TIMEOUT
    status: str = "optional"
    text: str = "auto"
    qr: str = "auto"
    cut: str = "auto"
    original: str = field(default="", compare=False)

    def describe(self) -> str:
        """A short human description (for logs and the staff view)."""
        where = {
            "network": f"{self.host}:{self.port}",
            "serial": f"{self.device}@{self.baudrate}",
            "usb": f"{self.vendor_id:04x}:{self.product_id:04x}",
            "file": self.path,
            "dummy": "memory",
        }[self.transport]
        return f"{self.transport} {where} ({self.profile})"


def parse_spec(text: str) -> PrinterSpec:
    """Parse a specification string; raises `InvalidPrinterSpec` naming the problem."""
    if not text or not text.strip():
        raise InvalidPrinterSpec("empty printer specification")
    head, *options = [part.strip() for part in text.strip().split(";")]
    transport, _, address = head.partition(":")
    values: dict[str, object] = {"original": text}
    if transport == "network":
        values.update(_network(address))
    elif transport == "serial":
        values.update(_serial(address))
    elif transport == "usb":
        values.update(_usb(address))
    elif transport == "file":
        if not address:
            raise InvalidPrinterSpec("file: needs a path, e.g. file:/dev/usb/lp0")
        values["path"] = address
    elif transport == "dummy":
        if address:
            raise InvalidPrinterSpec("dummy takes no address")
    else:
        raise InvalidPrinterSpec(
            f"unknown printer transport {transport!r}; use network, serial, usb, file or dummy"
        )
    for option in options:
        if not option:
            continue
        key, sep, value = option.partition("=")
        if not sep or not value:
            raise InvalidPrinterSpec(f"option {option!r} must look like key=value")
        values.update(_option(key.strip(), value.strip()))
    return PrinterSpec(transport=transport, **values)  # type: ignore[arg-type]


def _network(address: str) -> dict[str, object]:
    if not address:
        raise InvalidPrinterSpec(
            "network: needs a host, e.g. network:10.0.0.7 or network:10.0.0.7:9100"
        )
    if address.startswith("["):
        host, _, rest = address[1:].partition("]")
        port_text = rest.removeprefix(":")
    elif address.count(":") == 1:
        host, port_text = address.split(":")
    else:
        host, port_text = address, ""
    port = DEFAULT_PORT
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise InvalidPrinterSpec(f"{port_text!r} is not a TCP port")
        port = int(port_text)
    if not host:
        raise InvalidPrinterSpec("network: the host is empty")
    return {"host": host, "port": port}


def _serial(address: str) -> dict[str, object]:
    if not address:
        raise InvalidPrinterSpec("serial: needs a device or URL, e.g. serial:/dev/ttyUSB0@19200")
    device, baud = address, ""
    if "@" in address:
        candidate, _, tail = address.rpartition("@")
        if tail.isdigit():
            device, baud = candidate, tail
    values: dict[str, object] = {"device": device}
    if baud:
        values["baudrate"] = int(baud)
    return values


def _usb(address: str) -> dict[str, object]:
    parts = address.split(":")
    if len(parts) != 2:
        raise InvalidPrinterSpec("usb: needs VENDOR:PRODUCT in hexadecimal, e.g. usb:04b8:0e15")
    try:
        vendor, product = (int(part, 16) for part in parts)
    except ValueError:
        raise InvalidPrinterSpec(f"usb ids must be hexadecimal, got {address!r}") from None
    return {"vendor_id": vendor, "product_id": product}


def _option(key: str, value: str) -> dict[str, object]:
    if key == "profile":
        from printer.profiles import check_profile

        check_profile(value)
        return {"profile": value}
    if key == "width":
        if not value.isdigit() or not 32 <= int(value) <= 2048:
            raise InvalidPrinterSpec(f"width must be a number of pixels (32-2048), got {value!r}")
        return {"width": int(value)}
    if key == "timeout":
        try:
            seconds = float(value)
        except ValueError:
            raise InvalidPrinterSpec(f"timeout must be seconds, got {value!r}") from None
        if not 0.1 <= seconds <= 60:
            raise InvalidPrinterSpec("timeout must be between 0.1 and 60 seconds")
        return {"timeout": seconds}
    if key == "baud":
        if not value.isdigit():
            raise InvalidPrinterSpec(f"baud must be a number, got {value!r}")
        return {"baudrate": int(value)}
    if key in OPTION_VALUES:
        if value not in OPTION_VALUES[key]:
            raise InvalidPrinterSpec(f"{key} must be one of {', '.join(OPTION_VALUES[key])}")
        return {key: value}
    raise InvalidPrinterSpec(f"unknown printer option {key!r}")
