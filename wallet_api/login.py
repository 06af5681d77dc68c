"""The Taiwan pattern of holder access: national ID + birth date + a one-time code sent to
the contact on file. One wallet per person (found again at the next login) holding every
certificate issued to them. The start step answers the same whether or not the person is
known; every failure counts per client address and per person.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from vaxx import audit
from wallet_api._internal.codes import (
    mac,
    new_id,
    new_login_code,
    normalize_birth_date,
    normalize_login_code,
    normalize_national_id,
    same,
)
from wallet_api.errors import LoginInvalid, WalletInputError
from wallet_api.limits import Limiter
from wallet_api.models import Holder, LoginCode, Subject
from wallet_api.notify import Channel, Contact, Notification, NotificationKind, Notifier
from wallet_api.policy import WalletPolicy
from wallet_api.sessions import Grant, hold, new_holder, open_session


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
