"""trust_list: which signing keys to trust, signed, versioned, revocable, cached offline.

Server side: a registry of CSCAs and chain-checked DSCs (:mod:`trust_list.service`,
``vaxx trust ...``), published as a signed, versioned, expiring JSON document at
``GET /trust-list`` (JWS, ES256, see :mod:`trust_list.envelope`), in the EU gateway's
shape at ``GET /trust-list/eu``, and with the EU revocation hashes at
``GET /trust-list/revocations``. Verifier side: :class:`TrustListClient` downloads both
documents, checks them against a pinned trust anchor, refuses expired, rolled-back,
oversize or tampered ones, caches them atomically and re-verifies at every load. The
:class:`TrustData` it returns answers the verifier's ``keys_for(kid)`` and
``is_revoked(...)`` questions.

>>> import tempfile
>>> from datetime import UTC, datetime
>>> from pathlib import Path
>>> from trust_list import NotCached, TrustListClient, keys
>>> from vaxx.settings import Settings
>>> now = datetime(2026, 11, 23, tzinfo=UTC)
>>> settings = Settings(data_dir=Path(tempfile.mkdtemp()), _env_file=None)
>>> anchor = keys.generate_keys(settings, now)  # the certificate verifiers pin
>>> client = TrustListClient("https://vaxx.example", anchor, Path(tempfile.mkdtemp()))
>>> try:
...     client.load(now)  # offline, nothing downloaded yet
... except NotCached as error:
...     print(error.code)
trust_list_not_cached

Online, ``trust = client.refresh(now)``; later, offline, ``trust = client.load(now)``; then
``verifier.check(qr, trust=trust, now=now, policy=verifier.Policy(revocation=trust))``.
"""

from trust_list import keys
from trust_list.chain import DccType, ValidatedDsc, kid_of, load_certificate, validate_dsc
from trust_list.client import FetchResponse, TrustListClient, httpx_fetch
from trust_list.envelope import Signer, open_sealed, seal
from trust_list.errors import (
    ChainInvalid,
    Expired,
    Malformed,
    NotCached,
    Oversize,
    Rollback,
    TrustListError,
    Unsigned,
    WrongSigner,
)
from trust_list.revocation import RevocationIndex, RevokedCertificate, hashes_of
from trust_list.trustdata import Freshness, TrustData, TrustedKey

__all__ = [
    "ChainInvalid",
    "DccType",
    "Expired",
    "FetchResponse",
    "Freshness",
    "Malformed",
    "NotCached",
    "Oversize",
    "RevocationIndex",
    "RevokedCertificate",
    "Rollback",
    "Signer",
    "TrustData",
    "TrustListClient",
    "TrustListError",
    "TrustedKey",
    "Unsigned",
    "ValidatedDsc",
    "WrongSigner",
    "hashes_of",
    "httpx_fetch",
    "keys",
    "kid_of",
    "load_certificate",
    "open_sealed",
    "seal",
    "validate_dsc",
]
