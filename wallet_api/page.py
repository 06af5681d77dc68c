"""The wallet page: static HTML, JS and CSS shipped in the package (no build step), served
at ``/wallet/``. The service worker lives at ``/wallet/sw.js`` so its scope is ``/wallet/``.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Response
from fastapi.responses import RedirectResponse

from wallet_api.errors import WalletError

router = APIRouter(include_in_schema=False)

ASSETS = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "sw.js": "text/javascript; charset=utf-8",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


class AssetNotFound(WalletError):
    code = "not_found"
    status = 404
    title = "Not found"


def _read(name: str) -> bytes:
    return resources.files("wallet_api").joinpath("static", name).read_bytes()


@router.get("/wallet")
def wallet_redirect() -> RedirectResponse:
    return RedirectResponse("/wallet/", status_code=308)


@router.get("/wallet/")
def wallet_page() -> Response:
    return Response(
        _read("index.html"), media_type="text/html; charset=utf-8", headers=SECURITY_HEADERS
    )


@router.get("/wallet/{asset}")
def wallet_asset(asset: str) -> Response:
    media_type = ASSETS.get(asset)
    if media_type is None:
        raise AssetNotFound(f"no wallet asset {asset!r}")
    return Response(_read(asset), media_type=media_type, headers=SECURITY_HEADERS)
