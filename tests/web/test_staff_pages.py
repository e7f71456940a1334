"""Every staff page, in every language, in a browser set to another zone and language:
times in the centre's zone and the page language's format, no code value shown raw,
every status in words, every form field with a label of its own."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.support.kivy_harness import SCREENSHOT_DIR
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser

# The centre is in Riga; this browser thinks it is in Los Angeles and speaks US English.
BROWSER = {"timezone_id": "America/Los_Angeles", "locale": "en-US"}
# The test clock stands at 2026-11-23 10:00 in Riga (00:00 in Los Angeles).
NOW = {"lv": "23.11.2026 10:00", "ru": "23.11.2026, 10:00", "en": "23/11/2026, 10:00"}
CHRISTMAS_EVE = {"lv": "24.12.2026", "ru": "24.12.2026", "en": "24/12/2026"}
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(T|\b)")
# Values that are codes to the program: they must never reach a Latvian or Russian page.
CODES = re.compile(
    r"(?<![\w-])(clerk|manager|admin|kiosk|display|feedback|waiting|called|serving|done|"
    r"no_show|parked|cancelled|expired|received|forwarded|in_progress|answered|rejected|"
    r"paper_out|near_end|offline|unknown|open|paused|closed|registry|social|residence|"
    r"c[0-9]|(?:user|device|system):[\w-]+|lv|ru|en)(?![\w-])"
)
COLLECT = """() => {
  const texts = [document.body.innerText];
  for (const option of document.querySelectorAll("option")) texts.push(option.textContent);
  const controls = [...document.querySelectorAll("input:not([type=hidden]), select, textarea")];
  const names = controls.map((control) => {
    if (control.getAttribute("aria-label")) return control.getAttribute("aria-label");
    const label = control.labels && control.labels[0];
    if (!label) return "";
    const copy = label.cloneNode(true);
    for (const inner of copy.querySelectorAll("input, select, textarea")) inner.remove();
    return copy.textContent.trim();
  });
  const bare = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
  for (let node = walker.currentNode; node; node = walker.nextNode()) {
    const text = node.innerText === undefined ? "" : node.innerText.trim();
    if (text && node.offsetParent !== null && /^[●○•★☆✓✗■□◆▲▼]+$/u.test(text)) bare.push(node.id || node.tagName);
  }
  return { text: texts.join("\\n"), names, bare };
}"""


@dataclass
class Centre:
    """A morning's data that makes every staff page show times and codes."""

    application: dict
    ticket: dict


@pytest.fixture
def centre(server) -> Centre:
    kiosk = server.add_device("ieejas-terminalis", "kiosk")
    server.add_device("zales-ekrans", "display")
    server.add_device("vertetajs", "feedback", "c1")
    server.add_user("inese", "clerk", counter_id="c1", department_id="registry")
    server.add_user("marta", "manager")
    server.add_user("ilze", "admin")
    with server.client(server.login("ilze")) as http:
        http.post(
            "/admin/hours",
            json={"date": "2026-12-24", "hours": ["09:00-13:00"], "note": "Ziemassvētku vakars"},
        ).raise_for_status()
    with server.client(kiosk) as http:
        http.post("/devices/me/status", json={"printer": "paper_out", "detail": ""})
        ticket = http.post(
            "/tickets", json={"service_id": "residence", "language": "ru", "priority": True}
        ).json()
        http.post("/tickets", json={"service_id": "residence", "language": "lv"})
        fields = {
            "name": "Jānis Bērziņš",
            "personal_code": "120389-11220",
            "phone": "20000000",
            "text": "Lūdzu izziņu.",
            "delivery": "in_person",
        }
        application = http.post(
            "/applications",
            json={
                "type_id": "certificate-request",
                "language": "ru",
                "fields": fields,
                "consent": True,
            },
        ).json()
    with server.client(server.login("inese", counter_id="c1")) as http:
        http.post("/counters/c1/open").raise_for_status()
        http.post("/counters/c1/call-next").raise_for_status()
    return Centre(application, ticket)


def _console(page: Page, language: str, centre: Centre) -> None:
    sign_in(page, "inese", counter="c1")
    page.goto(f"/console?lang={language}")
    expect(page.locator("#current-number")).to_have_text(centre.ticket["number"])
    expect(page.locator("#connection-status")).not_to_be_empty()
    expect(page.locator("#waiting-list tr")).to_have_count(1)
    expect(page.locator("#current-language")).to_have_text(
        {"lv": "krievu", "ru": "русский", "en": "Russian"}[language]
    )


def _back_office(page: Page, language: str, centre: Centre) -> None:
    sign_in(page, "inese", counter="c1")
    page.goto(f"/applications?lang={language}")
    row = page.locator("#inbox-table tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(4)).to_have_text(NOW[language])
    row.locator("button").click()
    expect(page.locator("#detail-history li")).to_have_count(1)
    expect(page.locator("#detail-history li")).to_contain_text(NOW[language])


def _manager(page: Page, language: str, centre: Centre) -> None:
    sign_in(page, "marta")
    page.goto(f"/manager?lang={language}")
    expect(page.locator("#devices-table tr")).to_have_count(3)
    expect(page.locator("#faults-list li").first).to_contain_text(NOW[language])
    expect(page.locator("#storage-status")).not_to_be_empty()
    expect(page.locator("#connection-status")).not_to_be_empty()


def _admin(page: Page, language: str, centre: Centre) -> None:
    sign_in(page, "ilze")
    page.goto(f"/admin?lang={language}")
    kiosk = page.locator("#devices-table tr", has_text="ieejas-terminalis")
    expect(kiosk.locator("td").nth(3)).to_have_text(NOW[language])
    expect(page.locator("#hours-table td").first).to_have_text(CHRISTMAS_EVE[language])
    expect(page.locator("#users-table tr", has_text="inese")).to_be_visible()


def _reports(page: Page, language: str, centre: Centre) -> None:
    sign_in(page, "marta")
    page.goto(f"/reports?lang={language}&from=2026-11-01&to=2026-11-30")
    expect(page.locator("#report-period")).to_have_text(
        {
            "lv": "01.11.2026 — 30.11.2026",
            "ru": "01.11.2026 — 30.11.2026",
            "en": "01/11/2026 — 30/11/2026",
        }[language]
    )


PAGES: dict[str, Callable[[Page, str, Centre], None]] = {
    "console": _console,
    "back-office": _back_office,
    "manager": _manager,
    "admin": _admin,
    "reports": _reports,
}


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_staff_page_speaks_the_centres_time_and_the_chosen_language(
    open_page, centre: Centre, name: str, language: str
) -> None:
    page = open_page("/login", **BROWSER)
    PAGES[name](page, language, centre)
    found = page.evaluate(COLLECT)
    problems = [f"unformatted time {m.group(0)!r}" for m in ISO_TIME.finditer(found["text"])]
    if language != "en":  # in English some codes are also plain words
        raw = sorted({match.group(0) for match in CODES.finditer(found["text"])})
        problems += [f"code value shown untranslated: {code!r}" for code in raw]
    problems += [f"status shown only as a symbol: #{where}" for where in found["bare"]]
    names = found["names"]
    problems += ["a form field without a label"] * names.count("")
    problems += [
        f"form fields sharing the label {label!r}"
        for label in sorted({label for label in names if label and names.count(label) > 1})
    ]
    assert problems == [], f"on the {name} page in {language}"
    if language == "lv":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"staff-{name}.png"), full_page=True)
