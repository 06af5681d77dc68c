"""QR PNG/SVG and the paper PDF over HTTP: each decodes back to the certificate's HC1."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image

from tests.integration.issuer.test_register_api import issue


def read_qr(image: Image.Image) -> zxingcpp.Barcode:
    barcode = zxingcpp.read_barcode(image, formats=zxingcpp.QRCode)
    assert barcode is not None, "no QR code found"
    return barcode


def test_qr_png_decodes_to_the_hc1_at_level_q(
    client: TestClient, issuer_headers: dict[str, str], vaccination_bundle: dict[str, Any]
) -> None:
    issued = issue(client, issuer_headers, vaccination_bundle)
    response = client.get(issued["links"]["qr_png"], headers=issuer_headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    barcode = read_qr(Image.open(io.BytesIO(response.content)))
    assert barcode.text == issued["hc1"]
    assert barcode.ec_level == "Q"


def test_qr_svg_is_an_svg_of_the_same_code(
    client: TestClient, issuer_headers: dict[str, str], vaccination_bundle: dict[str, Any]
) -> None:
    issued = issue(client, issuer_headers, vaccination_bundle)
    response = client.get(issued["links"]["qr_svg"], headers=issuer_headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in response.text
    assert response.text.count("<path") + response.text.count("<rect") >= 1


def test_renderings_need_the_issuer_scope(
    client: TestClient, issuer_headers: dict[str, str], vaccination_bundle: dict[str, Any]
) -> None:
    issued = issue(client, issuer_headers, vaccination_bundle)
    for link in issued["links"].values():
        assert client.get(link).status_code == 401


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs Debian poppler-utils")
def test_pdf_shows_both_languages_and_its_qr_decodes(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    tmp_path: Path,
) -> None:
    issued = issue(client, issuer_headers, vaccination_bundle)
    response = client.get(issued["links"]["pdf"], headers=issuer_headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    page = Image.open(tmp_path / "page.png")
    assert read_qr(page).text == issued["hc1"]
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for expected in ("陳小明", "CHEN, HSIAO-MING", "1985-03-14", "2021-08-02", "Taiwan"):
        assert expected in text, text
    assert "2/2" in text.replace(" ", "")
    for label in ("姓名", "Name", "疫苗", "Vaccine", "證書識別碼", issued["uvci"]):
        assert label in text
    assert "Comirnaty" in text or "EU/1/20/1528" in text
