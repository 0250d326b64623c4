"""Evaluation report: ``metrics.json``, plots and one self-contained HTML page.

:func:`write_report` turns an evaluation (the dictionaries of
:mod:`detector.metrics`, the label/score/kind arrays and the most confident
mistakes) into a folder a reviewer can open offline::

    DIR/metrics.json            machine-readable results (layout below)
    DIR/roc.png                 ROC curve, linear and log false-positive axis
    DIR/precision_recall.png    precision-recall curve
    DIR/calibration.png         reliability diagram with the score histogram
    DIR/score_histograms.png    score distribution of each document kind
    DIR/comparison.png          ROC of both models, when a second one is compared
    DIR/report.html             tables, the plots and the mistakes, in one file

The HTML page makes no network request: images are inlined as ``data:`` URIs,
CSS is inline, there is no script and no web font, and a Content Security
Policy forbids anything else, so it can be mailed, archived or opened on a
machine without network access.

Layout of ``metrics.json`` (keys stable; see :mod:`detector.metrics` for the
metrics dictionaries themselves):

``format_version``
    1; raised when the layout changes incompatibly.
``detector_version``
    Version of the package that wrote the report.
``title``
    The report's title.
``overall``
    :func:`detector.metrics.binary_metrics` of the whole evaluation set.
``breakdown``
    :func:`detector.metrics.breakdown`: ``{column: {value: metrics}}``.
``errors``
    ``{"false_positives": [...], "false_negatives": [...]}``, each item
    ``{"id", "dataset", "kind", "score", "label", "n_evidence", "families"}``;
    the texts themselves are only in the HTML page.
``plots``
    ``{"roc", "precision_recall", "calibration", "score_histograms"}``: file
    names of the plots, relative to the folder; plus ``"comparison"``
    (``comparison.png``) when a second model was compared.
``run``
    What was evaluated, as the caller describes it (``detector evaluate``:
    ``model`` ``{name, path, sha256, threshold}``, ``data`` ``[{name,
    documents, skipped_rows}]``, ``by``, ``bootstrap_resamples``, ``seed``);
    ``{}`` when not given.
``datasets``
    ``{name: {"overall": metrics, "breakdown": {...}}}`` for each data file
    evaluated on its own; ``{}`` when not given.
``comparison``
    ``null``, or the second model measured on the same documents:
    ``model`` (as in ``run``), ``overall`` (its metrics), ``paired_auc``
    (:func:`detector.metrics.paired_auc_difference` with model a the one
    evaluated and b the one compared, so a positive ``difference`` favours
    the evaluated model; ``null`` with one class only), ``datasets``
    ``{name: {"overall", "paired_auc"}}`` (with several data files) and
    ``kind`` ``{kind: {"paired_auc"}}``, where a kind of one class is ranked
    against every document of the other class.
``machine_translation_head``
    Only for a model with a machine-translation head: ``{"overall",
    "breakdown"}`` of the head's probabilities at its own threshold, laid out
    as ``overall`` and ``breakdown`` above; the page shows them in a section
    of their own.

:func:`write_generalisation_report` writes the leave-one-generator-out
table the same way: ``metrics.json`` with ``format_version``,
``detector_version``, ``title``, ``run``, ``leave_one_generator_out`` (the
dictionary of :func:`detector.evaluation.evaluate_leave_one_generator_out`)
and ``plots`` ``{"generalisation": "generalisation.png"}``, the plot and
``report.html``.

Evidence in a highlighted document is marked three ways, so that it reads
without colour: a background colour per feature family, an underline style
per family, and a bracketed marker ``[number family]`` where each span
starts; overlapping spans are hatched. The same marker appears in the
evidence table under the text and in the terminal rendering.

>>> page = render_document_html(
...     "Shares rose <3%.",
...     [{"family": "casing", "name": "casing.x", "start": 12, "end": 15, "snippet": "<3%",
...       "note": "odd"}],
...     [{"start": 0, "end": 16, "score": 0.8}],
...     score=0.8,
...     label="spun",
... )
>>> '<mark class="ev f0" data-evidence="1" title="1 casing.x: odd">&lt;3%</mark>' in page
True
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from detector import __version__
from detector.metrics import precision_recall_points, roc_points

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure
    from rich.console import Group

#: Version of the ``metrics.json`` layout.
FORMAT_VERSION = 1

#: Plot file names, by the key they have under ``plots`` in ``metrics.json``.
PLOT_FILES = {
    "roc": "roc.png",
    "precision_recall": "precision_recall.png",
    "calibration": "calibration.png",
    "score_histograms": "score_histograms.png",
}

#: File of the two-model ROC plot, written when a second model is compared.
COMPARISON_PLOT = "comparison.png"

#: File of the leave-one-generator-out plot.
GENERALISATION_PLOT = "generalisation.png"

# Background, underline colour and underline style per family, in order of
# first use. Backgrounds are light tints of the Okabe-Ito palette, which stays
# distinguishable under the common colour-vision deficiencies; the underline
# style differs too, for greyscale print.
_HTML_FAMILY_STYLES = (
    ("#ffe0b2", "#e69f00", "solid"),
    ("#cfe8fc", "#0072b2", "dashed"),
    ("#c8efe0", "#009e73", "dotted"),
    ("#fff3a8", "#b8a100", "double"),
    ("#f6d5e8", "#cc79a7", "wavy"),
    ("#ffd6c2", "#d55e00", "solid"),
    ("#d9f0ff", "#56b4e9", "dashed"),
    ("#e4e4e4", "#555555", "dotted"),
)

# Terminal styles per family, in the same order; underlined so that a
# terminal without colour still shows where a span runs.
_TERMINAL_FAMILY_STYLES = (
    "bold underline dark_orange",
    "bold underline dodger_blue2",
    "bold underline green3",
    "bold underline yellow3",
    "bold underline orchid",
    "bold underline red3",
    "bold underline sky_blue1",
    "bold underline grey62",
)

# Forbids every fetch: images may only be data: URIs, styles only inline.
_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)

_CSS = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1d1d1f; background: #fff; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 1.05em; margin: 20px 0 6px; }
.subtitle, .muted { color: #5f6368; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.92em; }
th, td { border: 1px solid #d6d6d6; padding: 3px 8px; text-align: right; vertical-align: top; }
th { background: #f3f4f6; }
td.text, th.text { text-align: left; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 12px; }
figure { margin: 0; }
figure.wide { grid-column: 1 / -1; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #5f6368; font-size: 0.9em; }
.doc { border: 1px solid #d6d6d6; border-radius: 6px; padding: 10px 14px; margin: 14px 0; }
.doc-head { font-weight: 600; margin-bottom: 6px; }
.para { display: grid; grid-template-columns: 72px 1fr; gap: 10px; margin: 6px 0; }
.pscore { font-variant-numeric: tabular-nums; font-size: 0.85em; color: #333; }
.pbar { height: 5px; background: #eee; margin-top: 2px; }
.pbar span { display: block; height: 5px; background: #555; }
.ptext { white-space: pre-wrap; overflow-wrap: anywhere; }
mark.ev { background-color: #e4e4e4; color: inherit; text-decoration-thickness: 2px;
          text-underline-offset: 3px;
          padding: 0 1px; }
mark.overlap { background-image: repeating-linear-gradient(
  135deg, transparent 0 3px, rgba(0, 0, 0, 0.22) 3px 4px); }
.tag { font-size: 0.72em; font-weight: 600; color: #444; vertical-align: 0.35em; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 6px 0 10px; font-size: 0.9em; }
.positive { color: #8a1c1c; }
.negative { color: #1c4f8a; }
"""


