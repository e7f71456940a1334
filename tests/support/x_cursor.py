"""The pointer image an X server shows now (XFixes), to tell whether a program hid it."""

from __future__ import annotations

import ctypes
import ctypes.util


class _CursorImage(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_short),
        ("y", ctypes.c_short),
        ("width", ctypes.c_ushort),
        ("height", ctypes.c_ushort),
        ("xhot", ctypes.c_ushort),
        ("yhot", ctypes.c_ushort),
        ("cursor_serial", ctypes.c_ulong),
        ("pixels", ctypes.POINTER(ctypes.c_ulong)),
        ("atom", ctypes.c_ulong),
        ("name", ctypes.c_char_p),
    ]


def pointer_visible(display_name: str) -> bool:
    """Whether any pixel of the X server's current pointer image is not transparent."""
    x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    xfixes = ctypes.CDLL(ctypes.util.find_library("Xfixes") or "libXfixes.so.3")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    x11.XFree.argtypes = [ctypes.c_void_p]
    xfixes.XFixesGetCursorImage.restype = ctypes.POINTER(_CursorImage)
    xfixes.XFixesGetCursorImage.argtypes = [ctypes.c_void_p]
    display = x11.XOpenDisplay(display_name.encode())
    assert display, f"cannot open {display_name}"
    try:
        image = xfixes.XFixesGetCursorImage(display)
        assert image, "the X server has no XFixes"
        try:
            cursor = image.contents
            count = cursor.width * cursor.height
            return any((cursor.pixels[i] >> 24) & 0xFF for i in range(count))
        finally:
            x11.XFree(image)
    finally:
        x11.XCloseDisplay(display)
