from typer.testing import CliRunner

from detector import __version__
from detector.cli import app

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"detector {__version__}"
