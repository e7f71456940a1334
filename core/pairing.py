"""The pairing code: what a new terminal shows and an admin compares in the console.

A terminal being paired picks a random nonce and fetches the server's CA
certificate over a connection it cannot yet verify. It shows a six-digit code
derived from the nonce and the fingerprint of the CA it was given; the console
shows the code derived from the same nonce and the server's real CA. The codes
agree only when the terminal got the real CA: a man in the middle presenting
another certificate makes the terminal show a different code, so the admin does
not confirm it. This is a short authentication string as in Bluetooth's numeric
comparison (Bluetooth Core Specification 5.x, Vol 3, Part H, 2.3.5.6.2), with the
same six decimal digits: a substitute CA matches by chance once in a million.
"""

from __future__ import annotations

import hashlib
import hmac

CODE_DIGITS = 6
NONCE_BYTES = 16


def pairing_code(nonce: str, ca_fingerprint: str) -> str:
    """Six decimal digits from the terminal's nonce (hex) and a CA fingerprint (hex SHA-256).

    Raises `ValueError` when either is not hexadecimal."""
    key = bytes.fromhex(nonce)
    digest = hmac.new(key, bytes.fromhex(ca_fingerprint), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") % 10**CODE_DIGITS
    return f"{number:0{CODE_DIGITS}d}"


def spaced(code: str) -> str:
    """A code as shown to people: `123 456`."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"
