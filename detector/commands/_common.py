"""Small helpers shared by the command modules."""

from __future__ import annotations

import os
from enum import Enum
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

# Options that ``score`` and ``trace`` share, word for word.
GlobOption = Annotated[str, typer.Option(help="File pattern inside folders.")]
ResumeOption = Annotated[bool, typer.Option("--resume", help="Finish an interrupted run on --out.")]
SchedulerOption = Annotated[
    str | None, typer.Option(help="Address of a Dask scheduler, e.g. tcp://host:8786.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")]

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


#: The output formats of a batch run, by the suffix of ``--out``.
EXTENSION_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
                     ".pq": "parquet"}  # fmt: skip


def check_batch_output(out: Path, output_format: str | None) -> None:
    """Exit with a message when ``--out`` and ``--format`` cannot be used together."""
    extension_format = EXTENSION_FORMATS.get(out.suffix.lower())
    if extension_format is None:
        fail(f"--out must end in .jsonl, .csv or .parquet, not {out.name!r}")
    if output_format is not None and output_format != extension_format:
        fail(f"--format {output_format} does not match --out {out.name}")


def run_or_fail(settings: Any, context: typer.Context) -> Any:
    """Run a batch (:func:`detector.batch.run`): its summary, or exit with what to do."""
    from detector.batch import BatchError, BatchInterrupted, run

    try:
        return run(settings)
    except BatchInterrupted as interrupted:
        say(str(interrupted))
        say(f"resume with: {resume_command(context)}")
        raise typer.Exit(code=130) from None
    except (BatchError, ValueError) as error:
        fail(str(error))


def resume_command(context: typer.Context) -> str:
    """The command line that finishes the interrupted run of this invocation.

    Rebuilt from the parsed parameters (every one that differs from its
    default), with ``--resume`` and without ``--overwrite``, quoted for a
    POSIX shell.
    """
    import shlex

    words = [context.find_root().info_name or "detector", context.info_name or "score"]
    for parameter in context.command.params:
        name = parameter.name or ""
        value = context.params.get(name)
        if name in ("resume", "overwrite"):
            continue
        values = value if isinstance(value, list | tuple) else [value]
        if parameter.param_type_name == "argument":
            words.extend(str(item) for item in values)
            continue
        if value is None or value == parameter.default:
            continue
        if getattr(parameter, "is_flag", False):
            flags = parameter.opts if value else getattr(parameter, "secondary_opts", [])
            words.append(max(flags, key=len))
            continue
        flag = max(parameter.opts, key=len)
        for item in values:
            words.extend([flag, str(item.value if isinstance(item, Enum) else item)])
    words.append("--resume")
    return shlex.join(words)