@dataclass(frozen=True)
class _Span:
    """One evidence span, numbered from 1 in the order given."""

    number: int
    family: str
    name: str
    start: int
    end: int
    snippet: str
    note: str


def _field(item: Any, key: str, default: Any = None) -> Any:
    """Read ``key`` from a mapping or an object (such as :class:`Evidence`)."""
    if isinstance(item, Mapping):
        return item.get(key, default)
    return getattr(item, key, default)


def _spans(text: str, evidence: Iterable[Any]) -> list[_Span]:
    """Normalise evidence into spans clamped to the text.

    Offsets are authoritative: the snippet is cut from the text again, so a
    stale snippet cannot make the highlight disagree with the text.
    """
    spans = []
    for number, item in enumerate(evidence, start=1):
        start = min(max(int(_field(item, "start", 0)), 0), len(text))
        end = min(max(int(_field(item, "end", start)), start), len(text))
        spans.append(
            _Span(
                number=number,
                family=str(_field(item, "family", "evidence")),
                name=str(_field(item, "name", "")),
                start=start,
                end=end,
                snippet=text[start:end],
                note=str(_field(item, "note", "") or ""),
            )
        )
    return spans


def _family_order(spans: Iterable[_Span]) -> dict[str, int]:
    """Style index per family, sorted by name so that a page is consistent."""
    families = sorted({span.family for span in spans})
    return {family: index for index, family in enumerate(families)}


def _blocks(text: str, paragraphs: Iterable[Any]) -> list[tuple[int, int, float | None]]:
    """Paragraph blocks ``(start, end, score)`` covering every non-blank character.

    Text outside the given paragraphs (or all of it, when none are given) gets
    a block without a score, so that no evidence can fall outside the page.
    """
    given = sorted(
        (
            int(_field(p, "start", 0)),
            int(_field(p, "end", 0)),
            None if _field(p, "score") is None else float(_field(p, "score")),
        )
        for p in paragraphs
    )
    blocks: list[tuple[int, int, float | None]] = []
    position = 0
    for start, end, value in given:
        start, end = max(start, position), min(end, len(text))
        if start >= end:
            continue
        if text[position:start].strip():
            blocks.append((position, start, None))
        blocks.append((start, end, value))
        position = end
    if text[position:].strip():
        blocks.append((position, len(text), None))
    return blocks


def _segments(start: int, end: int, spans: Sequence[_Span]) -> list[tuple[int, int, list[_Span]]]:
    """Cut ``[start, end)`` into pieces over which the set of covering spans is constant."""
    cuts = {start, end}
    for span in spans:
        for point in (span.start, span.end):
            if start < point < end:
                cuts.add(point)
    points = sorted(cuts)
    pieces = []
    for low, high in itertools.pairwise(points):
        covering = [span for span in spans if span.start <= low and span.end >= high]
        pieces.append((low, high, covering))
    return pieces


def _markers_at(position: int, block_start: int, spans: Sequence[_Span]) -> list[_Span]:
    """Spans whose marker goes at ``position``.

    A span's marker sits where it starts, or at the start of the first block
    it reaches when it starts between blocks (in blank space).
    """
    return [
        span
        for span in spans
        if span.start == position
        or (position == block_start and span.start < block_start < span.end)
    ]


def _format(value: Any, digits: int = 3) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return f"{float(value):.{digits}f}"
    return str(value)


def _with_interval(value: Any, interval: Sequence[float] | None) -> str:
    if value is None:
        return "—"
    if not interval:
        return _format(value)
    return f"{_format(value)} ({_format(interval[0])}–{_format(interval[1])})"


# --- documents --------------------------------------------------------------


def _legend_html(families: Mapping[str, int]) -> str:
    if not families:
        return '<p class="muted">No evidence spans.</p>'
    items = []
    for family, index in families.items():
        items.append(
            f'<span><mark class="ev f{index}">{html.escape(family)}</mark> '
            f'<span class="tag">[n {html.escape(family)}]</span></span>'
        )
    items.append('<span><mark class="ev overlap">hatched</mark> overlapping spans</span>')
    return (
        '<div class="legend" aria-label="legend">'
        + "".join(items)
        + "</div>"
        + '<p class="muted">[n family] marks where evidence n starts.</p>'
    )


def _document_body_html(
    text: str,
    spans: Sequence[_Span],
    families: Mapping[str, int],
    paragraphs: Iterable[Any],
) -> str:
    parts = []
    for block_start, block_end, value in _blocks(text, paragraphs):
        if value is None:
            margin = '<div class="pscore muted">—</div>'
        else:
            width = min(max(value, 0.0), 1.0) * 100
            margin = (
                f'<div class="pscore" title="paragraph score">{value:.2f}'
                f'<div class="pbar"><span style="width:{width:.0f}%"></span></div></div>'
            )
        pieces = []
        for low, high, covering in _segments(block_start, block_end, spans):
            for span in _markers_at(low, block_start, spans):
                label = f"[{span.number} {span.family}]"
                pieces.append(f'<span class="tag">{html.escape(label)}</span>')
            chunk = html.escape(text[low:high])
            if not covering:
                pieces.append(chunk)
                continue
            # The span started last is innermost and gives the colour; the
            # hatching says that another span runs underneath.
            innermost = max(covering, key=lambda span: span.start)
            classes = ["ev", f"f{families[innermost.family]}"]
            if len(covering) > 1:
                classes.append("overlap")
            numbers = " ".join(str(span.number) for span in covering)
            title = "; ".join(
                f"{span.number} {span.name}: {note_text(span.note)}" for span in covering
            )
            pieces.append(
                f'<mark class="{" ".join(classes)}" data-evidence="{numbers}" '
                f'title="{html.escape(title)}">{chunk}</mark>'
            )
        # Zero-length spans at the very end of a block still get their marker.
        for span in spans:
            if span.start == span.end == block_end:
                label = f"[{span.number} {span.family}]"
                pieces.append(f'<span class="tag">{html.escape(label)}</span>')
        parts.append(f'<div class="para">{margin}<div class="ptext">{"".join(pieces)}</div></div>')
    return "".join(parts)


# Notes mark quoted words and codes as `code`, as Markdown does.
_NOTE_CODE_RE = re.compile(r"`([^`]+)`")


def note_html(note: str) -> str:
    """An evidence note as HTML: escaped, its `quoted` words set as code.

    >>> note_html("instrument code `7203.t` is <odd>")
    'instrument code <code>7203.t</code> is &lt;odd&gt;'
    """
    return _NOTE_CODE_RE.sub(r"<code>\1</code>", html.escape(note))


def note_text(note: str) -> str:
    """An evidence note as plain text: quoted words in typographic quotes.

    >>> note_text("`his` refers to an organisation")
    '‘his’ refers to an organisation'
    """
    return _NOTE_CODE_RE.sub(r"‘\1’", note)


