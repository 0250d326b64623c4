"""Web pages and WARC archives: extraction quality, its cost, and a WARC to score.

``quality`` wraps real texts (the real-web dev set, Reuters and the broad
English corpus from ``../shared``, read at run time and never written out)
in the page templates of ``tests/pages.py`` (header and menu, cookie banner,
share bar, related links, comments, footer, inline ads, a layout table, a
bare article), extracts each page with :func:`detector.html.page_from_bytes`
and reports:

- words kept: the share of the article's words (title included) found in
  the extract, and foreign words: the share of the extract's words that are
  not the article's (both counted as multisets of lower-cased words);
- the share of pages whose score (shipped model, document score) is within
  0.05 of the score of the clean text;
- evidence spans in boilerplate: spans of the page's evidence that lie in a
  paragraph of the extract that is not part of the article, with examples;
- reading and extraction time against scoring time, per page.

``--candidates`` also times trafilatura and jusText on the same pages (when
they are installed; they are not dependencies) and measures their words.

``warc`` writes a WARC of N pages (per-record gzip, each page preceded by
its request record and every tenth followed by a PDF response), for
``detector score pages.warc.gz --out ... --jobs 2``.

``run`` scores such a WARC end to end with ``detector score --jobs 2``,
sampling the proportional set size (PSS) of the whole process tree; with
``--kill-after N`` it also SIGKILLs a second run (its process group, workers
included) once N chunks are committed, resumes it with ``--resume`` and
checks that the output is byte for byte the uninterrupted one.

Usage::

    python benchmarks/crawl_inputs.py quality --texts 200
    python benchmarks/crawl_inputs.py quality --texts 40 --candidates
    python benchmarks/crawl_inputs.py warc --pages 10000 --out /tmp/pages.warc.gz
    python benchmarks/crawl_inputs.py run --warc /tmp/pages.warc.gz --kill-after 5
"""

from __future__ import annotations

import argparse
import collections
import gzip
import itertools
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPOSITORY / ".." / "shared"
sys.path.insert(0, str(REPOSITORY))

from tests.pages import TEMPLATES  # noqa: E402

_WORD_RE = re.compile(r"\w+")
_SPACE_RE = re.compile(r"\s+")
#: Score difference within which a page counts as scored like its clean text.
SCORE_TOLERANCE = 0.05


def _article(row: dict[str, Any]) -> tuple[str, list[str]] | None:
    """Title and paragraphs of a corpus row; a title from the first words when it has none."""
    text = row.get("text")
    if not isinstance(text, str) or len(text.split()) < 40:
        return None
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    title = row.get("title")
    if not isinstance(title, str) or not title.strip():
        title = " ".join(paragraphs[0].split()[:9]).rstrip(".,;:")
    return title.strip(), paragraphs


def _rows(path: Path, count: int) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in itertools.islice(handle, count):
            yield json.loads(line)


def articles(shared: Path, texts: int) -> list[tuple[str, str, list[str]]]:
    """(kind, title, paragraphs): every real-web dev text, then ``texts`` of each corpus."""
    chosen = []
    sources = [
        ("real-web", shared / "data" / "real-web-dev.jsonl", 10_000),
        ("reuters", shared / "corpus" / "reuters-2006-2012.jsonl.gz", texts),
        ("broad-english", shared / "corpus" / "broad-english-60m.part1.jsonl.gz", texts),
    ]
    for kind, path, count in sources:
        taken = 0
        for row in _rows(path, count * 3):
            article = _article(row)
            if article is not None and taken < count:
                chosen.append((kind, *article))
                taken += 1
    return chosen


def _words(text: str) -> collections.Counter[str]:
    return collections.Counter(_WORD_RE.findall(text.lower()))


