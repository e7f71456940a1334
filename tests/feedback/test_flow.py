"""The feedback terminal's steps, without Kivy."""

from __future__ import annotations

import pytest

from core.wire.payloads import TicketView, VisitView
from feedback.flow import FeedbackFlow, FeedbackTimes, VisitToRate
from tests.support.wire_samples import sample

TIMES = FeedbackTimes(question=30, thanks=5, entry_idle=45)
VISIT = VisitToRate("t1", "A001", "ru", "residence")


def test_counter_terminal_asks_once_and_thanks_then_rests() -> None:
    flow = FeedbackFlow(exit_terminal=False, times=TIMES)
    assert flow.state == "idle"
    assert flow.ask(VISIT, now=100)
    assert (flow.state, flow.visit) == ("question", VISIT)
    assert flow.rate(4, now=101) == VISIT
    assert (flow.state, flow.rating) == ("thanks", 4)
    assert flow.rate(5, now=101.2) is None  # a second tap stores nothing
    assert not flow.tick(105.9)
    assert flow.tick(106)
    assert (flow.state, flow.visit) == ("idle", None)
    assert not flow.ask(VISIT, now=200)  # a replayed event does not ask again
    assert flow.state == "idle"


def test_the_question_runs_out_unanswered() -> None:
    flow = FeedbackFlow(exit_terminal=False, times=TIMES)
    flow.ask(VISIT, now=0)
    assert not flow.tick(29.9)
    assert flow.tick(30)
    assert flow.state == "idle"
    assert flow.rate(3, now=31) is None


def test_a_newer_visit_replaces_the_one_being_asked() -> None:
    flow = FeedbackFlow(exit_terminal=False, times=TIMES)
    flow.ask(VISIT, now=0)
    newer = VisitToRate("t2", "A002", "en")
    assert flow.ask(newer, now=20)
    assert flow.visit == newer
    assert not flow.tick(45)  # the newer question has its own full time
    assert flow.rate(1, now=45) == newer


def test_exit_terminal_returns_to_the_number_entry_and_may_ask_again() -> None:
    flow = FeedbackFlow(exit_terminal=True, times=TIMES)
    assert flow.state == "entry"
    flow.typing(now=0)
    assert flow.tick(45)  # a half-typed number is cleared
    assert flow.state == "entry"
    assert flow.ask(VISIT, now=50)
    assert flow.tick(80)  # unanswered
    assert flow.ask(VISIT, now=90)  # the visitor typed the number again
    assert flow.rate(5, now=91) == VISIT


def test_visit_from_event_ticket_and_from_lookup() -> None:
    from_event = VisitToRate.of_ticket(
        sample(
            TicketView,
            {"id": "x", "number": "B012", "language": "lv", "service_id": "residence",
             "original_service_id": "tax"},
        )
    )  # fmt: skip
    assert from_event == VisitToRate("x", "B012", "lv", "tax")
    from_lookup = VisitToRate.of_visit(
        sample(
            VisitView, {"ticket_id": "y", "number": "B013", "language": "en", "service_id": "tax"}
        )
    )
    assert from_lookup == VisitToRate("y", "B013", "en", "tax")


def test_ratings_are_one_to_five() -> None:
    flow = FeedbackFlow(exit_terminal=False, times=TIMES)
    flow.ask(VISIT, now=0)
    with pytest.raises(ValueError):
        flow.rate(6, now=1)
    assert flow.state == "question"


def test_speech_mode_never_times_the_visitor_out_silently() -> None:
    flow = FeedbackFlow(exit_terminal=False, times=FeedbackTimes(question=30, thanks=5))
    flow.set_patient(True, now=0)
    assert flow.ask(VISIT, now=0)
    assert flow.until is None and not flow.tick(now=1000)
    assert flow.state == "question"
    flow.set_patient(False, now=1000)  # speech off: the question gets its full time again
    assert flow.until == 1030
    assert flow.tick(now=1030) and flow.state == "idle"
    exit_flow = FeedbackFlow(exit_terminal=True)
    exit_flow.set_patient(True, now=0)
    exit_flow.typing(now=0)
    assert exit_flow.until is None  # a half-typed number is kept
