"""The verifier web page in real headless Chromium against the real server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import RunningServer

pytestmark = pytest.mark.e2e
REQUEST = (
    Path(__file__).resolve().parents[2].parent / "shared/examples/issue-vaccination-request.json"
)


@pytest.fixture
def browser() -> Iterator[object]:
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        pytest.skip("chromium and chromedriver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(shutil.which("chromium"))
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(shutil.which("chromedriver"))))
    try:
        yield driver
    finally:
        driver.quit()


def _verdict(
    driver: object, token: str, *, qr: str | None = None, image: Path | None = None
) -> tuple[str, str]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    find = driver.find_element  # type: ignore[attr-defined]
    find(By.ID, "token").clear()
    find(By.ID, "token").send_keys(token)
    find(By.ID, "qr").clear()
    driver.execute_script("document.getElementById('image').value = ''")  # type: ignore[attr-defined]
    if qr is not None:
        driver.execute_script("document.getElementById('qr').value = arguments[0]", qr)  # type: ignore[attr-defined]
    if image is not None:
        find(By.ID, "image").send_keys(str(image))
    driver.execute_script("document.getElementById('result').hidden = true")  # type: ignore[attr-defined]
    find(By.ID, "submit").click()
    WebDriverWait(driver, 20).until(
        expected_conditions.visibility_of_element_located((By.ID, "result"))
    )
    verdict = find(By.ID, "verdict")
    return f"{verdict.get_attribute('class')}: {verdict.text}", find(By.ID, "holder").text


def test_page_shows_green_and_red_verdicts(
    server: RunningServer, browser: object, tmp_path: Path
) -> None:
    png = tmp_path / "qr.png"
    issued = server.vaxx("issue", str(REQUEST), "--png", str(png))
    assert issued.returncode == 0, issued.stderr
    qr = issued.stdout.strip().splitlines()[-1]
    token = server.vaxx(
        "clients", "create", "--name", "gate", "--scope", "verifier", "--print-token"
    )
    assert token.returncode == 0, token.stderr

    browser.get(f"{server.base_url}/verifier/")  # type: ignore[attr-defined]
    assert "健康證明查驗" in browser.title  # type: ignore[attr-defined]

    verdict, holder = _verdict(browser, token.stdout.strip(), qr=qr)
    assert verdict.replace("\n", " ") == "verdict valid: 有效 VALID"
    assert "出生日期 Date of birth" in holder

    verdict, holder = _verdict(browser, token.stdout.strip(), image=png)
    assert verdict.startswith("verdict valid:")

    tampered = qr[:-6] + ("A" if qr[-6] != "A" else "B") + qr[-5:]
    verdict, holder = _verdict(browser, token.stdout.strip(), qr=tampered)
    assert verdict.replace("\n", " ") == "verdict invalid: 無效 NOT VALID"
    assert holder == ""
