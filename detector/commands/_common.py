"""Small helpers shared by the command modules."""

from __future__ import annotations

from typing import NoReturn

import typer


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an actionable message on stderr and exit with ``code``."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code=code)


def say(message: str) -> None:
    """Progress and summary lines go to stderr, so stdout stays machine-readable."""
    typer.echo(message, err=True)
