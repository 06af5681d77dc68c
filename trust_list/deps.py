"""FastAPI dependencies of the trust-list routes: the signer, the policy, the revocation source."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from trust_list import keys, sources
from trust_list.envelope import Signer
from trust_list.publication import Policy, RevocationSource
from vaxx.deps import SettingsDep


def get_signer(request: Request, settings: SettingsDep) -> Signer:
    """The signing key, decrypted once per app (decryption is deliberately slow)."""
    signer: Signer | None = getattr(request.app.state, "trust_list_signer", None)
    if signer is None:
        signer = keys.load_signer(settings)
        request.app.state.trust_list_signer = signer
    return signer


def get_policy(settings: SettingsDep) -> Policy:
    return Policy.from_settings(settings)


def get_revocation_source() -> RevocationSource:
    return sources.issuer_revocations


SignerDep = Annotated[Signer, Depends(get_signer)]
PolicyDep = Annotated[Policy, Depends(get_policy)]
RevocationSourceDep = Annotated[RevocationSource, Depends(get_revocation_source)]
