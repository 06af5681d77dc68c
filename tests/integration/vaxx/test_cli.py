"""The `vaxx` command line: clients and migrations, with clear errors and exit codes."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vaxx.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {"VAXX_DATA_DIR": str(tmp_path / "data"), "VAXX_DATABASE_URL": database_url}


def test_create_with_print_token_prints_only_the_token(env: dict[str, str]) -> None:
    result = runner.invoke(
        app,
        ["clients", "create", "--name", "clinic", "--scope", "issuer", "--print-token"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith("vx_")
    assert len(result.stdout.strip().splitlines()) == 1


def test_list_and_revoke(env: dict[str, str]) -> None:
    created = runner.invoke(
        app, ["clients", "create", "--name", "border", "--scope", "verifier"], env=env
    )
    assert created.exit_code == 0
    client_id = created.stdout.split()[2]
    token = created.stdout.split("token (shown once): ")[1].strip()

    listed = runner.invoke(app, ["clients", "list"], env=env)
    assert f"{client_id}\tborder\tverifier" in listed.stdout
    assert token not in listed.stdout
    assert "active" in listed.stdout

    revoked = runner.invoke(app, ["clients", "revoke", client_id], env=env)
    assert revoked.exit_code == 0
    assert "inactive" in runner.invoke(app, ["clients", "list"], env=env).stdout


def test_unknown_scope_is_a_usage_error(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["clients", "create", "--name", "x", "--scope", "root"], env=env)
    assert result.exit_code == 2
    assert "root" in result.output


def test_revoking_unknown_client_exits_with_not_found(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    from vaxx.cli import main

    monkeypatch.setattr("sys.argv", ["vaxx", "clients", "revoke", "missing"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 3


def test_db_upgrade_is_idempotent(tmp_path: Path) -> None:
    env = {"VAXX_DATA_DIR": str(tmp_path / "fresh")}
    for _ in range(2):
        result = runner.invoke(app, ["db", "upgrade"], env=env)
        assert result.exit_code == 0, result.output
    assert (tmp_path / "fresh" / "vaxx.sqlite3").exists()
