"""The report page in a real headless Chromium: it renders, offline and cleanly.

The helpers (screenshot, DevTools-protocol page load) live in ``browser.py``
and are shared with the ``detector evaluate`` report test.
"""

from __future__ import annotations

import numpy as np
import pytest
from browser import (
    external_requests,
    load_page,
    looks_rendered,
    problems,
    requested_urls,
    requires_chromium,
    screenshot,
)

from detector.metrics import binary_metrics, breakdown
from detector.report import PLOT_FILES, write_report

pytestmark = requires_chromium

TEXT = (
    "Toray Industries (3402.The) rose <script>console.error('injected')</script> 3 percent."
    '\n\n<img src="https://example.com/x.png"> The others are the strong demand.'
)


def _span(family, snippet, note):
    start = TEXT.index(snippet)
    return {
        "family": family,
        "name": "example",
        "start": start,
        "end": start + len(snippet),
        "snippet": snippet,
        "note": note,
    }


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    rng = np.random.default_rng(1)
    labels = np.array([0] * 120 + [1] * 80)
    kinds = ["wiki"] * 120 + ["mt"] * 40 + ["spinner"] * 40
    scores = np.clip(rng.normal(0.3 + 0.4 * labels, 0.2), 0, 1)
    mistake = {
        "id": "doc-1",
        "text": TEXT,
        "score": 0.88,
        "label": "spun",
        "kind": "wiki",
        "evidence": [
            _span("tickers", "3402.The", "word suffix"),
            _span("casing", "The) rose <script>", "overlaps the ticker"),
            _span("phrasing", "The others are", "calque"),
        ],
        "paragraphs": [
            {"start": 0, "end": TEXT.index("\n\n"), "score": 0.9},
            {"start": TEXT.index("<img"), "end": len(TEXT), "score": 0.5},
        ],
    }
    folder = tmp_path_factory.mktemp("browser")
    write_report(
        folder,
        metrics=binary_metrics(labels, scores, 0.5, n_bootstrap=50),
        breakdown=breakdown(labels, scores, 0.5, {"kind": kinds}, n_bootstrap=20),
        y_true=labels,
        scores=scores,
        kinds=kinds,
        false_positives=[mistake],
        false_negatives=[],
    )
    return folder / "report.html"


def test_headless_screenshot_renders_the_page(report_page, tmp_path):
    image = tmp_path / "report.png"
    stderr = screenshot(report_page, image, tmp_path / "profile", (1200, 2000))
    assert image.exists(), stderr
    assert image.stat().st_size > 50_000
    assert looks_rendered(image, (1200, 2000))


def test_page_loads_without_requests_console_errors_or_scripts(report_page, tmp_path):
    page, events = load_page(report_page, tmp_path / "profile")
    # Every plot decodes from its data: URI; the <img> and <script> in the
    # document text stayed text.
    assert page["images"] == page["decoded"] == len(PLOT_FILES)
    assert page["scripts"] == 0
    assert page["marks"] >= 3
    assert page["height"] > 2000
    assert requested_urls(events), "the page load itself should be seen"
    assert external_requests(events) == []
    assert problems(events) == []
