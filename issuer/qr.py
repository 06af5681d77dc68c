"""QR codes of HC1 strings: PNG and SVG, error correction level Q, a 4-module quiet zone.

Written with zxing-cpp's encoder, not ``qrcode``/``segno``: those choose the mask in pure
Python and took 66-106 ms per code here, against 5-7 ms (``benchmarks/issue.py`` measures
both). HC1 text is all in QR's alphanumeric set, so the encoder packs it at 5.5 bits a
character (hcert spec 4.1; ``../shared/standards/README.md`` section 3 step 7).
"""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from issuer.errors import BadRequest

MODULE_PIXELS = 4
"""PNG pixels per QR module: about 30 mm wide at 300 dpi for a typical DCC."""


def _barcode(text: str) -> zxingcpp.Barcode:
    try:
        return zxingcpp.create_barcode(text, zxingcpp.QRCode, ec_level="Q")
    except (ValueError, RuntimeError) as exc:
        raise BadRequest(f"cannot encode {len(text)} characters in a QR code: {exc}") from exc


def png(text: str, *, scale: int = MODULE_PIXELS) -> bytes:
    """A black-and-white PNG (1 bit per pixel) of ``text``, quiet zone included."""
    matrix = _barcode(text).to_image(scale=scale, add_quiet_zones=True)
    height, width = matrix.shape
    pixels = bytes(memoryview(matrix))  # type: ignore[arg-type]  # zxingcpp.Image is a buffer
    image = Image.frombuffer("L", (width, height), pixels, "raw", "L", 0, 1)
    buffer = io.BytesIO()
    image.convert("1").save(buffer, format="PNG")
    return buffer.getvalue()


def svg(text: str) -> str:
    """An SVG of ``text`` with one unit per module, quiet zone included (scales freely)."""
    return str(_barcode(text).to_svg(scale=1, add_quiet_zones=True))
