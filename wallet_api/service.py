"""Holder access: claim codes at issuance, claiming, and the national-ID login.

Every secret a person types is checked against a keyed digest, every failure is counted
by a :class:`~wallet_api.limits.Limiter` per client address and per code or person, and a
locked key refuses even the right answer until the lockout ends. Wrong code and wrong
birth date give the same error so a guesser learns nothing about which half was wrong.
The caller commits after a refused attempt too (the failure count must survive it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from vaxx import audit
from wallet_api._internal.codes import (
    mac,
    new_claim_code,
    new_id,
    new_login_code,
    normalize_birth_date,
    normalize_claim_code,
    normalize_login_code,
    normalize_national_id,
    same,
)
from wallet_api.errors import (
    ClaimExpired,
    ClaimInvalid,
    ClaimUsed,
    LoginInvalid,
    WalletInputError,
)
from wallet_api.holder import facts_from
from wallet_api.limits import Limiter
from wallet_api.models import ClaimCode, Holder, LoginCode, Subject
from wallet_api.notify import Channel, Contact, Notification, NotificationKind, Notifier
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
    holder = session.get(Holder, holder_id) if holder_id else None
    holder = holder or new_holder(session, now=now)
    hold(session, holder.id, row.certificate_id, now=now)
    row.used_at, row.used_by = now, holder.id
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


def _person(national_id: str, birth_date: str, policy: WalletPolicy) -> tuple[str, str]:
    subject, dob = normalize_national_id(national_id), normalize_birth_date(birth_date)
    if subject is None or dob is None:
        raise WalletInputError("national ID or birth date is not in a valid format")
    return mac(policy.secret, "subject", subject), dob


def _subjects(session: Session, subject_mac: str, dob: str, policy: WalletPolicy) -> list[Subject]:
    rows = session.scalars(select(Subject).where(Subject.subject_mac == subject_mac))
    return [
        row
        for row in rows
        if same(row.birth_date_mac, mac(policy.secret, "dob", row.certificate_id, dob))
    ]


def start_login(
    session: Session,
    *,
    national_id: str,
    birth_date: str,
    client: str,
    now: datetime,
    policy: WalletPolicy,
    limiter: Limiter,
    notifier: Notifier,
) -> None:
    """Send a one-time code to the contact on file. Answers the same whether or not the
    person is known (no enumeration); unknown persons count as failures of the address,
    and every send counts against the person so nobody can flood their phone."""
    address_key = f"addr:{client}"
    limiter.check(address_key, now=now)
    subject_mac, dob = _person(national_id, birth_date, policy)
    send_key = f"send:{subject_mac[:32]}"
    limiter.check(send_key, now=now)
    subjects = _subjects(session, subject_mac, dob, policy)
    if not subjects:
        limiter.failure(address_key, now=now)
        return
    limiter.failure(send_key, now=now)
    code, row_id = new_login_code(), new_id()
    expires_at = now + policy.login_code_lifetime
    session.add(
        LoginCode(
            id=row_id,
            subject_mac=subject_mac,
            code_mac=mac(policy.secret, "login", row_id, code),
            created_at=now,
            expires_at=expires_at,
        )
    )
    contact = _contact(subjects)
    notifier.send(
        session, Notification(NotificationKind.LOGIN_CODE, code, expires_at, contact), now=now
    )


def _contact(subjects: list[Subject]) -> Contact | None:
    for row in reversed(subjects):
        if row.contact_channel and row.contact_address:
            return Contact(Channel(row.contact_channel), row.contact_address)
    return None


def finish_login(
    session: Session,
    *,
    national_id: str,
    birth_date: str,
    code: str,
    client: str,
    now: datetime,
    policy: WalletPolicy,
    limiter: Limiter,
) -> Grant:
    """Exchange national ID + birth date + the one-time code for a holder token whose wallet
    holds every certificate issued to that person."""
    address_key = f"addr:{client}"
    limiter.check(address_key, now=now)
    subject_mac, dob = _person(national_id, birth_date, policy)
    person_key = f"person:{subject_mac[:32]}"
    limiter.check(person_key, now=now)
    typed = normalize_login_code(code)
    login = _matching_login_code(session, subject_mac, typed, now, policy) if typed else None
    subjects = _subjects(session, subject_mac, dob, policy) if login else []
    if login is None or not subjects:
        limiter.failure(address_key, now=now)
        limiter.failure(person_key, now=now)
        raise LoginInvalid("wrong national ID, birth date or one-time code")
    login.used_at = now
    limiter.reset(person_key)
    holder = session.scalar(select(Holder).where(Holder.subject_mac == subject_mac))
    holder = holder or new_holder(session, now=now, subject_mac=subject_mac)
    added = tuple(
        s.certificate_id for s in subjects if hold(session, holder.id, s.certificate_id, now=now)
    )
    audit.record(session, at=now, actor=f"holder:{holder.id}", action="wallet.login")
    return open_session(session, holder.id, now=now, policy=policy, certificate_ids=added)


def _matching_login_code(
    session: Session, subject_mac: str, typed: str, now: datetime, policy: WalletPolicy
) -> LoginCode | None:
    query = (
        select(LoginCode)
        .where(
            LoginCode.subject_mac == subject_mac,
            LoginCode.used_at.is_(None),
            LoginCode.expires_at > now,
        )
        .order_by(LoginCode.created_at.desc())
        .limit(5)
    )
    for row in session.scalars(query):
        if same(row.code_mac, mac(policy.secret, "login", row.id, typed)):
            return row
    return None
