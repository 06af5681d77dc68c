"""issuer: signs Taiwan IG FHIR records into EU DCC certificates (``HC1:`` QR codes).

Layers: :mod:`issuer.keys` (CSCA, DSCs, the :class:`~issuer.keys.Signer` seam),
:mod:`issuer.hc1` (CWT -> COSE_Sign1 -> zlib -> Base45), :mod:`issuer.qr` and
:mod:`issuer.paper` (PNG/SVG and the bilingual PDF), :mod:`issuer.service` (the register,
idempotency, revocation, re-issue) and :mod:`issuer.router` (HTTP, scope ``issuer``).
trust_list reads :class:`~issuer.keys.KeyStore` and :func:`revocations_since`.

Offline, with no database:

>>> import tempfile
>>> from datetime import UTC, datetime
>>> from pathlib import Path
>>> from issuer import DccType, KeyStore, hc1
>>> store = KeyStore(Path(tempfile.mkdtemp()) / "keys", b"passphrase")
>>> now = datetime(2026, 11, 23, tzinfo=UTC)
>>> _ = store.init(country="TW", now=now, development=True)
>>> signer = store.signer_for(DccType.TEST, now)
>>> payload = {"ver": "1.3.0", "nam": {"fnt": "CHEN"}, "dob": "1985-03-14"}
>>> signed = hc1.sign(payload, signer=signer, country="TW", issued_at=now,
...                   expires_at=hc1.expiry(DccType.TEST, now, {"test": 30}, signer))
>>> signed.hc1[:4], signed.kid == signer.kid
('HC1:', True)
"""

from issuer import hc1
from issuer.keys import DccType, DscInfo, KeyStore, Signer
from issuer.revocations import Revocation, revocations_since

__all__ = [
    "DccType",
    "DscInfo",
    "KeyStore",
    "Revocation",
    "Signer",
    "hc1",
    "revocations_since",
]
