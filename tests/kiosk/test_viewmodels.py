"""Kiosk view-models, without a window."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from core.errors import SettingsError
from core.wire.payloads import CentreView, LiveTicketView, QueueView, ServiceView
from display.announcer import Announcer
from display.board import Announcement
from kiosk.config import load_config
from kiosk.viewmodels import (
    Accessibility,
    KioskCatalogue,
    categories,
    fold,
    life_situations,
    opens_at_text,
    search,
    service_row,
    service_rows,
    standard_sections,
    ticket_view,
    wait_words,
)
from tests.support.wire_samples import sample


@pytest.fixture
def catalogue(server, staff) -> KioskCatalogue:
    with server.client(staff.kiosk) as http:
        return KioskCatalogue(
            centre=CentreView.decode(http.get("/centre").json()),
            services=[ServiceView.decode(s) for s in http.get("/services").json()],
            queue=QueueView.decode(http.get("/queue").json()),
        )


def test_fold_ignores_case_and_diacritics() -> None:
    assert fold("Dzīvesvietas DEKLARĒŠANA") == "dzivesvietas deklaresana"
    assert fold("Ёлка") == "елка"


def test_search_in_the_visitors_language_and_latvian(catalogue: KioskCatalogue) -> None:
    assert search(catalogue, "deklar", "lv")[0] == "residence"
    assert search(catalogue, "nodoklis", "lv") == ["property-tax"]
    assert search(catalogue, "налог", "ru") == ["property-tax", "certificates"], "names first"
    assert "property-tax" in search(catalogue, "nodoklis", "ru"), "Latvian names match too"
    assert search(catalogue, "", "lv") == []
    assert search(catalogue, "xyzzy", "en") == []


def test_categories_and_life_situations_have_counts(catalogue: KioskCatalogue) -> None:
    topics = {c.id: c for c in categories(catalogue, "en")}
    assert topics["residence"].name == "Residence and documents" and topics["residence"].count == 2
    situations = {c.id: c for c in life_situations(catalogue, "ru")}
    assert situations["child-born"].name == "Родился ребёнок"
    assert situations["child-born"].count == 2


def test_service_rows_show_queue_figures_and_reasons(catalogue: KioskCatalogue) -> None:
    catalogue.queue = sample(
        QueueView,
        {
            "services": [
                {
                    "service_id": "residence",
                    "waiting": 3,
                    "estimated_wait_seconds": 900,
                    "unavailable_reason": None,
                    "counters_open": 1,
                },
                {
                    "service_id": "building-board",
                    "waiting": 0,
                    "estimated_wait_seconds": None,
                    "unavailable_reason": "daily_cap_reached",
                },
            ]
        },
    )
    rows = {r.service_id: r for r in service_rows(catalogue, "lv", ["residence", "building-board"])}
    assert rows["residence"].detail == "Rindā: 3 · gaidīšana ~15 min"
    assert rows["residence"].enabled
    assert not rows["building-board"].enabled
    assert rows["building-board"].reason == "Šodienas biļetes beigušās"
    assert "Šodienas biļetes beigušās" in rows["building-board"].spoken


def test_every_estimate_is_worded_truthfully(catalogue: KioskCatalogue) -> None:
    catalogue.queue = sample(
        QueueView,
        {
            "at": "2026-11-23T16:00:00+00:00",
            "centre": {"is_open": True, "closes_at": "2026-11-23T17:00:00+00:00"},
            "services": [
                {
                    "service_id": "residence",
                    "waiting": 2,
                    "estimated_wait_seconds": None,
                    "counters_open": 0,
                },
                {
                    "service_id": "certificates",
                    "waiting": 0,
                    "estimated_wait_seconds": 48000,
                    "counters_open": 1,
                },
                {
                    "service_id": "property-tax",
                    "waiting": 9,
                    "estimated_wait_seconds": 3000,
                    "counters_open": 1,
                },
                {
                    "service_id": "council",
                    "waiting": 0,
                    "estimated_wait_seconds": 0,
                    "counters_open": 2,
                },
            ],
        },
    )
    rows = {r.service_id: r for r in service_rows(catalogue, "en")}
    assert rows["residence"].detail == "Waiting: 2 · no counter serves it right now"
    assert rows["certificates"].detail == "Waiting: 0 · probably not served before closing today"
    assert rows["property-tax"].detail == "Waiting: 9 · wait ~50 min"
    assert rows["council"].detail == "Waiting: 0 · no wait"
    queue = catalogue.queue
    catalogue.queue = replace(queue, centre=replace(queue.centre, closes_at=None))  # 24 h
    assert service_row(catalogue, catalogue.service("certificates"), "lv").detail == (
        "Rindā: 0 · gaidīšana ilgāka par 2 stundām"
    )


def test_a_ticket_nobody_serves_yet_says_so(catalogue: KioskCatalogue) -> None:
    ticket = sample(
        LiveTicketView, {"number": "A001", "people_ahead": 0, "estimated_wait_seconds": None}
    )
    wait = wait_words(None, 0, "en")
    view = ticket_view(ticket, catalogue.service("residence"), "en", wait=wait)
    assert (
        view.wait == "No counter serves this service right now: you will be called when one opens."
    )
    assert view.spoken.endswith(view.wait)
    assert "unknown" not in view.spoken


def test_standard_sections(catalogue: KioskCatalogue) -> None:
    sections = dict(standard_sections(catalogue.service("certificates"), "en"))
    assert sections["Fee"] == "EUR 3.00 per statement"
    assert sections["How to apply"] == "in person, by post, by e-mail, online (e-service)"


def test_ticket_view_is_spoken_naturally(catalogue: KioskCatalogue) -> None:
    ticket = sample(
        LiveTicketView, {"number": "A042", "people_ahead": 3, "estimated_wait_seconds": 21 * 60}
    )
    view = ticket_view(ticket, catalogue.service("residence"), "ru")
    assert view.wait == "Примерное ожидание: ~21 мин"
    assert view.spoken == (
        "Ваш номер A 42. Декларирование места жительства. Перед вами в очереди 3. "
        "Примерное ожидание примерно 21 минута."
    )


def test_the_kiosk_speaks_a_number_as_the_hall_calls_it() -> None:
    """The kiosk's copy of the spoken-number rule split off one letter only, so it said
    "BC042" where the hall display calls "BC 42". Right: the hall's form, from the one
    rule (`core.numbering.spoken_number`), so a visitor hears one number in both places."""
    ticket = sample(
        LiveTicketView, {"number": "BC042", "people_ahead": 0, "estimated_wait_seconds": 0}
    )
    service = sample(
        ServiceView, {"name": {"lv": "Būvvalde", "ru": "Стройуправа", "en": "Building board"}}
    )
    hall = Announcer(None, ("en",), lambda counter, language: "Counter 3")  # type: ignore[arg-type]
    called = hall.sentence(Announcement("BC042", "c3", "3", seq=1, recall=False), "en")
    assert "BC 42" in called
    assert ticket_view(ticket, service, "en").spoken.startswith("Your number is BC 42.")


def test_closed_text_in_local_time() -> None:
    queue = sample(
        QueueView, {"centre": {"is_open": False, "opens_at": "2026-11-24T06:30:00+00:00"}}
    )
    assert opens_at_text(queue, "en", ZoneInfo("Europe/Riga")) == "Closed — opens at 24.11. 08:30"


def test_the_clock_shows_the_centres_time_not_the_computers() -> None:
    from datetime import UTC, datetime

    from kiosk.viewmodels import clock_text

    noon_utc = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert clock_text(noon_utc, sample(CentreView, {"timezone": "Europe/Riga"})) == "15:00"
    assert clock_text(noon_utc, sample(CentreView, {"timezone": "Europe/Lisbon"})) == "13:00"


def test_today_is_the_centres_date_not_the_computers() -> None:
    from datetime import UTC, date, datetime

    from kiosk.viewmodels import centre_date

    late_evening_utc = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)  # 00:30 in Riga
    assert centre_date(late_evening_utc, sample(CentreView, {"timezone": "Europe/Riga"})) == date(
        2026, 12, 1
    )
    assert centre_date(
        late_evening_utc, sample(CentreView, {"timezone": "America/New_York"})
    ) == date(2026, 11, 30)


def test_volume_steps_are_bounded() -> None:
    access = Accessibility()
    assert [access.louder() for _ in range(5)] == [125, 150, 175, 200, 200]
    assert [Accessibility().quieter() for _ in range(1)] == [75]


def test_config_file_and_flags(tmp_path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        'server_url = "http://10.0.0.2:8787"\ntoken = "abc"\nprinter = "network:10.0.0.7"\n'
        'languages = ["lv", "ru"]\nidle_seconds = 45\n'
    )
    config = load_config(path, idle_seconds=30, printer=None)
    assert config.languages == ("lv", "ru") and config.idle_seconds == 30
    assert config.printer == "network:10.0.0.7"
    assert load_config(None, languages="ru,en", server_url="http://x:1").languages == ("ru", "en")


def test_feedback_mode_has_a_small_landscape_screen_by_default(tmp_path) -> None:
    assert load_config(None).screen_size == (1080, 1920)
    feedback = load_config(None, mode="feedback", question_seconds=20)
    assert feedback.screen_size == (1280, 800) and feedback.question_seconds == 20
    assert load_config(None, mode="feedback", width=800, height=480).screen_size == (800, 480)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('colour = "red"\n', "kiosk.toml: colour: is not a known field"),
        ('languages = ["de"]\n', "languages: 'de' is not one of"),
        ('printer = "bluetooth:x"\n', "printer: unknown printer transport"),
        ("discover = false\n", "server_url: needed when discovery is off"),
        ('server_url = "10.0.0.2"\n', "must start with http://"),
        ("idle_seconds = 0\n", "idle_seconds: must be positive"),
        ("idle_seconds = \n", "kiosk.toml"),
        ('mode = "survey"\n', "mode: 'survey' is not one of tickets, feedback"),
        ("question_seconds = -1\n", "question_seconds: must be positive"),
    ],
)
def test_bad_config_names_the_setting(tmp_path, content: str, message: str) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(content)
    with pytest.raises(SettingsError, match=message):
        load_config(path)


def test_the_range_the_server_tells_is_shown_and_said_in_each_language(
    catalogue: KioskCatalogue,
) -> None:
    """Issue 22: where the server tells an 80 % range with the estimate, the service
    button, the ticket screen and the spoken ticket say it ("12–20 min"); without one,
    the single estimate stays."""
    catalogue.queue = sample(
        QueueView,
        {
            "centre": {"is_open": True, "closes_at": None},
            "services": [
                {
                    "service_id": "property-tax",
                    "waiting": 4,
                    "estimated_wait_seconds": 15 * 60,
                    "estimated_wait_range_seconds": [12 * 60 + 10, 20 * 60],
                    "counters_open": 1,
                    "unavailable_reason": None,
                }
            ],
        },
    )
    service = catalogue.service("property-tax")
    assert service_row(catalogue, service, "en").detail == "Waiting: 4 · wait 12–20 min"
    assert service_row(catalogue, service, "lv").detail.endswith("gaidīšana 12–20 min")
    assert service_row(catalogue, service, "ru").detail.endswith("ожидание 12–20 мин")
    ticket = sample(
        LiveTicketView,
        {
            "number": "N007",
            "people_ahead": 4,
            "estimated_wait_seconds": 15 * 60,
            "estimated_wait_range_seconds": [12 * 60 + 10, 20 * 60],
        },
    )
    spoken = {
        "lv": "Aptuvenā gaidīšana no 12 līdz 20 minūtēm.",
        "ru": "Примерное ожидание от 12 до 20 минут.",
        "en": "Estimated wait 12 to 20 minutes.",
    }
    for language, sentence in spoken.items():
        view = ticket_view(ticket, service, language)
        assert view.wait.endswith(": 12–20 " + ("мин" if language == "ru" else "min"))
        assert view.spoken.endswith(sentence)
    # Crossing the hour, and a range that would say no more than one figure.
    assert wait_words(3600, 1, "ru", range_seconds=[50 * 60, 71 * 60]).spoken == (
        "от 50 минут до 1 часа 11 минут"
    )
    assert wait_words(3600, 1, "en", range_seconds=[50 * 60, 70 * 60]).shown == (
        "50 min–1 h 10 min"
    )
    assert wait_words(900, 1, "en", range_seconds=[880, 910]).shown == "~15 min"
    assert wait_words(900, 1, "en", range_seconds=None).shown == "~15 min"
    # Past the long-wait bound the range would claim a precision it does not have.
    assert wait_words(100 * 60, 1, "en", range_seconds=[80 * 60, 150 * 60]).shown == ("~1 h 40 min")
