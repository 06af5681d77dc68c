"""The key store: CSCA/DSC profiles, kid, encryption at rest, rotation, production rules."""

from __future__ import annotations

import hashlib
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pydantic import SecretStr

from issuer import keys
from issuer.errors import KeysMissing, KeysUnusable, NoSigningKey
from issuer.keys import DccType, KeyStore
from tests.unit.issuer.conftest import CREATED, PASSPHRASE
from vaxx.settings import Settings

NOW = CREATED + timedelta(days=1)


def test_csca_is_a_self_signed_country_ca_limited_to_signing_certificates(store: KeyStore) -> None:
    csca = store.csca_certificate
    assert csca.subject == csca.issuer
    assert csca.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "TW"
    constraints = csca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical
    assert constraints.value.ca
    assert constraints.value.path_length == 0
    usage = csca.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign
    assert usage.crl_sign
    assert not usage.digital_signature
    csca.verify_directly_issued_by(csca)
    assert csca.not_valid_after_utc - csca.not_valid_before_utc > timedelta(days=4 * 365)


def test_dsc_is_issued_by_the_csca_with_eku_aki_and_kid(store: KeyStore) -> None:
    [dsc] = store.dscs()
    certificate = dsc.certificate
    certificate.verify_directly_issued_by(store.csca_certificate)
    assert isinstance(certificate.public_key(), ec.EllipticCurvePublicKey)
    eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert {oid.dotted_string for oid in eku} == {
        "1.3.6.1.4.1.1847.2021.1.1",
        "1.3.6.1.4.1.1847.2021.1.2",
        "1.3.6.1.4.1.1847.2021.1.3",
    }
    aki = certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = store.csca_certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert aki.key_identifier == ski.value.digest
    assert certificate.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    der = certificate.public_bytes(serialization.Encoding.DER)
    assert dsc.kid == hashlib.sha256(der).digest()[:8]
    assert dsc.status == "active"
    assert set(dsc.types) == set(DccType)
    assert ExtendedKeyUsageOID.SERVER_AUTH not in eku


def test_signer_returns_raw_r_s_that_verifies_with_the_dsc(store: KeyStore) -> None:
    signer = store.signer_for(DccType.TEST, NOW)
    signature = signer.sign(b"sig structure")
    assert len(signature) == 64
    assert signer.alg == -7
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    public = signer.certificate.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(der, b"sig structure", ec.ECDSA(hashes.SHA256()))
    assert "PRIVATE" not in repr(signer)
    assert "kid=" in repr(signer)


def test_private_keys_are_encrypted_and_owner_only(store: KeyStore) -> None:
    files = list(store.directory.iterdir())
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for path in store.directory.glob("*.key.pem"):
        text = path.read_text()
        assert text.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        serialization.load_pem_private_key(text.encode(), password=PASSPHRASE)


def test_wrong_passphrase_is_a_configuration_error_without_the_key(store: KeyStore) -> None:
    wrong = KeyStore(store.directory, b"not the passphrase")
    with pytest.raises(KeysUnusable, match="check VAXX_KEY_PASSPHRASE") as caught:
        wrong.signer_for(DccType.VACCINATION, NOW)
    assert "not the passphrase" not in str(caught.value)


def test_init_refuses_to_overwrite_a_store(store: KeyStore) -> None:
    with pytest.raises(KeysUnusable, match="already exists"):
        store.init(country="TW", now=NOW, development=True)


def test_rotation_retires_the_old_dsc_but_keeps_it_listed(store: KeyStore) -> None:
    [old] = store.dscs()
    new = store.rotate(now=NOW)
    listed = {d.kid: d.status for d in store.dscs()}
    assert listed == {new.kid: "active", old.kid: "retired"}
    assert store.signer_for(DccType.VACCINATION, NOW).kid == new.kid
    exported = store.export_public_pem()
    assert exported.count("BEGIN CERTIFICATE") == 3
    assert "PRIVATE" not in exported


def test_partial_rotation_keeps_the_old_dsc_for_the_other_types(store: KeyStore) -> None:
    [old] = store.dscs()
    test_only = store.rotate(now=NOW, types=[DccType.TEST])
    assert store.signer_for(DccType.TEST, NOW).kid == test_only.kid
    assert store.signer_for(DccType.VACCINATION, NOW).kid == old.kid
    assert keys.permitted_types(test_only.certificate) == [DccType.TEST]


