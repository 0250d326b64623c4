"""The ``detector`` command line: parsing, formatting and exit codes only.

Every decision lives in the library (``detector.scoring``, ``detector.train``,
``detector.synth``), so the CLI and the Python API cannot disagree. The
command modules import their heavy dependencies inside the command bodies, to
keep start-up quick.
"""

from __future__ import annotations

import typer

from detector import __version__
from detector.commands._common import epilog
from detector.commands.evaluate import evaluate
from detector.commands.explain import explain
from detector.commands.score import SCORE_EPILOG, score
from detector.commands.sites import SITES_EPILOG, sites
from detector.commands.synth import synth
from detector.commands.trace import TRACE_EPILOG, trace
from detector.commands.train import train

app = typer.Typer(
    name="detector",
    help="Find machine-translation and article-spinner artifacts in English text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"detector {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    """Find machine-translation and article-spinner artifacts in English text."""


@app.command()
def version() -> None:
    """Print the package version."""
    typer.echo(f"detector {__version__}")


app.command(epilog=SCORE_EPILOG)(score)
app.command(
    epilog=epilog("""
  detector train labelled.jsonl --out models/my-model
  detector train labelled.jsonl --out models/my-model --lm-corpus clean.jsonl
  detector train spun-and-clean/ --out models/mine --group-from-id '^[^-]+'""")
)(train)
app.command(
    epilog=epilog("""
  detector evaluate test.jsonl --out report/
  detector evaluate test.jsonl --out report/ --model m/a --compare m/b
  detector evaluate data.jsonl --out loo/ --loo-kind""")
)(evaluate)
app.command(
    epilog=epilog("""
  detector explain article.txt
  detector explain article.txt --html article.html
  cat article.txt | detector explain -""")
)(explain)
app.command(
    epilog=epilog("""
  detector synth clean.jsonl --out labelled.jsonl
  detector synth clean.jsonl --out labelled.jsonl --resume""")
)(synth)

app.command(epilog=TRACE_EPILOG)(trace)
app.command(epilog=SITES_EPILOG)(sites)


def main() -> None:
    """Entry point of the ``detector`` script."""
    app()
