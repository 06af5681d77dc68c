"""Service settings from ``VAXX_*`` environment variables and an optional ``.env`` file.

Defaults give a working development server with nothing else to run: state lives in
``./vaxx-data`` (a SQLite file and generated development keys). Production mode
refuses those defaults (see :meth:`Settings.production_problems`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_KEY_PASSPHRASE = "vaxx-development-key-passphrase"  # noqa: S105  # nosec B105  # a marked default production refuses
DEVELOPMENT_WALLET_SECRET = "vaxx-development-wallet-secret"  # noqa: S105  # nosec B105  # a marked default production refuses


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VAXX_", env_file=".env", extra="ignore")

    env: Literal["development", "production"] = "development"
    data_dir: Path = Path("vaxx-data")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default is SQLite in the data dir. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    )
    key_passphrase: SecretStr = SecretStr(DEVELOPMENT_KEY_PASSPHRASE)
    database_statement_timeout_seconds: int = Field(
        default=30,
        ge=0,
        description="PostgreSQL: cancel a request's statement (or lock wait) after this long, "
        "answering 503 instead of holding a worker; 0 never cancels. Migrations are exempt.",
    )
    max_body_bytes: int = 1024 * 1024
    max_upload_bytes: int = Field(
        default=10 * 1024 * 1024, description="Limit for multipart uploads (QR photos)"
    )
    max_json_depth: int = 64
    log_format: Literal["auto", "json", "text"] = "auto"
    log_level: str = "INFO"
    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token GET /metrics wants; unset, /metrics is open (keep it internal)",
    )
    issuing_country: str = "TW"
    issuer_name: str = "Centers for Disease Control, Ministry of Health and Welfare"
    issuer_timezone: str = Field(default="Asia/Taipei", description="Local dates of records")
    issuer_validity_days: dict[str, int] = Field(
        default={"vaccination": 365, "test": 30, "recovery": 180},
        description="Certificate lifetime (exp - iat) per type; never beyond the DSC's notAfter",
    )
    issuer_batch_max: int = Field(default=100, description="Bundles per batch request")
    issuer_pdf_font: Path | None = Field(
        default=None, description="CJK TTF for paper certificates; default: a known system font"
    )
    trust_list_key_dir: Path | None = Field(
        default=None, description="Trust-list signer + anchor files; default <data_dir>/trust-list"
    )
    trust_list_lifetime_hours: int = Field(default=48, ge=1, description="Signed list lifetime")
    trust_list_resign_hours: int = Field(default=12, ge=0, description="Re-sign when less is left")
    trust_list_cache_seconds: int = Field(default=300, ge=0, description="Cache-Control max-age")
    wallet_secret: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_WALLET_SECRET),
        description="HMAC key for stored claim/login codes and birth dates (>= 32 random bytes)",
    )
    wallet_claim_days: int = Field(default=30, ge=1, description="Claim code lifetime")
    wallet_session_hours: int = Field(default=720, ge=1, description="Holder token lifetime")
    wallet_max_failures: int = Field(default=5, ge=1, description="Failures before lockout")
    wallet_lockout_minutes: int = Field(default=15, ge=1, description="Lockout (and window)")
    booking_registry_url: str | None = Field(
        default=None, description="National registry FHIR base URL (doses are POSTed there)"
    )
    booking_registry_outbox: Path | None = Field(
        default=None, description="Registry upload outbox directory; default <data_dir>/registry"
    )
    public_base_url: str | None = Field(
        default=None,
        description="https URL the public reaches vaxx at (feed links, booking deep links, the "
        "SMART publisher advertisement); default: the request's own base URL",
    )
    availability_stale_minutes: int = Field(
        default=60, ge=1, description="Aggregated availability older than this is marked stale"
    )
    availability_cache_seconds: int = Field(
        default=60, ge=0, description="Cache-Control max-age of open data and the SMART feed"
    )
    availability_pull_seconds: int = Field(
        default=300,
        ge=0,
        description="How often the server pulls registered SMART feeds (one replica per feed "
        "per period); 0 disables (then run 'vaxx availability pull' from cron)",
    )
    availability_contact_email: str = Field(
        default="opendata@cdc.gov.tw", description="Contact named in the SMART publisher advert"
    )
    redis_url: SecretStr | None = Field(
        default=None,
        description="redis://host:6379/0 shared by every replica: rate-limit counters, "
        "idempotency keys in flight, cached public responses (no persistence needed); "
        "unset: kept in memory, right for one server process only",
    )
    redis_prefix: str = Field(default="vaxx:", description="Prefix of every Redis key")
    redis_timeout_seconds: float = Field(
        default=0.5, gt=0, le=10, description="Redis connect and socket timeout"
    )
    trusted_proxies: str = Field(
        default="",
        description="Reverse proxies (addresses or CIDRs, comma-separated) whose "
        "X-Forwarded-For names the client for rate limiting; default none",
    )
    rate_limit_window_seconds: int = Field(default=60, ge=1, description="Rate-limit window")
    rate_limit_open_data: int = Field(
        default=600,
        ge=0,
        description="Per address and window: open data, SMART feed, trust list (0: unlimited)",
    )
    rate_limit_booking: int = Field(
        default=120, ge=0, description="Per address and window: public booking (0: unlimited)"
    )
    rate_limit_wallet_login: int = Field(
        default=30, ge=0, description="Per address and window: wallet claim and login"
    )
    rate_limit_api_client: int = Field(
        default=3000,
        ge=0,
        description="Per address and window: public paths called with an "
        "API client token (kiosks, call centres)",
    )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'vaxx.sqlite3').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def json_logs(self) -> bool:
        if self.log_format == "auto":
            return self.env == "production"
        return self.log_format == "json"

    def production_problems(self) -> list[str]:
        """Why these settings must not run in production (empty when they may)."""
        if self.env != "production":
            return []
        problems = []
        if self.is_sqlite:
            problems.append("VAXX_DATABASE_URL must point at PostgreSQL, not SQLite")
        if self.key_passphrase.get_secret_value() == DEVELOPMENT_KEY_PASSPHRASE:
            problems.append("VAXX_KEY_PASSPHRASE is the development default; set a real one")
        if self.wallet_secret.get_secret_value() == DEVELOPMENT_WALLET_SECRET:
            problems.append("VAXX_WALLET_SECRET is the development default; set a real one")
        return problems


@lru_cache
def get_settings() -> Settings:
    return Settings()
