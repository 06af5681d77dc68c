"""Code formats and keyed digests of what holders type."""

import pytest

from wallet_api._internal import codes


def test_new_claim_codes_are_grouped_normalizable_and_distinct() -> None:
    made = {codes.new_claim_code() for _ in range(200)}
    assert len(made) == 200
    for code in made:
        assert len(code) == 14
        assert code[4] == code[9] == "-"
        assert codes.normalize_claim_code(code) == code.replace("-", "")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("abcd-efgh-jkmn", "ABCDEFGHJKMN", id="lower-case"),
        pytest.param(" ABCD EFGH JKMN ", "ABCDEFGHJKMN", id="spaces"),
        pytest.param("0O1I-L234-5678", "001112345678", id="confusable-letters"),
        pytest.param("ABCD-EFGH-JKM", None, id="too-short"),
        pytest.param("ABCD-EFGH-JKMU", None, id="letter-U-not-in-alphabet"),
        pytest.param("A" * 65, None, id="oversized"),
        pytest.param("ＡＢＣＤ-ＥＦＧＨ-ＪＫＭＮ", None, id="full-width"),
    ],
)
def test_normalize_claim_code(typed: str, expected: str | None) -> None:
    assert codes.normalize_claim_code(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("1985-03-14", "1985-03-14", id="full"),
        pytest.param("1985/3/4", "1985-03-04", id="slashes"),
        pytest.param("1985", "1985", id="year-only"),
        pytest.param("1985-03", "1985-03", id="year-month"),
        pytest.param("2024-02-29", "2024-02-29", id="leap-day"),
        pytest.param("2023-02-29", None, id="not-a-leap-year"),
        pytest.param("1985-13-01", None, id="month-13"),
        pytest.param("85-03-14", None, id="two-digit-year"),
        pytest.param("1985-03-14-01", None, id="too-many-parts"),
        pytest.param("１９８５", None, id="non-ascii-digits"),
        pytest.param("", None, id="empty"),
    ],
)
def test_normalize_birth_date(typed: str, expected: str | None) -> None:
    assert codes.normalize_birth_date(typed) == expected


def test_login_codes_are_six_ascii_digits() -> None:
    for _ in range(100):
        code = codes.new_login_code()
        assert codes.normalize_login_code(code) == code
    assert codes.normalize_login_code("12345") is None
    assert codes.normalize_login_code("١٢٣٤٥٦") is None


def test_national_id_normalization() -> None:
    assert codes.normalize_national_id(" a123456789 ") == "A123456789"
    assert codes.normalize_national_id("A12") is None
    assert codes.normalize_national_id("A123<script>") is None


def test_mac_depends_on_secret_purpose_and_part_boundaries() -> None:
    base = codes.mac(b"k1", "claim", "ab", "c")
    assert base != codes.mac(b"k2", "claim", "ab", "c")
    assert base != codes.mac(b"k1", "login", "ab", "c")
    assert base != codes.mac(b"k1", "claim", "a", "bc")
    assert base == codes.mac(b"k1", "claim", "ab", "c")


def test_holder_tokens_hash_to_their_stored_form() -> None:
    token = codes.new_holder_token()
    assert token.startswith("vxh_")
    assert len(token) > 40
    assert codes.hash_token(token) != token
    assert len(codes.hash_token(token)) == 64
