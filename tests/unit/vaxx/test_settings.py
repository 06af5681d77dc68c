"""Production refuses development defaults; development needs nothing configured."""

from pathlib import Path

import pytest
from pydantic import SecretStr

from vaxx import bootstrap
from vaxx.errors import ConfigurationError
from vaxx.settings import Settings


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_development_defaults_use_sqlite_in_data_dir(tmp_path: Path) -> None:
    settings = make(data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'vaxx.sqlite3'}"
    assert settings.production_problems() == []


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VAXX_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("VAXX_MAX_BODY_BYTES", "2048")
    settings = make()
    assert settings.data_dir == tmp_path
    assert settings.max_body_bytes == 2048


def test_production_refuses_sqlite_and_default_passphrase(tmp_path: Path) -> None:
    settings = make(env="production", data_dir=tmp_path)
    problems = settings.production_problems()
    assert any("PostgreSQL" in p for p in problems)
    assert any("VAXX_KEY_PASSPHRASE" in p for p in problems)
    with pytest.raises(ConfigurationError, match="refusing to start in production"):
        bootstrap.prepare(settings)
    assert not (tmp_path / "vaxx.sqlite3").exists()


def test_production_accepts_real_configuration(tmp_path: Path) -> None:
    settings = make(
        env="production",
        data_dir=tmp_path,
        database_url="postgresql+psycopg://vaxx@db/vaxx",
        key_passphrase=SecretStr("a real passphrase from a vault"),
        wallet_secret=SecretStr("another real secret from a vault, 32+ bytes long"),
    )
    assert settings.production_problems() == []
    assert settings.json_logs


def test_several_workers_need_redis_in_production(tmp_path: Path) -> None:
    """Without Redis each worker would count rate limits on its own: N workers, N x the limit."""
    assert bootstrap.workers_warning(make(data_dir=tmp_path), 1) is None
    warning = bootstrap.workers_warning(make(data_dir=tmp_path), 2)
    assert warning is not None
    assert "VAXX_REDIS_URL" in warning
    with pytest.raises(ConfigurationError, match=r"refusing to start in production.*--workers 3"):
        bootstrap.workers_warning(make(env="production", data_dir=tmp_path), 3)
    shared = make(env="production", data_dir=tmp_path, redis_url="redis://redis:6379/0")
    assert bootstrap.workers_warning(shared, 4) is None
