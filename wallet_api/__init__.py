"""wallet_api: holders fetch their own certificates, safely, as QR, PDF, FHIR and a web page.

At issuance the issuer calls :func:`wallet_api.service.create_claim`, which hands back a
short claim code (for the response and the paper slip) and sends it through a
:class:`~wallet_api.notify.Notifier`. The holder exchanges code + birth date for a holder
token (or logs in with national ID + birth date + a one-time code) and sees only the
certificates in their wallet plus those of holders who delegated to them.

Example (library use, no HTTP)::

    >>> import tempfile
    >>> from datetime import UTC, datetime
    >>> from vaxx.db import make_engine, make_sessionmaker, transaction, upgrade
    >>> from wallet_api import MemoryLimiter, OutboxNotifier, WalletPolicy, service, sessions
    >>> url = f"sqlite:///{tempfile.mkdtemp()}/wallet.db"
    >>> upgrade(url)
    >>> factory = make_sessionmaker(make_engine(url))
    >>> policy, now = WalletPolicy(secret=b"a long random server secret"), datetime.now(UTC)
    >>> with transaction(factory) as session:
    ...     code = service.create_claim(
    ...         session, certificate_id="c1", birth_date="1985-03-14", now=now,
    ...         notifier=OutboxNotifier(log_codes=False), policy=policy)
    >>> with transaction(factory) as session:
    ...     grant = service.claim(
    ...         session, code=code, birth_date="1985-03-14", client="cli", now=now,
    ...         policy=policy, limiter=MemoryLimiter())
    >>> grant.token.startswith("vxh_"), grant.certificate_ids
    (True, ('c1',))
"""

from wallet_api import delegations, login, service, sessions
from wallet_api.limits import DatabaseLimiter, Limiter, LimitPolicy, MemoryLimiter
from wallet_api.notify import (
    Channel,
    Contact,
    EmailGateway,
    GatewayNotifier,
    Notification,
    Notifier,
    OutboxNotifier,
    SmsGateway,
)
from wallet_api.policy import WalletPolicy
from wallet_api.sessions import Grant
from wallet_api.source import CertificateSource, HeldCertificate, HolderStatus

__all__ = [
    "CertificateSource",
    "Channel",
    "Contact",
    "DatabaseLimiter",
    "EmailGateway",
    "GatewayNotifier",
    "Grant",
    "HeldCertificate",
    "HolderStatus",
    "LimitPolicy",
    "Limiter",
    "MemoryLimiter",
    "Notification",
    "Notifier",
    "OutboxNotifier",
    "SmsGateway",
    "WalletPolicy",
    "delegations",
    "login",
    "service",
    "sessions",
]
