"""Laying the board out (with Kivy's own text measurement, no window): pages of waiting
times, the order in which things give way, and what happens on a screen too small."""

from __future__ import annotations

import pytest

from display.compose import BoardView, CallView, ServiceView, compose
from display.metrics import ScreenGeometry
from display.placing import BOLD_ROLES

NAMES = {
    "lv": [
        "Dzīvesvietas deklarēšana",
        "Sociālā palīdzība",
        "Izziņas un apliecinājumi",
        "Būvvaldes konsultācijas",
        "Nekustamā īpašuma nodoklis",
        "Ģimenes un bērnu pabalsti",
        "Iesniegumi domei",
        "Tikšanās ar speciālistu",
    ],
    "ru": [
        "Декларирование места жительства",
        "Социальная помощь",
        "Справки и подтверждения",
        "Консультации строительного управления",
        "Налог на недвижимость",
        "Пособия для семей и детей",
        "Заявления в думу",
        "Встреча со специалистом",
    ],
}


@pytest.fixture(scope="module")
def measure():
    from display.screen import KivyMeasure

    return KivyMeasure()


def view(language: str = "lv", page_slot: int = 0, current: int = 2) -> BoardView:
    def services(lang: str) -> tuple[ServiceView, ...]:
        return tuple(ServiceView(name, "12 rindā · ~18 min") for name in NAMES[lang])

    calls = tuple(CallView(f"A{n:03}", str(n), f"{n}. lodziņš") for n in range(1, current + 1))
    return BoardView(
        date="Pirmdiena, 23.11.2026",
        clock="10:00",
        centre="Centrs",
        now_calling="Izsaukti",
        recent_heading="Iepriekšējie izsaukumi",
        waits_heading="Rinda un gaidīšana",
        no_calls="Lūdzu, gaidiet savu numuru",
        current=calls,
        recent=calls,
        services=services(language),
        services_by_language=(services("lv"), services("ru")),
        page_slot=page_slot,
    )


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1366, 768)])
def test_every_service_is_on_exactly_one_page_in_each_language(measure, size) -> None:
    sizes = ScreenGeometry(*size, 43).font_sizes(3.0)
    for language in ("lv", "ru"):
        first = compose(view(language), *size, sizes, measure)
        assert first.pages > 1, "eight services do not fit at once from 3 m"
        shown: list[str] = []
        for slot in range(first.pages):
            page = compose(view(language, slot), *size, sizes, measure)
            assert page.page == slot and page.pages == first.pages
            names = [t.key for t in page.texts if t.key.endswith(".name")]
            assert names, f"page {slot} is empty"
            shown += names
            assert all(t.rect[1] >= 0 for t in page.texts), "nothing below the screen"
        assert sorted(shown) == sorted(f"service.{i}.name" for i in range(8))


def test_columns_side_by_side_on_a_wide_screen_stacked_on_a_tall_one(measure) -> None:
    sizes = ScreenGeometry(1920, 1080, 43).font_sizes(3.0)
    assert compose(view(), 1920, 1080, sizes, measure).two_columns
    assert not compose(view(), 1080, 1920, sizes, measure).two_columns


def test_recent_calls_give_way_before_current_calls(measure) -> None:
    sizes = ScreenGeometry(1920, 1080, 43).font_sizes(3.0)
    crowded = compose(view(current=3), 1920, 1080, sizes, measure)
    assert crowded.left_out == () and crowded.text("call.2.number") is not None
    too_many = compose(view(current=8), 1920, 1080, sizes, measure)
    assert too_many.text("call.0.number") is not None, "the newest call is always shown"
    assert too_many.left_out, "the calls that found no room are named (the app logs them)"


def test_a_screen_too_small_for_the_distance_keeps_words_whole_and_says_so(measure) -> None:
    sizes = ScreenGeometry(800, 600, 15).font_sizes(6.0)
    squeezed = compose(view(), 800, 600, sizes, measure)
    assert squeezed.squeezed, "sizes under the rule are reported"
    for text in squeezed.texts:
        if text.key == "ticker":
            continue
        lines = measure.lines(text.text, text.font_size, text.role in BOLD_ROLES, text.rect[2])
        assert " ".join(lines).split(" ") == [w for w in text.text.split(" ") if w]
