"""QR pictures to text with zxing-cpp, bounded in bytes and pixels.

``formats=QRCode`` (PERFORMANCE.md: the all-formats default is 8-12x slower). The
pixel count is checked from the image header *before* Pillow decodes the pixels, so a
small file that claims a huge canvas is refused without allocating it.
"""

from __future__ import annotations

import io
import warnings

from verifier.errors import PictureUnreadable

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 24_000_000


def read_qr(data: bytes) -> str:
    """The text of the first QR code in a PNG/JPEG picture."""
    import zxingcpp
    from PIL import Image

    if len(data) > MAX_IMAGE_BYTES:
        raise PictureUnreadable(f"picture larger than {MAX_IMAGE_BYTES} bytes")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PictureUnreadable(f"picture has more than {MAX_PIXELS} pixels")
            grey = image.convert("L")
    except PictureUnreadable:
        raise
    except Exception as exc:
        raise PictureUnreadable(f"not a readable picture: {type(exc).__name__}") from exc
    formats = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    # A clean screenshot or rendered PNG decodes in the quick pass (about half the time of
    # the full one); photos fall through to the full search (rotation, scaling, inversion).
    # A "pure" first pass was measured too: slower overall, so it is not used.
    for quick in (True, False):
        barcodes = zxingcpp.read_barcodes(
            grey,
            formats=formats,
            try_rotate=not quick,
            try_downscale=not quick,
            try_invert=not quick,
        )
        for barcode in barcodes:
            if barcode.valid and barcode.text:
                return str(barcode.text)
    raise PictureUnreadable("no QR code found in the picture")
