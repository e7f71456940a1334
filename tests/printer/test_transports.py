"""Every transport, every fault path, each within its time bound."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from printer.errors import PaperOut, PrinterOffline, PrinterTimeout
from printer.layout import printer_test_layout
from printer.profiles import profile_info
from printer.spec import parse_spec
from printer.ticket_printer import PrinterState, TicketPrinter
from tests.support.escpos_decoder import decode
from tests.support.fake_printer import FakeNetworkPrinter, closed_port

LAYOUT = printer_test_layout("transport test")


ANSWERING = 3.0
"""Status-read bound for fakes that answer: they answer at once, but a busy CI machine
must not turn a slow thread switch into "did not answer" (that flaked once)."""
SILENT = 0.5
"""Status-read bound where the test is that a printer which never answers is given up on."""


def printer_for(spec: str, status_timeout: float = ANSWERING) -> TicketPrinter:
    return TicketPrinter(parse_spec(spec), status_timeout=status_timeout)


def test_healthy_network_printer_receives_the_job() -> None:
    with FakeNetworkPrinter("healthy") as fake:
        printer = printer_for(f"network:{fake.spec_address};profile=TM-T20II;timeout=2")
        result = printer.print_layout(LAYOUT)
        fake.wait_for_jobs(1)
    assert result.state is PrinterState.OK
    assert fake.queries[:2] == [4, 1], "paper then online state were asked before printing"
    job = fake.jobs[0]
    decoded = decode(job, profile_info("TM-T20II").code_pages)
    assert "āčēģīķļņšūž" in decoded.text and decoded.cuts
    assert result.bytes_sent == len(job) - 12  # four 3-byte status queries, before and after


def test_status_of_each_kind_of_printer() -> None:
    expected = {
        "healthy": PrinterState.OK,
        "near_end": PrinterState.NEAR_END,
        "paper_out": PrinterState.PAPER_OUT,
        "offline": PrinterState.OFFLINE,
        "silent": PrinterState.UNKNOWN,
    }
    for behaviour, state in expected.items():
        silent = behaviour == "silent"
        with FakeNetworkPrinter(behaviour) as fake:
            started = time.monotonic()
            printer = printer_for(
                f"network:{fake.spec_address};timeout=5", SILENT if silent else ANSWERING
            )
            status = printer.status()
            assert status.state is state, behaviour
            if silent:
                assert time.monotonic() - started < 2.5


def test_paper_out_refuses_the_job_without_printing() -> None:
    with FakeNetworkPrinter("paper_out") as fake:
        with pytest.raises(PaperOut):
            printer_for(f"network:{fake.spec_address};timeout=5").print_layout(LAYOUT)
        fake.wait_for_jobs(1)
    assert fake.printed() == b""


def test_printer_reporting_offline() -> None:
    with FakeNetworkPrinter("offline") as fake, pytest.raises(PrinterOffline, match="offline"):
        printer_for(f"network:{fake.spec_address};timeout=5").print_layout(LAYOUT)


def test_near_end_still_prints() -> None:
    with FakeNetworkPrinter("near_end") as fake:
        result = printer_for(f"network:{fake.spec_address};timeout=5").print_layout(LAYOUT)
    assert result.state is PrinterState.NEAR_END


def test_printer_that_never_answers() -> None:
    with FakeNetworkPrinter("silent") as fake:
        started = time.monotonic()
        with pytest.raises(PrinterTimeout):
            printer_for(
                f"network:{fake.spec_address};timeout=1;status=required", SILENT
            ).print_layout(LAYOUT)
        assert time.monotonic() - started < 2.0
        # By default an unanswered status query means "unknown", and the job goes out.
        result = printer_for(f"network:{fake.spec_address};timeout=1", SILENT).print_layout(LAYOUT)
        assert result.state is PrinterState.UNKNOWN and result.bytes_sent > 0


def test_nobody_listening_is_offline_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(PrinterOffline):
        printer_for(f"network:127.0.0.1:{closed_port()};timeout=1").print_layout(LAYOUT)
    assert time.monotonic() - started < 1.5
    status = printer_for(f"network:127.0.0.1:{closed_port()};timeout=1").status()
    assert status.state is PrinterState.OFFLINE


def test_printer_that_stops_taking_data_times_out_within_the_bound() -> None:
    with FakeNetworkPrinter("stuck") as fake:
        printer = printer_for(f"network:{fake.spec_address};timeout=0.5", SILENT)
        started = time.monotonic()
        with pytest.raises(PrinterTimeout):
            printer.print_bytes(b"\x1b@" + b"x" * 64_000_000)
        assert time.monotonic() - started <= printer.job_time_limit() + 0.5


def test_a_hung_driver_cannot_hold_the_caller() -> None:
    from printer.ticket_printer import bounded

    started = time.monotonic()
    with pytest.raises(PrinterTimeout, match="within 0.3 s"):
        bounded(lambda: time.sleep(5), 0.3, "a hung driver")
    assert time.monotonic() - started < 1


def test_serial_through_a_pyserial_url() -> None:
    with FakeNetworkPrinter("healthy") as fake:
        printer = printer_for(f"serial:socket://{fake.spec_address};profile=POS-5890;timeout=2")
        assert printer.status().state is PrinterState.OK
        result = printer.print_layout(LAYOUT)
        fake.wait_for_jobs(2)
    assert result.state is PrinterState.OK
    decoded = decode(fake.jobs[-1], profile_info("POS-5890").code_pages)
    assert "абвгдеёжзийклмнопрстуфхцчшщъыьэю" in decoded.text


def test_serial_paper_out_through_a_pyserial_url() -> None:
    with FakeNetworkPrinter("paper_out") as fake, pytest.raises(PaperOut):
        printer_for(f"serial:socket://{fake.spec_address};timeout=5").print_layout(LAYOUT)


def test_serial_device_that_does_not_exist_is_offline() -> None:
    with pytest.raises(PrinterOffline):
        printer_for("serial:/dev/ttyNOPE0@9600;timeout=0.5").print_layout(LAYOUT)


def test_file_transport_appends_each_job(tmp_path: Path) -> None:
    target = tmp_path / "printed.bin"
    printer = printer_for(f"file:{target};profile=TM-T20II")
    first = printer.print_layout(LAYOUT)
    printer.print_layout(LAYOUT)
    assert first.state is PrinterState.UNKNOWN
    assert target.read_bytes().count(b"\x1d\x56") == 2  # two cuts: two tickets
    assert printer.status().state is PrinterState.UNKNOWN


def test_file_in_a_missing_directory_is_offline(tmp_path: Path) -> None:
    with pytest.raises(PrinterOffline):
        printer_for(f"file:{tmp_path / 'no' / 'such' / 'dir'}").print_layout(LAYOUT)


def test_dummy_keeps_the_bytes() -> None:
    printer = printer_for("dummy;profile=TM-T20II")
    printer.print_layout(LAYOUT)
    assert printer.memory.jobs and printer.memory.output.startswith(b"\x1b@")


class FakeUsbDevice:
    """Stands in for a USB printer (the one part of the outside world we cannot run here)."""

    def __init__(self, status: int = 0x12, dead: bool = False) -> None:
        self.written = bytearray()
        self.status = status
        self.dead = dead

        class Backend:
            __module__ = "usb.backend.fake"

        self.backend = Backend()

        class Context:
            def dispose(self, device: object) -> None: ...

        self._ctx = Context()

    def set_configuration(self) -> None: ...
    def reset(self) -> None: ...

    def write(self, endpoint: int, data: bytes, timeout: int) -> int:
        import usb.core

        if self.dead:
            raise usb.core.USBTimeoutError("Operation timed out", errno=110)
        self.written += data
        return len(data)

    def read(self, endpoint: int, size: int, timeout: int = 0) -> bytes:
        return bytes([self.status])


def test_usb_printer(monkeypatch: pytest.MonkeyPatch) -> None:
    import usb.core

    device = FakeUsbDevice()
    seen: dict = {}

    def find(**kwargs):
        seen.update(kwargs)
        return device

    monkeypatch.setattr(usb.core, "find", find)
    printer = printer_for("usb:04b8:0e15;profile=TM-T20II")
    assert printer.print_layout(LAYOUT).state is PrinterState.OK
    assert seen == {"idVendor": 0x04B8, "idProduct": 0x0E15}
    assert "ЭЮЯ" in decode(bytes(device.written), profile_info("TM-T20II").code_pages).text


def test_usb_faults(monkeypatch: pytest.MonkeyPatch) -> None:
    import usb.core

    monkeypatch.setattr(usb.core, "find", lambda **kwargs: None)
    with pytest.raises(PrinterOffline, match="not found|Unable"):
        printer_for("usb:04b8:0e15").print_layout(LAYOUT)
    monkeypatch.setattr(usb.core, "find", lambda **kwargs: FakeUsbDevice(status=0x72))
    with pytest.raises(PaperOut):
        printer_for("usb:04b8:0e15").print_layout(LAYOUT)
    monkeypatch.setattr(usb.core, "find", lambda **kwargs: FakeUsbDevice(dead=True))
    with pytest.raises(PrinterTimeout):
        printer_for("usb:04b8:0e15").print_layout(LAYOUT)
