"""The availability pages are static, served with a CSP that allows no inline script, in
the reader's language (Accept-Language), with every script an external file."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from booking.pages.routes import preferred_language

PAGES = ("/find", "/book", "/my-booking", "/clinic/")


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_a_strict_csp_and_no_inline_script(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts
    assert all('src="/pages/assets/' in attrs and not body.strip() for attrs, body in scripts)
    assert " style=" not in page.text
    assert re.search(r"\son\w+=", page.text) is None
    for asset in re.findall(r'(?:src|href)="(/pages/assets/[^"]+)"', page.text):
        assert client.get(asset).status_code == 200, asset


def test_language_follows_accept_language(client: TestClient) -> None:
    english = client.get("/find", headers={"Accept-Language": "en-US,en;q=0.9,zh-TW;q=0.5"})
    assert '<html lang="en">' in english.text
    assert english.headers["vary"] == "Accept-Language"
    chinese = client.get("/find", headers={"Accept-Language": "zh-TW,zh;q=0.9,en;q=0.5"})
    assert '<html lang="zh-Hant-TW">' in chinese.text
    assert '<html lang="zh-Hant-TW">' in client.get("/book").text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "zh-Hant-TW"),
        ("", "zh-Hant-TW"),
        ("en", "en"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "en"),
        ("en;q=0.3,zh-Hant;q=0.8", "zh-Hant-TW"),
        ("ja, en;q=bad", "en"),
        ("de", "zh-Hant-TW"),
    ],
)
def test_preferred_language(header: str | None, expected: str) -> None:
    assert preferred_language(header) == expected


def test_assets_options_and_redirect(client: TestClient) -> None:
    script = client.get("/pages/assets/find.js")
    assert script.headers["content-type"].startswith("text/javascript")
    missing = client.get("/pages/assets/secret.py")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    options = client.get("/pages/options.json").json()
    assert len(options["counties"]) == 22
    assert {"code": "63000", "zh": "臺北市", "en": "Taipei City"} in options["counties"]
    assert "CoV Moderna" in [v["code"] for v in options["vaccines"]]
    moved = client.get("/clinic", follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (308, "/clinic/")


def test_every_string_key_used_by_the_pages_exists_in_both_languages() -> None:
    from importlib import resources

    static = resources.files("booking.pages.static")
    dictionary = static.joinpath("i18n.js").read_text("utf-8")
    defined = set(re.findall(r'^\s+"?([\w.\-]+)"?: \[', dictionary, re.M))
    used: set[str] = set()
    for name in ("find.html", "book.html", "my-booking.html", "clinic.html"):
        used |= set(
            re.findall(
                r'data-i18n(?:-aria|-title)?="([^"]+)"', static.joinpath(name).read_text("utf-8")
            )
        )
    for name in ("find.js", "book.js", "my-booking.js", "clinic.js"):
        used |= set(re.findall(r'\bt\("([\w.\-]+)"', static.joinpath(name).read_text("utf-8")))
    assert used
    assert used <= defined, used - defined
    pairs = re.findall(
        r'^\s+"?[\w.\-]+"?: \[\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)",?\s*\]',
        dictionary,
        re.M,
    )
    assert len(pairs) == len(defined)
    assert all(zh and en for zh, en in pairs)


def test_my_booking_is_linked_and_keeps_the_birth_date_out_of_urls(client: TestClient) -> None:
    """The find page's header and the booking confirmation lead to /my-booking; the link
    carries the reference only, and the lookup form has no named field a browser could put
    in a query string (the birth date is the booking's second factor)."""
    from importlib import resources

    static = resources.files("booking.pages.static")
    assert 'href="/my-booking"' in client.get("/find").text
    assert 'id="manage"' in client.get("/book").text
    book = static.joinpath("book.js").read_text("utf-8")
    links = re.findall(r"`/my-booking\?([^`]*)`", book)
    assert links == ["ref=${encodeURIComponent(booked.reference)}"]
    page = client.get("/my-booking", headers={"Accept-Language": "en"})
    assert '<html lang="en">' in page.text
    form = re.search(r'<form id="lookup-form"[^>]*>(.*?)</form>', page.text, re.S)
    assert form is not None
    assert re.search(r"<input\b", form.group(1))
    assert re.search(r"\sname=", form.group(1)) is None
    script = static.joinpath("my-booking.js").read_text("utf-8")
    assert "Storage" not in script


def test_my_booking_explains_each_refusal_and_status_in_both_languages() -> None:
    """The page words each problem ``code`` the lookup, cancel and reschedule calls answer
    with, and each appointment status, from the same classes the API raises."""
    from importlib import resources

    from booking.enums import AppointmentStatus
    from booking.errors import (
        AppointmentNotFound,
        DuplicateAppointment,
        InvalidTransition,
        SlotClosed,
        SlotFull,
        SlotNotFound,
    )

    dictionary = resources.files("booking.pages.static").joinpath("i18n.js").read_text("utf-8")
    entries = dict(
        re.findall(
            r'^\s+"?([\w.\-]+)"?: \[\s*("(?:[^"\\]|\\.)*",\s*"(?:[^"\\]|\\.)*")', dictionary, re.M
        )
    )
    refusals = (AppointmentNotFound, InvalidTransition, SlotFull, SlotClosed, SlotNotFound)
    wanted = [f"problem.{error.code}" for error in (*refusals, DuplicateAppointment)]
    wanted += [f"appointment.{status.value}" for status in AppointmentStatus]
    assert [key for key in wanted if key not in entries] == []
