"""The report page in a real headless Chromium: it renders, offline and cleanly.

Two checks:

* the command line ``chromium --headless --screenshot`` that a person would
  run, and the screenshot is a real rendering (size, and not a blank page);
* the same page driven over the DevTools protocol, to see every network
  request, console message, log entry and script exception while it loads.
  The protocol runs over ``--remote-debugging-pipe`` (null-terminated JSON on
  file descriptors 3 and 4), which needs no websocket client, no free TCP
  port and nothing beyond the standard library. Grepping ``--enable-logging``
  output was the alternative, but its wording changes between releases and
  it does not list requests that succeed.

Skipped only when no Chromium is installed (``apt-get install chromium``;
``scripts/install-system-packages.sh`` installs it).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import time

import numpy as np
import pytest

from detector.metrics import binary_metrics, breakdown
from detector.report import PLOT_FILES, write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)

# Flags that keep Chromium from reaching out on its own (updates, sync,
# safe-browsing lists), so any request seen comes from the page.
QUIET_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

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
    screenshot = tmp_path / "report.png"
    completed = subprocess.run(
        [
            CHROMIUM,
            *QUIET_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={screenshot}",
            "--window-size=1200,2000",
            report_page.as_uri(),
        ],
        capture_output=True,
        timeout=60,
    )
    assert screenshot.exists(), completed.stderr.decode(errors="replace")[-2000:]
    assert screenshot.stat().st_size > 50_000

    from PIL import Image

    with Image.open(screenshot) as image:
        assert image.size == (1200, 2000)
        # A rendered report has text, tables and plots: many distinct colours,
        # and far from all white.
        pixels = np.asarray(image.convert("RGB").resize((300, 500)))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 200
    assert (pixels.min(axis=2) < 200).mean() > 0.05


class _DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, profile):
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def wire_pipes():
            # Chromium reads commands from fd 3 and writes to fd 4; a new
            # session lets the whole browser process group be ended at once.
            os.setsid()
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, *QUIET_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"],
            pass_fds=(3, 4),
            preexec_fn=wire_pipes,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.events = []

    def call(self, method, params=None, session=None, timeout=30):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        reply = self.wait_for(lambda m: m.get("id") == message["id"], timeout)
        assert "error" not in reply, reply
        return reply.get("result", {})

    def wait_for(self, predicate, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)
                if predicate(message):
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no answer from chromium")
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed the debugging pipe")
                self._buffer += chunk

    def close(self):
        try:
            os.write(
                self._to_browser, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0"
            )
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            os.close(self._to_browser)
            os.close(self._from_browser)


def test_page_loads_without_requests_console_errors_or_scripts(report_page, tmp_path):
    browser = _DevTools(tmp_path / "profile")
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Network", "Runtime", "Log"):
            browser.call(f"{domain}.enable", session=session)
        browser.call("Page.navigate", {"url": report_page.as_uri()}, session=session)
        browser.wait_for(lambda m: m.get("method") == "Page.loadEventFired")
        state = browser.call(
            "Runtime.evaluate",
            {
                "expression": """JSON.stringify({
                    images: document.images.length,
                    decoded: Array.from(document.images).filter(
                        i => i.complete && i.naturalWidth > 0).length,
                    scripts: document.scripts.length,
                    marks: document.querySelectorAll('mark[data-evidence]').length,
                    height: document.documentElement.scrollHeight,
                })""",
                "returnByValue": True,
            },
            session=session,
        )
    finally:
        browser.close()

    page = json.loads(state["result"]["value"])
    # Every plot decodes from its data: URI; the <img> and <script> in the
    # document text stayed text.
    assert page["images"] == page["decoded"] == len(PLOT_FILES)
    assert page["scripts"] == 0
    assert page["marks"] >= 3
    assert page["height"] > 2000

    requests = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e["method"] == "Network.requestWillBeSent"
    ]
    assert requests, "the page load itself should be seen"
    assert [url for url in requests if not url.startswith(("file://", "data:"))] == []
    problems = [
        e["params"]
        for e in browser.events
        if e["method"] == "Runtime.exceptionThrown"
        or (e["method"] == "Runtime.consoleAPICalled")
        or (
            e["method"] == "Log.entryAdded"
            and e["params"]["entry"]["level"] in {"error", "warning"}
        )
        or e["method"] == "Network.loadingFailed"
    ]
    assert problems == []
