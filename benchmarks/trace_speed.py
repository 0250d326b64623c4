"""Speed and memory of `detector trace`: building the index, then tracing suspects.

Sources: the 40,000 Reuters articles of the shared corpus, then broad-English
documents (``broad-english-60m.part{1,2}``) cut into pieces of 300 words, up
to ``--sources``. Suspects:
``--suspects`` of the Reuters sources spun by the project's spinner
(``detector.synth.spinner``, rate 0.5), traced in a batch run
(``run_batch`` with ``TraceSpec``, ``--jobs`` workers) to a JSONL file.

Reported for each phase: wall time, CPU time of the whole process tree
(this process plus its workers), peak memory of the process tree (summed
RSS and summed PSS), and the rate. On a loaded machine wall time is not the
cost: CPU time is.

    python benchmarks/trace_speed.py --shared ../shared --sources 200000 --suspects 2000 --jobs 2

No text of the shared data is written anywhere but a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from detector.batch import run_batch
from detector.readers import Record
from detector.trace import SourceIndex, TraceSpec

DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"


class _Usage:
    """Wall time, CPU time and peak memory of this process and its children."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.peak_rss = self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._cpu: dict[int, float] = {}

    def _tree(self) -> list[Any]:
        return [self.me, *self.me.children(recursive=True)]

    def _cpu_now(self) -> None:
        import psutil

        for process in self._tree():
            with contextlib.suppress(psutil.Error):
                times = process.cpu_times()
                self._cpu[process.pid] = times.user + times.system

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            rss = pss = 0
            for process in self._tree():
                with contextlib.suppress(psutil.Error):
                    info = process.memory_full_info()
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self._cpu_now()
            self._stop.wait(0.2)

    def __enter__(self) -> _Usage:
        self._cpu_now()
        self._before = dict(self._cpu)
        self.started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.wall = time.monotonic() - self.started
        self._cpu_now()
        self._stop.set()
        self._thread.join()
        self.cpu = sum(self._cpu.values()) - sum(self._before.values())

    def report(self, count: int, unit: str) -> dict[str, float]:
        return {
            unit: count,
            "wall_seconds": round(self.wall, 1),
            "cpu_seconds": round(self.cpu, 1),
            f"{unit}_per_wall_second": round(count / self.wall, 1),
            f"{unit}_per_cpu_second": round(count / self.cpu, 1) if self.cpu else 0.0,
            "peak_rss_mb": round(self.peak_rss / 1e6),
            "peak_pss_mb": round(self.peak_pss / 1e6),
        }


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def sources(shared: Path, count: int, piece_words: int = 300) -> Iterator[Record]:
    """Reuters articles whole, then broad-English documents cut into pieces of about 300 words.

    The two corpora hold 86,000 documents; the broad-English ones average
    1,300 words, so their pieces make sources the size of the real web pages
    (129 to 372 words) and bring the count past 200,000.
    """
    corpus = shared / "corpus"
    produced = 0
    for row in _jsonl(corpus / "reuters-2006-2012.jsonl.gz"):
        if produced >= count:
            return
        yield Record(str(row["id"]), row["text"], "reuters")
        produced += 1
    for name in ("broad-english-60m.part1.jsonl.gz", "broad-english-60m.part2.jsonl.gz"):
        for row in _jsonl(corpus / name):
            words = row["text"].split()
            for piece, start in enumerate(range(0, len(words), piece_words)):
                if produced >= count:
                    return
                text = " ".join(words[start : start + piece_words])
                yield Record(f"{row['id']}#{piece}", text, name)
                produced += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--sources", type=int, default=200_000)
    parser.add_argument("--suspects", type=int, default=2_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the results here")
    arguments = parser.parse_args()

    from detector.synth.spinner import Spinner

    results: dict[str, Any] = {"jobs": arguments.jobs}
    with tempfile.TemporaryDirectory(prefix="trace-speed-") as scratch:
        folder = Path(scratch)
        with _Usage() as usage:
            index = SourceIndex.build(
                sources(arguments.shared, arguments.sources), folder / "index", jobs=arguments.jobs
            )
        results["index"] = usage.report(len(index), "sources")
        results["index"]["disk_mb"] = round(
            sum(f.stat().st_size for f in (folder / "index").iterdir()) / 1e6
        )
        print(json.dumps(results["index"]), file=sys.stderr)

        rng = random.Random(5)
        spinner = Spinner()
        picked = rng.sample(range(min(40_000, len(index))), arguments.suspects)
        with open(folder / "suspects.jsonl", "w", encoding="utf-8") as handle:
            for row in picked:
                spun = spinner.spin(index.text(row), rate=0.5, rng=rng).text
                handle.write(json.dumps({"id": f"spun:{row}", "text": spun}) + "\n")
        spec = TraceSpec(str(folder / "index"))
        with _Usage() as usage:
            summary = run_batch([folder / "suspects.jsonl"], folder / "traced.jsonl", spec=spec,
                                jobs=arguments.jobs, chunk_size=100, progress="none")  # fmt: skip
        results["trace"] = usage.report(summary.records, "suspects")
        found = 0
        with open(folder / "traced.jsonl", encoding="utf-8") as handle:
            for line, row in zip(handle, picked, strict=True):
                found += json.loads(line)["source_id"] == index.source_id(row)
        results["trace"]["right_source"] = found
    print(json.dumps(results, indent=2))
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