def _evidence_table_html(spans: Sequence[_Span]) -> str:
    if not spans:
        return ""
    rows = "".join(
        "<tr>"
        f"<td>{span.number}</td>"
        f'<td class="text">{html.escape(span.family)}</td>'
        f'<td class="text">{html.escape(span.name)}</td>'
        f"<td>{span.start}–{span.end}</td>"
        f'<td class="text">{html.escape(span.snippet)}</td>'
        f'<td class="text">{note_html(span.note)}</td>'
        "</tr>"
        for span in spans
    )
    return (
        '<table class="evidence"><thead><tr><th>#</th><th class="text">family</th>'
        '<th class="text">name</th><th>characters</th><th class="text">snippet</th>'
        f'<th class="text">note</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _contributions_html(contributions: Mapping[str, float] | None, limit: int = 15) -> str:
    if not contributions:
        return ""
    ranked = sorted(contributions.items(), key=lambda item: -abs(float(item[1])))[:limit]
    rows = "".join(
        f'<tr><td class="text">{html.escape(str(name))}</td>'
        f'<td class="{"positive" if float(value) > 0 else "negative"}">'
        f"{float(value):+.3f}</td></tr>"
        for name, value in ranked
    )
    return (
        '<table class="contributions"><thead><tr><th class="text">feature</th>'
        "<th>contribution (+ towards spun)</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _document_html(
    text: str,
    spans: Sequence[_Span],
    families: Mapping[str, int],
    paragraphs: Iterable[Any],
    heading: str,
    contributions: Mapping[str, float] | None = None,
) -> str:
    return (
        '<section class="doc">'
        f'<div class="doc-head">{html.escape(heading)}</div>'
        + _document_body_html(text, spans, families, paragraphs)
        + _evidence_table_html(spans)
        + _contributions_html(contributions)
        + "</section>"
    )


def _family_css(families: Mapping[str, int]) -> str:
    rules = []
    for index in sorted(set(families.values())):
        background, line, style = _HTML_FAMILY_STYLES[index % len(_HTML_FAMILY_STYLES)]
        rules.append(
            f"mark.f{index} {{ background-color: {background}; "
            f"text-decoration: underline {style} {line}; }}"
        )
    return "\n".join(rules)


def _page(title: str, body: str, families: Mapping[str, int]) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CONTENT_SECURITY_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        f"<style>{_CSS}\n{_family_css(families)}"
        "</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def render_document_html(
    text: str,
    evidence: Iterable[Any],
    paragraphs: Iterable[Any],
    score: float | None,
    label: str,
    contributions: Mapping[str, float] | None = None,
    *,
    title: str = "detector explanation",
    threshold: float | None = None,
) -> str:
    """One document as a self-contained HTML page, evidence highlighted.

    Parameters
    ----------
    text
        The document text; evidence offsets point into it.
    evidence
        Dicts (or :class:`detector.features.base.Evidence`) with ``family``,
        ``name``, ``start``, ``end``, ``snippet`` and ``note``.
    paragraphs
        Dicts with ``start``, ``end`` and ``score``, shown in the margin.
    score, label
        The document's score and label.
    contributions
        Optional ``{feature name: contribution}``, largest magnitudes shown.
    title
        Page title.

    Examples
    --------
    >>> page = render_document_html("A <b>", [], [], 0.1, "clean")
    >>> "A &lt;b&gt;" in page, page.startswith("<!DOCTYPE html>")
    (True, True)
    """
    spans = _spans(text, evidence)
    families = _family_order(spans)
    heading = " · ".join(_heading_parts(score, label, threshold))
    body = (
        f"<h1>{html.escape(title)}</h1>"
        + _legend_html(families)
        + _document_html(text, spans, families, list(paragraphs), heading, contributions)
    )
    return _page(title, body, families)


def _heading_parts(score: float | None, label: str, threshold: float | None) -> list[str]:
    """``score``, ``label`` and ``threshold`` as the explanation's heading shows them.

    >>> _heading_parts(None, "too_short", 0.8)
    ['not scored', 'too_short', 'threshold 0.800']
    """
    parts = ["not scored" if score is None else f"score {float(score):.3f}"]
    parts.append(label if score is None else f"label {label}")
    if threshold is not None:
        parts.append(f"threshold {threshold:.3f}")
    return parts


def render_document_terminal(
    text: str,
    evidence: Iterable[Any],
    paragraphs: Iterable[Any],
    score: float | None,
    label: str,
    contributions: Mapping[str, float] | None = None,
    *,
    threshold: float | None = None,
) -> Group:
    """One document for the terminal, as a rich renderable.

    Each span is coloured and underlined by family and preceded by a
    ``[number family]`` marker; paragraph scores sit in the left margin, and
    a table lists every span with its note, so the output reads the same
    through a pipe without colour.

    Examples
    --------
    >>> import io
    >>> from rich.console import Console
    >>> console = Console(width=60, color_system=None, file=io.StringIO(), record=True)
    >>> console.print(render_document_terminal(
    ...     "Toray (3402.The) rose.",
    ...     [{"family": "tickers", "name": "tickers.word_suffix", "start": 7, "end": 15,
    ...       "snippet": "3402.The", "note": "suffix is a word"}],
    ...     [{"start": 0, "end": 22, "score": 0.91}], 0.91, "spun"))
    >>> print("\\n".join(line.rstrip() for line in console.export_text().splitlines()))
    score 0.910  label spun
    legend: tickers  ([n family] starts evidence n)
    0.91  Toray ([1 tickers]3402.The) rose.
    <BLANKLINE>
      #    evidence               snippet     note
      1    tickers.word_suffix    3402.The    suffix is a word
    """
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    spans = _spans(text, evidence)
    families = _family_order(spans)

    def style_of(family: str) -> str:
        return _TERMINAL_FAMILY_STYLES[families[family] % len(_TERMINAL_FAMILY_STYLES)]

    header = Text("  ".join(_heading_parts(score, label, threshold)), style="bold")
    legend = Text("legend:")
    for family in families:
        legend.append(" ")
        legend.append(family, style=style_of(family))
    if families:
        legend.append("  ([n family] starts evidence n)", style="dim")
    else:
        legend.append(" no evidence spans", style="dim")

    body = Table.grid(padding=(0, 2))
    body.add_column(justify="right", no_wrap=True)
    body.add_column(overflow="fold")
    for block_start, block_end, value in _blocks(text, paragraphs):
        line = Text()
        for low, high, covering in _segments(block_start, block_end, spans):
            for span in _markers_at(low, block_start, spans):
                line.append(f"[{span.number} {span.family}]", style="dim")
            if not covering:
                line.append(text[low:high])
                continue
            # Of overlapping spans, the one started last is innermost; reverse
            # video marks the overlap even without colour.
            innermost = max(covering, key=lambda span: span.start)
            style = style_of(innermost.family) + (" reverse" if len(covering) > 1 else "")
            line.append(text[low:high], style=style)
        for span in spans:
            if span.start == span.end == block_end:
                line.append(f"[{span.number} {span.family}]", style="dim")
        body.add_row("—" if value is None else f"{value:.2f}", line)

    parts: list[Any] = [header, legend, body]
    if spans:
        table = Table(box=None, padding=(0, 2), show_edge=False, header_style="bold")
        table.add_column("#", justify="right")
        table.add_column("evidence")
        table.add_column("snippet", overflow="fold")
        table.add_column("note", overflow="fold")
        for span in spans:
            table.add_row(
                str(span.number),
                Text(span.name, style=style_of(span.family)),
                Text(span.snippet),
                Text(note_text(span.note)),
            )
        parts.extend([Text(""), table])
    if contributions:
        ranked = sorted(contributions.items(), key=lambda item: -abs(float(item[1])))[:15]
        table = Table(box=None, padding=(0, 2), show_edge=False, header_style="bold")
        table.add_column("feature")
        table.add_column("contribution", justify="right")
        for name, value in ranked:
            table.add_row(Text(str(name)), f"{float(value):+.3f}")
        parts.extend([Text(""), table])
    return Group(*parts)


# --- plots ------------------------------------------------------------------


