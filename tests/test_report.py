import io
import json
import re
from html.parser import HTMLParser
from typing import NamedTuple

import numpy as np
import pytest
from rich.console import Console

from detector.metrics import binary_metrics, breakdown
from detector.report import (
    PLOT_FILES,
    render_document_html,
    render_document_terminal,
    write_report,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

HOSTILE_TEXT = (
    "Toray Industries (3402.The) rose <script>alert('x')</script> 3 percent & more.\n\n"
    "The others are the strong demand of carbon-fibre in the aerospace sector."
)


def _evidence(text, family, name, snippet, note, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(snippet, start + 1)
    return {
        "family": family,
        "name": name,
        "start": start,
        "end": start + len(snippet),
        "snippet": snippet,
        "note": note,
    }


HOSTILE_EVIDENCE = [
    _evidence(
        HOSTILE_TEXT, "tickers", "tickers.word_suffix", "3402.The", "suffix `.The` is a word"
    ),
    # Overlaps the ticker span and runs on into the <script> text.
    _evidence(HOSTILE_TEXT, "casing", "casing.mid_sentence_the", "The) rose <script>", "odd 'The'"),
    _evidence(HOSTILE_TEXT, "phrasing", "phrasing.the_others_are", "The others are", "calque"),
]

HOSTILE_PARAGRAPHS = [
    {"start": 0, "end": HOSTILE_TEXT.index("\n\n"), "score": 0.93},
    {"start": HOSTILE_TEXT.index("The others"), "end": len(HOSTILE_TEXT), "score": 0.41},
]


class _EvidenceRecord(NamedTuple):
    """Attribute-style evidence, as detector.features.base.Evidence provides it."""

    family: str
    name: str
    start: int
    end: int
    snippet: str
    note: str


class _Marks(HTMLParser):
    """Collects the text inside each evidence <mark> and any URL-bearing attribute."""

    def __init__(self):
        super().__init__()
        self.by_evidence = {}
        self.open_marks = []
        self.tags = []
        self.sources = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        for key in ("src", "href"):
            if key in attributes:
                self.sources.append(attributes[key])
        if tag == "mark":
            numbers = (attributes.get("data-evidence") or "").split()
            self.open_marks.append([int(n) for n in numbers])

    def handle_endtag(self, tag):
        if tag == "mark":
            self.open_marks.pop()

    def handle_data(self, data):
        for numbers in self.open_marks:
            for number in numbers:
                self.by_evidence[number] = self.by_evidence.get(number, "") + data


def _parse(page):
    parser = _Marks()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    rng = np.random.default_rng(0)
    kinds = np.array(["wiki"] * 150 + ["news"] * 150 + ["mt-spa"] * 100 + ["spinner"] * 100)
    labels = np.array([0] * 300 + [1] * 200)
    scores = np.clip(rng.normal(0.3 + 0.4 * labels, 0.18), 0, 1)
    metrics = binary_metrics(labels, scores, 0.5, n_bootstrap=100)
    table = breakdown(labels, scores, 0.5, {"kind": kinds}, n_bootstrap=50)
    false_positive = {
        "id": "wiki-17",
        "text": HOSTILE_TEXT,
        "score": 0.91,
        "label": "spun",
        "kind": "wiki",
        "evidence": HOSTILE_EVIDENCE,
        "paragraphs": HOSTILE_PARAGRAPHS,
    }
    false_negative = {
        "id": "mt-spa-3",
        "text": "Plain sentence.\n\nAnother one.",
        "score": 0.12,
        "label": "clean",
        "kind": "mt-spa",
        "evidence": [],
        "paragraphs": [
            {"start": 0, "end": 15, "score": 0.1},
            {"start": 17, "end": 29, "score": 0.2},
        ],
    }
    folder = tmp_path_factory.mktemp("report")
    written = write_report(
        folder,
        metrics=metrics,
        breakdown=table,
        y_true=labels,
        scores=scores,
        kinds=list(kinds),
        false_positives=[false_positive],
        false_negatives=[false_negative],
        title="Evaluation <test>",
    )
    return folder, written, metrics


def test_every_file_is_written(report_dir):
    folder, written, _ = report_dir
    assert set(written) == {"metrics", "html", *PLOT_FILES}
    for name in PLOT_FILES.values():
        data = (folder / name).read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        assert len(data) > 10_000
    assert (folder / "report.html").stat().st_size > 50_000


def test_metrics_json_layout_is_stable(report_dir):
    folder, _, metrics = report_dir
    document = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert list(document) == [
        "format_version",
        "detector_version",
        "title",
        "overall",
        "breakdown",
        "errors",
        "plots",
        "run",
        "datasets",
        "comparison",
    ]
    assert document["format_version"] == 1
    assert (document["run"], document["datasets"], document["comparison"]) == ({}, {}, None)
    assert document["overall"] == json.loads(json.dumps(metrics))
    assert sorted(document["breakdown"]["kind"]) == ["mt-spa", "news", "spinner", "wiki"]
    assert document["errors"]["false_positives"] == [
        {
            "id": "wiki-17",
            "dataset": None,
            "kind": "wiki",
            "score": 0.91,
            "label": "spun",
            "n_evidence": 3,
            "families": ["casing", "phrasing", "tickers"],
        }
    ]
    assert document["plots"] == PLOT_FILES
    # Texts stay out of the machine-readable file.
    assert "Toray" not in (folder / "metrics.json").read_text(encoding="utf-8")


def test_html_escapes_document_text_and_title(report_dir):
    folder, _, _ = report_dir
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;</mark>alert(&#x27;x&#x27;)&lt;/script&gt; 3 percent &amp; more" in page
    assert "<script>alert('x')</script> 3 percent & more" in _Text.of(page)
    assert "<title>Evaluation &lt;test&gt;</title>" in page
    assert "script" not in _parse(page).tags


def test_html_makes_no_network_reference(report_dir):
    folder, _, _ = report_dir
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"url\(|@import|<link|<script|//[a-z0-9.-]+\.[a-z]{2,}/", page, re.I)
    sources = _parse(page).sources
    assert len(sources) == len(PLOT_FILES)
    assert all(source.startswith("data:image/png;base64,") for source in sources)


def test_report_highlights_spans_exactly(report_dir):
    folder, _, _ = report_dir
    marks = _parse((folder / "report.html").read_text(encoding="utf-8")).by_evidence
    for number, item in enumerate(HOSTILE_EVIDENCE, start=1):
        assert marks[number] == item["snippet"]


def test_document_page_highlights_overlapping_spans_exactly():
    page = render_document_html(HOSTILE_TEXT, HOSTILE_EVIDENCE, HOSTILE_PARAGRAPHS, 0.93, "spun")
    parsed = _parse(page)
    assert parsed.by_evidence == {
        number: item["snippet"] for number, item in enumerate(HOSTILE_EVIDENCE, start=1)
    }
    # The shared characters of the two overlapping spans are marked as such.
    assert 'class="ev f0 overlap" data-evidence="1 2"' in page
    assert "<script" not in page.lower()


def test_document_page_has_legend_markers_and_paragraph_scores():
    page = render_document_html(
        HOSTILE_TEXT,
        HOSTILE_EVIDENCE,
        HOSTILE_PARAGRAPHS,
        0.93,
        "spun",
        contributions={"tickers.word_suffix_rate": 1.7, "casing.the_rate": -0.2},
    )
    for marker in ("[1 tickers]", "[2 casing]", "[3 phrasing]"):
        assert marker in page
    assert page.index("[3 phrasing]") < page.index(">The others are</mark>")
    assert ">0.93<" in page and ">0.41<" in page
    assert 'aria-label="legend"' in page
    assert "+1.700" in page and "-0.200" in page
    # Every character of the text is shown once (markers aside).
    visible = re.sub(r'<span class="tag">[^<]*</span>', "", page)
    shown = _Text.of(visible)
    assert "Toray Industries (3402.The) rose <script>alert('x')</script> 3 percent" in shown


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.skip = 0

    @classmethod
    def of(cls, page):
        parser = cls()
        parser.feed(page)
        return "".join(parser.parts)

    def handle_starttag(self, tag, attrs):
        if tag in {"style", "title"}:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in {"style", "title"}:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def test_evidence_objects_and_text_outside_paragraphs_are_rendered():
    text = "Intro line.\n\nBody with 6758.The here."
    start = text.index("6758.The")
    evidence = [
        _EvidenceRecord(
            "tickers", "tickers.word_suffix", start, start + 8, "6758.The", "word suffix"
        )
    ]
    # Only the second paragraph is given: the first must still be shown.
    page = render_document_html(
        text, evidence, [{"start": 13, "end": len(text), "score": 0.7}], 0.7, "spun"
    )
    assert "Intro line." in page
    assert _parse(page).by_evidence == {1: "6758.The"}


def test_out_of_range_evidence_is_clamped_not_fatal():
    page = render_document_html(
        "Short.",
        [{"family": "casing", "name": "x", "start": 3, "end": 99, "snippet": "?", "note": ""}],
        [],
        0.5,
        "spun",
    )
    assert _parse(page).by_evidence == {1: "rt."}


def _terminal(renderable, width=100):
    console = Console(width=width, color_system=None, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


def test_terminal_rendering_reads_without_colour():
    output = _terminal(
        render_document_terminal(
            HOSTILE_TEXT,
            HOSTILE_EVIDENCE,
            HOSTILE_PARAGRAPHS,
            0.93,
            "spun",
            contributions={"tickers.word_suffix_rate": 1.7},
        )
    )
    assert "score 0.930  label spun" in output
    assert "legend: casing phrasing tickers  ([n family] starts evidence n)" in output
    assert "[1 tickers]" in output and "[2 casing]" in output and "[3 phrasing]" in output
    lines = output.splitlines()
    assert any(line.lstrip().startswith("0.93") and "Toray" in line for line in lines)
    assert any(
        line.lstrip().startswith("0.41") and "[3 phrasing]The others" in line for line in lines
    )
    # The text itself is printed verbatim, markup-like content included.
    assert "<script>alert('x')</script>" in output
    assert "suffix ‘.The’ is a word" in output
    assert "+1.700" in output


def test_terminal_rendering_uses_a_style_per_family():
    console = Console(width=100, color_system="truecolor", file=io.StringIO(), record=True)
    console.print(render_document_terminal(HOSTILE_TEXT, HOSTILE_EVIDENCE, [], 0.9, "spun"))
    styled = console.export_text(styles=True)
    assert "\x1b[" in styled
    # "[n family]" markup in the text must not be swallowed as rich markup.
    plain = _terminal(render_document_terminal("[bold]x[/bold]", [], [], 0.1, "clean"))
    assert "[bold]x[/bold]" in plain


#: The 18 kinds of spun text the recipe's held-out Reuters set holds.
RECIPE_KINDS = [
    *(f"roundtrip:{pivot}" for pivot in ("cat", "epo", "glg", "spa")),
    *(f"spin:{rate}" for rate in ("0.1", "0.2", "0.3", "0.5")),
    *(f"damage:{level}" for level in ("heavy", "light", "tickers")),
    *(f"partial:{how}" for how in ("roundtrip:spa", "roundtrip:cat", "spin:0.3", "damage:heavy",
                                   "roundtrip:glg", "spin:0.5", "damage:light")),
]  # fmt: skip


@pytest.mark.parametrize("plot", ["roc", "precision_recall"])
def test_ranking_plots_tell_18_kinds_apart_with_the_legend_outside(plot):
    from detector import report

    generator = np.random.default_rng(0)
    kinds = ["original"] * 200 + [kind for kind in RECIPE_KINDS for _ in range(20)]
    labels = np.array([0 if kind == "original" else 1 for kind in kinds])
    values = np.clip(generator.normal(0.3 + 0.4 * labels, 0.2), 0, 1)
    if plot == "roc":
        figure = report._roc_figure(labels, values, kinds, 0.5)
    else:
        figure = report._pr_figure(labels, values, kinds)
    assert all(axis.get_legend() is None for axis in figure.axes)  # nothing drawn over curves
    assert len(figure.legends) == 1
    axis = figure.axes[0]
    drawn = {line.get_label(): line for line in axis.get_lines()}
    assert set(RECIPE_KINDS) <= set(drawn)
    styles = report.kind_styles(RECIPE_KINDS)
    assert len(set(map(repr, styles.values()))) == len(RECIPE_KINDS)  # no two alike
    for kind, (colour, _) in styles.items():
        assert tuple(drawn[kind].get_color()) == tuple(colour)
    colours = {line.get_label(): line.get_color() for line in axis.get_lines()}
    assert colours["roundtrip:cat"] == colours["roundtrip:spa"] != colours["spin:0.1"]


def _table_rows(page):
    """``{first cell: [the other cells]}`` of every table row in ``page``."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)
        if cells:
            rows[cells[0]] = cells[1:]
    return rows


def test_the_machine_translation_head_has_a_section_of_its_own(tmp_path):
    rng = np.random.default_rng(2)
    kinds = np.array(["original"] * 60 + ["human-translation"] * 40 + ["neural-mt"] * 50)
    labels = np.array([0] * 100 + [1] * 50)
    spun = np.clip(rng.normal(0.3 + 0.2 * labels, 0.15), 0, 1)
    translated = np.clip(rng.normal(0.2 + 0.5 * labels, 0.15), 0, 1)
    head = {
        "overall": binary_metrics(labels, translated, 0.6, n_bootstrap=0),
        "breakdown": breakdown(labels, translated, 0.6, {"kind": kinds}, n_bootstrap=0),
    }
    common = {
        "metrics": binary_metrics(labels, spun, 0.5, n_bootstrap=0),
        "breakdown": breakdown(labels, spun, 0.5, {"kind": kinds}, n_bootstrap=0),
        "y_true": labels,
        "scores": spun,
        "kinds": list(kinds),
    }
    write_report(tmp_path / "with", **common, machine_translation_head=head)
    write_report(tmp_path / "without", **common)
    without = (tmp_path / "without" / "report.html").read_text(encoding="utf-8")
    assert "Machine-translation head" not in without and "<th>flagged</th>" not in without
    page = (tmp_path / "with" / "report.html").read_text(encoding="utf-8")
    heading = "<h2>Machine-translation head</h2>"
    assert page.index("<h2>Breakdown</h2>") < page.index(heading)
    main, section = page[: page.index(heading)], page[page.index(heading) :]
    section = section[: section.index("<h2>", len(heading))]
    assert "threshold 0.600" in section
    summary = _table_rows(section)
    assert summary["ROC AUC (95% CI)"] == [f"{head['overall']['roc_auc']:.3f}"]
    assert summary["flagged at the threshold"] == [f"{np.mean(translated >= 0.6):.3f}"]
    # Per kind, as the main model's breakdown, with the share each kind has flagged.
    per_kind = _table_rows(section)
    for kind in ("original", "human-translation", "neural-mt"):
        n, _, _, auc, flagged = per_kind[kind][:5]
        assert int(n) == np.sum(kinds == kind)
        assert auc.startswith(f"{head['breakdown']['kind'][kind]['roc_auc']:.3f}")
        assert flagged == f"{np.mean(translated[kinds == kind] >= 0.6):.3f}"
    # The main model's tables keep their columns.
    assert "<th>flagged</th>" not in main and "flagged at the threshold" not in main
    document = json.loads((tmp_path / "with" / "metrics.json").read_text(encoding="utf-8"))
    assert document["machine_translation_head"] == json.loads(json.dumps(head))
