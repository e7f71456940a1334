"""The sign-in throttle's parts: back-off, memory, device cookies, address grouping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.ratelimit import TooManyAttempts
from server.signin_throttle import BackOff, SignInThrottle, source_key

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_back_off_doubles_from_the_first_delay_up_to_the_cap() -> None:
    backoff = BackOff(
        free_failures=3, first_delay=timedelta(seconds=1), max_delay=timedelta(seconds=60)
    )
    waits = [backoff.wait(failures).total_seconds() for failures in range(12)]
    assert waits == [0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert backoff.wait(10**6) == timedelta(seconds=60)


def test_failures_are_remembered_for_a_day_after_the_last() -> None:
    throttle = SignInThrottle(b"k" * 32)
    for _ in range(10):
        throttle.begin("anna", "192.0.2.1", None, T0)
    with pytest.raises(TooManyAttempts, match="try again in 1 seconds"):
        throttle.begin("anna", "192.0.2.1", None, T0)
    later = T0 + timedelta(hours=1)
    throttle.begin("anna", "192.0.2.1", None, later)
    with pytest.raises(TooManyAttempts, match="try again in 2 seconds"):
        throttle.begin("anna", "192.0.2.1", None, later)
    next_day = later + timedelta(hours=24)
    for _ in range(10):
        throttle.begin("anna", "192.0.2.1", None, next_day)


def test_device_cookies_are_bound_to_the_user_and_cannot_be_forged() -> None:
    throttle = SignInThrottle(b"k" * 32)
    other = SignInThrottle(b"x" * 32)
    cookie = throttle.device_cookie("anna")
    assert throttle.trusted_device(cookie, "anna") is not None
    assert throttle.trusted_device(cookie, "bob") is None
    assert other.trusted_device(cookie, "anna") is None
    version, user, nonce, signature = cookie.split(".")
    assert throttle.trusted_device(f"{version}.{user}.{nonce}x.{signature}", "anna") is None
    assert throttle.trusted_device("garbage", "anna") is None
    assert throttle.trusted_device(None, "anna") is None


def test_ipv6_sources_count_per_64_network() -> None:
    assert source_key("2001:db8:1:2:aaaa::1") == source_key("2001:db8:1:2:bbbb::2")
    assert source_key("2001:db8:1:3::1") != source_key("2001:db8:1:2::1")
    assert source_key("192.0.2.7") == "192.0.2.7"
