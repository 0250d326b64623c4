"""``detector score``: score files, folders, globs, stdin or corpora."""

from __future__ import annotations

import json
import sys
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
    fail,
    load_model_or_fail,
    run_or_fail,
    say,
)


class InputFormat(str, Enum):
    auto = "auto"
    html = "html"


class EvidenceChoice(str, Enum):
    all = "all"
    spun = "spun"
    none = "none"


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def _print_table(rows: list[dict[str, Any]], explain: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    from detector.scoring import ranked_evidence

    console = Console()
    table = Table(show_lines=False)
    for column in ("document", "score", "verdict", "evidence"):
        table.add_column(column, overflow="fold")
    for row in rows:
        # the surest kinds of slip first: a ticker or a known swap before an odd pair
        evidence = ranked_evidence(row.get("evidence") or [])
        shown = ", ".join(
            f"{e['family']}: {e['snippet']!r}" if e["snippet"] else e["name"] for e in evidence[:3]
        )
        if len(evidence) > 3:
            shown += f" (+{len(evidence) - 3} more)"
        verdict = row.get("label") or row["status"]
        if row["status"] == "error":
            shown = row.get("error") or ""
        style = {"spun": "bold red", "clean": "green"}.get(verdict, "yellow")
        score = "" if row.get("score") is None else f"{row['score']:.3f}"
        # a page is known by its address, not by its WARC record id
        table.add_row(str(row.get("url") or row["id"]), score, f"[{style}]{verdict}[/]", shown)
    console.print(table)
    if explain:
        for row in rows:
            _print_explanation(row, console)


def _print_explanation(row: dict[str, Any], console: Any) -> None:
    from detector.report import render_document_terminal

    if row.get("text") is None or row.get("score") is None:
        return
    contributions = {c["feature"]: c["contribution"] for c in row.get("contributions", [])}
    console.rule(str(row["id"]))
    console.print(
        render_document_terminal(
            row["text"], row["evidence"], row["paragraphs"], row["score"],
            row.get("label") or row["status"], contributions or None,
        )
    )  # fmt: skip


SCORE_EPILOG = """\b
Examples:
  detector score article.txt
  detector score data/samples/*.txt --format json
  detector score docs.jsonl --text-field body --out results.csv
  detector score crawl/ --out results.parquet --keep url,date --jobs 4
  find crawl -name '*.txt' | detector score --paths-from - --out results.jsonl
  detector score CC-MAIN-*.warc.gz --out results.jsonl --jobs 2
  detector score pages/ --glob '*.html' --keep-text --out results.parquet

\b
Exit codes:
  0    every input record has a row (some rows may be errors)
  1    could not run: a bad model, output path or option (reason on stderr)
  2    wrong usage; or every record failed (with --fail-on-error: any record)
  130  interrupted (Ctrl-C): with --out, the rows so far are kept, and the
       command that resumes the run is printed"""


def score(
    context: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files, folders, globs, '-' for stdin, or JSONL/CSV/Parquet corpora."),
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format on stdout (default: table on a terminal, else jsonl).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write every record's row to .jsonl, .csv or .parquet (batch mode: parallel, "
            "resumable, one row per input record).",
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Score at and above which a text is spun."),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show the evidence highlighted in the text.")
    ] = False,
    model: Annotated[
        Path | None, typer.Option(help="Model (.npz with its .json card); default: shipped model.")
    ] = None,
    text_field: Annotated[str, typer.Option(help="Text field of JSONL/CSV/Parquet rows.")] = "text",
    id_field: Annotated[str, typer.Option(help="Id field of JSONL/CSV/Parquet rows.")] = "id",
    html_field: Annotated[
        str | None,
        typer.Option(help="Field of JSONL/CSV/Parquet rows holding a web page to extract."),
    ] = None,
    input_format: Annotated[
        InputFormat,
        typer.Option(
            help="'html': every input is a web page (row text fields too); "
            "'auto': by file name (.html, .warc, .warc.wet.gz are pages)."
        ),
    ] = InputFormat.auto,
    keep_skipped: Annotated[
        bool,
        typer.Option(
            "--keep-skipped",
            help="Write 'skipped' rows for WARC records that are "
            "not pages (requests, images, redirects); by default only counted.",
        ),
    ] = False,
    keep_text: Annotated[
        bool,
        typer.Option(
            "--keep-text",
            help="Write the text scored (a page's extracted text, "
            "to which evidence offsets refer) as a 'text' column.",
        ),
    ] = False,
    glob: GlobOption = "*",
    paths_from: Annotated[
        str | None, typer.Option(help="Read more paths, one a line, from this file ('-': stdin).")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option(help="Worker processes with --out (default: all cores).")
    ] = None,
    chunk_size: Annotated[int, typer.Option(min=1, help="Records per work unit.")] = 500,
    resume: ResumeOption = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing --out.")
    ] = False,
    keep: Annotated[
        str | None, typer.Option(help="Input fields to copy into each row, comma separated.")
    ] = None,
    min_score: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Write only rows scoring at least this.")
    ] = None,
    summary_json: Annotated[
        Path | None, typer.Option(help="Also write the run's summary here, as JSON.")
    ] = None,
    dask: Annotated[
        str | None, typer.Option(help="'local' to score on a Dask LocalCluster.")
    ] = None,
    scheduler: SchedulerOption = None,
    quiet: QuietOption = False,
    paragraphs: Annotated[
        bool,
        typer.Option(
            help="Score each paragraph too; --no-paragraphs is about three times faster on "
            "news articles and leaves 'paragraphs' empty.",
        ),
    ] = True,
    evidence: Annotated[
        EvidenceChoice,
        typer.Option(
            help="Which rows carry evidence: every scored text, only those labelled spun "
            "(quicker on corpora that are mostly clean), or none. Scores do not change.",
        ),
    ] = EvidenceChoice.all,
    fail_on_error: Annotated[
        bool,
        typer.Option(
            "--fail-on-error",
            help="Exit with code 2 when any record is an error row (by default only when "
            "every record is).",
        ),
    ] = False,
) -> None:
    """Score documents: a calibrated score, a verdict (spun or clean) and the evidence."""
    if not paths and paths_from is None:
        fail("give at least one PATH (or --paths-from)")
    if out is not None:
        from detector.batch import RunSettings, ScorerSpec

        check_batch_output(out, output_format.value if output_format else None)
        if dask not in (None, "local"):
            fail("--dask takes 'local'; for a running cluster use --scheduler tcp://HOST:8786")
        load_model_or_fail(model)
        spec = ScorerSpec(str(model) if model else None, threshold, paragraphs, evidence.value)
        try:
            settings = RunSettings(
                tuple(paths or []), out, spec,
                jobs=jobs, chunk_size=chunk_size, resume=resume, overwrite=overwrite,
                keep=tuple(k for k in (keep or "").split(",") if k), min_score=min_score,
                text_field=text_field, id_field=id_field, glob=glob, paths_from=paths_from,
                scheduler=scheduler or dask, progress="none" if quiet else "auto",
                summary_json=summary_json, html_field=html_field,
                input_format=input_format.value, keep_skipped=keep_skipped, keep_text=keep_text,
            )  # fmt: skip
        except ValueError as error:
            fail(str(error))
        summary = run_or_fail(settings, context)
        _exit_for_errors(summary.records, summary.errors, fail_on_error)
        return
    if dask or scheduler or resume:
        fail("--dask, --scheduler and --resume need --out FILE")
    _score_to_stdout(
        paths or [], output_format, threshold=threshold, explain=explain, model=model,
        text_field=text_field, id_field=id_field, glob=glob, paths_from=paths_from,
        min_score=min_score, paragraphs=paragraphs, evidence=evidence.value,
        fail_on_error=fail_on_error, html_field=html_field, input_format=input_format.value,
        keep_skipped=keep_skipped, keep_text=keep_text,
    )  # fmt: skip


