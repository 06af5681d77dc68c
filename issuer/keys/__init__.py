"""Signing keys: the CSCA, its Document Signer Certificates, and the :class:`Signer` seam.

For trust_list: :meth:`KeyStore.dscs` lists every DSC (kid, certificate, algorithm,
permitted types, active or retired; validity from the certificate) and
:attr:`KeyStore.csca_certificate` is the trust anchor to publish.

>>> from datetime import UTC, datetime
>>> from pathlib import Path
>>> import tempfile
>>> store = KeyStore(Path(tempfile.mkdtemp()) / "keys", b"passphrase")
>>> now = datetime(2026, 11, 23, tzinfo=UTC)
>>> dsc = store.init(country="TW", now=now, development=True)
>>> signer = store.signer_for(DccType.VACCINATION, now)
>>> signer.kid == dsc.kid, len(signer.sign(b"data"))
(True, 64)
"""

from issuer.keys.certificates import EKU_OIDS, DccType, kid_of, permitted_types
from issuer.keys.setup import open_store, prepare
from issuer.keys.signer import COSE_ALGORITHMS, LocalSigner, Signer
from issuer.keys.store import DscInfo, KeyStore

__all__ = [
    "COSE_ALGORITHMS",
    "EKU_OIDS",
    "DccType",
    "DscInfo",
    "KeyStore",
    "LocalSigner",
    "Signer",
    "kid_of",
    "open_store",
    "permitted_types",
    "prepare",
]