def plotting_problem() -> str | None:
    """Why the report's plots cannot be drawn here, or None when they can.

    matplotlib is a dependency of ``detector``, but an environment can still
    lack it (a partial install, a vendored copy): the evaluation commands ask
    before they score anything, so nobody waits for a run that cannot finish.

    >>> plotting_problem() is None
    True
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError as error:
        return (
            f"the evaluation report's plots need matplotlib ({error}): "
            "pip install matplotlib (or pip install 'detector[report]')"
        )
    return None


def _figure(width: float, height: float) -> Figure:
    # A bare Figure with the Agg canvas: no pyplot, so no global state and no
    # GUI backend, whatever MPLBACKEND says.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # No "Software" text chunk: it would carry a URL into the page.
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _kind_sets(
    labels: npt.NDArray[np.int64], values: npt.NDArray[np.float64], kinds: Sequence[str]
) -> list[tuple[str, npt.NDArray[np.float64], npt.NDArray[np.float64]]]:
    """Per positive kind: (kind, its positive scores, all negative scores)."""
    kind_array = np.asarray([str(kind) for kind in kinds], dtype=object)
    negatives = values[labels == 0]
    sets = []
    for kind in sorted(set(kind_array[labels == 1].tolist())):
        sets.append((kind, values[(kind_array == kind) & (labels == 1)], negatives))
    return sets


#: Line styles of the kinds of one generator family (its colour is shared).
_LINE_STYLES: tuple[Any, ...] = (
    "-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1)), (0, (1, 3)), (0, (5, 3, 1, 3, 1, 3)),
)  # fmt: skip


def kind_styles(kinds: Iterable[str]) -> dict[str, tuple[Any, Any]]:
    """A colour and a line style for each kind: one colour per generator family.

    Kinds of one family (``roundtrip:spa``, ``roundtrip:cat``) share a colour
    and differ in line style, so that 18 kinds stay apart with a 10-colour
    palette and a reader sees the families first.

    >>> styles = kind_styles(["roundtrip:spa", "roundtrip:cat", "spin:0.1"])
    >>> styles["roundtrip:cat"][0] == styles["roundtrip:spa"][0] != styles["spin:0.1"][0]
    True
    >>> styles["roundtrip:cat"][1], styles["roundtrip:spa"][1]
    ('-', '--')
    """
    from matplotlib import colormaps

    ordered = sorted(set(kinds))
    families = sorted({kind.split(":")[0] for kind in ordered})
    palette = colormaps["tab10" if len(families) <= 10 else "tab20"]
    styles: dict[str, tuple[Any, Any]] = {}
    seen: dict[str, int] = {}
    for kind in ordered:
        family = kind.split(":")[0]
        index = seen.get(family, 0)
        seen[family] = index + 1
        colour = palette(families.index(family) % palette.N)
        styles[kind] = (colour, _LINE_STYLES[index % len(_LINE_STYLES)])
    return styles


def _curves(
    labels: Any, values: Any, kinds: Sequence[str]
) -> list[tuple[str, Any, Any, dict[str, Any]]]:
    """The curves of a ranking plot: all texts, then each kind of spun text against all clean."""
    positives, negatives = values[labels == 1], values[labels == 0]
    curves: list[tuple[str, Any, Any, dict[str, Any]]] = [
        ("all", positives, negatives, {"color": "black", "linewidth": 2.2})
    ]
    sets = _kind_sets(labels, values, kinds)
    if len(sets) > 1:
        styles = kind_styles(kind for kind, _, _ in sets)
        for kind, positive, negative in sets:
            colour, style = styles[kind]
            curves.append(
                (kind, positive, negative, {"color": colour, "linestyle": style, "linewidth": 1.3})
            )
    return curves


def _legend_outside(figure: Figure, axis: Any, title: str | None = None) -> None:
    """One legend at the right of the figure, outside every axis, so it hides no curve."""
    handles, names = axis.get_legend_handles_labels()
    columns = 1 if len(names) <= 16 else 2
    width, height = figure.get_size_inches()
    figure.set_size_inches(width + 2.4 * columns, max(height, 0.2 * len(names) / columns + 1))
    figure.legend(
        handles, names, fontsize=8, loc="outside right upper", ncol=columns, frameon=False,
        title=title, title_fontsize=8,
    )  # fmt: skip


def _roc_figure(labels: Any, values: Any, kinds: Sequence[str], threshold: float) -> Figure:
    figure = _figure(10, 4.4)
    linear, logarithmic = figure.subplots(1, 2)
    positives, negatives = values[labels == 1], values[labels == 0]
    curves = _curves(labels, values, kinds)
    for axis, log_scale in ((linear, False), (logarithmic, True)):
        for name, positive, negative, style in curves:
            if positive.size == 0 or negative.size == 0:
                continue
            fpr, tpr = roc_points(positive, negative)
            axis.plot(fpr, tpr, drawstyle="steps-post", label=name, **style)
        if positives.size and negatives.size:
            axis.plot(
                [np.mean(negatives >= threshold)],
                [np.mean(positives >= threshold)],
                "ko",
                markersize=5,
                label=f"threshold {threshold:g}",
            )
        axis.set_xlabel("false-positive rate" + (" (log scale)" if log_scale else ""))
        axis.set_ylabel("recall")
        axis.grid(alpha=0.3)
        if log_scale:
            smallest = 1.0 / max(negatives.size, 1)
            axis.set_xscale("log")
            axis.set_xlim(min(smallest, 1e-3), 1.0)
            for budget in (0.01, 0.001):
                axis.axvline(budget, color="grey", linestyle=":", linewidth=1)
        else:
            axis.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=0.8)
    linear.set_title("ROC")
    logarithmic.set_title("ROC, low false-positive region")
    _legend_outside(figure, linear, "spun kind vs all clean" if len(curves) > 1 else None)
    return figure


def _roc_plot(labels: Any, values: Any, kinds: Sequence[str], threshold: float) -> bytes:
    return _png(_roc_figure(labels, values, kinds, threshold))


def _pr_figure(labels: Any, values: Any, kinds: Sequence[str]) -> Figure:
    figure = _figure(6, 4.4)
    axis = figure.subplots()
    positives = values[labels == 1]
    curves = _curves(labels, values, kinds)
    for name, positive, negative, style in curves:
        if positive.size == 0 or negative.size == 0:
            continue
        recall, precision = precision_recall_points(positive, negative)
        axis.plot(recall, precision, drawstyle="steps-post", label=name, **style)
    if positives.size:
        base_rate = positives.size / values.size
        axis.axhline(base_rate, color="grey", linestyle="--", linewidth=0.8, label="chance")
    axis.set_xlabel("recall")
    axis.set_ylabel("precision")
    axis.set_ylim(0, 1.02)
    axis.set_title("Precision-recall (positive = spun)")
    axis.grid(alpha=0.3)
    _legend_outside(figure, axis, "spun kind vs all clean" if len(curves) > 1 else None)
    return figure


def _pr_plot(labels: Any, values: Any, kinds: Sequence[str]) -> bytes:
    return _png(_pr_figure(labels, values, kinds))


def _calibration_plot(metrics: Mapping[str, Any]) -> bytes:
    figure = _figure(6, 5.2)
    curve, counts = figure.subplots(2, 1, height_ratios=[3, 1], sharex=True)
    bins = metrics.get("calibration", {}).get("reliability", [])
    filled = [b for b in bins if b["count"]]
    curve.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=0.8, label="perfect")
    if filled:
        curve.plot(
            [b["mean_score"] for b in filled],
            [b["observed_rate"] for b in filled],
            "o-",
            label="observed",
        )
    ece = metrics.get("calibration", {}).get("ece")
    curve.set_title("Reliability" + (f" (ECE {ece:.3f})" if ece is not None else ""))
    curve.set_ylabel("share actually spun")
    curve.set_xlim(0, 1)
    curve.set_ylim(0, 1)
    curve.grid(alpha=0.3)
    curve.legend(fontsize=8, loc="upper left")
    counts.bar(
        [(b["low"] + b["high"]) / 2 for b in bins],
        [b["count"] for b in bins],
        width=0.09,
        color="#888",
    )
    counts.set_xlabel("score")
    counts.set_ylabel("documents")
    return _png(figure)


def _histogram_plot(labels: Any, values: Any, kinds: Sequence[str], threshold: float) -> bytes:
    kind_array = np.asarray([str(kind) for kind in kinds], dtype=object)
    names = sorted(set(kind_array.tolist()))
    figure = _figure(8, 0.3 + 1.25 * max(len(names), 1))
    axes = np.atleast_1d(figure.subplots(max(len(names), 1), 1, sharex=True, squeeze=False)[:, 0])
    edges = np.linspace(0, 1, 41)
    for axis, name in zip(axes, names, strict=False):
        mask = kind_array == name
        spun = int(np.sum(labels[mask] == 1))
        colour = "#d55e00" if spun * 2 >= int(mask.sum()) else "#0072b2"
        axis.hist(values[mask], bins=edges, color=colour, alpha=0.85)
        axis.axvline(threshold, color="black", linestyle="--", linewidth=1)
        axis.set_ylabel("docs", fontsize=8)
        axis.set_title(
            f"{name}  (n={int(mask.sum())}, spun={spun})", loc="left", fontsize=9, fontweight="bold"
        )
        axis.tick_params(labelsize=8)
    figure.suptitle(f"Score distribution per kind (dashed line: threshold {threshold:g})")
    axes[-1].set_xlabel("score")
    axes[-1].set_xlim(0, 1)
    return _png(figure)


# --- the report page --------------------------------------------------------


_SUMMARY_ROWS = (
    ("documents", "n"),
    ("spun (positive)", "n_positive"),
    ("clean (negative)", "n_negative"),
    ("threshold", "threshold"),
    ("accuracy", "accuracy"),
    ("precision", "precision"),
    ("recall", "recall"),
    ("F1", "f1"),
    ("false-positive rate", "false_positive_rate"),
)


def _flagged_share(metrics: Mapping[str, Any]) -> float | None:
    """The share of documents at or above the threshold, whatever their label.

    >>> _flagged_share({"n": 8, "confusion": {"tn": 4, "fp": 1, "fn": 1, "tp": 2}})
    0.375
    """
    matrix = metrics.get("confusion", {})
    n = metrics.get("n")
    if not n:
        return None
    return (matrix.get("tp", 0) + matrix.get("fp", 0)) / n


def _summary_html(metrics: Mapping[str, Any], *, flagged: bool = False) -> str:
    rows = [
        ("ROC AUC (95% CI)", _with_interval(metrics.get("roc_auc"), metrics.get("roc_auc_ci95"))),
        ("PR AUC (95% CI)", _with_interval(metrics.get("pr_auc"), metrics.get("pr_auc_ci95"))),
    ]
    for name, key in _SUMMARY_ROWS:
        rows.append((name, _format(metrics.get(key))))
        if flagged and key == "threshold":
            rows.append(("flagged at the threshold", _format(_flagged_share(metrics))))
    for budget, entry in metrics.get("recall_at_fpr", {}).items():
        rows.append(
            (
                f"recall at {float(budget):.1%} false-positive rate",
                f"{_format(entry.get('recall'))} (threshold {_format(entry.get('threshold'))})",
            )
        )
    calibration = metrics.get("calibration", {})
    rows.append(("Brier score", _format(calibration.get("brier"))))
    rows.append(("expected calibration error", _format(calibration.get("ece"))))
    body = "".join(
        f'<tr><th class="text">{html.escape(name)}</th><td>{html.escape(value)}</td></tr>'
        for name, value in rows
    )
    bootstrap = metrics.get("bootstrap", {})
    note = (
        f'<p class="muted">Intervals: stratified bootstrap, {bootstrap.get("resamples", 0)} '
        f"resamples, seed {bootstrap.get('seed', 0)}.</p>"
    )
    return f"<table>{body}</table>" + note


def _confusion_html(metrics: Mapping[str, Any]) -> str:
    matrix = metrics.get("confusion", {})
    return (
        "<table><thead><tr><th></th><th>labelled clean</th><th>labelled spun</th></tr></thead>"
        "<tbody>"
        f'<tr><th class="text">actually clean</th><td>{_format(matrix.get("tn"))} (TN)</td>'
        f"<td>{_format(matrix.get('fp'))} (FP)</td></tr>"
        f'<tr><th class="text">actually spun</th><td>{_format(matrix.get("fn"))} (FN)</td>'
        f"<td>{_format(matrix.get('tp'))} (TP)</td></tr>"
        "</tbody></table>"
    )


_REFERENCE_NOTES = {
    "group": "",
    "pooled_negatives": "†",
    "pooled_positives": "‡",
    None: "",
}


def _breakdown_html(
    table: Mapping[str, Mapping[str, Mapping[str, Any]]], *, flagged: bool = False
) -> str:
    parts = []
    for column, per_value in table.items():
        rows = []
        for value, metrics in per_value.items():
            reference = _REFERENCE_NOTES.get(metrics.get("auc_reference"), "")
            one_percent = metrics.get("recall_at_fpr", {}).get("0.01", {})
            share = f"<td>{_format(_flagged_share(metrics))}</td>" if flagged else ""
            rows.append(
                "<tr>"
                f'<td class="text">{html.escape(str(value))}</td>'
                f"<td>{_format(metrics.get('n'))}</td>"
                f"<td>{_format(metrics.get('n_positive'))}</td>"
                f"<td>{_format(metrics.get('n_negative'))}</td>"
                f"<td>{_with_interval(metrics.get('roc_auc'), metrics.get('roc_auc_ci95'))}"
                f"{reference}</td>"
                f"{share}"
                f"<td>{_format(metrics.get('recall'))}</td>"
                f"<td>{_format(metrics.get('false_positive_rate'))}</td>"
                f"<td>{_format(metrics.get('precision'))}</td>"
                f"<td>{_format(one_percent.get('recall'))}</td>"
                f"<td>{_format(metrics.get('calibration', {}).get('ece'))}</td>"
                "</tr>"
            )
        parts.append(
            f"<h3>By {html.escape(column)}</h3>"
            '<table><thead><tr><th class="text">value</th><th>n</th><th>spun</th><th>clean</th>'
            "<th>ROC AUC (95% CI)</th>"
            + ("<th>flagged</th>" if flagged else "")
            + "<th>recall</th><th>false-positive rate</th>"
            "<th>precision</th><th>recall at 1% FPR</th><th>ECE</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    if parts:
        parts.append(
            '<p class="muted">† a group of spun documents only, ranked against every clean '
            "document of the evaluation set; ‡ a group of clean documents only, ranked against "
            "every spun document. Recall at 1% FPR is measured the same way.</p>"
        )
    return "".join(parts)


def _head_html(head: Mapping[str, Any]) -> str:
    """The machine-translation head's section: its summary and breakdown, as the main model's.

    With the share of documents the head flags, overall and in each group
    (per kind: how much of each kind of text it would call machine-translated).
    """
    overall = head.get("overall", {})
    return (
        "<h2>Machine-translation head</h2>"
        '<p class="muted">The model\'s second head: the probability that a document is '
        "machine-translated (scores.machine_translated in the JSON of detector score, "
        "machine_translated_score in its CSV and Parquet rows), at the head's own threshold "
        f"{_format(overall.get('threshold'))}. Its numbers are measured against the data's "
        "labels, so they mean something where label 1 (spun, in the tables) marks machine "
        "translation. Flagged is the share of documents at or above that threshold, whatever "
        "their label. The head gives no verdict: the label stays the main model's.</p>"
        + _summary_html(overall, flagged=True)
        + _breakdown_html(head.get("breakdown", {}), flagged=True)
    )


def _reliability_html(metrics: Mapping[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{b['low']:.1f}–{b['high']:.1f}</td><td>{_format(b['count'])}</td>"
        f"<td>{_format(b['mean_score'])}</td><td>{_format(b['observed_rate'])}</td></tr>"
        for b in metrics.get("calibration", {}).get("reliability", [])
    )
    return (
        "<table><thead><tr><th>score bin</th><th>documents</th><th>mean score</th>"
        f"<th>share spun</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _mistakes_html(
    heading: str,
    explanation: str,
    documents: Sequence[Mapping[str, Any]],
    families: Mapping[str, int],
) -> str:
    parts = [f'<h2>{html.escape(heading)}</h2><p class="muted">{html.escape(explanation)}</p>']
    if not documents:
        parts.append('<p class="muted">None.</p>')
    for document in documents:
        text = str(document.get("text") or "")
        spans = _spans(text, document.get("evidence") or [])
        score = document.get("score")
        heading_text = (
            f"{document.get('id', '')} · kind {document.get('kind', '—')} · "
            f"score {_format(score)} · label {document.get('label', '—')}"
        )
        if document.get("dataset"):
            heading_text += f" · from {document['dataset']}"
        parts.append(
            _document_html(
                text,
                spans,
                families,
                document.get("paragraphs") or [],
                heading_text,
                document.get("contributions"),
            )
        )
    return "".join(parts)


def _figure_html(name: str, png: bytes, caption: str) -> str:
    encoded = base64.b64encode(png).decode("ascii")
    wide = ' class="wide"' if name == "roc" else ""
    return (
        f'<figure{wide}><img src="data:image/png;base64,{encoded}" alt="{html.escape(caption)}" '
        f'data-plot="{html.escape(name)}"><figcaption>{html.escape(caption)}</figcaption></figure>'
    )


def _error_summary(document: Mapping[str, Any]) -> dict[str, Any]:
    evidence = document.get("evidence") or []
    return {
        "id": document.get("id"),
        "dataset": document.get("dataset"),
        "kind": document.get("kind"),
        "score": document.get("score"),
        "label": document.get("label"),
        "n_evidence": len(evidence),
        "families": sorted({str(_field(item, "family", "")) for item in evidence}),
    }


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


# --- datasets, comparison, generalisation -------------------------------------


def _comparison_plot(
    labels: Any, values: Any, other: Any, threshold: float, other_threshold: float
) -> bytes:
    figure = _figure(10, 4.4)
    linear, logarithmic = figure.subplots(1, 2)
    negatives_count = int(np.sum(labels == 0))
    curves = (("evaluated model", values, threshold), ("compared model", other, other_threshold))
    for axis, log_scale in ((linear, False), (logarithmic, True)):
        for index, (name, scores, cut) in enumerate(curves):
            positives, negatives = scores[labels == 1], scores[labels == 0]
            if positives.size == 0 or negatives.size == 0:
                continue
            fpr, tpr = roc_points(positives, negatives)
            line = axis.plot(
                fpr, tpr, drawstyle="steps-post", linestyle="-" if index == 0 else "--",
                linewidth=1.8, label=name,
            )  # fmt: skip
            axis.plot(
                [np.mean(negatives >= cut)], [np.mean(positives >= cut)], "o",
                color=line[0].get_color(), markersize=5, label=f"{name} threshold {cut:g}",
            )  # fmt: skip
        axis.set_xlabel("false-positive rate" + (" (log scale)" if log_scale else ""))
        axis.set_ylabel("recall")
        axis.grid(alpha=0.3)
        if log_scale:
            axis.set_xscale("log")
            axis.set_xlim(min(1.0 / max(negatives_count, 1), 1e-3), 1.0)
            for budget in (0.01, 0.001):
                axis.axvline(budget, color="grey", linestyle=":", linewidth=1)
        else:
            axis.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=0.8)
    linear.set_title("ROC of both models (same documents)")
    logarithmic.set_title("ROC, low false-positive region")
    linear.legend(fontsize=8, loc="lower right")
    return _png(figure)


def _run_html(run: Mapping[str, Any]) -> str:
    rows = []
    model = run.get("model")
    if model:
        rows.append(("model", _model_text(model)))
    for item in run.get("data", []):
        described = f"{item.get('name')}: {_format(item.get('documents'))} documents"
        if "skipped_rows" in item:
            described += f", {_format(item['skipped_rows'])} rows skipped"
        rows.append(("data", described))
    if run.get("by"):
        rows.append(("broken down by", ", ".join(str(column) for column in run["by"])))
    if not rows:
        return ""
    body = "".join(
        f'<tr><th class="text">{html.escape(name)}</th>'
        f'<td class="text">{html.escape(value)}</td></tr>'
        for name, value in rows
    )
    return f"<h2>Evaluated</h2><table>{body}</table>"


def _model_text(model: Mapping[str, Any]) -> str:
    sha = model.get("sha256")
    return (
        f"{model.get('name') or model.get('path') or 'model'}"
        + (f" ({model['path']})" if model.get("path") and model.get("name") else "")
        + (f", SHA-256 {str(sha)[:12]}…" if sha else "")
        + f", threshold {_format(model.get('threshold'))}"
    )


_SET_COLUMNS = (
    ("accuracy", lambda m: m.get("accuracy")),
    ("precision", lambda m: m.get("precision")),
    ("recall", lambda m: m.get("recall")),
    ("F1", lambda m: m.get("f1")),
    ("false-positive rate", lambda m: m.get("false_positive_rate")),
    ("recall at 1% FPR", lambda m: m.get("recall_at_fpr", {}).get("0.01", {}).get("recall")),
    ("recall at 0.1% FPR", lambda m: m.get("recall_at_fpr", {}).get("0.001", {}).get("recall")),
    ("Brier", lambda m: m.get("calibration", {}).get("brier")),
    ("ECE", lambda m: m.get("calibration", {}).get("ece")),
)


def _set_row(name: str, metrics: Mapping[str, Any]) -> str:
    cells = [
        f'<td class="text">{html.escape(name)}</td>',
        f"<td>{_format(metrics.get('n'))}</td>",
        f"<td>{_format(metrics.get('n_positive'))}</td>",
        f"<td>{_format(metrics.get('n_negative'))}</td>",
        f"<td>{_with_interval(metrics.get('roc_auc'), metrics.get('roc_auc_ci95'))}</td>",
        f"<td>{_with_interval(metrics.get('pr_auc'), metrics.get('pr_auc_ci95'))}</td>",
    ]
    cells += [f"<td>{_format(get(metrics))}</td>" for _, get in _SET_COLUMNS]
    return "<tr>" + "".join(cells) + "</tr>"


def _set_table(rows: Sequence[tuple[str, Mapping[str, Any]]], first: str = "data") -> str:
    head = (
        f'<tr><th class="text">{html.escape(first)}</th><th>n</th><th>spun</th><th>clean</th>'
        "<th>ROC AUC (95% CI)</th><th>PR AUC (95% CI)</th>"
        + "".join(f"<th>{html.escape(name)}</th>" for name, _ in _SET_COLUMNS)
        + "</tr>"
    )
    body = "".join(_set_row(name, metrics) for name, metrics in rows)
    return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"


def _datasets_html(datasets: Mapping[str, Mapping[str, Any]], pooled: Mapping[str, Any]) -> str:
    if len(datasets) < 2:
        return ""
    rows = [(name, entry["overall"]) for name, entry in datasets.items()]
    rows.append(("all (pooled)", pooled))
    parts = [
        "<h2>Per data file</h2>",
        '<p class="muted">Each file on its own, then all of them pooled; the pooled rows are '
        "the summary above. Threshold metrics at the model's threshold.</p>",
        _set_table(rows),
    ]
    for name, entry in datasets.items():
        parts.append(
            f"<details><summary>Breakdown of {html.escape(name)}</summary>"
            + _breakdown_html(entry.get("breakdown", {}))
            + "</details>"
        )
    return "".join(parts)


def _difference_text(paired: Mapping[str, Any] | None) -> tuple[str, str, str, str]:
    if not paired:
        return ("—", "—", "—", "—")
    return (
        _format(paired.get("roc_auc_a")),
        _format(paired.get("roc_auc_b")),
        _with_interval(paired.get("difference"), paired.get("difference_ci95")),
        _format(paired.get("share_b_not_worse")),
    )


def _comparison_html(
    comparison: Mapping[str, Any],
    metrics: Mapping[str, Any],
    datasets: Mapping[str, Mapping[str, Any]],
    run: Mapping[str, Any],
) -> str:
    ranking_rows = [("all", comparison.get("paired_auc"))]
    ranking_rows += [
        (f"data {name}", entry.get("paired_auc"))
        for name, entry in comparison.get("datasets", {}).items()
    ]
    ranking_rows += [
        (f"kind {kind}", entry.get("paired_auc"))
        for kind, entry in comparison.get("kind", {}).items()
    ]
    body = "".join(
        f'<tr><td class="text">{html.escape(name)}</td>'
        + "".join(f"<td>{html.escape(cell)}</td>" for cell in _difference_text(paired))
        + "</tr>"
        for name, paired in ranking_rows
    )
    evaluated = _model_text(run.get("model", {})) if run.get("model") else "the evaluated model"
    compared = _model_text(comparison.get("model", {}))
    threshold_rows: list[tuple[str, Mapping[str, Any]]] = [
        ("evaluated model, all", metrics),
        ("compared model, all", comparison.get("overall", {})),
    ]
    for name, entry in comparison.get("datasets", {}).items():
        threshold_rows.append(
            (f"evaluated model, {name}", datasets.get(name, {}).get("overall", {}))
        )
        threshold_rows.append((f"compared model, {name}", entry.get("overall", {})))
    return (
        "<h2>Model comparison</h2>"
        f"<p>a = evaluated: {html.escape(evaluated)}<br>b = compared: {html.escape(compared)}</p>"
        '<p class="muted">Both models scored the same documents. The difference is ROC AUC(a) '
        "− AUC(b) with a paired, stratified bootstrap interval (both models on the same "
        "resamples): a positive difference favours the evaluated model, and an interval that "
        "excludes 0 is a difference the data supports. A kind of one class is ranked against "
        "every document of the other class.</p>"
        '<table><thead><tr><th class="text">slice</th><th>ROC AUC a</th><th>ROC AUC b</th>'
        "<th>difference a − b (95% CI)</th><th>share of resamples b ≥ a</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
        "<h3>At each model's threshold</h3>" + _set_table(threshold_rows, first="model, data")
    )


def read_metrics(path: str | Path) -> dict[str, Any]:
    """Read a ``metrics.json`` written by this module."""
    document: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return document


def _write_json(path: Path, document: Mapping[str, Any]) -> None:
    path.write_text(
        json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False, default=_json_default)
        + "\n",
        encoding="utf-8",
    )


def _generalisation_plot(families: Mapping[str, Mapping[str, Any]]) -> bytes:
    names = list(families)
    figure = _figure(8, 1.6 + 0.45 * max(len(names), 1))
    axis = figure.subplots()
    positions = np.arange(len(names))
    for offset, key, colour, label in (
        (-0.18, "seen", "#0072b2", "trained with the generator"),
        (0.18, "held_out", "#d55e00", "generator held out"),
    ):
        values = [families[name][key].get("roc_auc") for name in names]
        intervals = [families[name][key].get("roc_auc_ci95") for name in names]
        shown = [i for i, value in enumerate(values) if value is not None]
        centre = np.array([values[i] for i in shown], dtype=float)
        low = np.array([(intervals[i] or [values[i]] * 2)[0] for i in shown], dtype=float)
        high = np.array([(intervals[i] or [values[i]] * 2)[1] for i in shown], dtype=float)
        axis.errorbar(
            centre, positions[shown] + offset, xerr=[centre - low, high - centre], fmt="o",
            color=colour, capsize=3, label=label,
        )  # fmt: skip
    axis.set_yticks(positions, names)
    axis.invert_yaxis()
    axis.set_xlabel("ROC AUC against clean test documents (95% CI)")
    axis.grid(axis="x", alpha=0.3)
    # Below the axes, where it cannot hide an interval.
    figure.legend(fontsize=8, loc="outside lower center", ncols=2)
    axis.set_title("Leave one generator out")
    return _png(figure)


def write_generalisation_report(
    directory: str | Path,
    table: Mapping[str, Any],
    *,
    run: Mapping[str, Any] | None = None,
    title: str = "detector: leave one generator out",
) -> dict[str, Path]:
    """Write the leave-one-generator-out table as ``metrics.json``, a plot and ``report.html``.

    ``table`` is what :func:`detector.evaluation.evaluate_leave_one_generator_out`
    returns. Returns ``{"metrics", "generalisation", "html"}``: the paths written.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    families = table.get("families", {})
    png = _generalisation_plot(families)
    plot_path = folder / GENERALISATION_PLOT
    plot_path.write_bytes(png)
    metrics_path = folder / "metrics.json"
    _write_json(
        metrics_path,
        {
            "format_version": FORMAT_VERSION,
            "detector_version": __version__,
            "title": title,
            "run": dict(run or {}),
            "leave_one_generator_out": table,
            "plots": {"generalisation": GENERALISATION_PLOT},
        },
    )
    rows = []
    for family, entry in families.items():
        seen, held = entry["seen"], entry["held_out"]
        rows.append(
            "<tr>"
            f'<td class="text">{html.escape(family)}</td>'
            f'<td class="text">{html.escape(", ".join(entry.get("kinds", [])))}</td>'
            f"<td>{_format(held.get('n_positive'))}</td>"
            f"<td>{_format(held.get('n_negative'))}</td>"
            f"<td>{_with_interval(seen.get('roc_auc'), seen.get('roc_auc_ci95'))}</td>"
            f"<td>{_with_interval(held.get('roc_auc'), held.get('roc_auc_ci95'))}</td>"
            f"<td>{_format(entry.get('roc_auc_drop'))}</td>"
            f"<td>{_format(seen.get('recall'))}</td>"
            f"<td>{_format(held.get('recall'))}</td>"
            f"<td>{_format(held.get('false_positive_rate'))}</td>"
            f"<td>{_format(held.get('recall_at_fpr', {}).get('0.01', {}).get('recall'))}</td>"
            "</tr>"
        )
    body = (
        f"<h1>{html.escape(title)}</h1>"
        f'<p class="subtitle">detector {html.escape(__version__)} · '
        f"{_format(table.get('n_train'))} training and {_format(table.get('n_test'))} test "
        f"documents · {float(table.get('test_share', 0)):.0%} of the groups in test</p>"
        + _run_html(run or {})
        + "<h2>Generalisation to unseen generators</h2>"
        '<p class="muted">Each row: the test documents of one generator family and every clean '
        "test document. “Seen” is a model trained on every family; “held out” is a model "
        "trained without this family (its pattern model too). The drop is seen minus held-out "
        "ROC AUC: a large drop means the detector relies on that generator's own traces. "
        "Recall and false-positive rate are at each model's own threshold.</p>"
        '<table><thead><tr><th class="text">family</th><th class="text">kinds</th>'
        "<th>spun</th><th>clean</th><th>ROC AUC seen (95% CI)</th>"
        "<th>ROC AUC held out (95% CI)</th><th>drop</th><th>recall seen</th>"
        "<th>recall held out</th><th>false-positive rate held out</th>"
        "<th>recall at 1% FPR held out</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        + '<div class="figures">'
        + _figure_html("generalisation", png, "ROC AUC per family, seen and held out.")
        + "</div>"
    )
    html_path = folder / "report.html"
    html_path.write_text(_page(title, body, {}), encoding="utf-8")
    return {"metrics": metrics_path, "generalisation": plot_path, "html": html_path}


