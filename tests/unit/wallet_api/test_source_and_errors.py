"""Status precedence of a held certificate; every wallet error speaks both languages."""

from datetime import UTC, datetime, timedelta

import pytest

from wallet_api import errors, i18n
from wallet_api.source import HeldCertificate, HolderStatus

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _held(
    *, revoked: bool = False, superseded_by: str | None = None, days: int = 1
) -> HeldCertificate:
    return HeldCertificate(
        id="c1",
        uvci="URN:UVCI:01:TW:X#1",
        kind="vaccination",
        hc1="HC1:...",
        issued_at=NOW - timedelta(days=10),
        expires_at=NOW + timedelta(days=days),
        revoked=revoked,
        superseded_by=superseded_by,
        bundle={},
        payload={},
    )


@pytest.mark.parametrize(
    ("held", "expected"),
    [
        pytest.param(_held(), HolderStatus.VALID, id="valid"),
        pytest.param(_held(days=0), HolderStatus.EXPIRED, id="expired-at-exp"),
        pytest.param(
            _held(revoked=True, days=-5), HolderStatus.REVOKED, id="revoked-beats-expired"
        ),
        pytest.param(
            _held(revoked=True, superseded_by="c2"),
            HolderStatus.SUPERSEDED,
            id="superseded-beats-revoked",
        ),
    ],
)
def test_status_precedence(held: HeldCertificate, expected: HolderStatus) -> None:
    assert held.status(NOW) is expected


def _wallet_errors() -> list[type[errors.WalletError]]:
    found, pending = [], [errors.WalletError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_every_wallet_error_has_a_message_and_title_in_both_languages() -> None:
    classes = _wallet_errors()
    assert len(classes) >= 10
    for cls in classes:
        for language in i18n.LANGUAGES:
            assert i18n.text(cls.message_key, language), cls
            assert i18n.title(cls.message_key, language), cls


def test_every_status_and_kind_has_a_label() -> None:
    for status in HolderStatus:
        assert {i18n.text(f"status_{status.value}", lang) for lang in i18n.LANGUAGES}
    for kind in ("vaccination", "test", "recovery"):
        assert i18n.text(f"kind_{kind}", "zh-TW") != i18n.text(f"kind_{kind}", "en")