def _exit_for_errors(records: int, errors: int, fail_on_error: bool) -> None:
    """Exit code 2 when every record failed, or any did with ``--fail-on-error``."""
    if errors and (errors == records or fail_on_error):
        say(f"{errors:,} of {records:,} records failed")
        raise typer.Exit(code=2)


def _score_to_stdout(paths: list[str], output_format: OutputFormat | None, *,
                     threshold: float | None, explain: bool, model: Path | None,
                     text_field: str, id_field: str, glob: str, paths_from: str | None,
                     min_score: float | None, paragraphs: bool, evidence: str,
                     fail_on_error: bool, html_field: str | None, input_format: str,
                     keep_skipped: bool, keep_text: bool) -> None:  # fmt: skip
    import itertools

    from detector.chunks import page_columns
    from detector.html import extract_record
    from detector.readers import iter_paths_from, iter_records
    from detector.scoring import Scorer
    from detector.warc import STATUS_SKIPPED
    from detector.writers import ROW_FIELDS, csv_cells, csv_text

    scorer = Scorer.load(
        load_model_or_fail(model), threshold, paragraphs=paragraphs, evidence=evidence
    )
    fmt = output_format or (OutputFormat.table if sys.stdout.isatty() else OutputFormat.jsonl)
    sources: Any = paths
    listing = None
    if paths_from is not None:
        listing = sys.stdin if paths_from == "-" else open(paths_from)  # noqa: SIM115
        sources = itertools.chain(paths, iter_paths_from(listing))
    records = iter_records(sources, text_field=text_field, id_field=id_field, pattern=glob,
                           html_field=html_field, input_format=input_format)  # fmt: skip
    extra = page_columns(paths, glob=glob, html_field=html_field, input_format=input_format,
                         keep_text=keep_text)  # fmt: skip
    seen = errors = 0
    rows: list[dict[str, Any]] = []
    if fmt is OutputFormat.csv:  # the columns of --out x.csv
        sys.stdout.write(csv_text([[*ROW_FIELDS, *extra.columns]]))
    skipped = 0
    for record in map(extract_record, records):
        if record.status == STATUS_SKIPPED and not keep_skipped:
            skipped += 1
            continue
        row = scorer.score_record(record, explain=explain)
        row.update(extra.of(record))
        seen += 1
        errors += row["status"] == "error"
        score_value = row.get("score")
        if min_score is not None and score_value is not None and score_value < min_score:
            continue
        if fmt is OutputFormat.jsonl:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif fmt is OutputFormat.csv:
            sys.stdout.write(csv_text([csv_cells(row, (*ROW_FIELDS, *extra.columns))]))
        else:
            if explain:
                row["text"] = record.text
            rows.append(row)
    if listing is not None and listing is not sys.stdin:
        listing.close()
    if skipped:
        say(f"{skipped:,} WARC records skipped (not HTML pages); --keep-skipped lists them")
    if fmt is OutputFormat.table:
        _print_table(rows, explain)
    elif fmt is OutputFormat.json:
        json.dump([{k: v for k, v in r.items() if k != "text"} for r in rows], sys.stdout,
                  indent=2, ensure_ascii=False)  # fmt: skip
        sys.stdout.write("\n")
    _exit_for_errors(seen, errors, fail_on_error)