def _norm(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def _site(index: int) -> tuple[str, str]:
    names = ("The Harbour Gazette", "Daily Ledger Online", "TechWire", "Home & Garden Tips")
    name = names[index % len(names)]
    domain = re.sub(r"[^a-z]", "", name.lower()) + ".com"
    return name, f"https://www.{domain}/articles/{index}"


def pages(chosen: list[tuple[str, str, list[str]]]) -> Iterator[tuple[int, str, str, bytes]]:
    """(article index, template name, URL, page bytes) for every article in every template."""
    for index, (_, title, paragraphs) in enumerate(chosen):
        site, url = _site(index)
        for name, template in TEMPLATES.items():
            yield index, name, url, template(title, paragraphs, site, url).encode("utf-8")


def _boilerplate_spans(extract: str, article: str, evidence: list[dict[str, Any]]) -> list[str]:
    """Evidence snippets in extract paragraphs that are not part of the article."""
    normalised = _norm(article)
    found = []
    position = 0
    for paragraph in extract.split("\n\n"):
        start = extract.index(paragraph, position)
        end = position = start + len(paragraph)
        if _norm(paragraph) in normalised:
            continue
        for item in evidence:
            if item["start"] < end and item["end"] > start:
                found.append(f"{item['name']}: {item['snippet']!r} in {paragraph[:60]!r}")
    return found


def quality(args: argparse.Namespace) -> dict[str, Any]:
    from detector.html import page_from_bytes
    from detector.scoring import Scorer

    scorer = Scorer.load(paragraphs=False)
    chosen = articles(args.shared, args.texts)
    clean_scores = []
    started = time.perf_counter()
    for _, title, paragraphs in chosen:
        clean_scores.append(scorer.score_text("\n\n".join([title, *paragraphs]))["score"])
    clean_seconds = time.perf_counter() - started
    kept = total = foreign = extracted_total = 0
    within = count = no_text = 0
    low_kept_pages = 0
    spans: list[str] = []
    per_template: dict[str, list[float]] = collections.defaultdict(list)
    extract_seconds = score_seconds = 0.0
    for index, template, url, data in pages(chosen):
        _, title, paragraphs = chosen[index]
        article = "\n\n".join([title, *paragraphs])
        started = time.perf_counter()
        page = page_from_bytes(data, http_charset="utf-8", url=url)
        extract_seconds += time.perf_counter() - started
        count += 1
        if page.text is None:
            no_text += 1
            continue
        expected, got = _words(article), _words(page.text)
        matched = sum((expected & got).values())
        kept += matched
        total += sum(expected.values())
        foreign += sum(got.values()) - matched
        extracted_total += sum(got.values())
        low_kept_pages += matched < 0.95 * sum(expected.values())
        started = time.perf_counter()
        result = scorer.score_text(page.text)
        score_seconds += time.perf_counter() - started
        difference = abs(result["score"] - clean_scores[index])
        within += difference <= SCORE_TOLERANCE
        per_template[template].append(difference)
        spans.extend(_boilerplate_spans(page.text, article, result["evidence"]))
    report: dict[str, Any] = {
        "texts": len(chosen),
        "texts_by_kind": dict(collections.Counter(kind for kind, _, _ in chosen)),
        "pages": count,
        "templates": list(TEMPLATES),
        "no_text_pages": no_text,
        "words_kept": round(kept / total, 4),
        "pages_keeping_under_95_percent": low_kept_pages,
        "foreign_words": round(foreign / max(1, extracted_total), 4),
        "score_within_0.05": round(within / max(1, count - no_text), 4),
        "mean_score_difference_by_template": {
            name: round(sum(values) / len(values), 4) for name, values in per_template.items()
        },
        "evidence_spans_in_boilerplate": len(spans),
        "boilerplate_span_examples": spans[:10],
        "extract_ms_per_page": round(1000 * extract_seconds / count, 2),
        "score_ms_per_page": round(1000 * score_seconds / max(1, count - no_text), 2),
        "extraction_share_of_scoring": round(extract_seconds / score_seconds, 4),
        "clean_score_ms_per_text": round(1000 * clean_seconds / len(chosen), 2),
    }
    if args.candidates:
        report["candidates"] = candidates(chosen)
    return report


def candidates(chosen: list[tuple[str, str, list[str]]]) -> dict[str, Any]:
    """Words kept, foreign words and milliseconds per page of other extractors."""
    from detector.html import page_from_bytes

    extractors: dict[str, Any] = {
        "resiliparse (detector.html)": lambda data: page_from_bytes(data).text or "",
    }
    try:
        import trafilatura

        extractors["trafilatura"] = lambda data: (
            trafilatura.extract(data.decode("utf-8"), include_comments=False) or ""
        )
    except ImportError:
        pass
    try:
        import justext

        stop = justext.get_stoplist("English")
        extractors["justext"] = lambda data: "\n\n".join(
            p.text for p in justext.justext(data, stop) if not p.is_boilerplate
        )
    except ImportError:
        pass
    results = {}
    for name, extract in extractors.items():
        kept = total = foreign = extracted = 0
        seconds = 0.0
        count = 0
        for index, _, _, data in pages(chosen):
            _, title, paragraphs = chosen[index]
            started = time.perf_counter()
            text = extract(data)
            seconds += time.perf_counter() - started
            count += 1
            expected, got = _words("\n\n".join([title, *paragraphs])), _words(text)
            matched = sum((expected & got).values())
            kept += matched
            total += sum(expected.values())
            foreign += sum(got.values()) - matched
            extracted += sum(got.values())
        results[name] = {
            "words_kept": round(kept / total, 4),
            "foreign_words": round(foreign / max(1, extracted), 4),
            "ms_per_page": round(1000 * seconds / count, 2),
        }
    return results


def build_warc(args: argparse.Namespace) -> dict[str, Any]:
    from detector.warc import http_response, warc_record

    chosen = articles(args.shared, max(50, args.pages // 10))
    written = 0
    with open(args.out, "wb") as handle:
        # Every article in every template, and again if more pages are wanted
        # (itertools.cycle would keep every page in memory).
        endless = itertools.chain.from_iterable(pages(chosen) for _ in itertools.count())
        for number, (_, _, url, data) in enumerate(endless):
            if number >= args.pages:
                break
            page_url = f"{url}/{number}"
            handle.write(warc_record("request", page_url, b"GET / HTTP/1.1\r\n\r\n"))
            handle.write(warc_record("response", page_url, http_response(data)))
            if number % 10 == 9:
                pdf = http_response(b"%PDF-1.4 not a page", "application/pdf")
                handle.write(warc_record("response", page_url + ".pdf", pdf))
            written += 1
    return {"out": str(args.out), "pages": written, "bytes": Path(args.out).stat().st_size}


def _pss(root: int) -> int:
    """Summed PSS (bytes) of a process and its descendants, 0 where unreadable."""
    import contextlib

    import psutil

    total = 0
    with contextlib.suppress(psutil.Error):
        parent = psutil.Process(root)
        for process in [parent, *parent.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                info = process.memory_full_info()
                total += getattr(info, "pss", info.rss)
    return total


def _score(warc: Path, out: Path, jobs: int, *, resume: bool = False,
           kill_after: int | None = None) -> dict[str, Any]:  # fmt: skip
    """Run ``detector score`` on ``warc``; PSS samples as (records done, MB)."""
    import os
    import signal
    import subprocess

    # the detector command installed beside this interpreter
    program = str(Path(sys.executable).parent / "detector")
    command = [program, "score", str(warc), "--out", str(out), "--jobs", str(jobs), "--quiet"]
    command.append("--resume" if resume else "--overwrite")
    journal = out.with_name(out.name + ".journal")
    started = time.monotonic()
    child = subprocess.Popen(command, start_new_session=True)
    samples: list[tuple[int, float]] = []
    killed = False
    while child.poll() is None:
        done = journal.read_text().count("\n") - 1 if journal.exists() else 0
        samples.append((max(0, done), round(_pss(child.pid) / 1e6, 1)))
        if kill_after is not None and done >= kill_after:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            killed = True
            break
        time.sleep(0.5)
    if not killed and child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}")
    return {"seconds": round(time.monotonic() - started, 1), "pss_samples": samples,
            "killed": killed}  # fmt: skip


def run(args: argparse.Namespace) -> dict[str, Any]:
    args.workdir.mkdir(parents=True, exist_ok=True)
    whole = args.workdir / "whole.jsonl"
    first = _score(args.warc, whole, args.jobs)
    rows = whole.read_bytes().count(b"\n")
    samples = [pss for _, pss in first["pss_samples"] if pss > 0]
    half = len(samples) // 2
    report: dict[str, Any] = {
        "warc": str(args.warc),
        "rows": rows,
        "seconds": first["seconds"],
        "pages_per_second": round(rows / first["seconds"], 1),
        "peak_pss_mb_first_half": max(samples[:half], default=0),
        "peak_pss_mb_second_half": max(samples[half:], default=0),
        "pss_mb_by_tenth": [samples[len(samples) * n // 10] for n in range(10)] if samples else [],
    }
    if args.kill_after is not None:
        killed = args.workdir / "killed.jsonl"
        stopped = _score(args.warc, killed, args.jobs, kill_after=args.kill_after)
        kept = killed.read_bytes().count(b"\n")
        _score(args.warc, killed, args.jobs, resume=True)
        report["killed_after_chunks"] = args.kill_after
        report["rows_before_kill"] = kept
        report["killed"] = stopped["killed"]
        report["resumed_output_identical"] = killed.read_bytes() == whole.read_bytes()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared data folder")
    commands = parser.add_subparsers(dest="command", required=True)
    measure = commands.add_parser("quality", help="extraction quality and cost")
    measure.add_argument("--texts", type=int, default=200, help="texts of each corpus")
    measure.add_argument("--candidates", action="store_true", help="also time other extractors")
    measure.add_argument("--json", type=Path, help="also write the report here")
    archive = commands.add_parser("warc", help="write a WARC of pages")
    archive.add_argument("--pages", type=int, default=10_000)
    archive.add_argument("--out", type=Path, required=True)
    scoring = commands.add_parser("run", help="score a WARC end to end, kill and resume")
    scoring.add_argument("--warc", type=Path, required=True)
    scoring.add_argument("--workdir", type=Path, default=Path("crawl-run"))
    scoring.add_argument("--jobs", type=int, default=2)
    scoring.add_argument("--kill-after", type=int, help="chunks committed before the kill")
    args = parser.parse_args()
    runners = {"quality": quality, "warc": build_warc, "run": run}
    report = runners[args.command](args)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if getattr(args, "json", None):
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
