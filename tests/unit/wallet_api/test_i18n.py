"""Language negotiation and the message catalogue."""

import pytest

from wallet_api import i18n


def test_every_message_has_both_languages_and_they_differ() -> None:
    for key, texts in i18n.MESSAGES.items():
        assert set(texts) == set(i18n.LANGUAGES), key
        assert texts["zh-TW"] != texts["en"], key


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param("en", "en", id="en"),
        pytest.param("zh-TW", "zh-TW", id="zh-TW"),
        pytest.param("zh-Hant-TW,zh;q=0.9", "zh-TW", id="zh-Hant"),
        pytest.param("en-US,en;q=0.9,zh-TW;q=0.8", "en", id="en-first"),
        pytest.param("zh-TW;q=0.5, en;q=0.9", "en", id="q-values"),
        pytest.param("fr-FR, en;q=0.1", "en", id="fallback-to-listed"),
        pytest.param("zh-CN", "zh-TW", id="simplified-unsupported-default"),
        pytest.param("en;q=0", "zh-TW", id="q-zero-refuses"),
        pytest.param("en;q=abc", "zh-TW", id="bad-q"),
        pytest.param(None, "zh-TW", id="absent"),
        pytest.param("en," * 400, "zh-TW", id="oversized"),
    ],
)
def test_negotiate(header: str | None, expected: str) -> None:
    assert i18n.negotiate(header) == expected


def test_negotiate_default_is_configurable() -> None:
    assert i18n.negotiate("fr", default="en") == "en"
