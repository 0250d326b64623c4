"""Small helpers shared by the command modules."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

DataArgument = Annotated[
    list[Path],
    typer.Argument(
        exists=True,
        help="JSONL/CSV with text and label (optional group, kind), "
        "or folders with spun/ and clean/.",
    ),
]
GroupOption = Annotated[
    str | None,
    typer.Option(
        help="Regular expression whose first match in a row's id is its group "
        "(used where the data has no group column).",
    ),
]
JobsOption = Annotated[int, typer.Option(min=1, help="Processes for feature extraction.")]

#: Exit codes every command shares; ``score`` adds its own (see SCORE_EPILOG).
EXIT_CODES = """\b
Exit codes:
  0    done
  1    could not run: a bad model, input or output path (reason on stderr)
  2    wrong usage (an unknown option, a missing argument)"""


def epilog(examples: str, exit_codes: str = EXIT_CODES) -> str:
    """A command's help epilog: examples, then exit codes, each kept line by line."""
    return "\b\nExamples:\n" + examples.strip("\n") + "\n\n" + exit_codes


ALL_CORES = max(1, os.cpu_count() or 1)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an actionable message on stderr and exit with ``code``."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code=code)


def say(message: str) -> None:
    """Progress and summary lines go to stderr, so stdout stays machine-readable."""
    typer.echo(message, err=True)


def load_samples(data: list[Path], group_from_id: str | None) -> list[Any]:
    """Labelled samples of ``data``; skipped rows are reported, no usable row is an error."""
    from detector.train import load_labelled

    samples, problems = load_labelled(data, group_from_id=group_from_id)
    for problem in problems[:20]:
        say(f"skipped {problem}")
    if problems:
        say(f"{len(problems)} rows skipped")
    if not samples:
        fail("no usable labelled rows")
    return samples


def read_language_model_texts(paths: list[Path], limit: int) -> list[str]:
    """Up to ``limit`` texts of the clean corpus given for the language models."""
    from itertools import islice

    from detector.readers import iter_records

    texts = (record.text for record in iter_records(paths) if record.text)
    return [text for text in islice(texts, limit) if text]


def load_model_or_fail(path: Path | None) -> Any:
    """The model at ``path`` (the shipped one when None), or exit with the loader's message."""
    from detector.model import ModelError, load_model

    try:
        return load_model(path)
    except ModelError as error:
        fail(str(error))
