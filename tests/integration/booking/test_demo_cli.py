"""`vaxx demo load`: the data set a new user starts with, loaded once."""

from pathlib import Path

from typer.testing import CliRunner

from vaxx.cli import app

runner = CliRunner()


def test_demo_loads_once_and_is_searchable(tmp_path: Path, database_url: str) -> None:
    env = {"VAXX_DATA_DIR": str(tmp_path / "data"), "VAXX_DATABASE_URL": database_url}
    loaded = runner.invoke(app, ["demo", "load"], env=env)
    assert loaded.exit_code == 0, loaded.output
    assert "loaded 12 sites" in loaded.stdout

    again = runner.invoke(app, ["demo", "load"], env=env)
    assert again.exit_code != 0
    assert "loaded" not in again.stdout
