"""Server side of online verification: the server's own trust data, cached per process.

Keys come from the trust-list registry (``trust_list.service.trusted_dscs``: stored, chain
checked, not revoked), parsed once and rebuilt only when the registry's generation
changes. Revocations come from the issuer's register through ``trust_list``'s EU hash
index, rebuilt at most every :data:`REVOCATION_REFRESH` (the register has no generation
counter of its own). Both caches live on ``app.state`` so tests get fresh ones.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trust_list import service as registry
from trust_list.models import Publication
from trust_list.revocation import RevocationIndex, group_by_kid
from trust_list.sources import issuer_revocations
from verifier.trust import InMemoryTrustStore, TrustedDsc

REVOCATION_REFRESH = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class ServerTrust:
    generation: int | None
    keys: InMemoryTrustStore
    revocations: RevocationIndex
    revocations_loaded_at: datetime


class ServerTrustCache:
    """One per app; thread-safe because sync routes run in a thread pool."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: ServerTrust | None = None

    def get(self, session: Session, now: datetime) -> ServerTrust:
        generation = session.scalar(
            select(Publication.generation).where(Publication.name == registry.TRUST_LIST)
        )
        with self._lock:
            current = self._current
            if current is None or current.generation != generation:
                current = ServerTrust(generation, _keys(session), _revocations(session), now)
            elif now - current.revocations_loaded_at >= REVOCATION_REFRESH:
                current = ServerTrust(generation, current.keys, _revocations(session), now)
            self._current = current
            return current


def _keys(session: Session) -> InMemoryTrustStore:
    return InMemoryTrustStore(
        TrustedDsc.from_bytes(row.der) for row in registry.trusted_dscs(session)
    )


def _revocations(session: Session) -> RevocationIndex:
    groups: dict[str, Any] = group_by_kid(issuer_revocations(session, None))
    return RevocationIndex(groups)
