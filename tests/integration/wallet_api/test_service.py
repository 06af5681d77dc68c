"""Holder access against a real database (SQLite and PostgreSQL), without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import MutableClock
from tests.integration.wallet_api.helpers import RecordingNotifier
from vaxx.db import transaction
from wallet_api import delegations, login, service, sessions
from wallet_api.errors import (
    CertificateNotFound,
    ClaimExpired,
    ClaimInvalid,
    ClaimUsed,
    DelegationInvalid,
    HolderUnauthenticated,
    LoginInvalid,
    RateLimited,
    WalletInputError,
)
from wallet_api.limits import DatabaseLimiter, LimitPolicy
from wallet_api.models import ClaimCode, HolderSession, OutboxMessage, Subject
from wallet_api.notify import Channel, Contact, NotificationKind, OutboxNotifier
from wallet_api.policy import WalletPolicy

POLICY = WalletPolicy(secret=b"test-secret-" + b"x" * 20, limits=LimitPolicy(max_failures=3))
DOB = "1985-03-14"


def _claim_code(
    factory: sessionmaker[Session], clock: MutableClock, cert: str, **kw: object
) -> str:
    with transaction(factory) as session:
        return service.create_claim(
            session,
            certificate_id=cert,
            now=clock(),
            notifier=RecordingNotifier(),
            policy=POLICY,
            **{"birth_date": DOB, **kw},  # type: ignore[arg-type]
        )


def _claim(
    factory: sessionmaker[Session],
    clock: MutableClock,
    code: str,
    dob: str = DOB,
    client: str = "10.0.0.1",
    holder_id: str | None = None,
) -> sessions.Grant:
    """Claim as the router does: commit even when refused, so failure counts persist."""
    with factory() as session:
        try:
            grant = service.claim(
                session,
                code=code,
                birth_date=dob,
                client=client,
                now=clock(),
                policy=POLICY,
                limiter=DatabaseLimiter(session, POLICY.limits),
                holder_id=holder_id,
            )
        finally:
            session.commit()
    return grant


def test_claim_code_is_stored_only_as_a_digest_and_sent(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    notifier = RecordingNotifier()
    contact = Contact(Channel.SMS, "+886912345678")
    with transaction(session_factory) as session:
        code = service.create_claim(
            session,
            certificate_id="c1",
            birth_date=DOB,
            now=clock(),
            notifier=notifier,
            policy=POLICY,
            contact=contact,
        )
    assert [n.code for n in notifier.sent] == [code]
    assert notifier.sent[0].kind is NotificationKind.CLAIM_CODE
    assert notifier.sent[0].contact == contact
    with session_factory() as session:
        row = session.scalars(select(ClaimCode)).one()
        stored = " ".join(str(v) for v in vars(row).values())
    assert code not in stored
    assert code.replace("-", "") not in stored
    assert DOB not in stored
    assert row.expires_at == clock() + POLICY.claim_lifetime


def test_claim_gives_a_token_that_sees_only_the_claimed_certificate(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    mine, other = (
        _claim_code(session_factory, clock, "c1"),
        _claim_code(session_factory, clock, "c2"),
    )
    grant = _claim(session_factory, clock, mine.lower().replace("-", " "))
    assert grant.certificate_ids == ("c1",)
    _claim(session_factory, clock, other)
    with session_factory() as session:
        holder = sessions.authenticate(session, grant.token, now=clock())
        assert sessions.visible_certificate_ids(session, holder) == ["c1"]
        sessions.require_visible(session, holder, "c1")
        with pytest.raises(CertificateNotFound):
            sessions.require_visible(session, holder, "c2")
        stored = session.scalars(select(HolderSession.token_hash)).all()
    assert grant.token not in stored


def test_claim_into_an_existing_wallet_collects_certificates(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    first = _claim(session_factory, clock, _claim_code(session_factory, clock, "c1"))
    second = _claim(
        session_factory,
        clock,
        _claim_code(session_factory, clock, "c2"),
        holder_id=first.holder_id,
    )
    assert second.holder_id == first.holder_id
    with session_factory() as session:
        assert sessions.visible_certificate_ids(session, first.holder_id) == ["c1", "c2"]


@pytest.mark.parametrize(
    ("code_change", "dob", "error"),
    [
        pytest.param(False, "1985-03-15", ClaimInvalid, id="wrong-birth-date"),
        pytest.param(True, DOB, ClaimInvalid, id="wrong-code"),
        pytest.param(False, "not a date", ClaimInvalid, id="malformed-birth-date"),
    ],
)
def test_wrong_input_is_refused_without_saying_which_half(
    session_factory: sessionmaker[Session],
    clock: MutableClock,
    code_change: bool,
    dob: str,
    error: type[Exception],
) -> None:
    code = _claim_code(session_factory, clock, "c1")
    typed = (
        ("0000-0000-0000" if code != "0000-0000-0000" else "1111-1111-1111")
        if code_change
        else code
    )
    with pytest.raises(error, match="wrong claim code or birth date"):
        _claim(session_factory, clock, typed, dob=dob)


def test_codes_are_single_use_and_expire(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    code = _claim_code(session_factory, clock, "c1")
    _claim(session_factory, clock, code)
    with pytest.raises(ClaimUsed):
        _claim(session_factory, clock, code)
    late = _claim_code(session_factory, clock, "c2")
    clock.now += POLICY.claim_lifetime
    with pytest.raises(ClaimExpired):
        _claim(session_factory, clock, late)


def test_per_code_lockout_survives_other_addresses_and_refuses_the_right_answer(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    code = _claim_code(session_factory, clock, "c1")
    for attempt in range(3):
        with pytest.raises(ClaimInvalid):
            _claim(session_factory, clock, code, dob="2000-01-01", client=f"10.0.1.{attempt}")
    with pytest.raises(RateLimited, match="claim") as raised:
        _claim(session_factory, clock, code, client="10.0.9.9")
    assert raised.value.retry_after == 15 * 60
    clock.now += POLICY.limits.lockout
    assert _claim(session_factory, clock, code, client="10.0.9.9").certificate_ids == ("c1",)


def test_per_address_lockout_stops_code_guessing(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    code = _claim_code(session_factory, clock, "c1")
    for guess in ("AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB", "CCCC-CCCC-CCCC"):
        with pytest.raises(ClaimInvalid):
            _claim(session_factory, clock, guess)
    with pytest.raises(RateLimited, match="addr"):
        _claim(session_factory, clock, code)
    assert _claim(session_factory, clock, code, client="10.0.0.2").certificate_ids == ("c1",)


def test_create_claim_refuses_a_bad_birth_date(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    with pytest.raises(WalletInputError, match="not a birth date"):
        _claim_code(session_factory, clock, "c1", birth_date="14/03/1985")  # wrong order


def _login(
    factory: sessionmaker[Session],
    clock: MutableClock,
    notifier: RecordingNotifier,
    national_id: str = "A123456789",
    dob: str = DOB,
) -> None:
    with factory() as session:
        try:
            login.start_login(
                session,
                national_id=national_id,
                birth_date=dob,
                client="10.0.0.1",
                now=clock(),
                policy=POLICY,
                limiter=DatabaseLimiter(session, POLICY.limits),
                notifier=notifier,
            )
        finally:
            session.commit()


def _finish(
    factory: sessionmaker[Session],
    clock: MutableClock,
    code: str,
    national_id: str = "A123456789",
    dob: str = DOB,
) -> sessions.Grant:
    with factory() as session:
        try:
            return login.finish_login(
                session,
                national_id=national_id,
                birth_date=dob,
                code=code,
                client="10.0.0.1",
                now=clock(),
                policy=POLICY,
                limiter=DatabaseLimiter(session, POLICY.limits),
            )
        finally:
            session.commit()


def test_national_id_login_opens_one_wallet_with_every_certificate_of_the_person(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    contact = Contact(Channel.EMAIL, "chen@example.org")
    for cert in ("c1", "c2"):
        _claim_code(session_factory, clock, cert, national_id="a123456789", contact=contact)
    _claim_code(session_factory, clock, "other", national_id="B223456789")
    notifier = RecordingNotifier()
    _login(session_factory, clock, notifier)
    (sent,) = notifier.sent
    assert sent.kind is NotificationKind.LOGIN_CODE
    assert sent.contact == contact
    grant = _finish(session_factory, clock, sent.code)
    assert sorted(grant.certificate_ids) == ["c1", "c2"]
    with pytest.raises(LoginInvalid):
        _finish(session_factory, clock, sent.code)  # single use
    _login(session_factory, clock, notifier)
    again = _finish(session_factory, clock, notifier.sent[-1].code)
    assert again.holder_id == grant.holder_id
    assert again.certificate_ids == ()
    with session_factory() as session:
        assert "A123456789" not in str(session.scalars(select(Subject.subject_mac)).all())


def test_national_id_login_with_unknown_person_sends_nothing_and_says_nothing(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    _claim_code(session_factory, clock, "c1", national_id="A123456789")
    notifier = RecordingNotifier()
    _login(session_factory, clock, notifier, dob="1990-01-01")
    _login(session_factory, clock, notifier, national_id="C123456789")
    assert notifier.sent == []


def test_national_id_login_code_guessing_locks_the_person(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    _claim_code(session_factory, clock, "c1", national_id="A123456789")
    notifier = RecordingNotifier()
    _login(session_factory, clock, notifier)
    real = notifier.sent[0].code
    wrong = [f"{(int(real) + n) % 10**6:06d}" for n in (1, 2, 3)]
    for guess in wrong:
        with pytest.raises(LoginInvalid):
            _finish(session_factory, clock, guess)
    with pytest.raises(RateLimited):
        _finish(session_factory, clock, real)


def test_login_codes_expire(session_factory: sessionmaker[Session], clock: MutableClock) -> None:
    _claim_code(session_factory, clock, "c1", national_id="A123456789")
    notifier = RecordingNotifier()
    _login(session_factory, clock, notifier)
    clock.now += timedelta(minutes=10)
    with pytest.raises(LoginInvalid):
        _finish(session_factory, clock, notifier.sent[0].code)


def test_delegation_shares_own_holdings_one_step_and_ends_on_revoke(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    child = _claim(session_factory, clock, _claim_code(session_factory, clock, "child-cert"))
    parent = _claim(session_factory, clock, _claim_code(session_factory, clock, "parent-cert"))
    grandparent = _claim(session_factory, clock, _claim_code(session_factory, clock, "gp-cert"))
    with transaction(session_factory) as session:
        code, _ = delegations.invite(
            session, grantor_id=child.holder_id, now=clock(), policy=POLICY
        )
    with transaction(session_factory) as session:
        row = delegations.accept(
            session,
            grantee_id=parent.holder_id,
            code=code,
            client="10.0.0.1",
            now=clock(),
            policy=POLICY,
            limiter=DatabaseLimiter(session, POLICY.limits),
        )
        code2, _ = delegations.invite(
            session, grantor_id=parent.holder_id, now=clock(), policy=POLICY
        )
    with transaction(session_factory) as session:
        delegations.accept(
            session,
            grantee_id=grandparent.holder_id,
            code=code2,
            client="10.0.0.1",
            now=clock(),
            policy=POLICY,
            limiter=DatabaseLimiter(session, POLICY.limits),
        )
    with session_factory() as session:
        assert sessions.visible_certificate_ids(session, parent.holder_id) == [
            "parent-cert",
            "child-cert",
        ]
        assert sessions.visible_certificate_ids(session, grandparent.holder_id) == [
            "gp-cert",
            "parent-cert",
        ]
        assert sessions.visible_certificate_ids(session, child.holder_id) == ["child-cert"]
    with transaction(session_factory) as session, pytest.raises(DelegationInvalid):
        delegations.accept(
            session,
            grantee_id=grandparent.holder_id,
            code=code,
            client="10.0.0.1",
            now=clock(),
            policy=POLICY,
            limiter=DatabaseLimiter(session, POLICY.limits),
        )
    with transaction(session_factory) as session:
        delegations.revoke(session, holder_id=child.holder_id, delegation_id=row.id, now=clock())
    with session_factory() as session:
        assert sessions.visible_certificate_ids(session, parent.holder_id) == ["parent-cert"]


def test_tokens_expire_and_end(session_factory: sessionmaker[Session], clock: MutableClock) -> None:
    grant = _claim(session_factory, clock, _claim_code(session_factory, clock, "c1"))
    with transaction(session_factory) as session:
        sessions.end_session(session, grant.token, now=clock())
    with session_factory() as session, pytest.raises(HolderUnauthenticated):
        sessions.authenticate(session, grant.token, now=clock())
    other = _claim(session_factory, clock, _claim_code(session_factory, clock, "c2"))
    clock.now = grant.expires_at
    with session_factory() as session, pytest.raises(HolderUnauthenticated):
        sessions.authenticate(session, other.token, now=clock())


def test_outbox_notifier_queues_and_logs_the_code_only_in_development(
    session_factory: sessionmaker[Session], clock: MutableClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="wallet_api.notify")
    codes = []
    for log_codes in (True, False):
        with transaction(session_factory) as session:
            codes.append(
                service.create_claim(
                    session,
                    certificate_id=f"c{log_codes}",
                    birth_date=DOB,
                    now=clock(),
                    notifier=OutboxNotifier(log_codes=log_codes),
                    policy=POLICY,
                    contact=Contact(Channel.SMS, "+886912345678"),
                )
            )
    assert codes[0] in caplog.text
    assert codes[1] not in caplog.text
    assert "+886912345678" not in caplog.text
    with session_factory() as session:
        bodies = [m.body for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert codes[0] in bodies[0]
    assert codes[1] in bodies[1]
    assert "領取碼" in bodies[0]
    assert "claim code" in bodies[0]
