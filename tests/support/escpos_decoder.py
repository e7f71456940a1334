"""A small decoder for exactly the ESC/POS commands Rinda emits.

It turns a byte stream back into what the printer would do: lines of text
(decoded with Python's own codecs for the code page the printer was told to
use, so python-escpos's tables are checked independently), raster images,
native QR codes, cuts and feeds. Unknown commands raise, so a test notices
when the renderer starts emitting something new.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from PIL import Image

ESC, GS, DLE = 0x1B, 0x1D, 0x10


@dataclass
class Line:
    text: str
    bold: bool
    scale: tuple[int, int]
    align: str


@dataclass
class Raster:
    image: Image.Image


@dataclass
class NativeQr:
    data: str
    size: int
    """Module size in dots (GS ( k function 167)."""
    ec: str = "L"
    """Error correction level L, M, Q or H (GS ( k function 169; printers default to L)."""


@dataclass
class Cut:
    partial: bool


@dataclass
class Decoded:
    items: list[object] = field(default_factory=list)
    code_pages_used: list[str] = field(default_factory=list)
    status_queries: list[int] = field(default_factory=list)

    @property
    def lines(self) -> list[Line]:
        return [i for i in self.items if isinstance(i, Line)]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def images(self) -> list[Image.Image]:
        return [i.image for i in self.items if isinstance(i, Raster)]

    @property
    def qr_codes(self) -> list[NativeQr]:
        return [i for i in self.items if isinstance(i, NativeQr)]

    @property
    def cuts(self) -> list[Cut]:
        return [i for i in self.items if isinstance(i, Cut)]


PYTHON_CODECS = {
    "CP437": "cp437",
    "CP850": "cp850",
    "CP852": "cp852",
    "CP858": "cp858",
    "CP866": "cp866",
    "CP775": "cp775",
    "CP1250": "cp1250",
    "CP1251": "cp1251",
    "CP1252": "cp1252",
    "CP1257": "cp1257",
    "CP855": "cp855",
    "ISO_8859-2": "iso8859_2",
    "ISO_8859-15": "iso8859_15",
    "CP860": "cp860",
    "CP863": "cp863",
    "CP865": "cp865",
    "CP857": "cp857",
    "CP1125": "cp1125",
}


def decode_with_escpos_table(chunk: bytes, page: str) -> str:
    """Decode a code page Python has no codec for (CP3011 Latvian ...) with python-escpos's
    own table of its upper half; the lower half is ASCII."""
    from escpos.codepages import CodePages

    try:
        rows = CodePages.get_encoding(page)["data"]
    except KeyError:
        raise AssertionError(f"no codec or table for code page {page}") from None
    upper = "".join(rows)
    return "".join(chr(byte) if byte < 0x80 else upper[byte - 0x80] for byte in chunk)


def decode(data: bytes, code_pages: dict[str, int]) -> Decoded:
    """Decode `data` for a printer whose profile maps code-page names to slots."""
    by_slot = {slot: name for name, slot in code_pages.items()}
    out = Decoded()
    bold, scale, align = False, (1, 1), "left"
    encoding: str | None = None
    buffer = bytearray()
    qr_size = 0
    qr_ec = "L"
    i = 0
    pending_segments: list[tuple[str | None, bytes]] = []

    def decode_pending() -> str:
        text = ""
        for page, chunk in pending_segments:
            name = page or "CP437"
            codec = PYTHON_CODECS.get(name)
            if codec is None:
                try:
                    codec = codecs.lookup(name.lower().replace("_", "")).name
                except LookupError:
                    text += decode_with_escpos_table(chunk, name)
                    continue
            text += codecs.decode(chunk, codec)
        return text

    while i < len(data):
        byte = data[i]
        if byte == 0x0A:
            pending_segments.append((encoding, bytes(buffer)))
            buffer = bytearray()
            out.items.append(Line(decode_pending(), bold, scale, align))
            pending_segments = []
            i += 1
            continue
        if byte == ESC:
            command = data[i + 1]
            if command == ord("@"):
                i += 2
            elif command == ord("t"):
                pending_segments.append((encoding, bytes(buffer)))
                buffer = bytearray()
                slot = data[i + 2]
                if slot not in by_slot:
                    raise AssertionError(f"code page slot {slot} is not in the profile")
                encoding = by_slot[slot]
                out.code_pages_used.append(encoding)
                i += 3
            elif command == ord("!"):
                if data[i + 2] == 0:
                    scale = (1, 1)
                elif data[i + 2] == 0x30:
                    scale = (2, 2)
                i += 3
            elif command == ord("E"):
                bold = bool(data[i + 2])
                i += 3
            elif command == ord("a"):
                align = {0: "left", 1: "center", 2: "right"}[data[i + 2]]
                i += 3
            elif command in (ord("-"), ord("M"), ord("{"), ord("2")):
                i += 2 if command == ord("2") else 3
            elif command == ord("d"):
                out.items.extend(Line("", bold, scale, align) for _ in range(data[i + 2]))
                i += 3
            else:
                raise AssertionError(f"unexpected ESC {chr(command)!r} at {i}")
            continue
        if byte == GS:
            command = data[i + 1]
            if command == ord("!"):
                value = data[i + 2]
                scale = ((value >> 4) + 1, (value & 0x0F) + 1)
                i += 3
            elif command == ord("V"):
                mode = data[i + 2]
                out.items.append(Cut(partial=mode in (1, 49, 66)))
                i += 4 if mode in (65, 66) else 3
            elif command == ord("v") and data[i + 2] == ord("0"):
                width_bytes = data[i + 4] | data[i + 5] << 8
                height = data[i + 6] | data[i + 7] << 8
                raw = data[i + 8 : i + 8 + width_bytes * height]
                image = Image.frombytes("1", (width_bytes * 8, height), bytes(raw))
                # ESC/POS raster: 1 = black; PIL "1": 1 = white.
                out.items.append(Raster(Image.eval(image.convert("L"), lambda v: 255 - v)))
                i += 8 + width_bytes * height
            elif command == ord("(") and data[i + 2] == ord("k"):
                length = data[i + 3] | data[i + 4] << 8
                body = data[i + 5 : i + 5 + length]
                cn, fn = body[0], body[1]
                if cn == ord("1") and fn == 80:
                    out.items.append(NativeQr(body[3:].decode("utf-8"), size=qr_size, ec=qr_ec))
                elif cn == ord("1") and fn == 67:
                    qr_size = body[2]
                elif cn == ord("1") and fn == 69:
                    qr_ec = "LMQH"[body[2] - 48]
                i += 5 + length
            elif command in (ord("B"), ord("b"), ord("|")):
                i += 3
            else:
                raise AssertionError(f"unexpected GS {chr(command)!r} at {i}")
            continue
        if byte == DLE and data[i + 1] == 0x04:
            out.status_queries.append(data[i + 2])
            i += 3
            continue
        if byte < 0x20:
            raise AssertionError(f"unexpected control byte {byte:#x} at {i}")
        buffer.append(byte)
        i += 1
    if buffer:
        pending_segments.append((encoding, bytes(buffer)))
        out.items.append(Line(decode_pending(), bold, scale, align))
    return out
