"""Print jobs and status queries, each bounded in time.

A job opens the device, asks for the paper and online state (unless the spec
says not to), sends the bytes, checks the paper once more and closes. It
returns a `PrintResult` or raises exactly one `PrinterError` subclass; it
never waits longer than its time bound, even if a driver hangs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

import serial
from escpos.exceptions import DeviceNotFoundError

from printer.devices import Device, MemoryPrinter, open_device
from printer.errors import PaperOut, PrinterError, PrinterOffline, PrinterTimeout
from printer.layout import Layout
from printer.render_escpos import EscposRenderer
from printer.spec import PrinterSpec

log = logging.getLogger(__name__)
T = TypeVar("T")

STATUS_PAPER = b"\x10\x04\x04"
STATUS_PRINTER = b"\x10\x04\x01"
PAPER_END_BITS = 0x60
NEAR_END_BITS = 0x0C
OFFLINE_BIT = 0x08


class PrinterState(StrEnum):
    """What the printer says about itself (`unknown` when it does not answer)."""

    OK = "ok"
    NEAR_END = "near_end"
    PAPER_OUT = "paper_out"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PrinterStatus:
    """A status query's answer."""

    state: PrinterState
    detail: str = ""


@dataclass(frozen=True)
class PrintResult:
    """A job that went through."""

    state: PrinterState
    """The state reported before printing (`unknown` for printers that never answer)."""
    bytes_sent: int


class NoAnswer(Exception):
    """The printer did not answer a status query."""


