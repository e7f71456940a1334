"""Kiosk view-models, without a window."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from core.errors import SettingsError
from core.wire.payloads import CentreView, LiveTicketView, QueueView, ServiceView
from display.announcer import Announcer
from display.board import Announcement
from kiosk.config import load_config
from kiosk.viewmodels import (
    Accessibility,
    IdleTimer,
    KioskCatalogue,
    categories,
    fold,
    life_situations,
    opens_at_text,
    search,
    service_rows,
    standard_sections,
    ticket_view,
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


def test_idle_timer() -> None:
    timer = IdleTimer(60, 20, last_activity=100)
    assert timer.state(159) == "active"
    assert timer.state(161) == "warning" and timer.seconds_left(161) == 19
    assert timer.state(181) == "reset"
    timer.touch(181)
    assert timer.state(181) == "active"


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
