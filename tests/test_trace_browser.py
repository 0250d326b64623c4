"""Trace pages and the sites page in a real headless Chromium: they render, offline, cleanly."""

from __future__ import annotations

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
from trace_texts import SOURCE, SPUN, UNRELATED

from detector.readers import Record
from detector.sites import site_profiles, write_sites_html
from detector.trace import SourceIndex, Tracer
from detector.trace_html import write_trace_pages

pytestmark = requires_chromium

# Markup in a page's text must stay text.
HOSTILE = '\n\n<script>console.error("injected")</script><img src="https://example.com/x.png">'


@pytest.fixture(scope="module")
def trace_page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trace-browser")
    records = [Record("source", SOURCE + HOSTILE, "t"), Record("other", UNRELATED, "t")]
    index = SourceIndex.build(records, folder / "index")
    suspect = Record("spun <b>1</b>", SPUN + HOSTILE, "t")
    row = {"id": suspect.id, "status": "ok", **Tracer(index).trace(suspect.text or "")}
    assert row["verdict"] == "spun_copy"
    write_trace_pages(iter([row]), [suspect], index, folder / "pages")
    return folder / "pages" / "00001-spun-b-1-b-.html", row


def test_trace_page_renders(trace_page, tmp_path):
    page, _ = trace_page
    image = tmp_path / "trace.png"
    stderr = screenshot(page, image, tmp_path / "profile", (1200, 1200))
    assert image.exists(), stderr
    assert looks_rendered(image, (1200, 1200))


def test_trace_page_marks_both_sides_without_requests_or_scripts(trace_page, tmp_path):
    page, row = trace_page
    state, events = load_page(page, tmp_path / "profile")
    assert state["scripts"] == 0 and state["images"] == 0
    # every edit marked once on each side
    assert state["marks"] == 2 * len(row["substitutions"])
    assert "imaginative and prescient" in state["text"]
    assert '<script>console.error("injected")</script>' in state["text"]
    assert requested_urls(events)
    assert external_requests(events) == []
    assert problems(events) == []


def test_sites_page_renders_its_plot(tmp_path):
    rows = [{"id": str(n), "url": f"https://site{n % 7}.example/{n}", "status": "ok",
             "score": (n % 7) / 7, "label": "spun" if n % 7 > 3 else "clean",
             "evidence": [{"name": "spinner.swap", "snippet": "<script>"}]}
            for n in range(200)]  # fmt: skip
    page = tmp_path / "sites.html"
    write_sites_html(site_profiles(rows), page)
    state, events = load_page(page, tmp_path / "profile")
    assert state["images"] == state["decoded"] == 1
    assert state["scripts"] == 0
    assert external_requests(events) == [] and problems(events) == []
    image = tmp_path / "sites.png"
    screenshot(page, image, tmp_path / "profile2", (1200, 1400))
    assert looks_rendered(image, (1200, 1400))
