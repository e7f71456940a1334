"""The public booking page on a phone, in three languages: the whole flow, the code's QR
read back, the calendar file, cancelling, and accessibility (labels, keyboard only,
contrast, target size, nothing off the side of the screen)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
import zxingcpp
from icalendar import Calendar
from PIL import Image
from playwright.sync_api import expect

from tests.support.catalogues import RIGA
from tests.support.contrast import contrast_ratio
from tests.support.kivy_harness import SCREENSHOT_DIR

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
BOARD = {
    "lv": "Būvvaldes konsultācijas",
    "ru": "Консультации строительного управления",
    "en": "Building board consultations",
}
DONE = {"lv": "Jūs esat pierakstīts", "ru": "Вы записаны", "en": "You are booked"}
CONFIRM = {"lv": "Apstiprināt pierakstu", "ru": "Подтвердить запись", "en": "Confirm the booking"}


@pytest.fixture
def phone(browser, server) -> Iterator[object]:
    context = browser.new_context(base_url=server.url, locale="lv-LV", **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


def _rgb(css: str) -> tuple[int, int, int]:
    inside = css[css.index("(") + 1 : css.index(")")]
    red, green, blue = (round(float(part)) for part in inside.split(",")[:3])
    return red, green, blue


def check_page(page) -> None:
    """What every booking page must hold on a phone."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scroll"
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input, select, textarea')]
           .filter(e => e.type !== 'hidden' && e.labels.length === 0).map(e => e.name)"""
    )
    assert unlabelled == []
    nameless = page.evaluate(
        """[...document.querySelectorAll('button, a, img')]
           .filter(e => !(e.innerText || e.getAttribute('alt') || '').trim()).map(e => e.outerHTML)"""
    )
    assert nameless == []
    small = page.evaluate(
        """[...document.querySelectorAll(
             'main button, main input, main a.choice, main a.day, main a.button, .languages a')]
           .map(e => e.getBoundingClientRect()).filter(r => r.width < 44 || r.height < 44)
           .map(r => [r.width, r.height])"""
    )
    assert small == [], "touch targets at least 44 CSS px (WCAG 2.5.5)"
    pairs = page.evaluate(
        """(() => {
          const out = [];
          const background = (e) => {
            for (; e; e = e.parentElement) {
              const c = getComputedStyle(e).backgroundColor;
              if (c && !c.endsWith(', 0)') && c !== 'transparent') return c;
            }
            return 'rgb(255, 255, 255)';
          };
          for (const e of document.querySelectorAll('main *')) {
            const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
            if (own && e.offsetParent !== null) out.push([e.tagName, getComputedStyle(e).color, background(e)]);
          }
          return out;
        })()"""
    )
    low = [(tag, fg, bg) for tag, fg, bg in pairs if contrast_ratio(_rgb(fg), _rgb(bg)) < 4.5]
    assert low == [], "text contrast at least 4.5:1 (WCAG 1.4.3)"


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_booking_on_a_phone_from_service_to_confirmation(phone, server, language) -> None:
    phone.goto(f"/book?lang={language}")
    expect(phone.locator("html")).to_have_attribute("lang", language)
    check_page(phone)
    shot(phone, f"booking-services-{language}")
    phone.locator("#book-services a", has_text=BOARD[language]).click()
    expect(phone.locator("#book-service")).to_have_text(BOARD[language])
    expect(phone.locator("a.day[aria-current]")).to_be_visible()
    check_page(phone)
    shot(phone, f"booking-slots-{language}")
    phone.locator("button.time", has_text="14:00").click()
    expect(phone.locator("#book-held")).to_contain_text("23.11.2026 14:00")
    check_page(phone)
    phone.fill("#book-name", "Anna Bērziņa")
    phone.fill("#book-phone", "12")
    phone.get_by_role("button", name=CONFIRM[language]).click()
    expect(phone.locator("#book-phone")).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("#book-phone-error")).to_be_visible()
    check_page(phone)
    shot(phone, f"booking-form-error-{language}")
    phone.fill("#book-phone", "+371 2000 0000")
    phone.fill("#book-email", "anna@example.lv")
    phone.get_by_role("button", name=CONFIRM[language]).click()
    expect(phone.locator("#booking-heading")).to_have_text(DONE[language])
    expect(phone.locator("#booking-when")).to_have_text("23.11.2026 14:00")
    check_page(phone)
    shot(phone, f"booking-done-{language}")
    code = phone.locator("#booking-code").inner_text()
    qr = Image.open(io.BytesIO(phone.locator("img.qr").screenshot()))
    # The QR code carries the code as a barcode scanner types it at the kiosk.
    assert [result.text for result in zxingcpp.read_barcodes(qr)] == [code.replace("-", "")]


def test_the_whole_booking_works_with_the_keyboard_alone(phone, server) -> None:
    phone.goto("/book?lang=en")

    def tab_to(selector: str, limit: int = 80) -> None:
        for _ in range(limit):
            phone.keyboard.press("Tab")
            if phone.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("a[href='/book/building-board']")
    phone.keyboard.press("Enter")
    expect(phone.locator("#book-service")).to_have_text(BOARD["en"])
    tab_to("button.time[value$='14:30:00+02:00']")
    phone.keyboard.press("Enter")
    expect(phone.locator("#book-held")).to_contain_text("14:30")
    tab_to("#book-name")
    phone.keyboard.type("Jānis")
    tab_to("#book-email")
    phone.keyboard.type("janis@example.lv")
    tab_to("#book-confirm")
    phone.keyboard.press("Enter")
    expect(phone.locator("#booking-heading")).to_have_text(DONE["en"])
    tab_to("#booking-cancel")
    outline = phone.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert outline == "3px", "the focused control is clearly marked"


def test_the_calendar_file_and_cancelling_from_the_page(phone, server) -> None:
    phone.goto("/book/building-board?lang=en")
    phone.locator("button.time", has_text="15:00").click()
    phone.fill("#book-name", "Anna")
    phone.fill("#book-phone", "20000001")
    phone.locator("#book-confirm").click()
    expect(phone.locator("#booking-heading")).to_have_text(DONE["en"])
    href = phone.locator("#booking-calendar").get_attribute("href")
    response = httpx.get(server.url + href)
    assert response.headers["content-type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart").astimezone(RIGA).strftime("%d.%m.%Y %H:%M") == (
        "23.11.2026 15:00"
    )
    assert phone.locator("#booking-code").inner_text() in str(event["description"])
    phone.locator("#booking-cancel").click()
    expect(phone.locator("#booking-cancelled")).to_be_visible()
    expect(phone.locator("#booking-code")).to_have_count(0)
    shot(phone, "booking-cancelled-en")


def test_a_taken_time_is_explained_and_another_can_be_chosen(phone, server) -> None:
    phone.goto("/book/building-board?lang=lv")
    # Someone else takes 14:00 while this page is open.
    with server.client() as http:
        taken = http.post(
            "/appointments/holds",
            json={"service_id": "building-board", "starts_at": "2026-11-23T14:00:00+02:00"},
        )
        assert taken.status_code == 201
    phone.locator("button.time", has_text="14:00").click()
    expect(phone.locator("#book-error")).to_have_text(
        "Šo laiku kāds tikko aizņēma. Lūdzu, izvēlieties citu."
    )
    expect(phone.locator("button.time", has_text="14:00")).to_have_count(0)
    check_page(phone)