def write_report(
    directory: str | Path,
    *,
    metrics: Mapping[str, Any],
    breakdown: Mapping[str, Mapping[str, Mapping[str, Any]]],
    y_true: npt.ArrayLike,
    scores: npt.ArrayLike,
    kinds: Sequence[str],
    false_positives: Sequence[Mapping[str, Any]] = (),
    false_negatives: Sequence[Mapping[str, Any]] = (),
    title: str = "detector evaluation",
    run: Mapping[str, Any] | None = None,
    datasets: Mapping[str, Mapping[str, Any]] | None = None,
    comparison: Mapping[str, Any] | None = None,
    comparison_scores: npt.ArrayLike | None = None,
    machine_translation_head: Mapping[str, Any] | None = None,
) -> dict[str, Path]:
    """Write ``metrics.json``, the plots and ``report.html`` into ``directory``.

    Parameters
    ----------
    directory
        Created if missing; files of the same names are replaced.
    metrics
        :func:`detector.metrics.binary_metrics` of the whole set.
    breakdown
        :func:`detector.metrics.breakdown` (e.g. by kind, source, length).
    y_true, scores, kinds
        Label (1 = spun), score and document kind of every evaluated document.
    false_positives, false_negatives
        The most confident mistakes, each ``{id, text, score, label, kind,
        evidence: [{family, name, start, end, snippet, note}],
        paragraphs: [{start, end, score}]}``, shown in the given order.
    title
        Heading of the page.
    run
        What was evaluated (model, data files), shown at the top.
    datasets
        ``{name: {"overall", "breakdown"}}`` of each data file on its own;
        with two or more, a per-file table (and each file's breakdown).
    comparison, comparison_scores
        A second model on the same documents (see ``comparison`` in the
        module docstring) and its scores, in the order of ``scores``: a
        comparison table and ``comparison.png``.
    machine_translation_head
        ``{"overall", "breakdown"}`` of the model's machine-translation head
        (:func:`detector.evaluation.measure_head`), kept in ``metrics.json``
        under that key when given, and shown in a section of the page: the
        head's summary and breakdown tables, with the share it flags.

    Returns
    -------
    dict
        ``{"metrics", "html", "roc", "precision_recall", "calibration",
        "score_histograms"}`` and ``"comparison"`` when compared: the path
        of each file written.
    """
    labels = np.asarray(y_true).astype(np.int64)
    values = np.asarray(scores, dtype=np.float64)
    kind_list = [str(kind) for kind in kinds]
    if not (labels.shape == values.shape == (len(kind_list),)):
        raise ValueError("y_true, scores and kinds must have the same length")
    threshold = float(metrics.get("threshold", 0.5))
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)

    plots = {
        "roc": _roc_plot(labels, values, kind_list, threshold),
        "precision_recall": _pr_plot(labels, values, kind_list),
        "calibration": _calibration_plot(metrics),
        "score_histograms": _histogram_plot(labels, values, kind_list, threshold),
    }
    plot_files = dict(PLOT_FILES)
    if comparison is not None and comparison_scores is not None:
        other = np.asarray(comparison_scores, dtype=np.float64)
        if other.shape != values.shape:
            raise ValueError("comparison_scores must have one score per document")
        other_threshold = float(comparison.get("model", {}).get("threshold", threshold))
        plots["comparison"] = _comparison_plot(labels, values, other, threshold, other_threshold)
        plot_files["comparison"] = COMPARISON_PLOT
    written: dict[str, Path] = {}
    for key, png in plots.items():
        path = folder / plot_files[key]
        path.write_bytes(png)
        written[key] = path

    document = {
        "format_version": FORMAT_VERSION,
        "detector_version": __version__,
        "title": title,
        "overall": metrics,
        "breakdown": breakdown,
        "errors": {
            "false_positives": [_error_summary(d) for d in false_positives],
            "false_negatives": [_error_summary(d) for d in false_negatives],
        },
        "plots": plot_files,
        "run": dict(run or {}),
        "datasets": dict(datasets or {}),
        "comparison": comparison,
    }
    if machine_translation_head is not None:
        document["machine_translation_head"] = machine_translation_head
    metrics_path = folder / "metrics.json"
    _write_json(metrics_path, document)
    written["metrics"] = metrics_path

    all_spans = [
        span
        for d in (*false_positives, *false_negatives)
        for span in _spans(str(d.get("text") or ""), d.get("evidence") or [])
    ]
    families = _family_order(all_spans)
    captions = {
        "roc": "ROC curves; dotted lines mark 1% and 0.1% false-positive rate.",
        "precision_recall": "Precision-recall curves.",
        "calibration": "Reliability: mean score against the share actually spun, per bin.",
        "score_histograms": "Score histograms per document kind.",
        "comparison": "ROC of the evaluated model (solid) and the compared model (dashed).",
    }
    body = (
        f"<h1>{html.escape(title)}</h1>"
        f'<p class="subtitle">detector {html.escape(__version__)} · '
        f"{_format(metrics.get('n'))} documents · threshold {threshold:g}</p>"
        + _run_html(run or {})
        + "<h2>Summary</h2>"
        + _summary_html(metrics)
        + "<h3>Confusion matrix at the threshold</h3>"
        + _confusion_html(metrics)
        + _datasets_html(datasets or {}, metrics)
        + (_comparison_html(comparison, metrics, datasets or {}, run or {}) if comparison else "")
        + "<h2>Breakdown</h2>"
        + _breakdown_html(breakdown)
        + '<h2>Plots</h2><div class="figures">'
        + "".join(_figure_html(key, png, captions[key]) for key, png in plots.items())
        + "</div><h3>Calibration bins</h3>"
        + _reliability_html(metrics)
        + (_head_html(machine_translation_head) if machine_translation_head else "")
        + "<h2>Evidence legend</h2>"
        + _legend_html(families)
        + _mistakes_html(
            "False positives",
            "Clean documents with the highest scores at or above the threshold.",
            false_positives,
            families,
        )
        + _mistakes_html(
            "False negatives",
            "Spun documents with the lowest scores below the threshold.",
            false_negatives,
            families,
        )
    )
    html_path = folder / "report.html"
    html_path.write_text(_page(title, body, families), encoding="utf-8")
    written["html"] = html_path
    return written
