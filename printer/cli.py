"""`rinda printer test|status|preview|profiles|setup`."""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    """Add `rinda printer ...`."""
    printer = commands.add_parser("printer", help="test, query and preview ticket printers")
    sub = printer.add_subparsers(dest="printer_command", required=True, metavar="ACTION")

    def spec_arguments(parser: argparse.ArgumentParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument(
            "--printer", metavar="SPEC", help="e.g. network:10.0.0.7;profile=TM-T20II"
        )
        group.add_argument("--config", type=Path, help='a TOML file with printer = "SPEC"')

    test = sub.add_parser("test", help="print a test page with every Latvian and Russian letter")
    spec_arguments(test)
    test.add_argument("--language", choices=["lv", "ru", "en"], default="lv")
    test.set_defaults(handler=_test)

    status = sub.add_parser("status", help="ask the printer for its paper and online state")
    spec_arguments(status)
    status.set_defaults(handler=_status)

    preview = sub.add_parser("preview", help="write a PNG preview of a ticket or receipt")
    preview.add_argument("--out", type=Path, required=True, metavar="FILE.png")
    preview.add_argument("--language", choices=["lv", "ru", "en"], default="lv")
    preview.add_argument("--receipt", action="store_true", help="an application receipt")
    preview.add_argument(
        "--printer",
        metavar="SPEC",
        default="dummy;profile=TM-T20II",
        help="printer whose paper width to use",
    )
    preview.add_argument("--logo", type=Path, default=None, help="logo image to include")
    preview.set_defaults(handler=_preview)

    profiles = sub.add_parser("profiles", help="list the printer profiles")
    profiles.set_defaults(handler=_profiles)

    setup = sub.add_parser(
        "setup",
        help="find a USB printer, give the kiosk access (udev), print a test page, "
        "write the kiosk's settings",
    )
    setup.add_argument("--config", type=Path, required=True, help="the kiosk's settings file")
    setup.add_argument("--device", metavar="VID:PID", help="which printer, when several are found")
    setup.add_argument("--profile", help="the printer profile (default: the model's, if known)")
    setup.add_argument(
        "--udev-dir", type=Path, default=Path("/etc/udev/rules.d"), help=argparse.SUPPRESS
    )
    setup.add_argument("--language", choices=["lv", "ru", "en"], default="lv")
    setup.add_argument("--no-test", action="store_true", help="do not print a test page")
    setup.set_defaults(handler=_setup)


def spec_text(args: argparse.Namespace) -> str:
    """The spec from --printer or from `printer = "..."` in --config."""
    if args.printer:
        return str(args.printer)
    data = tomllib.loads(args.config.read_text("utf-8"))
    spec = data.get("printer")
    if isinstance(spec, dict):
        spec = spec.get("spec")
    if not isinstance(spec, str):
        raise SystemExit(f'error: {args.config} has no printer = "SPEC" setting')
    return spec


def _printer(args: argparse.Namespace) -> Any:
    from printer.errors import InvalidPrinterSpec
    from printer.spec import parse_spec
    from printer.ticket_printer import TicketPrinter

    try:
        return TicketPrinter(parse_spec(spec_text(args)))
    except InvalidPrinterSpec as exc:
        raise SystemExit(f"error: {exc}") from None


def _test(args: argparse.Namespace) -> int:
    from printer.errors import PrinterError
    from printer.layout import printer_test_layout

    printer = _printer(args)
    try:
        result = printer.print_layout(printer_test_layout(printer.spec.describe(), args.language))
    except PrinterError as exc:
        print(f"printing failed ({exc.code}): {exc}", file=sys.stderr)
        return 1
    print(
        f"test page sent to {printer.spec.describe()}: {result.bytes_sent} bytes, "
        f"printer state {result.state.value}"
    )
    return 0


def _setup(args: argparse.Namespace) -> int:
    import shutil
    import subprocess

    from core.errors import SettingsError
    from core.settings_file import update_settings_file
    from printer.errors import InvalidPrinterSpec, PrinterError
    from printer.layout import printer_test_layout
    from printer.spec import parse_spec
    from printer.ticket_printer import TicketPrinter
    from printer.usb_setup import find_usb_printers, write_udev_rule

    try:
        found = find_usb_printers()
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.device:
        found = [p for p in found if p.ids == args.device.lower()]
    if not found:
        wanted = f" {args.device}" if args.device else ""
        print(
            f"error: no USB printer{wanted} found: is it plugged in and on? (lsusb lists "
            "USB devices)",
            file=sys.stderr,
        )
        return 2
    if len(found) > 1:
        listed = ", ".join(f"{p.ids} ({p.description})" for p in found)
        print(f"error: several printers found: {listed}; choose one with --device", file=sys.stderr)
        return 2
    [printer] = found
    print(f"found {printer.description} ({printer.ids})")
    try:
        spec = parse_spec(printer.spec(args.profile))
    except InvalidPrinterSpec as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        rule = write_udev_rule(printer, args.udev_dir)
    except OSError as exc:
        print(
            f"error: cannot write the udev rule in {args.udev_dir}: {exc.strerror} (run as root)",
            file=sys.stderr,
        )
        return 2
    print(f"udev rule in {rule}: the group plugdev (the kiosk's user) may use it")
    udevadm = shutil.which("udevadm")
    if udevadm and args.udev_dir == Path("/etc/udev/rules.d"):
        subprocess.run([udevadm, "control", "--reload"], check=False)
        subprocess.run([udevadm, "trigger", "--subsystem-match=usb"], check=False)
    if not args.no_test:
        try:
            result = TicketPrinter(spec).print_layout(
                printer_test_layout(spec.describe(), args.language)
            )
        except PrinterError as exc:
            print(f"error: the test page failed ({exc.code}): {exc}", file=sys.stderr)
            return 1
        print(f"test page printed: {result.bytes_sent} bytes; check every letter on it")
    try:
        update_settings_file(args.config, {"printer": printer.spec(args.profile)})
    except (OSError, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f'{args.config}: printer = "{printer.spec(args.profile)}"')
    return 0


def _status(args: argparse.Namespace) -> int:
    printer = _printer(args)
    status = printer.status()
    print(status.state.value + (f": {status.detail}" if status.detail else ""))
    return 0 if status.state.value in ("ok", "near_end") else 1


def _preview(args: argparse.Namespace) -> int:
    from datetime import datetime

    from core.catalogue import load_catalogue_text
    from core.data import demo_catalogue_text
    from printer.errors import InvalidPrinterSpec
    from printer.layout import (
        ReceiptContent,
        TicketContent,
        branding_for,
        receipt_layout,
        ticket_layout,
    )
    from printer.preview import write_png
    from printer.profiles import profile_info
    from printer.spec import parse_spec

    try:
        spec = parse_spec(args.printer)
    except InvalidPrinterSpec as exc:
        raise SystemExit(f"error: {exc}") from None
    catalogue = load_catalogue_text(demo_catalogue_text())
    centre = catalogue.centre
    texts = {
        "name": centre.name.as_dict(),
        "address": centre.address.as_dict(),
        "ticket_footer": centre.ticket_footer.as_dict(),
    }
    branding = branding_for(texts, args.language, args.logo)
    now = datetime(2026, 11, 23, 10, 15)
    if args.receipt:
        kind = catalogue.application_types[0]
        department = next(d for d in catalogue.departments if d.id == kind.department_id)
        layout = receipt_layout(
            ReceiptContent(
                registration_number="KAC/2026/000123",
                lodged_at=now,
                application_type=kind.name.get(args.language),
                institution=department.name.get(args.language),
                deadline=datetime(2026, 12, 23).date(),
                secret="K7QM-3XPA",
                language=args.language,
            ),
            branding,
        )
    else:
        service = catalogue.service("residence")
        layout = ticket_layout(
            TicketContent(
                number="A042",
                service_name=service.name.get(args.language),
                issued_at=now,
                people_ahead=3,
                estimated_wait_seconds=15 * 60,
                language=args.language,
                counter_hint=catalogue.counter("c4").name.get(args.language),
                # A running server derives the address from its --public-url.
                status_url=(centre.status_url or "http://kac.local:8787/t/{ticket_id}").format(
                    ticket_id="4f2a9c0b17d3e865"
                ),
            ),
            branding,
        )
    path = write_png(layout, args.out, profile_info(spec.profile, spec.width).width)
    print(f"preview written to {path}")
    return 0


def _profiles(args: argparse.Namespace) -> int:
    from printer.profiles import profile_info, profile_names

    for name in profile_names():
        info = profile_info(name)
        width = f"{info.width} px" if info.width_known else "width unknown"
        features = ", ".join(
            word
            for word, present in (
                ("QR", info.qr_native),
                ("images", info.raster_images),
                ("cutter", info.full_cut or info.partial_cut),
            )
            if present
        )
        print(f"{name:<16} {width:<14} {features}")
    return 0
