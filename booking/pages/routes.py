"""Serve the pages and their assets, with a CSP that allows no inline script.

Each page's first language follows ``Accept-Language`` (Traditional Chinese unless the
reader prefers English); the page's own switch, remembered in the browser, overrides it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response
from fastapi.responses import RedirectResponse

from booking.taiwan import COUNTIES
from booking.vaccines import VACCINES
from vaxx.errors import NotFound

router = APIRouter(include_in_schema=False)

ASSETS = {
    "pages.css": "text/css; charset=utf-8",
    "i18n.js": "text/javascript; charset=utf-8",
    "find.js": "text/javascript; charset=utf-8",
    "book.js": "text/javascript; charset=utf-8",
    "clinic.js": "text/javascript; charset=utf-8",
    "my-booking.js": "text/javascript; charset=utf-8",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
_DEFAULT_LANG = 'lang="zh-Hant-TW"'


@cache
def _read(name: str) -> bytes:
    return resources.files("booking.pages.static").joinpath(name).read_bytes()


def preferred_language(accept_language: str | None) -> str:
    """``en`` when the reader ranks English above Chinese, else ``zh-Hant-TW``."""
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, index, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        if tag.startswith("zh"):
            return "zh-Hant-TW"
        if tag.startswith("en"):
            return "en"
    return "zh-Hant-TW"


def _page(name: str, accept_language: str | None) -> Response:
    lang = preferred_language(accept_language)
    body = _read(name).replace(_DEFAULT_LANG.encode(), f'lang="{lang}"'.encode(), 1)
    headers = SECURITY_HEADERS | {"Vary": "Accept-Language"}
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)


AcceptLanguage = Annotated[str | None, Header(alias="accept-language")]


@router.get("/find")
def find_page(accept_language: AcceptLanguage = None) -> Response:
    return _page("find.html", accept_language)


@router.get("/book")
def book_page(accept_language: AcceptLanguage = None) -> Response:
    return _page("book.html", accept_language)


@router.get("/my-booking")
def my_booking_page(accept_language: AcceptLanguage = None) -> Response:
    return _page("my-booking.html", accept_language)


@router.get("/clinic")
def clinic_redirect() -> RedirectResponse:
    return RedirectResponse("/clinic/", status_code=308)


@router.get("/clinic/")
def clinic_page(accept_language: AcceptLanguage = None) -> Response:
    return _page("clinic.html", accept_language)


@router.get("/pages/options.json")
def options() -> dict[str, Any]:
    """The counties and vaccines the pages offer, from the same tables the API checks."""
    return {
        "counties": [{"code": c.code, "zh": c.name_zh, "en": c.name_en} for c in COUNTIES],
        "vaccines": [{"code": v.code, "name": v.name} for v in VACCINES.values()],
    }


@router.get("/pages/assets/{name}")
def asset(name: str) -> Response:
    media_type = ASSETS.get(name)
    if media_type is None:
        raise NotFound(f"no page asset {name!r}")
    return Response(_read(name), media_type=media_type, headers=SECURITY_HEADERS)
