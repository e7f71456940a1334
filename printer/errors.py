"""Printer errors. A print job either succeeds or raises exactly one of these.

PrinterError
├── PrinterOffline       cannot connect, or the printer reports itself offline
├── PaperOut             the paper roll is empty
├── PrinterTimeout       the printer did not answer or accept data in time
├── PrinterUnsupported   the profile cannot print what was asked (e.g. no graphics)
└── InvalidPrinterSpec   the printer specification string is wrong
"""

from __future__ import annotations


class PrinterError(Exception):
    """Base of printer errors; `code` is stable, for reports to the server."""

    code = "printer_error"


class PrinterOffline(PrinterError):
    """The printer cannot be reached or reports itself offline."""

    code = "offline"


class PaperOut(PrinterError):
    """The printer is out of paper."""

    code = "paper_out"


class PrinterTimeout(PrinterError):
    """The printer did not answer or take the data within the time allowed."""

    code = "timeout"


class PrinterUnsupported(PrinterError):
    """The printer's profile cannot print this (for example images on a text-only printer)."""

    code = "unsupported"


class InvalidPrinterSpec(PrinterError, ValueError):
    """The printer specification could not be understood."""

    code = "invalid_spec"
