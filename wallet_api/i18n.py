"""The two languages of every human text the wallet returns: Traditional Chinese and English.

Negotiation follows RFC 9110 section 12.5.4 (``Accept-Language`` with q-values); any
``zh`` tag other than Simplified Chinese means ``zh-TW``, because that is the only
Chinese this service writes.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["zh-TW", "en"]
LANGUAGES: tuple[Language, ...] = ("zh-TW", "en")
_MAX_HEADER = 512

MESSAGES: dict[str, dict[Language, str]] = {
    "claim_invalid": {
        "zh-TW": "領取碼或出生日期不正確。",
        "en": "The claim code or the birth date is wrong.",
    },
    "claim_expired": {
        "zh-TW": "此領取碼已過期，請向發證單位申請新的領取碼。",
        "en": "This claim code has expired; ask the issuer for a new one.",
    },
    "claim_used": {
        "zh-TW": "此領取碼已使用過。",
        "en": "This claim code has already been used.",
    },
    "login_invalid": {
        "zh-TW": "身分證號、出生日期或驗證碼不正確。",
        "en": "The national ID, the birth date or the one-time code is wrong.",
    },
    "holder_unauthenticated": {
        "zh-TW": "請先領取憑證或登入。",
        "en": "Claim a certificate or log in first.",
    },
    "certificate_not_found": {
        "zh-TW": "找不到此憑證。",
        "en": "No such certificate.",
    },
    "delegation_not_found": {
        "zh-TW": "找不到此授權。",
        "en": "No such delegation.",
    },
    "delegation_invalid": {
        "zh-TW": "授權碼不正確、已過期或已使用。",
        "en": "The delegation code is wrong, expired or already used.",
    },
    "invalid_input": {
        "zh-TW": "輸入的資料格式不正確。",
        "en": "The input is not in the expected format.",
    },
    "rate_limited": {
        "zh-TW": "嘗試次數過多，已暫時鎖定，請稍後再試。",
        "en": "Too many attempts: locked for a while, try again later.",
    },
    "wallet_error": {"zh-TW": "發生錯誤。", "en": "Something went wrong."},
    "login_sent": {
        "zh-TW": "若資料與已發出的憑證相符，驗證碼已傳送至登記的聯絡方式。",
        "en": "If the details match an issued certificate, a one-time code was sent "
        "to the contact on file.",
    },
    "status_valid": {"zh-TW": "有效", "en": "Valid"},
    "status_expired": {"zh-TW": "已過期", "en": "Expired"},
    "status_revoked": {"zh-TW": "已撤銷", "en": "Revoked"},
    "status_superseded": {"zh-TW": "已由新憑證取代", "en": "Superseded by a re-issued certificate"},
    "kind_vaccination": {"zh-TW": "疫苗接種證明", "en": "Vaccination certificate"},
    "kind_test": {"zh-TW": "檢驗證明", "en": "Test certificate"},
    "kind_recovery": {"zh-TW": "康復證明", "en": "Recovery certificate"},
    "field_name": {"zh-TW": "姓名", "en": "Name"},
    "field_name_en": {"zh-TW": "英文姓名", "en": "Name (English)"},
    "field_birth_date": {"zh-TW": "出生日期", "en": "Date of birth"},
    "field_vaccine": {"zh-TW": "疫苗", "en": "Vaccine"},
    "field_dose": {"zh-TW": "劑次", "en": "Dose"},
    "field_date": {"zh-TW": "日期", "en": "Date"},
    "field_test": {"zh-TW": "檢驗", "en": "Test"},
    "field_result": {"zh-TW": "結果", "en": "Result"},
    "field_country": {"zh-TW": "國家", "en": "Country"},
    "field_issuer": {"zh-TW": "發證單位", "en": "Issuer"},
    "field_uvci": {"zh-TW": "憑證識別碼", "en": "Certificate identifier (UVCI)"},
    "field_valid_until": {"zh-TW": "有效期限", "en": "Valid until"},
}


TITLES: dict[str, dict[Language, str]] = {
    "claim_invalid": {"zh-TW": "領取失敗", "en": "Claim refused"},
    "claim_expired": {"zh-TW": "領取碼已過期", "en": "Claim code expired"},
    "claim_used": {"zh-TW": "領取碼已使用", "en": "Claim code already used"},
    "login_invalid": {"zh-TW": "登入失敗", "en": "Login refused"},
    "holder_unauthenticated": {"zh-TW": "需要登入", "en": "Holder token required"},
    "certificate_not_found": {"zh-TW": "找不到憑證", "en": "Certificate not found"},
    "delegation_not_found": {"zh-TW": "找不到授權", "en": "Delegation not found"},
    "delegation_invalid": {"zh-TW": "授權失敗", "en": "Delegation refused"},
    "invalid_input": {"zh-TW": "輸入錯誤", "en": "Invalid input"},
    "rate_limited": {"zh-TW": "嘗試次數過多", "en": "Too many attempts"},
    "wallet_error": {"zh-TW": "錯誤", "en": "Error"},
}


def title(key: str, language: Language) -> str:
    return TITLES[key][language]


def text(key: str, language: Language) -> str:
    """The message ``key`` in ``language`` (every key has both languages; a test checks it)."""
    return MESSAGES[key][language]


def negotiate(header: str | None, default: Language = "zh-TW") -> Language:
    """The best of our two languages for an ``Accept-Language`` header (bounded parse)."""
    if not header or len(header) > _MAX_HEADER:
        return default
    best: tuple[float, Language] | None = None
    for part in header.split(",")[:32]:
        tag, _, params = part.strip().partition(";")
        language = _match(tag.strip().lower())
        if language is None:
            continue
        quality = _quality(params)
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, language)
    return best[1] if best else default


def _match(tag: str) -> Language | None:
    if tag == "en" or tag.startswith("en-"):
        return "en"
    if tag in ("zh-cn", "zh-sg", "zh-hans") or tag.startswith("zh-hans-"):
        return None
    if tag == "zh" or tag.startswith("zh-"):
        return "zh-TW"
    return None


def _quality(params: str) -> float:
    name, _, value = params.strip().partition("=")
    if name.strip() != "q":
        return 1.0
    try:
        quality = float(value)
    except ValueError:
        return 0.0
    return quality if 0.0 <= quality <= 1.0 else 0.0
