"""Throughput and memory of the batch engine (``detector.batch.run_batch``).

Scores N news-like documents of about 3 KB with ``--jobs 1`` and ``--jobs 2``
(joblib/loky) and on a Dask LocalCluster of two workers, and reports docs/s,
MB/s of text, the speed-up of two jobs over one, and the peak memory of the
whole process tree (reader, writer and workers) as summed RSS and as summed
PSS (see ``_PeakMemory``), for each corpus size. Peak memory should not grow
with the corpus: the engine streams.

Documents come from the Reuters corpus in ``../shared/corpus`` when it is
there (repeated with a distinguishing line when N exceeds it), otherwise they
are synthesised. They are written once to a gzipped JSONL file in
``--workdir`` (a temporary folder by default) and never leave it.

``--scorer toy`` scores with a hash of the text, which costs next to nothing:
it measures the engine itself (reading, hand-offs between processes,
writing). ``--scorer model`` uses the real model through
``detector.batch.ScorerSpec`` (``model-evidence-spun``: with evidence only
on the rows labelled spun, as ``detector score --evidence spun``).

Each configuration runs in a fresh process, so that start-up costs count and
one run's memory does not mask the next one's.

Usage::

    python benchmarks/batch_throughput.py --sizes 20000 200000 --scorer toy
    python benchmarks/batch_throughput.py --sizes 5000 --scorer model --json out.json
    python benchmarks/batch_throughput.py --sizes 200000 --scorer model --only-two-jobs
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
CORPUS = REPOSITORY.parent / "shared" / "corpus" / "reuters-2006-2012.jsonl.gz"


@dataclass(frozen=True)
class HashToySpec:
    """A scorer that costs almost nothing: the score is a hash of the text."""

    threshold: float = 0.5

    def build(self) -> HashToyScorer:
        return HashToyScorer(self.threshold)


class HashToyScorer:
    def __init__(self, threshold: float) -> None:
        self.threshold = threshold

    def score_record(self, record: Any) -> dict[str, Any]:
        text = record.text or ""
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        score = round(int.from_bytes(digest[:4], "big") / 2**32, 6)
        return {
            "status": "ok",
            "score": score,
            "label": "spun" if score >= self.threshold else "clean",
            "paragraphs": [{"start": 0, "end": len(text), "score": score}],
        }


# --- documents ---------------------------------------------------------------

_COMPANIES = ["Toyota Motor", "Exxon Mobil", "Samsung Electronics", "Siemens", "Unilever"]
_VERBS = ["rose", "fell", "climbed", "slipped", "jumped", "dropped", "edged up", "eased"]
_FILLER = (
    "Analysts said the result reflected stronger demand in Asia and a weaker currency, "
    "while the company kept its forecast for the full year unchanged. "
    "Traders pointed to comments from central bank officials on interest rates. "
    "The shares have gained this year, outperforming the broader market index. "
)


def _synthetic(number: int, rng: random.Random) -> dict[str, str]:
    company = rng.choice(_COMPANIES)
    paragraphs = [
        f"{company} shares {rng.choice(_VERBS)} {rng.uniform(0.1, 9):.1f} percent on "
        f"day {number} after quarterly profit of {rng.randint(100, 9000)} million."
    ]
    while sum(map(len, paragraphs)) < 2900:
        paragraphs.append(_FILLER * rng.randint(1, 2))
    return {"id": f"synthetic-{number}", "text": "\n\n".join(paragraphs)}


def _source_documents() -> tuple[str, Any]:
    if CORPUS.exists():

        def reuters() -> Any:
            with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
                for line in handle:
                    row = json.loads(line)
                    yield {"id": row["id"], "text": row["text"], "date": row.get("date")}

        return "reuters", reuters
    rng = random.Random(0)
    return "synthetic", lambda: (_synthetic(n, rng) for n in itertools.count())


def write_corpus(path: Path, count: int) -> str:
    """Write ``count`` documents to ``path`` (gzipped JSONL); return their origin."""
    origin, documents = _source_documents()
    produced = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        for copy in itertools.count():
            for document in documents():
                if produced == count:
                    return origin
                if copy:  # repeats stay distinct documents
                    document = dict(document, id=f"{document['id']}#{copy}")
                    document["text"] += f"\n\n(Repeat {copy}.)"
                handle.write(json.dumps(document) + "\n")
                produced += 1
    return origin


# --- one measured run (in its own process) ------------------------------------


class _PeakMemory:
    """Peak memory of this process and its descendants, sampled every 50 ms.

    ``peak`` sums resident set sizes, which counts every page the processes
    share (the Python interpreter, numpy's libraries) once per process: an
    upper bound. ``peak_pss`` sums proportional set sizes (shared pages split
    between the processes that map them; Linux only), which is what the
    process tree really costs the machine.

    ``children_only``: leave this process out, for a benchmark that starts
    the measured program as a child and holds data of its own (a corpus, a
    fitted baseline) that the program does not.
    """

    def __init__(self, *, children_only: bool = False) -> None:
        self.children_only = children_only
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = proportional = 0
            tree = me.children(recursive=True) + ([] if self.children_only else [me])
            for process in tree:
                with contextlib.suppress(psutil.Error):  # a worker that just exited
                    info = process.memory_full_info()
                    total += info.rss
                    proportional += getattr(info, "pss", info.rss)
            self.peak = max(self.peak, total)
            self.peak_pss = max(self.peak_pss, proportional)
            self._stop.wait(0.05)

    def __enter__(self) -> _PeakMemory:
        try:
            import psutil  # noqa: F401
        except ImportError:
            return self
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        else:
            # Without psutil: high-water marks of this process and of its
            # reaped children (the larger of the two, not their sum).
            usage = max(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
            )
            self.peak = usage * 1024


def _spec(scorer: str) -> Any:
    if scorer == "toy":
        return HashToySpec()
    try:
        import detector.scoring  # noqa: F401
    except ImportError as error:
        raise SystemExit(
            f"--scorer model needs detector.scoring, which cannot be imported ({error}); "
            "use --scorer toy to measure the engine alone"
        ) from error
    from detector.batch import ScorerSpec

    return ScorerSpec(
        paragraphs=scorer != "model-no-paragraphs",
        evidence="spun" if scorer == "model-evidence-spun" else "all",
    )


def measure(arguments: argparse.Namespace) -> dict[str, Any]:
    from detector.batch import run_batch

    spec = _spec(arguments.scorer)
    scheduler = "local" if arguments.backend == "dask" else None
    started = time.monotonic()
    with _PeakMemory() as memory:
        summary = run_batch(
            [arguments.input],
            arguments.out,
            spec=spec,
            jobs=arguments.jobs,
            chunk_size=arguments.chunk_size,
            scheduler=scheduler,
            overwrite=True,
            progress="none",
        )
    wall = time.monotonic() - started
    return {
        "records": summary.records,
        "wall_seconds": round(wall, 2),
        "docs_per_second": round(summary.records / wall, 1),
        "megabytes_per_second": round(
            summary.megabytes_per_second * summary.elapsed_seconds / wall, 2
        ),
        "peak_rss_mb": round(memory.peak / 2**20, 1),
        "peak_pss_mb": round(memory.peak_pss / 2**20, 1) if memory.peak_pss else None,
        "backend": summary.backend,
    }


# --- the driver ---------------------------------------------------------------


def _run_child(
    input_path: Path, out: Path, jobs: int, backend: str, options: argparse.Namespace
) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        "--input", str(input_path),
        "--out", str(out),
        "--jobs", str(jobs),
        "--backend", backend,
        "--scorer", options.scorer,
        "--chunk-size", str(options.chunk_size),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"benchmark run failed:\n{result.stderr}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument(
        "--scorer",
        choices=["toy", "model", "model-no-paragraphs", "model-evidence-spun"],
        default="toy",
        help="model-evidence-spun: the model, evidence only on rows labelled spun",
    )
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--no-dask", action="store_true", help="Skip the Dask LocalCluster runs.")
    parser.add_argument(
        "--only-two-jobs",
        action="store_true",
        help="Measure only --jobs 2 with joblib (for the memory of large corpora).",
    )
    parser.add_argument("--workdir", type=Path, help="Where the corpora go (default: a temp dir).")
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    # Internal: one measured run.
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--backend", default="joblib", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.child:
        print(json.dumps(measure(options)))
        return
    _spec(options.scorer)  # fail early, with the message, if the model is missing

    with tempfile.TemporaryDirectory(dir=options.workdir) as scratch:
        folder = Path(scratch)
        results = []
        for size in options.sizes:
            corpus = folder / f"docs-{size}.jsonl.gz"
            origin = write_corpus(corpus, size)
            configurations = (
                [(2, "joblib")] if options.only_two_jobs else [(1, "joblib"), (2, "joblib")]
            )
            if not (options.no_dask or options.only_two_jobs):
                configurations.append((2, "dask"))
            for jobs, backend in configurations:
                measured = _run_child(corpus, folder / "out.jsonl", jobs, backend, options)
                measured.update(size=size, jobs=jobs, documents=origin)
                results.append(measured)
                print(
                    f"{size:>8,} docs  {measured['backend'].split(',')[0]:<17} jobs={jobs}  "
                    f"{measured['docs_per_second']:>9,.0f} docs/s  "
                    f"{measured['megabytes_per_second']:>6.1f} MB/s  "
                    f"peak RSS {measured['peak_rss_mb']:>7,.0f} MB  "
                    f"PSS {measured['peak_pss_mb'] or float('nan'):>7,.0f} MB  "
                    f"({measured['wall_seconds']:.1f} s, {origin})",
                    flush=True,
                )
        by_key = {(r["size"], r["jobs"], r["backend"].split()[0]): r for r in results}
        for size in options.sizes:
            one = by_key.get((size, 1, "inline"))
            two = by_key.get((size, 2, "joblib"))
            dask = by_key.get((size, 2, "dask"))
            if one and two:
                scaling = two["docs_per_second"] / one["docs_per_second"]
                print(f"{size:,} docs: 2 jobs / 1 job = {scaling:.2f}x")
            if two and dask:
                overhead = dask["wall_seconds"] - two["wall_seconds"]
                print(f"{size:,} docs: Dask LocalCluster, 2 workers: {overhead:+.1f} s vs joblib")
    if options.json is not None:
        options.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
