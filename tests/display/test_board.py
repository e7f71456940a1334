"""The hall board reducer, one behaviour per event type."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.events import CALL_EVENTS, EVENT_TYPES
from core.wire.events import EventView
from core.wire.payloads import CentreView, CounterView, QueueView, ServiceView
from display.board import (
    Announcement,
    BoardState,
    Snapshot,
    Zone,
    new_calls,
    reduce,
    reduce_all,
)
from tests.support.wire_samples import sample, sample_event

T = "2026-11-23T08:00:00+00:00"
SERVICES = [
    {
        "service_id": "residence",
        "waiting": 2,
        "estimated_wait_seconds": 600,
        "unavailable_reason": None,
    },
    {
        "service_id": "social",
        "waiting": 1,
        "estimated_wait_seconds": None,
        "unavailable_reason": None,
    },
]


def ticket(
    ticket_id: str,
    number: str,
    service: str = "residence",
    counter: str | None = None,
    status: str = "waiting",
) -> dict:
    return {
        "id": ticket_id,
        "number": number,
        "prefix": number[0],
        "service_id": service,
        "counter_id": counter,
        "status": status,
        "called_at": T if counter else None,
    }


def snap(
    queue: dict, services: tuple = (), counters: tuple = (), centre: dict | None = None
) -> Snapshot:
    """A snapshot of wire views from the members a test gives."""
    return Snapshot(
        queue=sample(QueueView, queue),
        services=tuple(sample(ServiceView, s) for s in services),
        counters=tuple(sample(CounterView, c) for c in counters),
        centre=sample(CentreView, centre) if centre is not None else None,
    )


def event(seq: int, kind: str, t: dict, label: str | None = None, **extra) -> EventView:
    data = {
        "seq": seq,
        "type": kind,
        "at": T,
        "service_id": t["service_id"],
        "counter_id": t["counter_id"],
        "ticket_id": t["id"],
        "ticket": t,
        **extra,
    }
    if label:
        data["counter_label"] = label
    return sample_event(data)


def start_state() -> BoardState:
    snapshot = snap(
        queue={
            "seq": 10,
            "services": SERVICES,
            "counters": [],
            "recent_calls": [],
            "ticker": "Open until 19:00 on Mondays",
            "centre": {"is_open": True},
        },
        services=(
            {"id": "residence", "name": {"lv": "Deklarēšana"}},
            {"id": "social", "name": {"lv": "Sociālā palīdzība"}},
        ),
        counters=({"id": "c1", "label": "1"}, {"id": "c3", "label": "3"}),
        centre={"name": {"lv": "Centrs"}},
    )
    return reduce(BoardState(), snapshot)


def test_snapshot_sets_services_ticker_and_labels() -> None:
    state = start_state()
    assert state.seq == 10 and state.ticker == "Open until 19:00 on Mondays"
    assert [(s.service_id, s.waiting, s.estimate_seconds) for s in state.services] == [
        ("residence", 2, 600),
        ("social", 1, None),
    ]
    assert state.counter_labels == {"c1": "1", "c3": "3"}
    assert state.service_names["social"] == {"lv": "Sociālā palīdzība", "ru": "", "en": ""}


def test_issued_adds_to_waiting() -> None:
    state = reduce(start_state(), event(11, "ticket.issued", ticket("t1", "A003")))
    assert state.services[0].waiting == 3 and state.seq == 11


def test_called_shows_the_call_and_lists_it() -> None:
    state = reduce(
        start_state(), event(11, "ticket.called", ticket("t1", "A001", counter="c1"), "1")
    )
    assert [(c.number, c.counter_label) for c in state.current] == [("A001", "1")]
    assert state.newest.number == "A001"
    assert [c.number for c in state.recent] == ["A001"]
    assert state.services[0].waiting == 1


def test_several_calls_at_once_newest_first_one_per_counter() -> None:
    state = reduce_all(
        start_state(),
        [
            event(11, "ticket.called", ticket("t1", "A001", counter="c1"), "1"),
            event(12, "ticket.called", ticket("t2", "B001", "social", counter="c3"), "3"),
            event(13, "ticket.no_show", ticket("t1", "A001", counter="c1")),
            event(14, "ticket.called", ticket("t3", "A002", counter="c1"), "1"),
        ],
    )
    assert [(c.number, c.counter_label) for c in state.current] == [("A002", "1"), ("B001", "3")]
    assert [c.number for c in state.recent] == ["A002", "B001", "A001"]


def test_recall_moves_the_ticket_back_to_the_top_once() -> None:
    state = reduce_all(
        start_state(),
        [
            event(11, "ticket.called", ticket("t1", "A001", counter="c1"), "1"),
            event(12, "ticket.called", ticket("t2", "B001", "social", counter="c3"), "3"),
            event(13, "ticket.recalled", ticket("t1", "A001", counter="c1"), "1"),
        ],
    )
    assert state.newest.number == "A001" and state.newest.recall
    assert [c.number for c in state.recent] == ["A001", "B001"]


@pytest.mark.parametrize(
    "kind",
    [
        "ticket.started",
        "ticket.finished",
        "ticket.no_show",
        "ticket.parked",
        "ticket.transferred",
        "ticket.cancelled",
        "ticket.expired",
    ],
)
def test_call_leaves_the_current_area_but_stays_recent(kind: str) -> None:
    state = reduce_all(
        start_state(),
        [
            event(11, "ticket.called", ticket("t1", "A001", counter="c1"), "1"),
            event(12, kind, ticket("t1", "A001", counter="c1")),
        ],
    )
    assert state.current == () and [c.number for c in state.recent] == ["A001"]


def test_resumed_is_a_call_again() -> None:
    state = reduce_all(
        start_state(),
        [
            event(11, "ticket.called", ticket("t1", "A001", counter="c1"), "1"),
            event(12, "ticket.parked", ticket("t1", "A001", counter="c1")),
            event(13, "ticket.resumed", ticket("t1", "A001", counter="c3"), "3"),
        ],
    )
    assert [(c.number, c.counter_label) for c in state.current] == [("A001", "3")]


def test_reactivated_returns_to_waiting() -> None:
    state = reduce(start_state(), event(11, "ticket.reactivated", ticket("t1", "A001")))
    assert state.services[0].waiting == 3


@pytest.mark.parametrize(
    "kind",
    [
        "ticket.printed",
        "ticket.print_failed",
        "ticket.walk_direct",
        "counter.opened",
        "counter.paused",
        "counter.closed",
        "device.status",
    ],
)
def test_events_that_change_nothing_on_the_board(kind: str) -> None:
    before = start_state()
    after = reduce(before, event(11, kind, ticket("t1", "A001", counter="c1")))
    assert after.current == before.current and after.services == before.services
    assert after.seq == 11


def test_ticker() -> None:
    state = reduce(
        start_state(),
        sample_event({"seq": 11, "type": "display.ticker", "text": "Closed on 18 November"}),
    )
    assert state.ticker == "Closed on 18 November"


def test_replayed_events_are_applied_once() -> None:
    call = event(11, "ticket.called", ticket("t1", "A001", counter="c1"), "1")
    once = reduce(start_state(), call)
    assert reduce(once, call) is once


def test_zone_shows_only_its_counters_and_services() -> None:
    zone = Zone(counter_ids=frozenset({"c3"}))
    state = reduce_all(
        BoardState(),
        [
            event(11, "ticket.called", ticket("t1", "A001", counter="c1"), "1"),
            event(12, "ticket.called", ticket("t2", "B001", "social", counter="c3"), "3"),
        ],
        zone,
    )
    assert [c.number for c in state.current] == ["B001"]
    assert [c.number for c in new_calls(BoardState(), state)] == ["B001"], "only its calls"
    service_zone = Zone(service_ids=frozenset({"social"}))
    snapshot_state = reduce(
        BoardState(), snap(queue={"seq": 1, "services": SERVICES}), service_zone
    )
    assert [s.service_id for s in snapshot_state.services] == ["social"]


def test_snapshot_restores_current_calls_and_recent_calls() -> None:
    queue = {
        "seq": 20,
        "services": SERVICES,
        "counters": [
            {
                "id": "c1",
                "label": "1",
                "current": {**ticket("t9", "A009", counter="c1"), "status": "called"},
            },
            {
                "id": "c3",
                "label": "3",
                "current": {**ticket("t8", "B002", "social", "c3"), "status": "serving"},
            },
        ],
        "recent_calls": [
            {
                "ticket_id": "t9",
                "number": "A009",
                "counter_id": "c1",
                "counter_label": "1",
                "service_id": "residence",
                "at": T,
                "recall": True,
            },
            {
                "ticket_id": "t9",
                "number": "A009",
                "counter_id": "c1",
                "counter_label": "1",
                "service_id": "residence",
                "at": T,
                "recall": False,
            },
            {
                "ticket_id": "t8",
                "number": "B002",
                "counter_id": "c3",
                "counter_label": "3",
                "service_id": "social",
                "at": T,
                "recall": False,
            },
        ],
        "centre": {"is_open": False, "opens_at": "2026-11-24T06:30:00+00:00"},
    }
    state = reduce(BoardState(), snap(queue=queue))
    assert [c.number for c in state.current] == ["A009"], "only tickets still called"
    assert [c.number for c in state.recent] == ["A009", "B002"]
    assert not state.is_open and state.opens_at == datetime(2026, 11, 24, 6, 30, tzinfo=UTC)


def test_older_snapshot_does_not_undo_newer_calls() -> None:
    state = reduce(
        start_state(), event(11, "ticket.called", ticket("t1", "A001", counter="c1"), "1")
    )
    stale = snap(queue={"seq": 10, "services": SERVICES, "counters": [], "recent_calls": []})
    after = reduce(state, stale)
    assert [c.number for c in after.current] == ["A001"]


LATER = "2026-11-23T08:01:00+00:00"


def snapshot_with_call(seq: int, called: dict) -> Snapshot:
    """A queue snapshot whose counter c1 has `called` as its current call."""
    return snap(
        queue={
            "seq": seq,
            "services": SERVICES,
            "counters": [{"id": "c1", "label": "1", "current": {**called, "status": "called"}}],
            "recent_calls": [],
        }
    )


def test_a_call_is_new_once_whichever_path_brings_it_first() -> None:
    called = ticket("t1", "A042", counter="c1")
    by_event = reduce(start_state(), event(11, "ticket.called", called, "1"))
    by_snapshot = reduce(start_state(), snapshot_with_call(11, called))
    for first in (by_event, by_snapshot):
        assert [c.number for c in new_calls(start_state(), first)] == ["A042"]
        assert first.newest is not None and first.newest.key == ("t1", datetime.fromisoformat(T), 0)
        # The other path arriving afterwards brings nothing new.
        again = reduce(
            reduce(first, snapshot_with_call(11, called)), event(11, "ticket.called", called, "1")
        )
        assert new_calls(first, again) == ()


def test_a_recall_seen_only_in_a_snapshot_is_a_new_call() -> None:
    called = ticket("t1", "A042", counter="c1")
    state = reduce(start_state(), event(11, "ticket.called", called, "1"))
    recalled = {**called, "called_at": LATER, "recall_count": 1}
    after = reduce(state, snapshot_with_call(13, recalled))
    fresh = new_calls(state, after)
    assert [(c.number, c.recall) for c in fresh] == [("A042", True)]


def test_several_new_calls_come_oldest_first() -> None:
    state = reduce_all(
        start_state(),
        [
            event(11, "ticket.called", ticket("t1", "A001", counter="c1"), "1"),
            event(12, "ticket.called", ticket("t2", "B001", "social", counter="c3"), "3"),
        ],
    )
    assert [c.number for c in new_calls(start_state(), state)] == ["A001", "B001"]


def test_announcements() -> None:
    state = reduce_all(
        start_state(),
        [
            event(11, "ticket.called", ticket("t1", "A042", counter="c3"), "3"),
        ],
    )
    called = Announcement.of(state.current[0])
    assert not called.recall
    assert (called.number, called.counter_id, called.counter_label) == ("A042", "c3", "3")
    recall = {**ticket("t1", "A042", counter="c3"), "called_at": LATER, "recall_count": 1}
    again = reduce(state, event(12, "ticket.recalled", recall, "3"))
    (fresh,) = new_calls(state, again)
    assert Announcement.of(fresh).recall


def test_announcer_uses_recorded_clips_when_every_part_has_one(tmp_path) -> None:
    from display.announcer import Announcer, clip_name
    from display.board import Announcement
    from terminal.speech import Espeak, SilentPlayer, Speaker, Utterance

    names = {("c3", "lv"): "3. lodziņš", ("c3", "ru"): "Окно 3"}
    clips = tmp_path / "clips" / "lv"
    clips.mkdir(parents=True)
    for word in ("Biļete", "A 42", "3. lodziņš"):
        (clips / f"{clip_name(word)}.wav").write_bytes(b"RIFF")
    speaker = Speaker(Espeak(tmp_path / "cache"), SilentPlayer())
    announcer = Announcer(
        speaker,
        ("lv", "ru"),
        lambda counter, lang: names[(counter, lang)],
        chime=tmp_path / "chime.wav",
        clips_dir=tmp_path / "clips",
    )
    call = Announcement("A042", "c3", "3", seq=1, recall=False)
    parts = announcer.announce(call)
    assert parts[0] == tmp_path / "chime.wav"
    assert parts[1:4] == [clips / "bilete.wav", clips / "a_42.wav", clips / "3_lodzins.wav"]
    assert parts[4] == Utterance("Талон A 42, Окно 3", "ru"), "no Russian clips: synthesised"
    speaker.close()


@pytest.mark.parametrize("kind", sorted(EVENT_TYPES))
def test_the_board_calls_exactly_the_call_events_of_the_log(kind: str) -> None:
    """The board had its own list of call events beside `core.events.CALL_EVENTS`; a type
    added to one and not the other would be logged but never shown or announced (or
    announced when it is not a call). One set decides, for every type the log holds."""
    state = reduce(start_state(), event(11, kind, ticket("t1", "A001", counter="c1"), "1"))
    assert bool(state.current) is (kind in CALL_EVENTS)
