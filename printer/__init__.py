"""Ticket and receipt printing over ESC/POS, and PNG previews of the same layouts.

spec.parse_spec("network:10.0.0.7;profile=TM-T20II")  -> PrinterSpec
layout.ticket_layout(...) / receipt_layout(...)       -> Layout (printer-independent)
render_escpos.render(layout, spec)                    -> ESC/POS bytes
preview.render_png(layout, width)                     -> PNG
ticket_printer.TicketPrinter(spec).print(layout)      -> PrintResult or a PrinterError
"""

import logging
import os
import tempfile
from pathlib import Path


def _prepare_escpos() -> None:
    """Contain python-escpos's import side effects.

    It writes a capabilities cache to a new temporary directory on every
    import unless told where, and it calls `logging.basicConfig()`. This runs
    before any module of this package imports python-escpos.
    """
    cache_dir = os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR")
    if not cache_dir:
        # One per user: a directory another user (root, once) made would not be
        # writable, and every `rinda` command would stop with a traceback.
        cache_dir = str(Path(tempfile.gettempdir()) / f"rinda-escpos-cache-{os.getuid()}")
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = cache_dir
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    handlers = list(root.handlers)
    import escpos.capabilities  # noqa: F401

    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)


_prepare_escpos()
