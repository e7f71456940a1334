"""Terminals decode what the server sends into wire views, and say plainly when they
cannot (a newer server's major change, or an answer missing what they need)."""

from __future__ import annotations

import json

import pytest

from core.wire.events import encode_event
from core.wire.payloads import QueueView
from terminal.client import Incompatible, SseEvent, decoded
from tests.support.wire_samples import sample_event


def sse(payload: dict) -> SseEvent:
    return SseEvent(payload["seq"], payload["type"], json.dumps(payload))


def test_an_event_decodes_into_its_view() -> None:
    event = sample_event({"seq": 4, "type": "display.ticker", "text": "Sveiki"})
    assert sse(encode_event(event)).decoded() == event


def test_an_event_of_a_newer_major_version_is_refused_with_a_clear_message() -> None:
    payload = {**encode_event(sample_event({"seq": 4, "type": "display.ticker", "text": "x"}))}
    payload["schema_version"] = 2
    with pytest.raises(Incompatible, match=r"^event 4: Event 4 has schema version 2; this program"):
        sse(payload).decoded()


def test_an_answer_without_what_the_terminal_needs_is_incompatible() -> None:
    with pytest.raises(Incompatible, match=r"^QueueView: seq: missing"):
        decoded(QueueView, {"at": "2026-11-23T08:00:00+00:00"})
