"""QR PNG/SVG decode back to their text at level Q with a quiet zone; the paper card's
fields and font lookup."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from issuer import card, paper, qr
from issuer.errors import BadRequest, RenderingUnavailable

HC1 = "HC1:" + "NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOOK.IR9B+9D-BNJ0EX4F3KV3" * 8
QUIET_MODULES = 4


def decode(image: Image.Image) -> zxingcpp.Barcode:
    barcode = zxingcpp.read_barcode(image, formats=zxingcpp.QRCode)
    assert barcode is not None
    return barcode


def test_png_decodes_at_level_q_with_a_quiet_zone() -> None:
    image = Image.open(io.BytesIO(qr.png(HC1))).convert("L")
    barcode = decode(image)
    assert barcode.text == HC1
    assert barcode.ec_level == "Q"
    border = QUIET_MODULES * qr.MODULE_PIXELS
    width, height = image.size
    for box in ((0, 0, width, border), (0, 0, border, height), (0, height - border, width, height)):
        assert image.crop(box).getextrema() == (255, 255), box


def test_svg_paths_draw_the_same_code() -> None:
    """Rasterise the SVG's runs by hand (no SVG library) and decode the picture."""
    text = qr.svg(HC1)
    width, height = (int(v) for v in re.search(r'viewBox="0 0 (\d+) (\d+)"', text).groups())  # type: ignore[union-attr]
    scale = 4
    image = Image.new("L", (width * scale, height * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, run in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", text):
        left, top = int(x) * scale, int(y) * scale
        draw.rectangle((left, top, left + int(run) * scale - 1, top + scale - 1), fill=0)
    assert decode(image).text == HC1


def test_text_too_long_for_a_qr_code_is_an_input_error() -> None:
    with pytest.raises(BadRequest, match="cannot encode"):
        qr.png("HC1:" + "A" * 5000)


VACCINATION: dict[str, Any] = {
    "ver": "1.3.0",
    "nam": {"fn": "陳", "gn": "小明", "fnt": "CHEN", "gnt": "HSIAO<MING"},
    "dob": "1985-03-14",
    "v": [
        {
            "tg": "840539006",
            "vp": "1119349007",
            "mp": "EU/1/20/1528",
            "ma": "ORG-100030215",
            "dn": 2,
            "sd": 2,
            "dt": "2021-08-02",
            "co": "TW",
            "is": "CDC",
            "ci": "URN:UVCI:01:TW:8XTU2FXLDR7V3T09V415FDMFC#X",
        }
    ],
}


def test_vaccination_fields_spell_out_codes_in_both_languages() -> None:
    shown = {f.en: f.value for f in card.fields(VACCINATION, bundle={})}
    assert shown["Name"] == "陳小明"
    assert shown["Name (English)"] == "CHEN, HSIAO MING"
    assert shown["Dose"] == "2 / 2"
    assert shown["Vaccine"].startswith("Comirnaty")
    assert shown["Country"] == "Taiwan  臺灣"
    assert shown["Certificate identifier"] == VACCINATION["v"][0]["ci"]


def test_english_name_comes_from_the_patient_as_written() -> None:
    bundle = {
        "entry": [
            {
                "resource": {
                    "resourceType": "Patient",
                    "name": [{"text": "陳小明"}, {"text": "CHEN, HSIAO-MING"}],
                }
            }
        ]
    }
    shown = {f.en: f.value for f in card.fields(VACCINATION, bundle)}
    assert shown["Name (English)"] == "CHEN, HSIAO-MING"


def test_test_fields() -> None:
    payload = {
        **{k: v for k, v in VACCINATION.items() if k != "v"},
        "t": [
            {
                "tg": "840539006",
                "tt": "LP6464-4",
                "sc": "2021-08-02T10:00:00+08:00",
                "tr": "260415000",
                "tc": "宜蘭縣頭城鎮衛生所",
                "co": "TW",
                "is": "CDC",
                "ci": "URN:UVCI:01:TW:80ETUPYY602A0FAH4B31B8P4E#W",
            }
        ],
    }
    shown = {f.en: f.value for f in card.fields(payload, bundle={})}
    assert shown["Testing centre"] == "宜蘭縣頭城鎮衛生所"
    assert "Not detected" in shown["Test result"]


def test_a_configured_font_that_is_missing_says_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(RenderingUnavailable, match="VAXX_ISSUER_PDF_FONT"):
        paper.find_fonts(tmp_path / "missing.ttf")
