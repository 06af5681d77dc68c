"""DSC -> CSCA chain validation: every check has a named failing case."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.unit.trust_list import pki
from trust_list.chain import (
    DccType,
    kid_of,
    load_certificate,
    permitted_types,
    validate_dsc,
)
from trust_list.errors import CertificateMalformed, ChainInvalid


def test_valid_dsc_is_accepted_with_its_kid_and_types() -> None:
    csca = pki.make_csca()
    dsc = pki.make_dsc(csca)
    accepted = validate_dsc(dsc.certificate, [csca.certificate], "tw", pki.NOW)
    assert accepted.kid == kid_of(dsc.certificate)
    assert accepted.country == "TW"
    assert accepted.certificate_types == frozenset(DccType)


def test_second_csca_of_same_name_is_tried() -> None:
    old, new = pki.make_csca(), pki.make_csca()
    dsc = pki.make_dsc(new)
    accepted = validate_dsc(dsc.certificate, [old.certificate, new.certificate], "TW", pki.NOW)
    assert accepted.kid == kid_of(dsc.certificate)


def test_absent_path_length_is_tolerated() -> None:
    csca = pki.make_csca(path_length=None)
    validate_dsc(pki.make_dsc(csca).certificate, [csca.certificate], "TW", pki.NOW)


def test_rsa_2048_dsc_is_accepted() -> None:
    csca = pki.make_csca()
    dsc = pki.make_dsc(csca, key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    validate_dsc(dsc.certificate, [csca.certificate], "TW", pki.NOW)


def _case_other_country() -> tuple[pki.Issued, list[pki.Issued], str]:
    csca = pki.make_csca("DE")
    return pki.make_dsc(csca), [csca], "TW"


def _broken(**dsc_kwargs: object) -> Callable[[], tuple[pki.Issued, list[pki.Issued], str]]:
    def build() -> tuple[pki.Issued, list[pki.Issued], str]:
        csca = pki.make_csca()
        return pki.make_dsc(csca, **dsc_kwargs), [csca], "TW"  # type: ignore[arg-type]

    return build


def _broken_csca(**csca_kwargs: object) -> Callable[[], tuple[pki.Issued, list[pki.Issued], str]]:
    def build() -> tuple[pki.Issued, list[pki.Issued], str]:
        csca = pki.make_csca(**csca_kwargs)  # type: ignore[arg-type]
        return pki.make_dsc(csca), [csca], "TW"

    return build


def _case_signed_by_impostor() -> tuple[pki.Issued, list[pki.Issued], str]:
    real, impostor = pki.make_csca(), pki.make_csca()
    return pki.make_dsc(real, signer=impostor), [real], "TW"


def _case_aki_of_other_key() -> tuple[pki.Issued, list[pki.Issued], str]:
    real, other = pki.make_csca(), pki.make_csca()
    return pki.make_dsc(real, aki_from=other), [real], "TW"


FAILURES = [
    pytest.param(_case_other_country, "no_csca", id="csca-of-another-country"),
    pytest.param(_broken_csca(ca=False), "csca_basic_constraints", id="csca-not-a-ca"),
    pytest.param(_broken_csca(path_length=1), "csca_path_length", id="csca-pathlen-1"),
    pytest.param(_broken_csca(key_cert_sign=False), "csca_key_usage", id="csca-no-certsign"),
    pytest.param(
        _broken_csca(not_before=pki.NOW - timedelta(days=30), days=10),
        "csca_validity",
        id="csca-expired",
    ),
    pytest.param(_case_aki_of_other_key, "authority_key_identifier", id="aki-mismatch"),
    pytest.param(_case_signed_by_impostor, "signature", id="bad-signature"),
    pytest.param(
        _broken(not_before=pki.NOW - timedelta(days=30), days=10), "dsc_validity", id="dsc-expired"
    ),
    pytest.param(
        _broken(not_before=pki.NOW + timedelta(days=1)), "dsc_validity", id="dsc-not-yet-valid"
    ),
    pytest.param(_broken(digital_signature=False), "dsc_key_usage", id="dsc-no-digitalsignature"),
    pytest.param(_broken(ca=True), "dsc_basic_constraints", id="dsc-is-a-ca"),
    pytest.param(
        _broken(eku=[x509.ObjectIdentifier("1.3.6.1.5.5.7.3.4")]),
        "extended_key_usage",
        id="eku-without-dcc-oids",
    ),
    pytest.param(
        _broken(key=ec.generate_private_key(ec.SECP384R1())), "dsc_key", id="dsc-p384-key"
    ),
    pytest.param(
        _broken(key=rsa.generate_private_key(public_exponent=65537, key_size=1024)),  # noqa: S505 - the weak key under test
        "dsc_key",
        id="dsc-rsa-1024",
    ),
]


@pytest.mark.parametrize(("build", "check"), FAILURES)
def test_each_failed_check_is_named(
    build: Callable[[], tuple[pki.Issued, list[pki.Issued], str]], check: str
) -> None:
    dsc, cscas, country = build()
    with pytest.raises(ChainInvalid) as raised:
        validate_dsc(dsc.certificate, [c.certificate for c in cscas], country, pki.NOW)
    assert raised.value.check == check


@pytest.mark.parametrize(
    ("oids", "expected"),
    [
        pytest.param(None, set(DccType), id="no-eku-means-all"),
        pytest.param(["1.3.6.1.4.1.1847.2021.1.2"], {DccType.VACCINATION}, id="spec-spelling"),
        pytest.param(["1.3.6.1.4.1.0.1847.2021.1.1"], {DccType.TEST}, id="dot-zero-spelling"),
        pytest.param(
            ["1.3.6.1.4.1.0.1847.2021.1.3", "1.3.6.1.4.1.1847.2021.1.1", "1.2.3.4"],
            {DccType.RECOVERY, DccType.TEST},
            id="mixed-with-unknown",
        ),
        pytest.param(["1.3.6.1.4.1.1847.2021.1.9"], set(), id="unknown-dcc-suffix"),
    ],
)
def test_permitted_types_from_eku(oids: list[str] | None, expected: set[DccType]) -> None:
    eku = None if oids is None else [x509.ObjectIdentifier(o) for o in oids]
    dsc = pki.make_dsc(pki.make_csca(), eku=eku)
    assert permitted_types(dsc.certificate) == expected


def test_taiwan_test_dsc(shared_dir: Path) -> None:
    pem = (shared_dir / "standards/taiwan-ig/tw-dcc-samples/TW-TST-DSC.pem").read_bytes()
    dsc = load_certificate(pem)
    assert base64.b64encode(kid_of(dsc)).decode().startswith("tAI4+PVPEOQ=")
    assert permitted_types(dsc) == frozenset(DccType)
    with pytest.raises(ChainInvalid) as raised:
        validate_dsc(dsc, [pki.make_csca().certificate], "TW", pki.NOW)
    assert raised.value.check == "no_csca"


def test_taiwan_dsc_against_a_same_named_impostor_csca(shared_dir: Path) -> None:
    pem = (shared_dir / "standards/taiwan-ig/tw-dcc-samples/TW-TST-DSC.pem").read_bytes()
    dsc = load_certificate(pem)
    key = pki.ec_key()
    impostor = pki.make_csca()
    forged = (
        x509.CertificateBuilder()
        .subject_name(dsc.issuer)
        .issuer_name(dsc.issuer)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(dsc.not_valid_before_utc)
        .not_valid_after(dsc.not_valid_after_utc)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
        .add_extension(
            impostor.certificate.extensions.get_extension_for_class(x509.KeyUsage).value, True
        )
        .sign(key, pki.hashes.SHA256())
    )
    with pytest.raises(ChainInvalid) as raised:
        validate_dsc(dsc, [forged], "TW", dsc.not_valid_before_utc + timedelta(days=1))
    assert raised.value.check == "authority_key_identifier"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\x30\x03\x02\x01", id="truncated-der"),
        pytest.param(b"-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n", id="bad-pem"),
        pytest.param(b"\x30" * 40_000, id="oversize"),
    ],
)
def test_malformed_certificates_are_refused(data: bytes) -> None:
    with pytest.raises(CertificateMalformed):
        load_certificate(data)
