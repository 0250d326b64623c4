"""Very large documents: bounded time and memory, a warning saying what was scored.

Each runs in a child process with a generous time limit (to catch a hang or a
quadratic blow-up, not to time anything) and reports its peak memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from detector.readers import MAX_FILE_BYTES
from detector.scoring import MAX_CHARS

ROOT = Path(__file__).parents[2]
TIME_LIMIT = 180
#: Peak memory allowed, in MiB: the model and a few copies of the 64 MiB read
#: (about 300 MiB is usual).
MEMORY_LIMIT_MIB = 1000

# Peak memory is read from /proc (VmHWM): getrusage's ru_maxrss survives exec
# on Linux and would report the test runner's own size.
CHILD = r"""
import json, sys
from detector.html import extract_record
from detector.readers import iter_records
from detector.scoring import Scorer

scorer = Scorer.load()
rows = [scorer.score_record(extract_record(record)) for record in iter_records([sys.argv[1]])]
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) // 1024
print(json.dumps({"rows": rows, "peak_mib": peak}))
"""


def _score_in_child(path: Path) -> tuple[list[dict], int]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    return result["rows"], result["peak_mib"]


def test_a_100_megabyte_document(tmp_path) -> None:
    paragraph = (
        "Shares of Toray Industries rose 3 percent on Monday, traders said, as the yen "
        "weakened and exporters gained ground in Tokyo.\n\n"
    )
    path = tmp_path / "huge.txt"
    with open(path, "w", encoding="ascii") as handle:
        block = paragraph * (1_000_000 // len(paragraph))
        while handle.tell() < 100 * 1024 * 1024:
            handle.write(block)
    [row], peak = _score_in_child(path)
    assert row["status"] == "ok" and 0 <= row["score"] <= 1
    assert f"file longer than {MAX_FILE_BYTES} bytes: only the start was read" in row["warnings"]
    assert any(f"is longer than {MAX_CHARS:,}" in warning for warning in row["warnings"])
    text = path.read_text(encoding="ascii")[:MAX_FILE_BYTES]
    for item in row["evidence"]:
        assert text[item["start"] : item["end"]] == item["snippet"]
    # windows reach far into the document, not just its start
    assert max(p["end"] for p in row["paragraphs"]) > MAX_FILE_BYTES * 0.9
    assert peak < MEMORY_LIMIT_MIB


def test_a_10_megabyte_single_line(tmp_path) -> None:
    sentence = "the exporters said that shares of the company rose and And fell "
    text = (sentence * (10_000_000 // len(sentence))).strip()
    path = tmp_path / "line.jsonl"
    path.write_text(json.dumps({"id": "long", "text": text}) + "\n", encoding="utf-8")
    [row], peak = _score_in_child(path)
    assert row["status"] == "ok" and row["line"] == 1
    assert any("windows spread over the rest" in warning for warning in row["warnings"])
    for item in row["evidence"]:
        assert text[item["start"] : item["end"]] == item["snippet"]
    assert peak < MEMORY_LIMIT_MIB


def test_a_50_megabyte_page_in_a_warc_costs_no_record_after_it(tmp_path) -> None:
    from detector.html import MAX_HTML_BYTES
    from detector.warc import http_response, warc_record

    paragraph = (
        b"<div><p>Shares of Toray Industries rose 3 percent on Monday, traders said, as the yen "
        b"weakened and exporters gained ground in Tokyo.</p><span>menu</span></div>\n"
    )
    huge = b"<html><head><title>Huge</title></head><body>" + paragraph * (
        50 * 1024 * 1024 // len(paragraph)
    )
    small = b"<html><body><p>" + b"A short page about the harbour and its market. " * 5 + b"</p>"
    path = tmp_path / "big.warc.gz"
    path.write_bytes(
        warc_record("response", "https://a.example.com/1", http_response(small))
        + warc_record("response", "https://a.example.com/huge", http_response(huge))
        + warc_record("response", "https://a.example.com/2", http_response(small))
    )
    rows, peak = _score_in_child(path)
    assert [row["status"] for row in rows] == ["ok", "ok", "ok"]
    assert f"is longer than {MAX_HTML_BYTES:,}: only the start was read" in rows[1]["warnings"][0]
    assert peak < MEMORY_LIMIT_MIB * 2
