"""Test doubles for the wallet's I/O seams (the notifier) and a register-free source."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from wallet_api.notify import Notification


class RecordingNotifier:
    """Keeps what would have been sent, so a test can read the code a person receives."""

    def __init__(self) -> None:
        self.sent: list[Notification] = []

    def send(self, session: Session, notification: Notification, *, now: datetime) -> None:
        self.sent.append(notification)
