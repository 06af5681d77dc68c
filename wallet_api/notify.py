"""How a holder hears their code: a pluggable :class:`Notifier`.

The service hands a :class:`Notification` (claim code at issuance, one-time login code)
to a notifier in the caller's transaction. :class:`OutboxNotifier` writes it to the
``wallet_outbox`` table, which in development is where you read codes (and the log line
shows the code); in production a delivery worker drains the outbox through an
:class:`SmsGateway` / :class:`EmailGateway` and the log never shows the code.
:class:`GatewayNotifier` sends straight through the gateways for deployments that accept
sending inside the request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy.orm import Session

from wallet_api.models import OutboxMessage

_log = logging.getLogger("wallet_api.notify")


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"


@dataclass(frozen=True)
class Contact:
    channel: Channel
    address: str

    def masked(self) -> str:
        """Enough to tell which phone or mailbox, too little to contact it."""
        if self.channel is Channel.EMAIL and "@" in self.address:
            local, _, domain = self.address.partition("@")
            return f"{local[:1]}***@{domain}"
        return f"{self.address[:4]}***{self.address[-2:]}"


class NotificationKind(StrEnum):
    CLAIM_CODE = "claim_code"
    LOGIN_CODE = "login_code"


@dataclass(frozen=True)
class Notification:
    kind: NotificationKind
    code: str
    expires_at: datetime
    contact: Contact | None
    certificate_id: str | None = None

    def text(self) -> str:
        """The bilingual message body (SMS-sized)."""
        until = self.expires_at.strftime("%Y-%m-%d %H:%M UTC")
        if self.kind is NotificationKind.CLAIM_CODE:
            return (
                f"數位防疫憑證領取碼 {self.code}（{until} 前有效）。"
                f"Certificate claim code {self.code} (valid until {until})."
            )
        return (
            f"登入驗證碼 {self.code}（{until} 前有效），請勿告訴他人。"
            f"Login code {self.code} (valid until {until}); do not share it."
        )


class Notifier(Protocol):
    def send(self, session: Session, notification: Notification, *, now: datetime) -> None:
        """Deliver (or queue) ``notification``; may write in ``session``'s transaction."""


class SmsGateway(Protocol):
    def send_sms(self, to: str, text: str) -> None: ...


class EmailGateway(Protocol):
    def send_email(self, to: str, subject: str, text: str) -> None: ...


class OutboxNotifier:
    """Queue in ``wallet_outbox``; ``log_codes`` (development only) puts the code in the log."""

    def __init__(self, *, log_codes: bool) -> None:
        self.log_codes = log_codes

    def send(self, session: Session, notification: Notification, *, now: datetime) -> None:
        contact = notification.contact
        session.add(
            OutboxMessage(
                created_at=now,
                kind=notification.kind.value,
                channel=contact.channel.value if contact else None,
                address=contact.address if contact else None,
                certificate_id=notification.certificate_id,
                body=notification.text(),
                sent_at=None,
            )
        )
        where = contact.masked() if contact else "no contact on file"
        if self.log_codes:
            _log.info("queued %s %s for %s", notification.kind, notification.code, where)
        else:
            _log.info("queued %s for %s", notification.kind, where)


class GatewayNotifier:
    """Send at once through the gateway for the contact's channel (no outbox row)."""

    def __init__(self, *, sms: SmsGateway | None, email: EmailGateway | None) -> None:
        self.sms = sms
        self.email = email

    def send(self, session: Session, notification: Notification, *, now: datetime) -> None:
        contact = notification.contact
        if contact is None:
            _log.info("no contact on file: %s not sent", notification.kind)
            return
        if contact.channel is Channel.SMS and self.sms is not None:
            self.sms.send_sms(contact.address, notification.text())
        elif contact.channel is Channel.EMAIL and self.email is not None:
            self.email.send_email(contact.address, "vaxx", notification.text())
        else:
            _log.warning("no gateway for %s: %s not sent", contact.channel, notification.kind)
