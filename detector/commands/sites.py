"""``detector sites``: profile whole sites from scored pages."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from detector.commands._common import epilog, fail, say


class SitesFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


SITES_EPILOG = epilog("""
  detector score crawl.jsonl --keep url --out scored.jsonl
  detector sites scored.jsonl --by domain
  detector sites scored.jsonl --trace traced.jsonl --html sites.html --out sites.csv""")


def sites(
    scored: Annotated[
        list[Path],
        typer.Argument(exists=True, help="Output of detector score (.jsonl/.csv/.parquet)."),
    ],
    by: Annotated[
        str, typer.Option(help="Site field; 'domain' is derived from --url-field when absent.")
    ] = "domain",
    url_field: Annotated[str, typer.Option(help="URL field of the scored rows.")] = "url",
    trace_file: Annotated[
        Path | None,
        typer.Option("--trace", exists=True, help="Output of detector trace on the same pages."),
    ] = None,
    output_format: Annotated[
        SitesFormat | None,
        typer.Option("--format", "-f", help="Output on stdout (default: table on a terminal)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the ranked table to .csv or .json.")
    ] = None,
    html: Annotated[Path | None, typer.Option(help="Write an HTML page with a plot here.")] = None,
    min_pages: Annotated[int, typer.Option(min=1, help="Leave out sites with fewer pages.")] = 1,
    top: Annotated[int, typer.Option(min=1, help="Rows shown in the terminal table.")] = 40,
) -> None:
    """Rank sites by the share of their pages flagged, with 95% intervals."""
    from detector.sites import SITE_COLUMNS, profiles_json, site_profiles, write_sites_html
    from detector.writers import WriterError, csv_cells, csv_text, read_results

    traces: dict[str, str] | None = None
    try:
        if trace_file is not None:
            traces = {str(r["id"]): str(r.get("verdict")) for r in read_results(trace_file)}
        rows = (row for path in scored for row in read_results(path))
        profiles = site_profiles(rows, by=by, url_field=url_field, traces=traces,
                                 min_pages=min_pages)  # fmt: skip
    except (OSError, ValueError, KeyError, WriterError) as error:
        fail(f"cannot read the scored rows: {error}")
    table = profiles_json(profiles)
    if out is not None:
        suffix = out.suffix.lower()
        if suffix == ".json":
            out.write_text(json.dumps(table, indent=2, ensure_ascii=False) + "\n")
        elif suffix == ".csv":
            lines = [list(SITE_COLUMNS)] + [csv_cells(row, SITE_COLUMNS) for row in table]
            out.write_text(csv_text(lines), encoding="utf-8")
        else:
            fail(f"--out must end in .csv or .json, not {out.name!r}")
    if html is not None:
        write_sites_html(profiles, html, title=f"Sites of {', '.join(p.name for p in scored)}")
        say(f"wrote {html}")
    fmt = output_format or (SitesFormat.table if sys.stdout.isatty() else SitesFormat.json)
    if fmt is SitesFormat.json:
        json.dump(table, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif fmt is SitesFormat.csv:
        sys.stdout.write(
            csv_text([list(SITE_COLUMNS)] + [csv_cells(r, SITE_COLUMNS) for r in table])
        )
    else:
        _print_table(table[:top], traced=traces is not None)
        if len(table) > top:
            say(f"{len(table) - top:,} more sites (--top, --out)")


def _print_table(table: list[dict[str, Any]], traced: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    view = Table()
    columns = ["site", "pages", "flagged", "share (95% interval)", "mean score"]
    columns += ["traced"] if traced else []
    for column in [*columns, "top evidence"]:
        view.add_column(column, overflow="fold")
    for row in table:
        mean = "" if row["mean_score"] is None else f"{row['mean_score']:.3f}"
        share = f"{row['flagged_share']:.0%} ({row['low']:.0%}–{row['high']:.0%})"
        cells = [row["site"], str(row["pages"]), str(row["flagged"]), share, mean]
        cells += [f"{row['traced_share']:.0%}"] if traced else []
        view.add_row(*cells, "; ".join(row["top_evidence"][:2]))
    Console().print(view)
