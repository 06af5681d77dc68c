"""Pictures (PNG/JPEG, rotated, scaled, blurred) and hostile input of every shape."""

from __future__ import annotations

import base64
import io
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import qrcode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFilter

from tests.unit.verifier.conftest import NOW, Signer, b45encode
from verifier import InMemoryTrustStore, Verdict, check, verify
from verifier._internal import picture
from verifier.errors import PictureUnreadable, VerificationError


def png_of(
    text: str, *, rotate: int = 0, scale: float = 1.0, blur: float = 0.0, fmt: str = "PNG"
) -> bytes:
    image = (
        qrcode.make(text, error_correction=qrcode.constants.ERROR_CORRECT_Q)
        .get_image()
        .convert("L")
    )
    if scale != 1.0:
        image = image.resize((int(image.width * scale), int(image.height * scale)))
    if rotate:
        image = image.rotate(rotate, expand=True, fillcolor=255)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"rotate": 90},
        {"rotate": 17},
        {"scale": 0.5},
        {"scale": 2.5},
        {"blur": 1.2},
        {"fmt": "JPEG"},
    ],
    ids=["clean", "rot90", "rot17", "small", "large", "blurred", "jpeg"],
)
def test_picture_variants_verify(
    signer: Signer, trust: InMemoryTrustStore, options: dict[str, object]
) -> None:
    qr = signer.hc1()
    result = check(image=png_of(qr, **options), trust=trust, now=NOW)  # type: ignore[arg-type]
    assert result.valid, [s for s in result.steps if s.ok is False]
    assert result.steps[0].ok is True


def test_taiwan_golden_vectors_as_png(shared_dir: Path) -> None:
    samples = shared_dir / "standards/taiwan-ig/tw-dcc-samples"
    trust = InMemoryTrustStore.from_certificates([(samples / "TW-TST-DSC.pem").read_bytes()])
    for name, kind in (("VAC", "vaccination"), ("TEST", "test")):
        qr = (samples / f"{name}.hc1.txt").read_text().strip()
        now = datetime(2022, 3, 1, tzinfo=UTC)
        for result in (
            check(qr, trust=trust, now=now),
            check(image=png_of(qr), trust=trust, now=now),
            check(image=(samples / f"{name}.jpg").read_bytes(), trust=trust, now=now),
        ):
            assert result.verdict is Verdict.VALID
            assert result.certificate_type == kind
            assert result.issuer_country == "TW"


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"not an image", "not a readable picture"),
        (png_of("x")[:60], "not a readable picture"),
        (b"\0" * (picture.MAX_IMAGE_BYTES + 1), "larger than"),
    ],
    ids=["garbage", "truncated-png", "too-many-bytes"],
)
def test_unreadable_pictures(data: bytes, match: str) -> None:
    with pytest.raises(PictureUnreadable, match=match):
        picture.read_qr(data)


def test_pixel_bomb_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("1", (6000, 6000)).save(out, format="PNG")
    assert len(out.getvalue()) < 200_000
    with pytest.raises(PictureUnreadable, match="pixels"):
        picture.read_qr(out.getvalue())


def test_blank_picture_has_no_qr() -> None:
    out = io.BytesIO()
    Image.new("L", (200, 200), 255).save(out, format="PNG")
    result = check(image=out.getvalue(), trust=InMemoryTrustStore([]), now=NOW)
    assert result.verdict is Verdict.CANNOT_VERIFY
    assert result.steps[0].code == "picture_unreadable"


def _only_domain_errors(qr: str, trust: InMemoryTrustStore) -> None:
    result = check(qr, trust=trust, now=NOW)
    assert result.verdict in set(Verdict)
    if not result.valid:
        assert any(step.ok is False for step in result.steps)


hostile = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@hostile
@given(st.text(max_size=300))
def test_random_text(trust: InMemoryTrustStore, text: str) -> None:
    _only_domain_errors(text, trust)
    _only_domain_errors("HC1:" + text, trust)


@hostile
@given(st.binary(max_size=600))
def test_random_bytes_behind_valid_base45_and_zlib(trust: InMemoryTrustStore, data: bytes) -> None:
    _only_domain_errors("HC1:" + b45encode(data), trust)
    _only_domain_errors("HC1:" + b45encode(zlib.compress(data)), trust)


@hostile
@given(st.data())
def test_mutated_valid_messages(
    signer: Signer, trust: InMemoryTrustStore, data: st.DataObject
) -> None:
    original = signer.cose()
    cose = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(cose) - 1))
        cose[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(cose)))
    result = check("HC1:" + b45encode(zlib.compress(bytes(cose[:cut]))), trust=trust, now=NOW)
    assert not result.valid or bytes(cose[:cut]) == original


def test_verify_raises_only_verification_errors_on_garbage(trust: InMemoryTrustStore) -> None:
    for qr in ("", "HC1:", "HC1:" + "A" * 9000, "HC1:" + base64.b64encode(b"x" * 90).decode()):
        with pytest.raises(VerificationError):
            verify(qr, trust=trust, now=NOW)