def test_ps256_store_signs_only_its_types(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys", PASSPHRASE)
    rsa_dsc = store.init(
        country="TW", now=NOW, development=True, alg="PS256", types=[DccType.RECOVERY]
    )
    signer = store.signer_for(DccType.RECOVERY, NOW)
    assert signer.kid == rsa_dsc.kid
    assert signer.alg == -37
    assert len(signer.sign(b"x")) == 256
    with pytest.raises(NoSigningKey, match="vaccination"):
        store.signer_for(DccType.VACCINATION, NOW)


def test_es256_is_preferred_over_a_newer_ps256_dsc(store: KeyStore) -> None:
    [es256] = store.dscs()
    store.rotate(now=NOW, alg="PS256", types=[DccType.RECOVERY])
    assert store.signer_for(DccType.RECOVERY, NOW).kid == es256.kid


@pytest.mark.parametrize(
    "when",
    [
        pytest.param(CREATED - timedelta(days=1), id="before"),
        pytest.param(CREATED + timedelta(days=800), id="after"),
    ],
)
def test_no_signer_outside_the_dsc_validity(store: KeyStore, when: object) -> None:
    with pytest.raises(NoSigningKey, match="no active document signer"):
        store.signer_for(DccType.VACCINATION, when)  # type: ignore[arg-type]


def test_missing_store_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(KeysMissing, match="vaxx keys init"):
        KeyStore(tmp_path / "keys", PASSPHRASE).dscs()


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, **values)  # type: ignore[call-arg]


def test_development_creates_marked_keys_on_first_start(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    keys.prepare(settings, NOW)
    store = keys.open_store(settings)
    assert store.development
    assert "DEVELOPMENT" in store.csca_certificate.subject.rfc4514_string()
    first = store.dscs()
    keys.prepare(settings, NOW)
    assert keys.open_store(settings).dscs() == first


def test_production_refuses_development_keys(tmp_path: Path) -> None:
    keys.prepare(_settings(tmp_path), NOW)
    production = _settings(tmp_path, env="production", key_passphrase=SecretStr("x" * 32))
    with pytest.raises(KeysUnusable, match="development keys"):
        keys.prepare(production, NOW)


def test_production_never_creates_keys_by_itself(tmp_path: Path) -> None:
    production = _settings(tmp_path, env="production", key_passphrase=SecretStr("x" * 32))
    with pytest.raises(KeysMissing, match="vaxx keys init"):
        keys.prepare(production, NOW)
    assert not (tmp_path / "keys").exists()


def test_production_store_is_not_development(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys", PASSPHRASE)
    store.init(country="TW", now=NOW, development=False)
    assert not store.development
    assert "DEVELOPMENT" not in store.dscs()[0].certificate.subject.rfc4514_string()


def test_server_bootstrap_creates_development_keys(tmp_path: Path) -> None:
    from vaxx import bootstrap

    bootstrap.prepare(_settings(tmp_path))
    assert keys.open_store(_settings(tmp_path)).development


def test_production_refuses_the_development_passphrase(tmp_path: Path) -> None:
    with pytest.raises(KeysUnusable, match="VAXX_KEY_PASSPHRASE"):
        keys.open_store(_settings(tmp_path, env="production"))


class FakeHsm:
    """A Signer that is not a LocalSigner: the seam an HSM would use."""

    def __init__(self, store: KeyStore) -> None:
        local = store.signer_for(DccType.VACCINATION, NOW)
        self._sign = local.sign
        self.alg, self.kid, self.certificate = local.alg, local.kid, local.certificate
        self.calls: list[bytes] = []

    def sign(self, sig_structure: bytes) -> bytes:
        self.calls.append(sig_structure)
        return self._sign(sig_structure)


def test_any_signer_can_stand_in_for_the_local_one(store: KeyStore) -> None:
    from issuer import hc1
    from tests.unit.issuer.independent_decoder import decode_hc1

    hsm = FakeHsm(store)
    signed = hc1.sign(
        {"ver": "1.3.0"}, signer=hsm, country="TW", issued_at=NOW, expires_at=NOW + timedelta(1)
    )
    assert len(hsm.calls) == 1
    assert hsm.calls[0].startswith(b"\x84jSignature1")
    assert decode_hc1(signed.hc1, store.export_public_pem().encode()).dcc == {"ver": "1.3.0"}
