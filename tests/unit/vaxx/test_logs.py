"""Tokens and private keys never reach the log output."""

import logging

import pytest

from vaxx import logs
from vaxx.auth.tokens import new_token
from wallet_api._internal.codes import new_holder_token

PEM = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n"
    "-----END PRIVATE KEY-----"
)


@pytest.mark.parametrize("json_format", [True, False], ids=["json", "text"])
def test_secrets_are_redacted(capsys: pytest.CaptureFixture[str], json_format: bool) -> None:
    logs.configure(json_format=json_format)
    token = new_token()
    logger = logging.getLogger("vaxx.test")
    logger.info("client sent %s", token)
    logger.info("header was Bearer %s", token)
    logger.info("key: %s", PEM)
    holder = new_holder_token()
    logger.info("holder sent %s", holder)
    written = capsys.readouterr().err
    assert "client sent [redacted]" in written
    assert token not in written
    assert "holder sent [redacted]" in written
    assert holder not in written
    assert "MIGHAgEA" not in written
