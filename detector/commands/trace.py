"""``detector trace``: find the source of each suspect, and every word changed."""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from detector.commands._common import (
    GlobOption,
    QuietOption,
    ResumeOption,
    SchedulerOption,
    check_batch_output,
    epilog,
    fail,
    run_or_fail,
    say,
)


class TraceFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


TRACE_EPILOG = epilog(
    """
  detector trace suspects.jsonl --sources originals.jsonl
  detector trace crawl/ --sources reuters.jsonl.gz --index idx/ --out traced.jsonl
  detector trace more.jsonl --index idx/ --out more.csv --jobs 4 --resume
  detector trace spun.jsonl --index idx/ --html pages/ --substitutions swaps.tsv""",
    """\b
Exit codes:
  0    every suspect has a row (some rows may be errors)
  1    could not run: a bad index, output path or option (reason on stderr)
  2    wrong usage
  130  interrupted (Ctrl-C): with --out, the rows so far are kept, and the
       command that resumes the run is printed""",
)


def trace(
    context: typer.Context,
    suspects: Annotated[
        list[str] | None,
        typer.Argument(help="Suspect documents: files, folders, globs, JSONL/CSV/Parquet."),
    ] = None,
    sources: Annotated[
        list[str] | None,
        typer.Option(
            "--sources",
            "-s",
            help="Source documents to index (repeat for several); without it, --index "
            "must hold a saved index.",
        ),
    ] = None,
    index: Annotated[
        Path | None,
        typer.Option(
            help="Index folder: built here from --sources (kept for later runs), or read "
            "when --sources is not given. With --out and no --index: OUT.index/.",
        ),
    ] = None,
    output_format: Annotated[
        TraceFormat | None,
        typer.Option("--format", "-f", help="Output on stdout (default: table on a terminal)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write every suspect's row to .jsonl, .csv or .parquet (batch)."
        ),
    ] = None,
    html: Annotated[
        Path | None, typer.Option(help="Write one HTML page per suspect into this folder.")
    ] = None,
    substitutions: Annotated[
        Path | None,
        typer.Option(help="Write the substitution table of every traced pair here (TSV)."),
    ] = None,
    text_field: Annotated[str, typer.Option(help="Text field of suspect rows.")] = "text",
    id_field: Annotated[str, typer.Option(help="Id field of suspect rows.")] = "id",
    source_text_field: Annotated[str, typer.Option(help="Text field of source rows.")] = "text",
    source_id_field: Annotated[str, typer.Option(help="Id field of source rows.")] = "id",
    glob: GlobOption = "*",
    candidates: Annotated[
        int, typer.Option(min=1, max=20, help="Candidate sources listed per suspect.")
    ] = 3,
    jobs: Annotated[int | None, typer.Option(help="Worker processes (default: all cores).")] = None,
    chunk_size: Annotated[int, typer.Option(min=1, help="Suspects per work unit.")] = 200,
    resume: ResumeOption = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing --out (and --index).")
    ] = False,
    keep: Annotated[
        str | None, typer.Option(help="Suspect fields to copy into each row, comma separated.")
    ] = None,
    dask: Annotated[
        str | None, typer.Option(help="'local' to trace on a Dask LocalCluster.")
    ] = None,
    scheduler: SchedulerOption = None,
    quiet: QuietOption = False,
) -> None:
    """Trace suspects to their sources: verdict, similarity and every substitution."""
    from detector.trace import SourceIndex, TraceIndexError, TraceSpec

    if not suspects:
        fail("give at least one SUSPECTS path")
    if not sources and index is None:
        fail("give --sources to index, or --index DIR holding a saved index")
    if out is None and (resume or dask or scheduler):
        fail("--resume, --dask and --scheduler need --out FILE")
    from detector.commands._common import ALL_CORES

    workers = ALL_CORES if jobs is None else max(1, jobs)
    with tempfile.TemporaryDirectory(prefix="detector-trace-") as scratch:
        # A batch run keeps its index beside the output when not told where,
        # so that --resume finds the one the rows so far were traced against.
        beside = out.with_name(out.name + ".index") if out is not None else None
        folder = index or beside or Path(scratch) / "index"
        try:
            if sources:
                if resume and (folder / "manifest.json").exists():
                    say(f"resuming with the index in {folder}")
                else:
                    _build_index(sources, folder, source_text_field, source_id_field, glob,
                                 workers, overwrite or folder == beside, quiet)  # fmt: skip
            loaded = SourceIndex.load(folder)
        except TraceIndexError as error:
            fail(str(error))
        spec = TraceSpec(str(folder.resolve()), candidates=candidates)
        options = {"text_field": text_field, "id_field": id_field, "glob": glob}
        if out is not None:
            _trace_batch(suspects, out, spec, workers=workers, chunk_size=chunk_size,
                         resume=resume, overwrite=overwrite, keep=keep, scheduler=scheduler or dask,
                         quiet=quiet, context=context, output_format=output_format,
                         options=options)  # fmt: skip
            from detector.writers import read_results

            rows: Iterator[dict[str, Any]] = read_results(out)
            if html is not None or substitutions is not None:
                _extras(rows, suspects, options, loaded, html, substitutions)
            return
        traced = _trace_to_stdout(suspects, spec, output_format, options)
        if html is not None or substitutions is not None:
            _extras(iter(traced), suspects, options, loaded, html, substitutions)


