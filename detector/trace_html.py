"""One self-contained HTML page per traced suspect: the source and the copy side by side.

Every edit of the alignment is marked on both sides and linked both ways
(click a swapped phrase in the copy to jump to its original in the source,
and back); a summary on top gives the verdict, the source, the similarity
and the share of words changed. Like the evaluation report
(:mod:`detector.report`), a page makes no network request: inline CSS, no
script, no font, and a Content Security Policy forbidding anything else.
Edits are told apart without colour too: a replaced phrase is underlined, a
deleted one struck through, an inserted one dotted, and each carries its
number.

>>> page = render_trace_page("copy-1", "Bond advised Forbes.", "src", "Bond told Forbes.",
...     {"verdict": "spun_copy", "similarity": 0.5, "changed_share": 0.33,
...      "substitutions": [{"kind": "replace", "source_span": [5, 9], "source_text": "told",
...                         "copy_span": [5, 12], "copy_text": "advised"}]})
>>> '<a href="#s1"><mark class="replace" id="c1" data-evidence="1"' in page
True
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from detector.readers import Record

_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)

_CSS = """
:root { color-scheme: light; }
body { font: 15px/1.55 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fff; }
main { max-width: 1400px; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.3rem; margin: 0 0 .6rem; overflow-wrap: anywhere; }
table.summary { border-collapse: collapse; margin-bottom: 1rem; }
table.summary th, table.summary td { text-align: left; padding: .2rem .8rem .2rem 0; }
.verdict { font-weight: bold; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
.side { border: 1px solid #ccc; border-radius: 4px; padding: .8rem 1rem; }
.side h2 { font-size: 1rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
mark { color: inherit; padding: 0 .1em; }
mark.replace { background: #ffe08a; text-decoration: underline 2px; }
mark.delete { background: #f6b8b8; text-decoration: line-through; }
mark.insert { background: #b8e0f6; text-decoration: underline dotted 2px; }
mark.gap { background: none; border-left: 3px solid #c33; padding: 0; }
mark sup { font-size: .7em; color: #555; }
:target { outline: 2px solid #c33; }
a { color: inherit; text-decoration: none; }
ol.edits { columns: 2; font-size: .9rem; }
ul.pages li { margin: .2rem 0; }
"""


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CONTENT_SECURITY_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def _marked(text: str, edits: list[dict[str, Any]], side: str, other: str) -> str:
    """``text`` escaped, each edit's span on this side marked and linked to the other side."""
    spans = sorted(
        ((edit[f"{side}_span"][0], edit[f"{side}_span"][1], number, edit["kind"])
         for number, edit in enumerate(edits, 1)),
        key=lambda item: (item[0], item[2]),
    )  # fmt: skip
    parts, position = [], 0
    prefix, target = side[0], other[0]
    for start, end, number, kind in spans:
        if start < position:  # alignment spans never overlap; defensive all the same
            continue
        parts.append(html.escape(text[position:start]))
        css = kind if start < end else "gap"
        parts.append(
            f'<a href="#{target}{number}"><mark class="{css}" id="{prefix}{number}" '
            f'data-evidence="{number}" title="{number} {kind}">'
            f"<sup>{number}</sup>{html.escape(text[start:end])}</mark></a>"
        )
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def render_trace_page(
    suspect_id: str, suspect: str, source_id: str | None, source: str | None, row: dict[str, Any]
) -> str:
    """The HTML page of one traced suspect (a row of ``detector trace``)."""
    edits = list(row.get("substitutions") or [])
    verdict = row.get("verdict") or row.get("status") or ""
    similarity = row.get("similarity")
    changed = row.get("changed_share")
    counts = {
        kind: sum(e["kind"] == kind for e in edits) for kind in ("replace", "insert", "delete")
    }
    summary = [
        ("verdict", f'<span class="verdict">{html.escape(verdict)}</span>'),
        ("source", html.escape(source_id or "none found")),
        ("similarity", "" if similarity is None
                       else f"{similarity:.3f} (share of the suspect's shingles in the source)"),
        ("words changed", "" if changed is None else f"{changed:.1%} of the source's words"),
        ("edits", f"{counts['replace']} substitutions, {counts['insert']} insertions, "
                  f"{counts['delete']} deletions"),
    ]  # fmt: skip
    if row.get("error"):
        summary.append(("error", html.escape(str(row["error"]))))
    body = [f"<h1>Trace of {html.escape(suspect_id)}</h1>", '<table class="summary">']
    body += [f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in summary]
    body.append("</table>")
    copy_html = _marked(suspect, edits, "copy", "source")
    if source is not None:
        source_html = _marked(source, edits, "source", "copy")
        body.append(
            '<div class="sides">'
            f'<section class="side"><h2>Source: {html.escape(source_id or "")}</h2>'
            f'<div class="text">{source_html}</div></section>'
            f'<section class="side"><h2>Suspect: {html.escape(suspect_id)}</h2>'
            f'<div class="text">{copy_html}</div></section></div>'
        )
        swaps = [
            f'<li><a href="#c{n}">{html.escape(e["source_text"])} → '
            f"{html.escape(e['copy_text'])}</a></li>"
            for n, e in enumerate(edits, 1)
            if e["kind"] == "replace"
        ]
        if swaps:
            body.append("<h2>Substitutions</h2><ol class=edits>" + "".join(swaps) + "</ol>")
    else:
        body.append(f'<section class="side"><div class="text">{copy_html}</div></section>')
    return _page(f"Trace of {suspect_id}", "".join(body))


_UNSAFE_RE = re.compile(r"[^A-Za-z0-9._-]+")


def page_name(number: int, suspect_id: str) -> str:
    """A file name for a suspect's page, unique by its number in the input.

    >>> page_name(3, "reuters-2006/a b?.txt")
    '00003-reuters-2006-a-b-.txt.html'
    """
    return f"{number:05d}-{_UNSAFE_RE.sub('-', suspect_id)[:80]}.html"


def write_trace_pages(
    rows: Iterator[dict[str, Any]], records: Iterable[Record], index: Any, folder: Path
) -> int:
    """Write a page per row (rows and records in the same input order) and an ``index.html``."""
    folder.mkdir(parents=True, exist_ok=True)
    listed = []
    written = 0
    by_id: dict[str, int] | None = None
    for number, (row, record) in enumerate(zip(rows, records, strict=False), 1):
        source_id = row.get("source_id")
        source_text = None
        if source_id is not None:
            if by_id is None:
                by_id = {index.source_id(i): i for i in range(len(index))}
            position = by_id.get(source_id)
            source_text = index.text(position) if position is not None else None
        name = page_name(number, str(row["id"]))
        page = render_trace_page(str(row["id"]), record.text or "", source_id, source_text, row)
        (folder / name).write_text(page, encoding="utf-8")
        written += 1
        verdict = row.get("verdict") or row.get("status")
        listed.append(
            f'<li><a href="{html.escape(name)}">{html.escape(str(row["id"]))}</a>: '
            f"{html.escape(str(verdict))}"
            + (f" of {html.escape(source_id)}" if source_id else "")
            + "</li>"
        )
    body = f"<h1>Traced suspects ({written:,})</h1><ul class=pages>" + "".join(listed) + "</ul>"
    (folder / "index.html").write_text(_page("Traced suspects", body), encoding="utf-8")
    return written
