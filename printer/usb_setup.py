"""Finding ticket printers on USB, and what `rinda printer setup` writes for them.

A USB printer is recognised by its interface class (7, "printer", in the USB
class codes of usb.org) or, for the many that call themselves vendor-specific,
by its vendor and product ids in `KNOWN_PRINTERS`, which also suggests the
python-escpos profile. The same table is the compatibility list of
docs/printers.md (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRINTER_CLASS = 7
UDEV_RULE_FILE = "60-rinda-printer.rules"
UDEV_GROUP = "plugdev"


@dataclass(frozen=True)
class KnownPrinter:
    """A printer model seen in the field: its USB ids and the profile that fits it."""

    vendor_id: int
    product_id: int
    model: str
    profile: str


KNOWN_PRINTERS: tuple[KnownPrinter, ...] = (
    KnownPrinter(0x04B8, 0x0E15, "Epson TM-T20II", "TM-T20II"),
    KnownPrinter(0x04B8, 0x0202, "Epson TM-T88 (IV, V)", "TM-T88V"),
    KnownPrinter(0x0519, 0x0003, "Star TSP100 / TSP143 (ESC/POS mode)", "default"),
    KnownPrinter(0x0416, 0x5011, '58 mm "POS-58" clones (Zjiang, Netum, Goojprt)', "POS-5890"),
)


@dataclass(frozen=True)
class UsbPrinter:
    """A printer found on the USB bus."""

    vendor_id: int
    product_id: int
    description: str
    profile: str
    """The profile to use: the known model's, else `default`."""

    @property
    def ids(self) -> str:
        """`vvvv:pppp` as in `lsusb` and the printer spec."""
        return f"{self.vendor_id:04x}:{self.product_id:04x}"

    def spec(self, profile: str | None = None) -> str:
        """The printer specification for the kiosk's settings."""
        return f"usb:{self.ids};profile={profile or self.profile}"


def known(vendor_id: int, product_id: int) -> KnownPrinter | None:
    """The known model with these ids, if any."""
    return next(
        (k for k in KNOWN_PRINTERS if (k.vendor_id, k.product_id) == (vendor_id, product_id)),
        None,
    )


def _is_printer(device: Any) -> bool:
    if known(device.idVendor, device.idProduct) is not None:
        return True
    return any(
        interface.bInterfaceClass == PRINTER_CLASS
        for configuration in device
        for interface in configuration
    )


def find_usb_printers(backend: Any = None) -> list[UsbPrinter]:
    """The printers on the USB bus (pyusb; `backend` None: libusb). Raises `OSError`
    when USB cannot be read at all (no libusb)."""
    import usb.core
    import usb.util

    try:
        devices = list(usb.core.find(find_all=True, backend=backend, custom_match=_is_printer))
    except usb.core.NoBackendError as exc:
        raise OSError(f"USB cannot be read: {exc} (install libusb-1.0-0)") from exc
    found = []
    for device in devices:
        model = known(device.idVendor, device.idProduct)
        description = model.model if model else _strings(device)
        found.append(
            UsbPrinter(
                device.idVendor,
                device.idProduct,
                description,
                model.profile if model else "default",
            )
        )
    return found


def _strings(device: Any) -> str:
    import usb.core
    import usb.util

    parts = []
    for index in (device.iManufacturer, device.iProduct):
        if index:
            try:
                parts.append(usb.util.get_string(device, index))
            except (usb.core.USBError, ValueError, NotImplementedError):
                continue  # no permission yet: the udev rule gives it
    return " ".join(p for p in parts if p) or "USB printer"


def udev_rule(printer: UsbPrinter, group: str = UDEV_GROUP) -> str:
    """A udev rule letting `group` (the kiosk user is in it) use the printer."""
    return (
        f"# {printer.description}: written by `rinda printer setup`\n"
        f'SUBSYSTEM=="usb", ATTRS{{idVendor}}=="{printer.vendor_id:04x}", '
        f'ATTRS{{idProduct}}=="{printer.product_id:04x}", MODE="0660", GROUP="{group}"\n'
    )


def write_udev_rule(printer: UsbPrinter, rules_dir: Path) -> Path:
    """Add (or keep) the printer's rule in `rules_dir/60-rinda-printer.rules`."""
    path = rules_dir / UDEV_RULE_FILE
    existing = path.read_text() if path.exists() else ""
    rule = udev_rule(printer)
    if rule.splitlines()[1] not in existing.splitlines():
        rules_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(existing + rule)
    return path
