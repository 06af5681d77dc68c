"""`vaxx keys export-public` output is what a verifier is handed: it must be usable as is."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from issuer import keys
from issuer.keys import DccType
from vaxx.errors import InputError
from vaxx.settings import Settings
from verifier import InMemoryTrustStore, TrustedDsc

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def exported(tmp_path: Path) -> tuple[str, keys.KeyStore]:
    settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    store = keys.open_store(settings)
    keys.prepare(settings, NOW, store)
    return store.export_public_pem(), store


def test_a_pem_bundle_yields_its_dscs_and_not_the_csca(
    exported: tuple[str, keys.KeyStore],
) -> None:
    pem, store = exported
    trusted = TrustedDsc.all_from_file(pem.encode())
    assert {dsc.kid for dsc in trusted} == {dsc.kid for dsc in store.dscs()}
    assert store.csca_certificate not in [dsc.certificate for dsc in trusted]
    signer = store.signer_for(DccType.VACCINATION, NOW)
    assert InMemoryTrustStore.from_certificates([pem.encode()]).keys_for(signer.kid)


def test_a_single_certificate_is_taken_as_given(exported: tuple[str, keys.KeyStore]) -> None:
    _, store = exported
    dsc = store.dscs()[0]
    der = dsc.certificate.public_bytes(Encoding.DER)
    assert [t.kid for t in TrustedDsc.all_from_file(der)] == [dsc.kid]


def test_garbage_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"X\.509"):
        TrustedDsc.all_from_file(b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")
