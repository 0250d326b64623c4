"""Open report pages in a real headless Chromium: a screenshot, and a DevTools-driven load.

Two checks a page can be put through:

* :func:`screenshot`: the command line ``chromium --headless --screenshot``
  that a person would run; :func:`looks_rendered` tells a real rendering
  (text, tables, plots) from a blank or broken page;
* :func:`load_page`: the same page driven over the DevTools protocol, to see
  every network request, console message, log entry and script exception
  while it loads. The protocol runs over ``--remote-debugging-pipe``
  (null-terminated JSON on file descriptors 3 and 4), which needs no
  websocket client, no free TCP port and nothing beyond the standard
  library. Grepping ``--enable-logging`` output was the alternative, but its
  wording changes between releases and it does not list requests that
  succeed.

Tests using these are skipped only when no Chromium is installed
(``apt-get install chromium``; ``scripts/install-system-packages.sh``
installs it): mark them with :data:`requires_chromium`.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

requires_chromium = pytest.mark.skipif(
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

#: What :func:`load_page` reports about the page once it has loaded.
PAGE_STATE = """JSON.stringify({
    images: document.images.length,
    decoded: Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length,
    scripts: document.scripts.length,
    marks: document.querySelectorAll('mark[data-evidence]').length,
    height: document.documentElement.scrollHeight,
    text: document.body.innerText,
})"""


def screenshot(page: Path, out: Path, profile: Path, size: tuple[int, int] = (1200, 2000)) -> str:
    """Screenshot ``page`` into ``out``; returns Chromium's stderr (for failure messages)."""
    assert CHROMIUM is not None
    completed = subprocess.run(
        [
            CHROMIUM,
            *QUIET_FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={out}",
            f"--window-size={size[0]},{size[1]}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=60,
    )
    return completed.stderr.decode(errors="replace")[-2000:]


def looks_rendered(image_path: Path, size: tuple[int, int]) -> bool:
    """A rendered report has text, tables and plots: many colours, far from all white."""
    from PIL import Image

    with Image.open(image_path) as image:
        if image.size != size:
            return False
        pixels = np.asarray(image.convert("RGB").resize((300, 500)))
    distinct = len(np.unique(pixels.reshape(-1, 3), axis=0))
    return distinct > 200 and (pixels.min(axis=2) < 200).mean() > 0.05


class DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, profile: Path) -> None:
        assert CHROMIUM is not None
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def wire_pipes() -> None:
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
        self.events: list[dict[str, Any]] = []

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


def load_page(page: Path, profile: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Load ``page``; returns :data:`PAGE_STATE` once loaded and every DevTools event seen."""
    browser = DevTools(profile)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Network", "Runtime", "Log"):
            browser.call(f"{domain}.enable", session=session)
        browser.call("Page.navigate", {"url": page.as_uri()}, session=session)
        browser.wait_for(lambda m: m.get("method") == "Page.loadEventFired")
        state = browser.call(
            "Runtime.evaluate", {"expression": PAGE_STATE, "returnByValue": True}, session=session
        )
    finally:
        browser.close()
    return json.loads(state["result"]["value"]), browser.events


def requested_urls(events: list[dict[str, Any]]) -> list[str]:
    """Every URL the page asked for, the page itself included."""
    return [
        e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"
    ]


def external_requests(events: list[dict[str, Any]]) -> list[str]:
    """Requests that left the machine (anything but ``file:`` and ``data:``)."""
    return [url for url in requested_urls(events) if not url.startswith(("file://", "data:"))]


def problems(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Script exceptions, console calls, error or warning log entries and failed loads."""
    return [
        e["params"]
        for e in events
        if e["method"] == "Runtime.exceptionThrown"
        or (e["method"] == "Runtime.consoleAPICalled")
        or (
            e["method"] == "Log.entryAdded"
            and e["params"]["entry"]["level"] in {"error", "warning"}
        )
        or e["method"] == "Network.loadingFailed"
    ]
