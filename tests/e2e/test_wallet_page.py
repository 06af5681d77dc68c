"""The wallet page in real headless Chromium against the real server: a certificate issued
over the issuer API is claimed on the page, its QR (as the browser draws it) decodes with
zxing-cpp to the issued HC1, the PDF downloads, the wallet works offline, and wrong codes
end in a lockout that refuses even the right answer.

Needs Debian's ``chromium`` and ``chromium-driver``; skips with that reason when absent.
"""

from __future__ import annotations

import io
import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import zxingcpp
from PIL import Image

from tests.e2e.conftest import RunningServer

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("Chromium is absent: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--lang=en-US",
        "--window-size=1000,1400",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option(
        "prefs",
        {
            "intl.accept_languages": "en-US,en",
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
        },
    )
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    try:
        yield driver
    finally:
        driver.quit()


def _issue(server: RunningServer, shared_dir: Path) -> tuple[dict[str, Any], str]:
    made = server.vaxx(
        "clients", "create", "--name", "clinic", "--scope", "issuer", "--print-token"
    )
    assert made.returncode == 0, made.stderr
    clinic = {"Authorization": f"Bearer {made.stdout.strip()}"}
    bundle = json.loads((shared_dir / "examples" / "issue-vaccination-request.json").read_text())
    issued = httpx.post(f"{server.base_url}/issuer/certificates", json=bundle, headers=clinic)
    assert issued.status_code == 201, issued.text
    certificate: dict[str, Any] = issued.json()
    slip = httpx.post(
        f"{server.base_url}/wallet/api/claim-codes",
        json={"certificate_id": certificate["id"]},
        headers=clinic,
    )
    assert slip.status_code == 201, slip.text
    return certificate, str(slip.json()["claim_code"])


def _wait(driver: WebDriver, condition: Callable[[WebDriver], Any], timeout: float = 20) -> Any:
    return WebDriverWait(driver, timeout).until(condition)


def _submit(driver: WebDriver, code: str, birth_date: str) -> None:
    for element_id, value in (("code", code), ("birth-date", birth_date)):
        field = driver.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(value)
    driver.find_element(By.ID, "claim-submit").click()


def _error_text(driver: WebDriver) -> str:
    def shown(d: WebDriver) -> str | bool:
        box = d.find_element(By.ID, "claim-error")
        return box.text if box.is_displayed() and box.text else False

    text: str = _wait(driver, shown)
    return text


def _qr_text(driver: WebDriver) -> str:
    image = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "article.card img.qr"))
    _wait(driver, lambda d: d.execute_script("return arguments[0].naturalWidth", image) > 0)
    shot = Image.open(io.BytesIO(image.screenshot_as_png))
    # A full run once found 2 codes here with every format on (which, unrecorded): ask for
    # QR codes only, and name whatever is found if it happens again.
    found = zxingcpp.read_barcodes(shot, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, f"{[(c.format, c.text[:20]) for c in found]} in the QR element"
    return str(found[0].text)


def test_claim_view_download_offline_wrong_code_lockout(
    server: RunningServer, shared_dir: Path, browser: WebDriver, tmp_path: Path
) -> None:
    certificate, code = _issue(server, shared_dir)
    browser.get(f"{server.base_url}/wallet/")
    _wait(browser, lambda d: d.find_element(By.ID, "claim-title").text == "Claim a certificate")

    _submit(browser, "AAAA-AAAA-AAAA", "1985-03-14")
    assert _error_text(browser) == "The claim code or the birth date is wrong."

    _submit(browser, code, "1985-03-14")
    card = _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "article.card"))
    assert card.get_attribute("data-id") == certificate["id"]
    assert card.find_element(By.CSS_SELECTOR, ".status").text == "Valid"
    text = card.text
    for expected in ("陳小明", "1985-03-14", certificate["uvci"], "Name (English)"):
        assert expected in text
    assert _qr_text(browser) == certificate["hc1"]

    card.find_element(By.CSS_SELECTOR, "button.download").click()
    pdf = tmp_path / "downloads" / f"certificate-{certificate['id']}.pdf"
    _wait(browser, lambda d: pdf.is_file() and pdf.stat().st_size > 1000)
    assert pdf.read_bytes().startswith(b"%PDF-")

    _wait(browser, lambda d: d.execute_script("return !!navigator.serviceWorker.controller"))
    browser.refresh()  # this load goes through the service worker, which saves the data
    assert _qr_text(browser) == certificate["hc1"]

    _, second_code = _issue(server, shared_dir)
    messages = []
    for _ in range(6):
        _submit(browser, second_code, "2001-01-01")
        messages.append(_error_text(browser))
        if messages[-1].startswith("Too many attempts"):
            break
        browser.execute_script("document.getElementById('claim-error').hidden = true")
    assert messages[-1] == "Too many attempts: locked for a while, try again later."
    assert set(messages[:-1]) == {"The claim code or the birth date is wrong."}
    browser.execute_script("document.getElementById('claim-error').hidden = true")
    _submit(browser, second_code, "1985-03-14")
    assert _error_text(browser).startswith("Too many attempts")
    assert len(browser.find_elements(By.CSS_SELECTOR, "article.card")) == 1

    _stop(server)
    browser.refresh()
    _wait(browser, lambda d: d.find_element(By.ID, "offline").is_displayed())
    assert _qr_text(browser) == certificate["hc1"]
    assert browser.find_element(By.CSS_SELECTOR, ".status").text == "Valid"


def _stop(server: RunningServer) -> None:
    """Stop the server this test started (found by its port among this process's children),
    so the page really has no network; the fixture's teardown copes with a stopped server."""
    port = server.base_url.rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"serve" in cmdline and port.encode() in cmdline:
            os.kill(int(proc.name), signal.SIGTERM)
            _until_refused(server.base_url)
            return
    pytest.fail("could not find the server process to stop")


def _until_refused(base_url: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base_url}/healthz", timeout=1)
        except httpx.TransportError:
            return
        time.sleep(0.2)
    pytest.fail("the server did not stop")