def _build_index(sources: list[str], folder: Path, text_field: str, id_field: str, glob: str,
                 jobs: int, overwrite: bool, quiet: bool) -> None:  # fmt: skip
    import time

    from detector.readers import iter_records
    from detector.trace import SourceIndex

    started = time.monotonic()
    records = iter_records(sources, text_field=text_field, id_field=id_field, pattern=glob)
    built = SourceIndex.build(records, folder, jobs=jobs, overwrite=overwrite,
                              description={"sources": sources, "text_field": text_field,
                                           "id_field": id_field})  # fmt: skip
    if not quiet:
        skipped = built.manifest["skipped_records"]
        note = f" ({skipped:,} records skipped: unreadable, or without a word)" if skipped else ""
        say(f"indexed {len(built):,} sources in {time.monotonic() - started:.1f} s{note}")


def _trace_batch(suspects: list[str], out: Path, spec: Any, *, workers: int, chunk_size: int,
                 resume: bool, overwrite: bool, keep: str | None, scheduler: str | None,
                 quiet: bool, context: typer.Context, output_format: TraceFormat | None,
                 options: dict[str, str]) -> None:  # fmt: skip
    from detector.batch import RunSettings

    check_batch_output(out, output_format.value if output_format else None)
    if scheduler not in (None, "local") and not scheduler.startswith(("tcp://", "tls://")):
        fail("--dask takes 'local'; for a running cluster use --scheduler tcp://HOST:8786")
    try:
        settings = RunSettings(
            tuple(suspects), out, spec, jobs=workers, chunk_size=chunk_size, resume=resume,
            overwrite=overwrite, keep=tuple(k for k in (keep or "").split(",") if k),
            scheduler=scheduler, progress="none" if quiet else "auto",
            text_field=options["text_field"], id_field=options["id_field"], glob=options["glob"],
        )  # fmt: skip
    except ValueError as error:
        fail(str(error))
    summary = run_or_fail(settings, context)
    if summary.errors and summary.errors == summary.records:
        say(f"{summary.errors:,} of {summary.records:,} suspects failed")
        raise typer.Exit(code=2)


def _trace_to_stdout(suspects: list[str], spec: Any, output_format: TraceFormat | None,
                     options: dict[str, str]) -> list[dict[str, Any]]:  # fmt: skip
    from detector.chunks import score_records
    from detector.readers import iter_records
    from detector.trace import TRACE_FIELDS
    from detector.writers import csv_cells, csv_text

    fmt = output_format or (TraceFormat.table if sys.stdout.isatty() else TraceFormat.jsonl)
    rows: list[dict[str, Any]] = []
    records = iter_records(suspects, text_field=options["text_field"],
                           id_field=options["id_field"], pattern=options["glob"])  # fmt: skip
    if fmt is TraceFormat.csv:
        sys.stdout.write(csv_text([list(TRACE_FIELDS)]))
    for record in records:
        row = score_records([record], spec).rows[0]
        rows.append(row)
        if fmt is TraceFormat.jsonl:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif fmt is TraceFormat.csv:
            sys.stdout.write(csv_text([csv_cells(row, TRACE_FIELDS)]))
    if fmt is TraceFormat.json:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif fmt is TraceFormat.table:
        _print_table(rows)
    return rows


def _print_table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for column in ("suspect", "verdict", "source", "similarity", "changed", "substitutions"):
        table.add_column(column, overflow="fold")
    styles = {"spun_copy": "bold red", "copy": "red", "rewrite": "yellow"}
    for row in rows:
        verdict = row.get("verdict") or row["status"]
        swaps = [e for e in row.get("substitutions") or [] if e["kind"] == "replace"]
        shown = ", ".join(f"{e['source_text']!r} → {e['copy_text']!r}" for e in swaps[:3])
        if len(swaps) > 3:
            shown += f" (+{len(swaps) - 3} more)"
        if row["status"] == "error":
            shown = row.get("error") or ""
        changed = row.get("changed_share")
        table.add_row(
            str(row["id"]),
            f"[{styles.get(verdict, 'green')}]{verdict}[/]",
            str(row.get("source_id") or ""),
            f"{row['similarity']:.2f}" if row.get("similarity") is not None else "",
            f"{changed:.0%}" if changed is not None else "",
            shown,
        )
    Console().print(table)


def _extras(rows: Iterator[dict[str, Any]], suspects: list[str], options: dict[str, str],
            index: Any, html: Path | None, substitutions: Path | None) -> None:  # fmt: skip
    """The substitution table and the HTML pages, from the rows (in input order)."""
    from detector.readers import iter_records
    from detector.trace import write_substitution_table

    kept: list[dict[str, Any]] = []
    if html is not None:
        from detector.trace_html import write_trace_pages

        records = iter_records(suspects, text_field=options["text_field"],
                               id_field=options["id_field"], pattern=options["glob"])  # fmt: skip
        pages = write_trace_pages(_remember(rows, kept), records, index, html)
        say(f"wrote {pages:,} pages to {html}")
    else:
        kept = list(rows)
    if substitutions is not None:
        written = write_substitution_table(kept, substitutions)
        say(f"wrote {written:,} substitutions to {substitutions}")


def _remember(
    rows: Iterator[dict[str, Any]], kept: list[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    for row in rows:
        kept.append({"id": row["id"], "verdict": row.get("verdict"),
                     "substitutions": row.get("substitutions")})  # fmt: skip
        yield row