def bounded(action: Callable[[], T], seconds: float, what: str) -> T:
    """Run `action` in a worker thread; raise `PrinterTimeout` if it takes too long."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = action()
        except BaseException as exc:  # handed to the caller below
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="rinda-printer", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise PrinterTimeout(f"{what} did not finish within {seconds:.1f} s")
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


def _translate(error: BaseException, where: str) -> PrinterError:
    if isinstance(error, PrinterError):
        return error
    if isinstance(error, TimeoutError | serial.SerialTimeoutException):
        return PrinterTimeout(f"{where}: the printer did not respond in time")
    if error.__class__.__name__ == "USBTimeoutError":
        return PrinterTimeout(f"{where}: USB transfer timed out")
    if isinstance(error, DeviceNotFoundError | OSError | serial.SerialException):
        return PrinterOffline(f"{where}: {error}".strip())
    return PrinterOffline(f"{where}: {error.__class__.__name__}: {error}")


class TicketPrinter:
    """One configured printer: renders layouts and sends them, one job at a time."""

    def __init__(
        self,
        spec: PrinterSpec,
        *,
        memory: MemoryPrinter | None = None,
        status_timeout: float = 1.5,
    ) -> None:
        self.spec = spec
        self.memory = memory if memory is not None else MemoryPrinter()
        self.status_timeout = min(status_timeout, spec.timeout)
        self.renderer = EscposRenderer(spec)
        self._lock = threading.Lock()

    @property
    def answers_status(self) -> bool:
        """Whether this transport can be asked for its state at all."""
        return self.spec.transport in ("network", "serial", "usb") and self.spec.status != "off"

    def job_time_limit(self) -> float:
        """The longest a whole job may take."""
        return 2 * self.spec.timeout + 2 * self.status_timeout + 1.0

    def render(self, layout: Layout) -> bytes:
        """The bytes a layout becomes on this printer."""
        return self.renderer.render(layout)

    # -- jobs ----------------------------------------------------------------

    def print_layout(self, layout: Layout) -> PrintResult:
        """Print; returns a `PrintResult` or raises a `PrinterError` subclass."""
        data = self.render(layout)
        return self.print_bytes(data)

    def print_bytes(self, data: bytes) -> PrintResult:
        """Send already rendered bytes."""
        with self._lock:
            try:
                return bounded(lambda: self._job(data), self.job_time_limit(), "printing")
            except BaseException as error:
                raise _translate(error, self.spec.describe()) from error

    def _job(self, data: bytes) -> PrintResult:
        device = self._open()
        try:
            state = self._state_for_job(device)
            try:
                device._raw(data)
            except BaseException as error:
                raise _translate(error, "sending the ticket") from error
            if state is not PrinterState.UNKNOWN:
                try:
                    after = self._query(device)
                except NoAnswer:
                    after = PrinterState.UNKNOWN
                if after is PrinterState.PAPER_OUT:
                    raise PaperOut("the paper ran out while printing")
            return PrintResult(state, len(data))
        finally:
            self._close(device)

    def _state_for_job(self, device: Device) -> PrinterState:
        if not self.answers_status:
            return PrinterState.UNKNOWN
        try:
            state = self._query(device)
        except NoAnswer:
            if self.spec.status == "required":
                raise PrinterTimeout(
                    f"{self.spec.describe()}: no answer to the status query within "
                    f"{self.status_timeout:.1f} s"
                ) from None
            return PrinterState.UNKNOWN
        if state is PrinterState.PAPER_OUT:
            raise PaperOut(f"{self.spec.describe()}: out of paper")
        if state is PrinterState.OFFLINE:
            raise PrinterOffline(f"{self.spec.describe()}: the printer reports itself offline")
        return state

    # -- status --------------------------------------------------------------

    def status(self) -> PrinterStatus:
        """The printer's state, within `status_timeout` (never raises a printer error)."""
        if self.spec.transport in ("file", "dummy"):
            return PrinterStatus(PrinterState.UNKNOWN, "this transport cannot report status")
        if self.spec.status == "off":
            return PrinterStatus(PrinterState.UNKNOWN, "status queries are turned off")

        def query() -> PrinterStatus:
            device = self._open()
            try:
                return PrinterStatus(self._query(device))
            except NoAnswer:
                return PrinterStatus(PrinterState.UNKNOWN, "the printer did not answer")
            finally:
                self._close(device)

        with self._lock:
            try:
                return bounded(
                    query, self.spec.timeout + 2 * self.status_timeout + 1, "status query"
                )
            except PrinterOffline as error:
                return PrinterStatus(PrinterState.OFFLINE, str(error))
            except PrinterTimeout as error:
                return PrinterStatus(PrinterState.UNKNOWN, str(error))
            except BaseException as error:
                translated = _translate(error, self.spec.describe())
                state = (
                    PrinterState.OFFLINE
                    if isinstance(translated, PrinterOffline)
                    else PrinterState.UNKNOWN
                )
                return PrinterStatus(state, str(translated))

    # -- device helpers --------------------------------------------------------

    def _open(self) -> Device:
        try:
            return open_device(self.spec, self.memory)
        except BaseException as error:
            raise _translate(error, f"opening {self.spec.describe()}") from error

    def _close(self, device: Device) -> None:
        try:
            device.close()
        except Exception:  # closing a broken connection may fail; the job result stands
            log.debug("closing the printer failed", exc_info=True)

    def _read_reply(self, device: Device) -> bytes:
        raw: Any = getattr(device, "device", None)
        if self.spec.transport == "network" and raw is not None:
            raw.settimeout(self.status_timeout)
        elif self.spec.transport == "serial" and raw is not None:
            raw.timeout = self.status_timeout
        try:
            reply = device._read()
        except (TimeoutError, serial.SerialTimeoutException):
            raise NoAnswer from None
        except NotImplementedError:
            raise NoAnswer from None
        except BaseException as error:
            if error.__class__.__name__ == "USBTimeoutError":
                raise NoAnswer from None
            raise
        finally:
            if self.spec.transport == "network" and raw is not None:
                raw.settimeout(self.spec.timeout)
            elif self.spec.transport == "serial" and raw is not None:
                raw.timeout = self.spec.timeout
        if not reply:
            raise NoAnswer
        return bytes(reply)

    def _query(self, device: Device) -> PrinterState:
        """Ask for paper and online state (DLE EOT 4, DLE EOT 1); raises `NoAnswer`."""
        device._raw(STATUS_PAPER)
        paper = self._read_reply(device)[0]
        if paper & PAPER_END_BITS == PAPER_END_BITS:
            return PrinterState.PAPER_OUT
        device._raw(STATUS_PRINTER)
        printer = self._read_reply(device)[0]
        if printer & OFFLINE_BIT:
            return PrinterState.OFFLINE
        if paper & NEAR_END_BITS == NEAR_END_BITS:
            return PrinterState.NEAR_END
        return PrinterState.OK
