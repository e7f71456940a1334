"""Slowing down password guessing without letting anyone lock a clerk out.

The design follows OWASP's "Slow Down Online Guessing Attacks with Device Cookies"
(Anton Dedov) and the throttling rules of NIST SP 800-63B, section 5.2.2:

- A browser (or API client) that signed in successfully as a user gets a signed
  **device cookie** for that user. With it, the client is *trusted* for that user:
  only its own failures slow it down (a bucket per device cookie).
- Every other attempt is *untrusted*. Its failures count in two buckets: one per
  **source address** (however many user names are tried from it) and one per
  **account** (from however many addresses). An untrusted attempt waits if either
  bucket says so. A trusted device whose own bucket is waiting is treated as
  untrusted, so a clerk's own typos never stop them more than a stranger.
- Each bucket allows `free_failures` failures, then each further attempt must wait
  a delay that doubles with every failure (1 s, 2 s, 4 s ... up to `max_delay`)
  after the last one. A refused attempt is not a failure: waiting is enough.
- A correct password forgets the failures of that user from that address (and
  the device's own), as NIST SP 800-63B section 5.2.2 advises; failures from other
  addresses stay counted.
- An attempt counts as a failure from the moment it starts (and is forgiven when
  the password proves right), so parallel guesses cannot slip past the count.

IPv6 sources are counted per /64 network, the block one host usually holds.
State lives in memory: a restart forgets it (and the server's other limits).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from server.ratelimit import TooManyAttempts, whole_seconds
from server.store.settings import setting_made_once

DEVICE_COOKIE = "rinda_device"
KEY_SETTING = "device_cookie_key"
DEVICE_COOKIE_LIFETIME = timedelta(days=365)
_COOKIE_VERSION = "v1"
_MAX_DOUBLINGS = 40
"""Beyond this the delay is far over any sensible cap; it keeps the power small."""


@dataclass(frozen=True)
class BackOff:
    """How quickly a bucket slows attempts down."""

    free_failures: int = 10
    first_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(hours=1)
    forget_after: timedelta = timedelta(hours=24)
    """A bucket without a failure for this long is forgotten."""

    def wait(self, failures: int) -> timedelta:
        """How long after the last of `failures` failures the next attempt must wait:
        nothing before `free_failures`, then `first_delay`, doubling with each one."""
        excess = failures - self.free_failures
        if excess < 0:
            return timedelta(0)
        delay: timedelta = self.first_delay * 2 ** min(excess, _MAX_DOUBLINGS)
        return min(self.max_delay, delay)


@dataclass
class _Bucket:
    last_failure: datetime
    failures: dict[str, int] = field(default_factory=dict)
    """By contributor: the user names tried from an address, the addresses that
    tried an account."""

    @property
    def total(self) -> int:
        return sum(self.failures.values())


class _Buckets:
    """Failure counts by key, oldest forgotten first when there are too many."""

    def __init__(self, backoff: BackOff, max_keys: int) -> None:
        self.backoff = backoff
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def wait(self, key: str, now: datetime) -> timedelta:
        """How much longer an attempt under `key` must wait (zero: go ahead)."""
        bucket = self._buckets.get(key)
        if bucket is None:
            return timedelta(0)
        if now - bucket.last_failure >= self.backoff.forget_after:
            del self._buckets[key]
            return timedelta(0)
        remaining = bucket.last_failure + self.backoff.wait(bucket.total) - now
        return max(timedelta(0), remaining)

    def fail(self, key: str, contributor: str, now: datetime) -> None:
        bucket = self._buckets.pop(key, None) or _Bucket(now)
        bucket.last_failure = max(bucket.last_failure, now)
        bucket.failures[contributor] = bucket.failures.get(contributor, 0) + 1
        self._buckets[key] = bucket
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)

    def forgive(self, key: str, contributor: str, count: int | None = None) -> None:
        """Forget `count` failures (None: all) of one contributor under `key`."""
        bucket = self._buckets.get(key)
        if bucket is None or contributor not in bucket.failures:
            return
        left = 0 if count is None else bucket.failures[contributor] - count
        if left > 0:
            bucket.failures[contributor] = left
        else:
            del bucket.failures[contributor]
        if not bucket.failures:
            del self._buckets[key]


def source_key(address: str) -> str:
    """The address a failure is counted against: IPv4 as is, IPv6 by its /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt: who for, from where, and the device it trusts, if any."""

    username: str
    source: str
    device: str | None
    """The nonce of a valid device cookie for this user, or None (untrusted)."""
    trusted: bool = False
    """Whether the attempt goes through the device's own bucket (set by `begin`)."""


