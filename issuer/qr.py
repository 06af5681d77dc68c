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

DARK, LIGHT = 0, 255
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
    """An SVG of ``text``, one unit per module, quiet zone included (scales freely).

    Drawn here as one path of horizontal runs: a third of the time of zxing-cpp's own SVG
    writer, which emits a rectangle per run through zint (``benchmarks/issue.py``).
    """
    matrix = _barcode(text).to_image(scale=1, add_quiet_zones=True)
    height, width = matrix.shape
    pixels = bytes(memoryview(matrix))  # type: ignore[arg-type]  # zxingcpp.Image is a buffer
    runs = []
    for y in range(height):
        row = pixels[y * width : (y + 1) * width]
        x = row.find(DARK)
        while x != -1:
            end = row.find(LIGHT, x)
            end = width if end == -1 else end
            runs.append(f"M{x} {y}h{end - x}v1h{x - end}z")
            x = row.find(DARK, end)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width * MODULE_PIXELS}" height="{height * MODULE_PIXELS}" '
        'shape-rendering="crispEdges">'
        f'<rect width="{width}" height="{height}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )
