"""The paper certificate: one A4 page in Traditional Chinese and English beside the QR code.

Drawn with fpdf2, which embeds only the glyphs used (a subset of the CJK font, tens of
kilobytes instead of megabytes). Text is set in DejaVu Sans with a TrueType font holding
Traditional Chinese as the fallback for the glyphs DejaVu lacks: ``VAXX_ISSUER_PDF_FONT``,
else Droid Sans Fallback (Apache-2.0). Both default fonts ship in ``issuer/fonts`` so a fresh
install renders PDFs with nothing else installed (sources and licences in ``fonts/SOURCE.md``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF

from issuer import qr
from issuer.errors import RenderingUnavailable

FONT_DIR = Path(__file__).parent / "fonts"
LATIN_FONT = FONT_DIR / "DejaVuSans.ttf"
DEFAULT_CJK_FONT = FONT_DIR / "DroidSansFallbackFull.ttf"
TITLES = {
    "vaccination": ("數位新冠病毒疫苗接種證明", "Digital COVID-19 Vaccination Certificate"),
    "test": ("數位新冠病毒檢驗證明", "Digital COVID-19 Test Certificate"),
    "recovery": ("數位新冠病毒康復證明", "Digital COVID-19 Recovery Certificate"),
}
QR_MM = 80


@dataclass(frozen=True)
class Field:
    """One printed line: a label in both languages and its value."""

    zh: str
    en: str
    value: str


@dataclass(frozen=True)
class Fonts:
    latin: Path
    cjk: Path


def find_fonts(configured_cjk: Path | None) -> Fonts:
    """The fonts to embed, or :class:`RenderingUnavailable` saying what to install."""
    cjk = configured_cjk or DEFAULT_CJK_FONT
    for path in (LATIN_FONT, cjk):
        if not path.is_file():
            raise RenderingUnavailable(
                f"font {path} for the paper certificate is missing: reinstall vaxx or set "
                "VAXX_ISSUER_PDF_FONT to a TrueType file with Traditional Chinese glyphs"
            )
    return Fonts(latin=LATIN_FONT, cjk=cjk)


def render(
    *, kind: str, fields: list[Field], hc1: str, fonts: Fonts, created_at: datetime
) -> bytes:
    """The PDF bytes of one paper certificate."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_creation_date(created_at)
    pdf.set_title(TITLES[kind][1])
    pdf.add_font("latin", fname=str(fonts.latin))
    pdf.add_font("cjk", fname=str(fonts.cjk))
    pdf.set_fallback_fonts(["cjk"])
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    _heading(pdf, kind)
    pdf.image(io.BytesIO(qr.png(hc1)), x=pdf.w - pdf.r_margin - QR_MM, y=45, w=QR_MM, h=QR_MM)
    _fields(pdf, fields, width=pdf.w - pdf.l_margin - pdf.r_margin - QR_MM - 8)
    return bytes(pdf.output())


def _heading(pdf: FPDF, kind: str) -> None:
    zh, en = TITLES[kind]
    pdf.set_y(18)
    pdf.set_font("latin", size=20)
    pdf.cell(0, 10, zh, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("latin", size=14)
    pdf.cell(0, 8, en, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.line(pdf.l_margin, 40, pdf.w - pdf.r_margin, 40)


def _fields(pdf: FPDF, fields: list[Field], *, width: float) -> None:
    pdf.set_y(45)
    for field in fields:
        pdf.set_x(pdf.l_margin)
        pdf.set_font("latin", size=9)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(width, 5, f"{field.zh}  {field.en}", new_x="LMARGIN", new_y="NEXT")
        _fit(pdf, field.value or "-", width)
        pdf.set_text_color(0, 0, 0)
        pdf.multi_cell(width, 6, field.value or "-", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)


def _fit(pdf: FPDF, text: str, width: float) -> None:
    """Set the largest value size (12 pt down to 8 pt) at which ``text`` fits on one line, so
    a UVCI is never broken across lines; longer text wraps at 8 pt."""
    for size in range(12, 7, -1):
        pdf.set_font("latin", size=size)
        if pdf.get_string_width(text) <= width - 2:
            return
