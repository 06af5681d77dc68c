"""Holder access: claim codes at issuance, claiming, and the national-ID login.

Every secret a person types is checked against a keyed digest, every failure is counted
by a :class:`~wallet_api.limits.Limiter` per client address and per code or person, and a
locked key refuses even the right answer until the lockout ends. Wrong code and wrong
birth date give the same error so a guesser learns nothing about which half was wrong.
The caller commits after a refused attempt too (the failure count must survive it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from vaxx import audit
from vaxx.settings import Settings
from wallet_api._internal.codes import (
    mac,
    new_claim_code,
    new_id,
    normalize_birth_date,
    normalize_claim_code,
    normalize_national_id,
    same,
)
from wallet_api.errors import (
    ClaimExpired,
    ClaimInvalid,
    ClaimUsed,
    WalletInputError,
)
from wallet_api.holder import facts_from
from wallet_api.limits import Limiter
from wallet_api.models import ClaimCode, Holder, Subject
from wallet_api.notify import (
    Contact,
    Notification,
    NotificationKind,
    Notifier,
    OutboxNotifier,
)
from wallet_api.policy import WalletPolicy
from wallet_api.sessions import Grant, hold, new_holder, open_session


def _birth_date(value: str | date) -> str:
    text = value.isoformat() if isinstance(value, date) else value
    normalized = normalize_birth_date(text)
    if normalized is None:
        raise WalletInputError(f"not a birth date: {text[:20]!r}")
    return normalized


def create_claim(
    session: Session,
    *,
    certificate_id: str,
    birth_date: str | date,
    now: datetime,
    notifier: Notifier,
    policy: WalletPolicy,
    national_id: str | None = None,
    contact: Contact | None = None,
) -> str:
    """Create the holder's claim code for a just-issued certificate and send it.

    Returns the code in clear (for the issue response and the paper slip); only its digest
    is stored. ``national_id`` (optional) enables the national-ID login for this
    certificate; ``contact`` is where the notifier sends codes.
    """
    dob = _birth_date(birth_date)
    _retire_unused_codes(session, certificate_id, now)
    code = new_claim_code()
    row_id = new_id()
    expires_at = now + policy.claim_lifetime
    session.add(
        ClaimCode(
            id=row_id,
            certificate_id=certificate_id,
            code_mac=mac(policy.secret, "claim", normalize_claim_code(code) or ""),
            birth_date_mac=mac(policy.secret, "dob", row_id, dob),
            created_at=now,
            expires_at=expires_at,
        )
    )
    subject = normalize_national_id(national_id) if national_id else None
    if subject is not None:
        _record_subject(session, certificate_id, subject, dob, contact, policy)
    notifier.send(
        session,
        Notification(NotificationKind.CLAIM_CODE, code, expires_at, contact, certificate_id),
        now=now,
    )
    return code


class IssuedLike(Protocol):
    """What :func:`create_claim_for_certificate` reads (the issuer's register row fits)."""

    @property
    def id(self) -> str: ...

    @property
    def payload(self) -> dict[str, Any]: ...

    @property
    def bundle(self) -> dict[str, Any]: ...


def create_claim_for_certificate(
    session: Session,
    certificate: IssuedLike,
    *,
    now: datetime,
    notifier: Notifier,
    policy: WalletPolicy,
) -> str:
    """:func:`create_claim` with the birth date, national ID and contact read from the
    certificate itself (see :mod:`wallet_api.holder`): the one call the issuer needs."""
    facts = facts_from(certificate.payload, certificate.bundle)
    return create_claim(
        session,
        certificate_id=certificate.id,
        birth_date=facts.birth_date,
        now=now,
        notifier=notifier,
        policy=policy,
        national_id=facts.national_id,
        contact=facts.contact,
    )


@dataclass(frozen=True)
class ClaimSlip:
    """What the issue response and the paper slip carry for the holder."""

    code: str
    expires_at: datetime


def claim_slip_for_issued(
    session: Session,
    certificate: IssuedLike,
    *,
    settings: Settings,
    now: datetime,
    notifier: Notifier | None = None,
) -> ClaimSlip:
    """The issuer's one call at issuance: a claim code for ``certificate`` (the register
    row), sent through ``notifier`` (default: the development/production outbox for
    ``settings``), written in ``session``'s transaction so it commits with the issue."""
    policy = WalletPolicy.from_settings(settings)
    chosen = notifier or OutboxNotifier(log_codes=settings.env == "development")
    code = create_claim_for_certificate(
        session, certificate, now=now, notifier=chosen, policy=policy
    )
    return ClaimSlip(code=code, expires_at=now + policy.claim_lifetime)


def claim_code_hook(
    slips: dict[str, ClaimSlip],
    *,
    settings: Settings,
    now: datetime,
    notifier: Notifier | None = None,
) -> Callable[[Session, IssuedLike], None]:
    """An issuer ``on_issued`` hook: a claim code for every certificate it is called with,
    written in the issuing transaction and kept in ``slips`` (by certificate id) for the
    answer that issued it; codes are stored only hashed, so this is their one appearance."""

    def give_holder_a_claim_code(session: Session, certificate: IssuedLike) -> None:
        slips[certificate.id] = claim_slip_for_issued(
            session, certificate, settings=settings, now=now, notifier=notifier
        )

    return give_holder_a_claim_code


def _retire_unused_codes(session: Session, certificate_id: str, now: datetime) -> None:
    """A new code replaces the old ones (a lost slip stops working when a new one is made)."""
    session.execute(
        update(ClaimCode)
        .where(ClaimCode.certificate_id == certificate_id, ClaimCode.used_at.is_(None))
        .values(used_at=now)
    )


def _record_subject(
    session: Session,
    certificate_id: str,
    national_id: str,
    dob: str,
    contact: Contact | None,
    policy: WalletPolicy,
) -> None:
    session.merge(
        Subject(
            certificate_id=certificate_id,
            subject_mac=mac(policy.secret, "subject", national_id),
            birth_date_mac=mac(policy.secret, "dob", certificate_id, dob),
            contact_channel=contact.channel.value if contact else None,
            contact_address=contact.address if contact else None,
        )
    )


def claim(
    session: Session,
    *,
    code: str,
    birth_date: str,
    client: str,
    now: datetime,
    policy: WalletPolicy,
    limiter: Limiter,
    holder_id: str | None = None,
) -> Grant:
    """Exchange a claim code + birth date for a holder token (into ``holder_id``'s wallet
    when the caller already has one, else a new wallet)."""
    address_key = f"addr:{client}"
    limiter.check(address_key, now=now)
    normalized, dob = normalize_claim_code(code), normalize_birth_date(birth_date)
    row = None
    if normalized is not None:
        code_mac = mac(policy.secret, "claim", normalized)
        row = session.scalar(select(ClaimCode).where(ClaimCode.code_mac == code_mac))
    if row is None or dob is None:
        limiter.failure(address_key, now=now)
        raise ClaimInvalid("wrong claim code or birth date")
    code_key = f"claim:{row.id}"
    limiter.check(code_key, now=now)
    if not same(row.birth_date_mac, mac(policy.secret, "dob", row.id, dob)):
        limiter.failure(address_key, now=now)
        limiter.failure(code_key, now=now)
        raise ClaimInvalid("wrong claim code or birth date")
    if row.used_at is not None:
        raise ClaimUsed("this claim code has already been used")
    if now >= row.expires_at:
        raise ClaimExpired("this claim code has expired")
    # Take the code with one conditional UPDATE before anything else is written: of two
    # claims racing (on any replica), the second waits for the first's commit and then
    # finds it used, instead of both passing the check above.
    taken = session.execute(
        update(ClaimCode)
        .where(ClaimCode.id == row.id, ClaimCode.used_at.is_(None))
        .values(used_at=now)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise ClaimUsed("this claim code has already been used")
    holder = session.get(Holder, holder_id) if holder_id else None
    holder = holder or new_holder(session, now=now)
    hold(session, holder.id, row.certificate_id, now=now)
    row.used_by = holder.id
    limiter.reset(code_key)
    audit.record(
        session,
        at=now,
        actor=f"holder:{holder.id}",
        action="wallet.claim",
        target=row.certificate_id,
    )
    return open_session(
        session, holder.id, now=now, policy=policy, certificate_ids=(row.certificate_id,)
    )
