"""Transports: opening a connection to the printer described by a spec.

Each is a python-escpos printer object (it provides `open`, `_raw`, `_read`,
`close` and the status queries). A job opens, prints and closes: port-9100
printers often accept one client at a time, and a long-lived socket breaks
when the printer reboots.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import serial
from escpos.printer import Network, Serial

from printer.spec import PrinterSpec


class Device(Protocol):
    """The part of a python-escpos printer object that a job uses."""

    def open(self) -> None: ...
    def close(self) -> None: ...
    def _raw(self, msg: bytes) -> None: ...
    def _read(self) -> bytes: ...


class UrlSerial(Serial):  # type: ignore[misc]
    """A serial printer that also accepts pyserial URLs (`socket://`, `rfc2217://`, `loop://`)."""

    def open(self, raise_not_found: bool = True) -> None:
        from escpos.exceptions import DeviceNotFoundError

        try:
            self.device = serial.serial_for_url(
                self.devfile,
                baudrate=self.baudrate,
                timeout=self.timeout,
                write_timeout=self.timeout,
            )
        except (ValueError, serial.SerialException) as exc:
            self.device = None
            if raise_not_found:
                raise DeviceNotFoundError(
                    f"Unable to open serial printer {self.devfile}: {exc}"
                ) from exc

    def _read(self) -> bytes:
        data: bytes = self.device.read(1)
        return data

    def close(self) -> None:
        device: Any = getattr(self, "_device", False)
        if device:
            device.close()
        self._device = False


class AppendFile:
    """Writes jobs to the end of a file or device node (`/dev/usb/lp0`)."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self._handle: Any = None

    def open(self) -> None:
        self._handle = open(self.path, "ab")  # noqa: SIM115 - closed by close()

    def _raw(self, msg: bytes) -> None:
        self._handle.write(msg)
        self._handle.flush()

    def _read(self) -> bytes:
        raise NotImplementedError("a file cannot answer status queries")

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class MemoryPrinter:
    """Keeps every job's bytes (the `dummy` transport: tests and demos)."""

    def __init__(self) -> None:
        self.jobs: list[bytes] = []

    def open(self) -> None:
        self.jobs.append(b"")

    def _raw(self, msg: bytes) -> None:
        self.jobs[-1] += msg

    def _read(self) -> bytes:
        raise NotImplementedError("the dummy printer cannot answer status queries")

    def close(self) -> None:
        pass

    @property
    def output(self) -> bytes:
        """Everything printed so far."""
        return b"".join(self.jobs)


def open_device(spec: PrinterSpec, memory: MemoryPrinter | None = None) -> Device:
    """A connected device for `spec` (raises python-escpos or OS errors; the job maps them)."""
    device: Any
    if spec.transport == "network":
        device = Network(spec.host, spec.port, timeout=spec.timeout, profile=spec.profile)
    elif spec.transport == "serial":
        device = UrlSerial(
            spec.device, baudrate=spec.baudrate, timeout=spec.timeout, profile=spec.profile
        )
    elif spec.transport == "usb":
        from escpos.printer import Usb

        device = Usb(
            spec.vendor_id, spec.product_id, timeout=int(spec.timeout * 1000), profile=spec.profile
        )
    elif spec.transport == "file":
        device = AppendFile(spec.path)
    else:
        device = memory if memory is not None else MemoryPrinter()
    device.open()
    return device  # type: ignore[no-any-return]
