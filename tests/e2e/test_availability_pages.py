"""The availability pages in real headless Chromium at phone width against the real server
with the demo data: search by county and district (and by distance), book through the
eligibility check to a confirmation the API can look up, a full slot refused on the page,
the citizen's "my booking" page (look up, move to another session, cancel, and the refusals
it words), the clinic quick update (mark full, capacity, leftover doses), the language switch; and
the issue's done-when: after a quick update, a third party reading the open data and the
SMART Scheduling Links feed finds what the find page shows, with no wait.

One server and one browser serve the whole module (each test uses its own sites), so each
test costs seconds. Screenshots go to ``$VAXX_TEST_ARTIFACTS`` (default
``test-artifacts/screenshots/`` under the repository) for people to look at.

Needs Debian's ``chromium`` and ``chromium-driver``; skips with that reason when absent.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from booking.taiwan import TAIPEI
from tests.e2e.conftest import RunningServer
from tests.e2e.processes import ServerProcess

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PHONE = (390, 844)
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# Demo sites (booking/demo_sites.csv), one per test so the tests do not meet.
TAICHUNG = {"0901000007", "0901000008", "0901000009"}
RENAI = "0901000002"  # booking
XINYI = "0901000003"  # full slot
BANQIAO = "0901000004"  # clinic quick update (the nurse's site) and the done-when
FAR_EASTERN = "0901000005"  # my booking: move and cancel (Banqiao's district: a site filter)
SANCHONG = "0901000006"  # my booking: wrong birth date, a booking cancelled meanwhile
NOT_LISTED_PERSON = "A123456789"


def _demo_person(serial: int) -> str:
    """The demo's synthetic national IDs (booking.demo): 1-60 are on the eligibility list,
    1-30 hold bookings and 31-36 had a dose today."""
    body = f"1{serial:07d}"
    total = 1 + sum(int(d) * w for d, w in zip(body, range(8, 0, -1), strict=True))
    return f"A{body}{(10 - total % 10) % 10}"


ELIGIBLE_PERSON = _demo_person(41)


@dataclass(frozen=True)
class Live:
    server: RunningServer
    staff: dict[str, str]
    nurse_token: str

    @property
    def base(self) -> str:
        return self.server.base_url

    def get(self, path: str, **kwargs: Any) -> Any:
        response = httpx.get(f"{self.base}{path}", timeout=30, **kwargs)
        assert response.status_code == 200, response.text
        kind = response.headers["content-type"]
        return response.json() if "json" in kind and "ndjson" not in kind else response.text


def _cli(server: RunningServer, *args: str) -> str:
    done = server.vaxx(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with ServerProcess(tmp_path_factory.mktemp("pages-server")) as process:
        server = RunningServer.of(process)
        _cli(server, "demo", "load")
        token = _cli(
            server,
            "clients",
            "create",
            "--name",
            "cdc",
            "--scope",
            "booking-staff",
            "--scope",
            "admin",
            "--print-token",
        ).strip()
        staff = {"Authorization": f"Bearer {token}"}
        nurse = _api_client(server.base_url, staff, "Banqiao nurse", "site-staff")
        bound = httpx.put(
            f"{server.base_url}/booking/staff/bindings",
            json={"client_id": nurse["id"], "site_code": BANQIAO},
            headers=staff,
        )
        assert bound.status_code == 200, bound.text
        yield Live(server=server, staff=staff, nurse_token=nurse["token"])


def _api_client(base: str, admin: dict[str, str], name: str, scope: str) -> dict[str, str]:
    """A new API client made over the admin API (quicker than another CLI process)."""
    made = httpx.post(
        f"{base}/admin/clients", json={"name": name, "scopes": [scope]}, headers=admin
    )
    assert made.status_code == 201, made.text
    return {"id": made.json()["id"], "token": made.json()["token"]}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("Chromium is absent: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("pages-browser")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--lang=en-US",
        f"--window-size={PHONE[0]},{PHONE[1]}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_window_size(*PHONE)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: WebDriver, live: Live) -> Iterator[WebDriver]:
    """The browser with nothing remembered from an earlier test (language, token)."""
    browser.get(f"{live.base}/pages/options.json")
    browser.execute_script("localStorage.clear(); sessionStorage.clear();")
    browser.get_log("browser")
    yield browser
    # A script error or a Content-Security-Policy violation is logged as SEVERE.
    errors = [
        entry["message"]
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE" and "Failed to load resource" not in entry["message"]
    ]
    browser.get(f"{live.base}/pages/options.json")
    browser.execute_script("localStorage.clear(); sessionStorage.clear();")
    assert errors == []


def _artifacts() -> Path:
    default = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
    directory = Path(os.environ.get("VAXX_TEST_ARTIFACTS") or default)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _screenshot(driver: WebDriver, name: str) -> Path:
    """A phone-width picture of the whole page (taller than the screen when it scrolls)."""
    height = driver.execute_script(
        "window.scrollTo(0, 0);"
        "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight"
    )
    driver.set_window_size(PHONE[0], max(PHONE[1], min(int(height), 4000)))
    path = _artifacts() / f"{name}.png"
    try:
        assert driver.save_screenshot(str(path))
    finally:
        driver.set_window_size(*PHONE)
    assert path.stat().st_size > 1000, path
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path


def _wait(driver: WebDriver, condition: Callable[[WebDriver], Any], timeout: float = 20) -> Any:
    """Poll ``condition``; a page re-rendering under it (stale elements) is polled again."""
    wait = WebDriverWait(driver, timeout, ignored_exceptions=[StaleElementReferenceException])
    return wait.until(condition)


def _shown(driver: WebDriver, element_id: str) -> str:
    def text(d: WebDriver) -> str | bool:
        box = d.find_element(By.ID, element_id)
        return box.text if box.is_displayed() and box.text else False

    found: str = _wait(driver, text)
    return found


def _cards(driver: WebDriver) -> list[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, "#results article.site")


def _sites(driver: WebDriver) -> list[str]:
    """The site codes of the result cards, in order (read in one go, not element by element)."""
    codes: list[str] = driver.execute_script(
        "return [...document.querySelectorAll('#results article.site')].map(e => e.dataset.site)"
    )
    return codes


def _search_done(driver: WebDriver) -> None:
    _wait(
        driver,
        lambda d: re.search(r"\d+ site\(s\)|No sessions", d.find_element(By.ID, "status").text),
    )


def _select(driver: WebDriver, element_id: str, value: str) -> None:
    driver.execute_script(
        "const el = document.getElementById(arguments[0]); el.value = arguments[1];"
        "el.dispatchEvent(new Event('change'));",
        element_id,
        value,
    )


def _set_input(driver: WebDriver, element_id: str, value: str) -> None:
    field = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].value = arguments[1];", field, value)


def test_search_by_county_district_and_distance(page: WebDriver, live: Live) -> None:
    page.get(f"{live.base}/find")
    _search_done(page)
    assert set(_sites(page)) > TAICHUNG
    _select(page, "county", "66000")
    _wait(page, lambda d: set(_sites(d)) == TAICHUNG)
    rows = live.get("/open-data/availability", params={"county": "66000"})
    items = page.find_elements(By.CSS_SELECTOR, "#results li.session")
    assert len(items) == len(rows)
    assert "county=66000" in page.current_url

    page.execute_cdp_cmd(
        "Browser.grantPermissions", {"origin": live.base, "permissions": ["geolocation"]}
    )
    page.execute_cdp_cmd(
        "Emulation.setGeolocationOverride",
        {"latitude": 24.157, "longitude": 120.683, "accuracy": 10},
    )
    page.find_element(By.ID, "locate").click()
    _wait(page, lambda d: "Sorted by distance" in d.find_element(By.ID, "status").text)
    assert _sites(page)[0] == "0901000009"  # the mobile station stands where we are
    assert "km away" in _cards(page)[0].text
    _screenshot(page, "find-taichung-by-distance")

    _select(page, "district", "南區")
    _wait(page, lambda d: _sites(d) == ["0901000008"])


def test_partner_rows_are_marked_stale_and_book_on_the_partner_site(
    page: WebDriver, live: Live
) -> None:
    token = _api_client(live.base, live.staff, "Hualien HIS", "availability-source")["token"]
    now = datetime.now(TAIPEI)
    start = datetime.combine(now.date() + timedelta(days=1), dt_time(9, 0), TAIPEI)
    partner_url = "https://booking.example.tw/hualien?slot=s1"
    push = {
        "as_of": (now - timedelta(hours=3)).isoformat(),
        "locations": [
            {
                "id": "hl-1",
                "name": "花蓮示範醫院",
                "county": "花蓮縣",
                "district": "花蓮市",
                "address": "中央路1號",
            }
        ],
        "slots": [
            {
                "id": "s1",
                "location_id": "hl-1",
                "vaccine": "CoV Moderna",
                "funding": "public",
                "start": start.isoformat(),
                "end": (start + timedelta(hours=3)).isoformat(),
                "capacity": 30,
                "available": 12,
                "booking_url": partner_url,
            }
        ],
    }
    pushed = httpx.put(
        f"{live.base}/availability/partner",
        json=push,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert pushed.status_code == 200, pushed.text
    assert pushed.json()["stale"] is True

    page.get(f"{live.base}/find?county=10015")
    _search_done(page)
    card = page.find_element(By.CSS_SELECTOR, 'article.site[data-site="hl-1"]')
    assert card.get_attribute("data-source") == "Hualien HIS"
    assert "Source: Hualien HIS" in card.text
    assert "May be out of date" in card.find_element(By.CSS_SELECTOR, ".badge.stale").text
    link = card.find_element(By.CSS_SELECTOR, "a.book")
    assert link.get_attribute("href") == partner_url
    assert link.get_attribute("target") == "_blank"
    assert "partner" in link.text
    item = card.find_element(By.CSS_SELECTOR, "li.session")
    assert (item.get_attribute("data-available"), item.get_attribute("data-capacity")) == (
        "12",
        "30",
    )
    _screenshot(page, "find-partner-stale")


def _first_open_slot(live: Live, site: str, *, skip: int = 0) -> int:
    rows = live.get("/open-data/availability", params={"site": site, "available_only": "true"})
    url = rows[skip]["booking_url"]
    return int(parse_qs(urlparse(url).query)["slot"][0])


def test_book_checks_eligibility_then_confirms(page: WebDriver, live: Live) -> None:
    page.get(f"{live.base}/find?county=63000")
    _search_done(page)
    card = page.find_element(By.CSS_SELECTOR, f'#results article.site[data-site="{RENAI}"]')
    link = card.find_element(By.CSS_SELECTOR, "a.book")
    slot_id = int(parse_qs(urlparse(link.get_attribute("href") or "").query)["slot"][0])
    link.click()
    _wait(page, lambda d: d.find_element(By.ID, "person-form").is_displayed())
    assert "Taipei City Hospital Renai" in page.find_element(By.ID, "slot-site").text
    before = live.get(f"/booking/slots/{slot_id}")

    page.find_element(By.ID, "id-value").send_keys(NOT_LISTED_PERSON)
    _set_input(page, "birth-date", "1960-02-03")
    page.find_element(By.ID, "check").click()
    _wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#reasons li"))
    reasons = page.find_elements(By.CSS_SELECTOR, "#reasons li")
    assert [r.get_attribute("data-code") for r in reasons] == ["not_listed"]
    assert "not on this week's eligibility list" in reasons[0].text
    assert not page.find_element(By.ID, "confirm").is_displayed()
    _screenshot(page, "book-not-eligible")

    field = page.find_element(By.ID, "id-value")
    field.clear()
    field.send_keys(ELIGIBLE_PERSON)
    _set_input(page, "birth-date", "1950-03-04")
    page.find_element(By.ID, "check").click()
    _wait(page, lambda d: d.find_element(By.ID, "confirm").is_displayed())
    assert "You may book this session (dose 1)" in page.find_element(By.ID, "eligibility").text
    page.find_element(By.ID, "confirm").click()
    reference = _shown(page, "reference")
    assert re.fullmatch(r"[A-Z0-9\-]{6,16}", reference), reference
    assert not page.find_element(By.ID, "person-form").is_displayed()
    _screenshot(page, "book-confirmation")

    found = httpx.post(
        f"{live.base}/booking/appointments/lookup",
        json={"reference": reference, "birth_date": "1950-03-04"},
    )
    assert found.status_code == 200, found.text
    assert (found.json()["slot"]["id"], found.json()["status"]) == (slot_id, "booked")
    assert live.get(f"/booking/slots/{slot_id}")["booked"] == before["booked"] + 1

    page.get(f"{live.base}/book?site={RENAI}")  # the SMART Location's link
    _wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#site-session-list li"))
    assert "Taipei City Hospital Renai" in page.find_element(By.ID, "status").text
    listed = page.find_elements(By.CSS_SELECTOR, "#site-session-list li")
    assert len(listed) == len(live.get("/open-data/availability", params={"site": RENAI}))
    first = listed[0].find_element(By.CSS_SELECTOR, "a.book").get_attribute("href") or ""
    assert "/book?slot=" in first


def test_full_slot_shows_a_message_and_books_nothing(page: WebDriver, live: Live) -> None:
    slot_id = _first_open_slot(live, XINYI)
    full = httpx.post(f"{live.base}/booking/staff/slots/{slot_id}/full", headers=live.staff)
    assert full.status_code == 200, full.text
    before = live.get(f"/booking/slots/{slot_id}")
    assert before["available"] == 0

    page.get(f"{live.base}/book?slot={slot_id}")
    message = _shown(page, "slot-message")
    assert "This session is full" in message
    assert not page.find_element(By.ID, "person-form").is_displayed()
    assert not page.find_elements(By.CSS_SELECTOR, "#confirm:not([hidden])")
    _screenshot(page, "book-full-slot")
    assert live.get(f"/booking/slots/{slot_id}") == before

    page.get(f"{live.base}/find?county=63000")
    _search_done(page)
    item = page.find_element(
        By.CSS_SELECTOR,
        f'li.session[data-site="{XINYI}"][data-date="{before["day"]}"]'
        f'[data-session="{before["session"]}"]',
    )
    assert item.get_attribute("data-status") == "full"
    assert not item.find_elements(By.CSS_SELECTOR, "a.book")


def _lookup(live: Live, reference: str, birth_date: str) -> dict[str, Any]:
    """The appointment as the API tells it (what the page should agree with)."""
    found = httpx.post(
        f"{live.base}/booking/appointments/lookup",
        json={"reference": reference, "birth_date": birth_date},
        timeout=30,
    )
    assert found.status_code == 200, found.text
    answer: dict[str, Any] = found.json()
    return answer


def _listed_slots(driver: WebDriver) -> list[int]:
    ids: list[str] = driver.execute_script(
        "return [...document.querySelectorAll('#other-list li.session')].map(e => e.dataset.slot)"
    )
    return [int(i) for i in ids]


def _move_to(page: WebDriver, slot_id: int) -> None:
    selector = f'#other-list li.session[data-slot="{slot_id}"] button.move'
    page.find_element(By.CSS_SELECTOR, selector).click()


def test_my_booking_moves_then_cancels_the_booking(page: WebDriver, live: Live) -> None:
    slot_id, person, birth = _first_open_slot(live, FAR_EASTERN), _demo_person(42), "1950-05-06"
    page.get(f"{live.base}/book?slot={slot_id}")
    _wait(page, lambda d: d.find_element(By.ID, "person-form").is_displayed())
    page.find_element(By.ID, "id-value").send_keys(person)
    _set_input(page, "birth-date", birth)
    page.find_element(By.ID, "check").click()
    _wait(page, lambda d: d.find_element(By.ID, "confirm").is_displayed())
    page.find_element(By.ID, "confirm").click()
    reference = _shown(page, "reference")
    manage = page.find_element(By.ID, "manage")
    assert manage.text == "Manage your booking"
    assert manage.get_attribute("href") == f"{live.base}/my-booking?ref={reference}"
    manage.click()

    _wait(page, lambda d: d.find_element(By.ID, "reference").get_attribute("value") == reference)
    assert page.find_element(By.TAG_NAME, "h1").text == "My booking"
    assert page.find_element(By.ID, "birth-date").get_attribute("value") == ""
    _set_input(page, "birth-date", birth)
    page.find_element(By.ID, "lookup").click()
    assert _shown(page, "shown-reference") == reference
    assert birth not in page.current_url
    assert page.find_element(By.ID, "appointment-status").text == "Booked"
    assert "Far Eastern Memorial Hospital" in page.find_element(By.ID, "appointment-site").text
    assert "CoV Moderna" in page.find_element(By.ID, "appointment-vaccine").text
    assert page.find_element(By.ID, "appointment-person").text == f"{person[:3]}****{person[-3:]}"

    page.find_element(By.ID, "change").click()
    _wait(page, _listed_slots)
    same_district = live.get(
        "/booking/slots",
        params={"county": "65000", "district": "板橋區", "vaccine": "CoV Moderna", "limit": 500},
    )
    assert {s["site_code"] for s in same_district} >= {FAR_EASTERN, BANQIAO}
    ours = [s for s in same_district if s["site_code"] == FAR_EASTERN and s["id"] != slot_id]
    in_time_order = sorted(ours, key=lambda s: datetime.fromisoformat(s["start"]))
    assert _listed_slots(page) == [s["id"] for s in in_time_order]
    _screenshot(page, "my-booking-sessions")

    # A session that fills up while the list is on screen: refused, and it leaves the list.
    taken, target = _listed_slots(page)[:2]
    full = httpx.post(f"{live.base}/booking/staff/slots/{taken}/full", headers=live.staff)
    assert full.status_code == 200, full.text
    _move_to(page, taken)
    assert "This session has just filled up" in _shown(page, "error")
    _wait(page, lambda d: taken not in _listed_slots(d))
    assert _lookup(live, reference, birth)["slot"]["id"] == slot_id

    old_before = live.get(f"/booking/slots/{slot_id}")["booked"]
    new_before = live.get(f"/booking/slots/{target}")["booked"]
    _move_to(page, target)
    assert "Moved to" in _shown(page, "notice")
    moved = _lookup(live, reference, birth)
    assert (moved["slot"]["id"], moved["status"]) == (target, "booked")
    assert live.get(f"/booking/slots/{slot_id}")["booked"] == old_before - 1
    assert live.get(f"/booking/slots/{target}")["booked"] == new_before + 1
    assert not page.find_element(By.ID, "other-sessions").is_displayed()
    day = page.find_element(By.ID, "appointment-date")
    assert day.get_attribute("data-day") == live.get(f"/booking/slots/{target}")["day"]
    assert day.text in page.find_element(By.ID, "notice").text
    _screenshot(page, "my-booking")

    page.find_element(By.ID, "cancel").click()
    question = _shown(page, "cancel-confirm")
    assert "Cancel this booking?" in question
    assert not page.find_element(By.ID, "manage-actions").is_displayed()
    page.find_element(By.ID, "cancel-no").click()
    _wait(page, lambda d: d.find_element(By.ID, "manage-actions").is_displayed())
    assert _lookup(live, reference, birth)["status"] == "booked"
    page.find_element(By.ID, "cancel").click()
    _shown(page, "cancel-confirm")
    page.find_element(By.ID, "cancel-yes").click()
    _wait(page, lambda d: d.find_element(By.ID, "appointment-status").text == "Cancelled")
    assert "Your booking is cancelled" in _shown(page, "notice")
    assert "has been cancelled" in _shown(page, "appointment-note")
    assert not page.find_element(By.ID, "manage-actions").is_displayed()
    assert _lookup(live, reference, birth)["status"] == "cancelled"
    assert live.get(f"/booking/slots/{target}")["booked"] == new_before
    _screenshot(page, "my-booking-cancelled")


def test_my_booking_words_a_wrong_birth_date_and_a_booking_cancelled_meanwhile(
    page: WebDriver, live: Live
) -> None:
    birth = "1950-07-08"
    made = httpx.post(
        f"{live.base}/booking/appointments",
        json={
            "slot_id": _first_open_slot(live, SANCHONG),
            "id_type": "national-id",
            "id_value": _demo_person(43),
            "birth_date": birth,
        },
        timeout=30,
    )
    assert made.status_code == 201, made.text
    reference = made.json()["reference"]

    page.get(f"{live.base}/my-booking?ref={reference.lower()}")
    _wait(page, lambda d: d.find_element(By.ID, "reference").get_attribute("value") == reference)
    _set_input(page, "birth-date", "1950-07-09")
    page.find_element(By.ID, "lookup").click()
    not_found = "No booking matches this reference and date of birth"
    assert not_found in _shown(page, "error")
    assert not page.find_element(By.ID, "appointment").is_displayed()
    page.find_element(By.ID, "lang-switch").click()
    _wait(page, lambda d: "查無符合的預約" in d.find_element(By.ID, "error").text)
    _screenshot(page, "my-booking-not-found-zh-TW")
    page.find_element(By.ID, "lang-switch").click()
    _wait(page, lambda d: not_found in d.find_element(By.ID, "error").text)

    field = page.find_element(By.ID, "reference")
    field.clear()
    field.send_keys("00000000")  # an unknown reference reads the same as a wrong birth date
    _set_input(page, "birth-date", birth)
    page.find_element(By.ID, "lookup").click()
    assert not_found in _shown(page, "error")

    field.clear()
    field.send_keys(reference)
    page.find_element(By.ID, "lookup").click()
    _wait(page, lambda d: d.find_element(By.ID, "appointment-status").text == "Booked")
    assert not page.find_element(By.ID, "error").is_displayed()

    # Cancelled elsewhere (the call centre, another tab) while this page shows it as booked.
    gone = httpx.post(
        f"{live.base}/booking/appointments/cancel",
        json={"reference": reference, "birth_date": birth},
        timeout=30,
    )
    assert gone.status_code == 200, gone.text
    page.find_element(By.ID, "cancel").click()
    _shown(page, "cancel-confirm")
    page.find_element(By.ID, "cancel-yes").click()
    assert "already been cancelled" in _shown(page, "error")
    _wait(page, lambda d: d.find_element(By.ID, "appointment-status").text == "Cancelled")
    assert not page.find_element(By.ID, "manage-actions").is_displayed()

    page.get(f"{live.base}/my-booking?ref={reference}")
    _set_input(page, "birth-date", birth)
    page.find_element(By.ID, "lookup").click()
    assert "has been cancelled" in _shown(page, "appointment-note")
    assert page.find_element(By.ID, "appointment-status").text == "Cancelled"
    assert not page.find_element(By.ID, "manage-actions").is_displayed()
    assert _lookup(live, reference, birth)["status"] == "cancelled"


def _clinic_sign_in(page: WebDriver, live: Live) -> None:
    page.get(f"{live.base}/clinic/")
    page.find_element(By.ID, "token").send_keys(live.nurse_token)
    page.find_element(By.ID, "sign-in").click()
    _wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#sessions article.session-card"))
    assert page.execute_script("return localStorage.length") == 0
    assert page.execute_script("return sessionStorage.getItem('vaxx-clinic-token')")


def _card(page: WebDriver, slot_id: int) -> WebElement:
    found: WebElement = page.find_element(
        By.CSS_SELECTOR, f'#sessions article.session-card[data-slot="{slot_id}"]'
    )
    return found


def _counts(page: WebDriver, slot_id: int) -> tuple[str, int, int]:
    card = _card(page, slot_id)
    counts = card.find_element(By.CSS_SELECTOR, ".counts")
    return (
        card.get_attribute("data-status") or "",
        int(counts.get_attribute("data-capacity") or -1),
        int(counts.get_attribute("data-available") or -1),
    )


def _tap(
    page: WebDriver, slot_id: int, button: str, expect: Callable[[tuple[str, int, int]], bool]
) -> None:
    _card(page, slot_id).find_element(By.CSS_SELECTOR, f"button.{button}").click()
    _wait(page, lambda d: expect(_counts(d, slot_id)))


def test_clinic_quick_update(page: WebDriver, live: Live) -> None:
    first, second = _first_open_slot(live, BANQIAO), _first_open_slot(live, BANQIAO, skip=1)
    _clinic_sign_in(page, live)
    assert "Banqiao nurse" in page.find_element(By.ID, "who").text

    booked = live.get(f"/booking/slots/{first}")["booked"]
    _tap(page, first, "full", lambda c: c[0] == "full")
    assert _counts(page, first) == ("full", booked, 0)
    assert live.get(f"/booking/slots/{first}")["available"] == 0

    capacity = live.get(f"/booking/slots/{second}")["capacity"]
    _tap(page, second, "plus", lambda c: c[1] == capacity + 1)
    _tap(page, second, "minus", lambda c: c[1] == capacity)
    _tap(page, second, "minus", lambda c: c[1] == capacity - 1)
    assert live.get(f"/booking/slots/{second}")["capacity"] == capacity - 1

    row = page.find_element(
        By.CSS_SELECTOR, '.leftover-row[data-vaccine="CoV Moderna"][data-funding="public"]'
    )
    amount = row.find_element(By.CSS_SELECTOR, "input.leftover-doses")
    amount.clear()
    amount.send_keys("3")
    row.find_element(By.CSS_SELECTOR, "button.announce").click()
    _wait(
        page,
        lambda d: (
            d.find_element(
                By.CSS_SELECTOR, '.leftover-row[data-vaccine="CoV Moderna"]'
            ).get_attribute("data-announced")
            == "3"
        ),
    )
    leftovers = live.get("/open-data/leftovers", params={"county": "65000"})
    assert [(r["site_id"], r["vaccine"], r["doses"]) for r in leftovers] == [
        (BANQIAO, "CoV Moderna", 3)
    ]
    _screenshot(page, "clinic-quick-update")

    page.get(f"{live.base}/find?county=65000")
    _search_done(page)
    listed = page.find_element(By.CSS_SELECTOR, f'#leftover-list li[data-site="{BANQIAO}"]')
    assert listed.get_attribute("data-doses") == "3"
    badge = page.find_element(By.CSS_SELECTOR, f'article.site[data-site="{BANQIAO}"] .leftover')
    assert "3 leftover doses" in badge.text

    page.get(f"{live.base}/clinic/")
    kept = page.execute_script("return sessionStorage.getItem('vaxx-clinic-token')")
    assert kept == live.nurse_token
    page.find_element(By.ID, "sign-out").click()
    assert page.execute_script("return sessionStorage.getItem('vaxx-clinic-token')") is None


def _smart_slots(live: Live, county: str) -> dict[str, dict[str, Any]]:
    """A third party's reading of the SMART feed: manifest, then the county's Slot file."""
    manifest = live.get("/$bulk-publish")
    urls = [o["url"] for o in manifest["output"] if o["type"] == "Slot"]
    wanted = [u for u in urls if u.endswith(f"slots-{county}.ndjson")]
    assert len(wanted) == 1, urls
    path = urlparse(wanted[0]).path
    lines = live.get(path).splitlines()
    return {s["id"]: s for s in (json.loads(line) for line in lines if line)}


def _smart_places(slots: dict[str, dict[str, Any]], slot_id: int) -> tuple[int, int]:
    """(free, busy) places of a booking slot in the feed (0 when a part is absent)."""

    def places(status: str) -> int:
        found = slots.get(f"{slot_id}.{status}")
        if found is None:
            return 0
        assert found["status"] == status
        return int(
            next(e["valueInteger"] for e in found["extension"] if "slot-capacity" in e["url"])
        )

    return places("free"), places("busy")


def test_quick_update_shows_in_open_data_and_smart_feed_at_once(
    page: WebDriver, live: Live
) -> None:
    """The issue's done-when: the page, the open data and the SMART feed agree right after a
    quick update (no cache wait: each is read with one request)."""
    rows = live.get("/open-data/availability", params={"site": BANQIAO, "available_only": "true"})
    targets = [int(parse_qs(urlparse(r["booking_url"]).query)["slot"][0]) for r in rows[2:4]]
    _clinic_sign_in(page, live)
    _tap(page, targets[0], "full", lambda c: c[0] == "full")
    capacity = _counts(page, targets[1])[1]
    _tap(page, targets[1], "plus", lambda c: c[1] == capacity + 1)
    expected = {slot_id: _counts(page, slot_id) for slot_id in targets}

    open_rows = live.get("/open-data/availability", params={"site": BANQIAO})
    feed = _smart_slots(live, "65000")
    page.get(f"{live.base}/find?county=65000")
    _search_done(page)
    for slot_id in targets:
        slot = live.get(f"/booking/slots/{slot_id}")
        key = (slot["day"], slot["session"], slot["vaccine_code"], slot["funding"])
        row = next(
            r for r in open_rows if (r["date"], r["session"], r["vaccine"], r["funding"]) == key
        )
        item = page.find_element(
            By.CSS_SELECTOR,
            f'li.session[data-site="{BANQIAO}"][data-date="{key[0]}"][data-session="{key[1]}"]'
            f'[data-vaccine="{key[2]}"][data-funding="{key[3]}"]',
        )
        shown = (
            item.get_attribute("data-status"),
            int(item.get_attribute("data-capacity") or -1),
            int(item.get_attribute("data-available") or -1),
        )
        status, capacity, available = expected[slot_id]
        assert shown == (status, capacity, available), slot_id
        assert (row["status"], row["capacity"], row["available"]) == shown, slot_id
        assert f"{available} of {capacity} left" in item.text
        assert _smart_places(feed, slot_id) == (available, capacity - available), slot_id
        assert (f"{slot_id}.free" in feed) == (status == "open"), slot_id


def test_language_switch(page: WebDriver, live: Live) -> None:
    page.get(f"{live.base}/find?county=10002")
    _search_done(page)
    assert page.find_element(By.TAG_NAME, "h1").text == "Where can I get a dose?"
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    page.find_element(By.ID, "lang-switch").click()
    _wait(page, lambda d: d.find_element(By.TAG_NAME, "h1").text == "哪裡可以打疫苗？")
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hant-TW"
    assert page.find_element(By.ID, "lang-switch").text == "English"
    _wait(page, lambda d: "個接種站" in d.find_element(By.ID, "status").text)
    card = page.find_element(By.CSS_SELECTOR, 'article.site[data-site="0901000010"]')
    assert card.find_element(By.TAG_NAME, "h3").text == "宜蘭縣頭城鎮衛生所"
    assert "可預約" in card.text
    assert page.find_element(By.CSS_SELECTOR, "#county option:checked").text == "宜蘭縣"
    _screenshot(page, "find-zh-TW")

    page.get(f"{live.base}/clinic/")
    assert page.find_element(By.TAG_NAME, "h1").text == "診所快速更新"
    assert page.find_element(By.ID, "sign-in").text == "登入"
    page.get(f"{live.base}/book?slot={_first_open_slot(live, '0901000010')}")
    _wait(page, lambda d: d.find_element(By.ID, "person-form").is_displayed())
    assert page.find_element(By.ID, "check").text == "檢查資格"
    assert "頭城" in page.find_element(By.ID, "slot-site").text
    page.find_element(By.ID, "lang-switch").click()
    _wait(page, lambda d: d.find_element(By.ID, "check").text == "Check eligibility")
    assert "Toucheng Health Center" in page.find_element(By.ID, "slot-site").text