class SignInThrottle:
    """Progressive delays for sign-in attempts; safe to use from any thread."""

    def __init__(self, key: bytes, backoff: BackOff | None = None, max_keys: int = 100_000):
        self.backoff = backoff or BackOff()
        self._key = key
        self._by_source = _Buckets(self.backoff, max_keys)
        self._by_account = _Buckets(self.backoff, max_keys)
        self._by_device = _Buckets(self.backoff, max_keys)
        self._lock = threading.Lock()

    # -- device cookies ----------------------------------------------------------

    def device_cookie(self, username: str) -> str:
        """A new signed device cookie for `username` (issued after every success)."""
        user = base64.urlsafe_b64encode(username.encode()).decode().rstrip("=")
        body = f"{_COOKIE_VERSION}.{user}.{secrets.token_urlsafe(16)}"
        return f"{body}.{self._sign(body)}"

    def _sign(self, body: str) -> str:
        digest = hmac.new(self._key, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def trusted_device(self, cookie: str | None, username: str) -> str | None:
        """The device's nonce if `cookie` is a genuine device cookie for `username`."""
        if not cookie or cookie.count(".") != 3:
            return None
        body, _, signature = cookie.rpartition(".")
        version, user, nonce = body.split(".")
        if version != _COOKIE_VERSION or not hmac.compare_digest(signature, self._sign(body)):
            return None
        try:
            owner = base64.urlsafe_b64decode(user + "=" * (-len(user) % 4)).decode()
        except (ValueError, UnicodeDecodeError):
            return None
        return nonce if owner == username else None

    # -- attempts ----------------------------------------------------------------

    def begin(self, username: str, address: str, cookie: str | None, now: datetime) -> Attempt:
        """Admit an attempt (counted as a failure until `succeeded`), or raise
        `TooManyAttempts` with the wait in whole seconds."""
        source = source_key(address)
        device = self.trusted_device(cookie, username)
        with self._lock:
            if device is not None and not self._by_device.wait(device, now):
                self._by_device.fail(device, username, now)
                return Attempt(username, source, device, trusted=True)
            wait = max(self._by_source.wait(source, now), self._by_account.wait(username, now))
            if wait > timedelta(0):
                seconds = whole_seconds(wait)
                raise TooManyAttempts(
                    f"Too many failed sign-ins; try again in {seconds} seconds.", seconds
                )
            self._by_source.fail(source, username, now)
            self._by_account.fail(username, source, now)
            return Attempt(username, source, device)

    def succeeded(self, attempt: Attempt) -> None:
        """The password was right: forget this user's failures from this address
        (and the device's own), keep everyone else's."""
        with self._lock:
            if attempt.trusted:
                assert attempt.device is not None
                self._by_device.forgive(attempt.device, attempt.username)
                return
            self._by_source.forgive(attempt.source, attempt.username)
            self._by_account.forgive(attempt.username, attempt.source)
            if attempt.device is not None:
                self._by_device.forgive(attempt.device, attempt.username)


def device_cookie_key(conn: sqlite3.Connection) -> bytes:
    """The key that signs device cookies, made on first use and kept in the database
    (so cookies outlive a restart). Call inside a write transaction."""
    return bytes.fromhex(setting_made_once(conn, KEY_SETTING, lambda: secrets.token_hex(32)))
