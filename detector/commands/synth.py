"""``detector synth``: build labelled training data from clean documents."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

#: Bad input rows listed one by one before only their count is shown.
MAX_BAD_ROWS_SHOWN = 20


def synth(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Clean English documents: JSONL files (.gz too), folders of .txt files, globs.",
            metavar="SOURCE...",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Dataset to write (JSON lines).", dir_okay=False),
    ],
    limit: Annotated[
        int | None, typer.Option(help="Use at most this many usable documents.", min=1)
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of every random choice.")] = 0,
    generator: Annotated[
        list[str] | None,
        typer.Option(
            "--generator",
            "-g",
            metavar="NAME",
            help="Generator to run (repeatable): roundtrip, spin, damage, partial. Default: all.",
        ),
    ] = None,
    pivot: Annotated[
        list[str] | None,
        typer.Option(
            help="Round-trip pivot language (repeatable): spa, cat, glg, epo.", metavar="CODE"
        ),
    ] = None,
    spin_rate: Annotated[
        list[float] | None,
        typer.Option(
            help="Share of content words a spin replaces (repeatable). Default: 0.1 0.2 0.3 0.5.",
            metavar="RATE",
        ),
    ] = None,
    damage_profile: Annotated[
        list[str] | None,
        typer.Option(help="Damage profile (repeatable): light, heavy, tickers.", metavar="NAME"),
    ] = None,
    roundtrip_share: Annotated[
        float, typer.Option(help="Share of documents that get a round trip.", min=0, max=1)
    ] = 1.0,
    spin_share: Annotated[
        float, typer.Option(help="Share of documents that get a spin.", min=0, max=1)
    ] = 1.0,
    damage_share: Annotated[
        float, typer.Option(help="Share of documents that get modelled damage.", min=0, max=1)
    ] = 1.0,
    partial_share: Annotated[
        float, typer.Option(help="Share of documents that get a partly changed copy.", min=0, max=1)
    ] = 0.5,
    spin_syntax_slips: Annotated[
        float,
        typer.Option(help="Share of spin replacements left as {a|b} syntax.", min=0, max=1),
    ] = 0.01,
    thesaurus: Annotated[
        Path | None,
        typer.Option(
            help="Spinner swaps to use first: a TSV of original and spun phrases (e.g. from "
            "trace --substitutions), applied inside names too, as real spinners do.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    first_choice: Annotated[
        float,
        typer.Option(
            help="Probability that a WordNet swap takes the first-listed synonym "
            "(real spinners: nearly 1).",
            min=0,
            max=1,
        ),
    ] = 0.7,
    text_field: Annotated[str, typer.Option(help="JSON field holding the text.")] = "text",
    id_field: Annotated[str, typer.Option(help="JSON field holding the document id.")] = "id",
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Keep rows already written by an earlier run; add the rest."),
    ] = False,
    split: Annotated[
        str | None,
        typer.Option(help="Also write train/dev/test files by source document, e.g. 80,10,10."),
    ] = None,
    hold_out_kind: Annotated[
        list[str] | None,
        typer.Option(
            help="Keep kinds matching this glob (repeatable, e.g. 'damage:*') out of train.",
            metavar="GLOB",
        ),
    ] = None,
    held_out_to: Annotated[
        str,
        typer.Option(help="Where held-out rows go: 'file' (<stem>.heldout.jsonl) or 'dev-test'."),
    ] = "file",
    jobs: Annotated[int, typer.Option(help="Apertium round trips run at once.", min=1)] = 2,
    chunk_size: Annotated[
        int, typer.Option(help="Documents per engine call and per write.", min=1)
    ] = 100,
    apertium: Annotated[str, typer.Option(help="The apertium executable.")] = "apertium",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")] = False,
) -> None:
    """Write originals and their round-tripped, spun and damaged variants, labelled."""
    from detector.synth import (
        GENERATORS,
        Apertium,
        ApertiumError,
        SynthConfig,
        WordNetMissing,
        synthesize,
    )
    from detector.synth.splits import parse_fractions

    if held_out_to not in ("file", "dev-test"):
        _fail(f"--held-out-to must be 'file' or 'dev-test', not {held_out_to!r}", code=2)
    try:
        fractions = parse_fractions(split) if split is not None else None
        defaults = SynthConfig()
        config = SynthConfig(
            seed=seed,
            generators=tuple(generator) if generator else GENERATORS,
            pivots=tuple(pivot) if pivot else defaults.pivots,
            spin_rates=tuple(spin_rate) if spin_rate else defaults.spin_rates,
            damage_profiles=tuple(damage_profile) if damage_profile else defaults.damage_profiles,
            roundtrip_share=roundtrip_share,
            spin_share=spin_share,
            damage_share=damage_share,
            partial_share=partial_share,
            spin_syntax_slip_rate=spin_syntax_slips,
            spin_thesaurus=tuple(read_thesaurus(thesaurus)) if thesaurus else (),
            spin_first_choice=first_choice,
        )
    except ValueError as error:
        _fail(str(error), code=2)
    if hold_out_kind and fractions is None:
        _fail("--hold-out-kind needs --split", code=2)

    progress = None
    bar = None
    if not quiet and sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        task = bar.add_task("documents", total=limit)

        def progress(done: int) -> None:
            bar.update(task, completed=done)

    try:
        if bar is not None:
            bar.start()
        report = synthesize(
            sources,
            out,
            config=config,
            limit=limit,
            resume=resume,
            text_field=text_field,
            id_field=id_field,
            chunk_size=chunk_size,
            jobs=jobs,
            split=fractions,
            hold_out=hold_out_kind or (),
            held_out_mode="file" if held_out_to == "file" else "dev-test",
            apertium=Apertium(executable=apertium),
            progress=progress,
        )
    except (ApertiumError, WordNetMissing) as error:
        _fail(str(error))
    except KeyboardInterrupt:
        partial = out.with_name(out.name + ".partial")
        _fail(f"interrupted; rows so far are in {partial}: run again with --resume", code=130)
    finally:
        if bar is not None:
            bar.stop()

    for bad in report.bad_rows[:MAX_BAD_ROWS_SHOWN]:
        typer.echo(f"skipped {bad}", err=True)
    if report.bad_count:
        more = report.bad_count - min(report.bad_count, MAX_BAD_ROWS_SHOWN)
        tail = f" ({more} not listed)" if more else ""
        typer.echo(f"{report.bad_count} bad input rows skipped{tail}", err=True)
    if quiet:
        return
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(report.kinds.items()))
    resumed = f", {report.resumed_documents} resumed" if report.resumed_documents else ""
    typer.echo(
        f"{report.documents} documents{resumed}, {report.rows} rows written to {out} "
        f"in {report.seconds:.1f} s (Apertium {report.apertium_seconds:.1f} s)",
        err=True,
    )
    if kinds:
        typer.echo(f"  {kinds}", err=True)
    if report.splits is not None:
        for name, path in report.splits.paths.items():
            typer.echo(f"  {name}: {report.splits.rows(name)} rows in {path}", err=True)


def read_thesaurus(path: Path) -> list[tuple[str, str]]:
    """The swaps of a ``--thesaurus`` file; a line that is not a pair is reported and skipped."""
    from detector.swaps import read_swap_file

    pairs, skipped = read_swap_file(path)
    for message in skipped:
        typer.echo(message, err=True)
    return pairs


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=code)
