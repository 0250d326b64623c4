"""Speed, memory, cold start and equality of the scoring engine.

Modes, any of which can be combined:

``--equality REV``
    scores N Reuters articles (cut to 3,000 characters) with this checkout's
    engine and with the engine of git revision ``REV`` (its ``detector``
    package exported with ``git archive`` into a temporary folder, each run
    in its own process, both with the same model) and compares the feature
    matrices, document, paragraph and machine-translation scores (within
    ``--tolerance``), the scores' evidence spans and every family's evidence
    of every document (spans, snippets and notes, exactly). Exits 1 on any difference.
    ``--corpus FILE.jsonl`` compares on those texts instead.
``--speed``
    ``detector score CORPUS.jsonl --out rows.jsonl`` with paragraph scores on
    the same articles, with ``--jobs 1`` and ``--jobs 2``, side by side with
    a plain scikit-learn pipeline (character 1-4-gram TF-IDF and logistic
    regression, one process, fitted on other articles). Reports docs/s by
    the wall clock and by CPU time (user + system of every process: what a
    core can do when the machine is shared), and peak PSS of the process
    tree of ``detector score`` (see ``batch_throughput._PeakMemory``; the
    benchmark's own process, which holds the corpus and the fitted
    pipeline, is left out).
    With ``--reference REV``, revision REV's engine runs too, each
    configuration right after the other. ``--evidence all spun`` times
    this checkout's engine with each of ``detector score --evidence``'s
    choices (evidence on every row, or on spun rows only). ``--rounds K``
    runs them all K times in turn (every other round in reverse order) and
    reports each one's median: on a machine shared with other work, single
    runs of the same engine differ by a tenth.
``--cold``
    median of 5 wall-clock times of ``detector score one.txt`` and
    ``detector --help``.

Articles are read from ``../shared/corpus`` at run time (``--shared DIR``)
into a temporary folder and never leave it.

Usage::

    python benchmarks/engine_speed.py --documents 2000 --equality main
    nice -n 15 python benchmarks/engine_speed.py --documents 20000 --speed --cold
    python benchmarks/engine_speed.py --documents 20000 --speed --jobs 2 --reference main --rounds 3
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from detector.model import DEFAULT_MODEL

REPOSITORY = Path(__file__).resolve().parent.parent
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
#: The shipped model, read by both engines (a reference revision must know its features).
MODEL = REPOSITORY / "models" / DEFAULT_MODEL
#: Characters each article is cut to.
CUT = 3000
#: Texts scored together, as batch scoring does (``detector.batch.PREPARE_RECORDS``).
PREPARE = 32

# Run in a fresh interpreter with the engine under test first on sys.path:
# writes the feature matrix, scores, paragraph scores and evidence spans.
_DUMP = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import numpy as np
import detector.features as features
from detector.scoring import Scorer
from detector.text import Document
texts = [json.loads(line)["text"] for line in open(sys.argv[2], encoding="utf-8")]
scorer = Scorer.load(sys.argv[3])
rows, results, spans = [], [], []
for start in range(0, len(texts), 32):
    chunk = texts[start : start + 32]
    scorer.prepare(chunk)
    results.extend(scorer.score_text(text) for text in chunk)
    docs = [Document.of(text) for text in chunk]
    if hasattr(features, "extract_batch"):
        matrix, found = features.extract_batch(docs, scorer.model.resources, [True] * len(docs))
        rows.append(matrix)
    else:
        extracted = [features.extract_all(doc, scorer.model.resources) for doc in docs]
        rows.append(np.array([[result.values[name] for name in features.feature_names()]
                              for result in extracted]))
        found = [result.evidence for result in extracted]
    spans.extend([[e.family, e.name, e.start, e.end, e.snippet, e.note] for e in items]
                 for items in found)
out = {
    "module": features.__file__,
    "names": list(features.feature_names()),
    "matrix": np.vstack(rows).tolist(),
    "scores": [r["score"] for r in results],
    "machine_translated": [r.get("scores", {}).get("machine_translated") for r in results],
    "paragraphs": [[(p["start"], p["end"], p["score"]) for p in r["paragraphs"]] for r in results],
    "evidence": [[(e["family"], e["name"], e["start"], e["end"]) for e in r["evidence"]]
                 for r in results],
    "family_evidence": spans,
}
json.dump(out, open(sys.argv[4], "w"))
"""


def articles(shared: Path, count: int, skip: int = 0) -> list[dict[str, str]]:
    """``count`` Reuters articles cut to :data:`CUT` characters, after the first ``skip``."""
    corpus = shared / "corpus" / "reuters-2006-2012.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        lines = itertools.islice(handle, skip, skip + count)
        return [
            {"id": str(record["id"]), "text": record["text"][:CUT]}
            for record in map(json.loads, lines)
        ]


def write_jsonl(records: list[dict[str, str]], path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    return path


def _dump(source: Path, corpus: Path, out: Path) -> dict[str, Any]:
    subprocess.run(
        [sys.executable, "-c", _DUMP, str(source), str(corpus), str(MODEL), str(out)], check=True
    )
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def export(revision: str, workdir: Path) -> Path:
    """The ``detector`` package of git revision ``revision``, in a folder of ``workdir``."""
    reference = workdir / f"reference-{revision}"
    if not reference.exists():
        reference.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(REPOSITORY), "archive", revision, "detector"],
            check=True, capture_output=True,
        ).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(reference)], input=archive, check=True)
    return reference


def equality(revision: str, corpus: Path, workdir: Path, tolerance: float) -> dict[str, Any]:
    """Compare this checkout's engine with revision ``revision``'s on ``corpus``."""
    old = _dump(export(revision, workdir), corpus, workdir / "old.json")
    new = _dump(REPOSITORY, corpus, workdir / "new.json")
    assert old["module"] != new["module"], "both runs imported the same engine"
    # features the old engine does not compute yet are left out of the comparison
    shared = [index for index, name in enumerate(new["names"]) if name in old["names"]]
    added = [name for name in new["names"] if name not in old["names"]]
    columns = [old["names"].index(new["names"][index]) for index in shared]
    matrix_old = np.array(old["matrix"])[:, columns]
    matrix_new = np.array(new["matrix"])[:, shared]
    matrix_gap = np.abs(matrix_old - matrix_new).max(axis=0) if len(matrix_new) else np.zeros(0)
    scores_old = np.array([np.nan if s is None else s for s in old["scores"]])
    scores_new = np.array([np.nan if s is None else s for s in new["scores"]])
    score_gap = float(np.nanmax(np.abs(scores_old - scores_new), initial=0.0))
    same_missing = bool((np.isnan(scores_old) == np.isnan(scores_new)).all())
    # the machine-translation head's score (None without a head)
    head_old = np.array([np.nan if q is None else q for q in old.get("machine_translated", [])])
    head_new = np.array([np.nan if q is None else q for q in new.get("machine_translated", [])])
    same_head = len(head_old) == len(head_new) and bool(
        (np.isnan(head_old) == np.isnan(head_new)).all()
    )
    head_gap = float(np.nanmax(np.abs(head_old - head_new), initial=0.0)) if same_head else np.inf
    paragraph_gap, paragraph_spans_equal = 0.0, True
    for before, after in zip(old["paragraphs"], new["paragraphs"], strict=True):
        paragraph_spans_equal &= [p[:2] for p in before] == [p[:2] for p in after]
        for p, q in zip(before, after, strict=False):
            paragraph_gap = max(paragraph_gap, abs(p[2] - q[2]))
    evidence_equal = old["evidence"] == new["evidence"]
    # every family's evidence of every document, notes included
    family_evidence_equal = _family_evidence(old, new["names"]) == _family_evidence(
        new, new["names"]
    )
    worst = [
        (new["names"][shared[i]], float(matrix_gap[i])) for i in np.argsort(-matrix_gap)[:3]
    ] if len(matrix_gap) else []  # fmt: skip
    result = {
        "documents": len(new["scores"]),
        "features_not_in_the_old_engine": added,
        "reference": revision,
        "max_feature_difference": float(matrix_gap.max(initial=0.0)),
        "largest_feature_differences": worst,
        "max_score_difference": score_gap,
        "max_paragraph_score_difference": paragraph_gap,
        "max_machine_translated_difference": head_gap,
        "same_unscored_documents": same_missing,
        "same_paragraph_spans": paragraph_spans_equal,
        "same_evidence": evidence_equal,
        "evidence_items": sum(len(items) for items in new["evidence"]),
        "same_family_evidence": family_evidence_equal,
        "family_evidence_items": sum(len(items) for items in new["family_evidence"]),
    }
    result["equal"] = (
        result["max_feature_difference"] <= tolerance
        and score_gap <= tolerance
        and paragraph_gap <= tolerance
        and head_gap <= tolerance
        and same_missing
        and paragraph_spans_equal
        and evidence_equal
        and family_evidence_equal
    )
    return result


def _family_evidence(dump: dict[str, Any], names: list[str]) -> list[list[list[Any]]]:
    """A dump's family evidence, of the families whose features ``names`` holds."""
    families = {name.split(".")[0] for name in names}
    return [[item for item in items if item[0] in families] for items in dump["family_evidence"]]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def detector_run(
    corpus: Path,
    jobs: int,
    workdir: Path,
    engine: Path | None = None,
    label: str = "",
    evidence: str = "all",
) -> dict[str, Any]:
    """``detector score CORPUS --out`` with ``jobs`` workers: docs/s, CPU, peak PSS.

    ``engine``: a folder whose ``detector`` package runs instead of this
    checkout's (put first on ``PYTHONPATH``).
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from batch_throughput import _PeakMemory

    out = workdir / f"rows-{jobs}.jsonl"
    command = [
        str(Path(sys.executable).with_name("detector")), "score", str(corpus), "--out", str(out),
        "--jobs", str(jobs), "--overwrite", "--quiet", "--model", str(MODEL),
        *(["--evidence", evidence] if evidence != "all" else []),
    ]  # fmt: skip
    cpu_before, started = _children_cpu(), time.perf_counter()
    environment = dict(os.environ)
    if engine is not None:
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(engine), environment.get("PYTHONPATH")])
        )
    # the `detector score` process and its workers, not this one
    with _PeakMemory(children_only=True) as memory:
        subprocess.run(command, check=True, env=environment)
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
    with open(out, encoding="utf-8") as rows:
        documents = sum(1 for _ in rows)
    return {
        "scorer": f"detector score --jobs {jobs}"
        + (f" --evidence {evidence}" if evidence != "all" else "")
        + label,
        "documents": documents,
        "wall_seconds": wall,
        "docs_per_second": documents / wall,
        "cpu_ms_per_doc": 1000 * cpu / documents,
        "docs_per_cpu_second": documents / cpu,
        "peak_pss_mb": memory.peak_pss / 1e6,
    }


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One scorer's runs as one: the median of each rate, the highest peak memory.

    >>> run = median_run([{"scorer": "s", "documents": 4, "wall_seconds": w,
    ...     "docs_per_second": 4 / w, "cpu_ms_per_doc": w, "docs_per_cpu_second": 1 / w,
    ...     "peak_pss_mb": 100 + w} for w in (1.0, 2.0, 4.0)])
    >>> run["docs_per_second"], run["peak_pss_mb"], run["docs_per_second_range"], run["rounds"]
    (2.0, 104.0, [1.0, 4.0], 3)
    """
    result = dict(runs[0])
    for key in ("wall_seconds", "docs_per_second", "cpu_ms_per_doc", "docs_per_cpu_second"):
        result[key] = statistics.median(run[key] for run in runs)
    if "peak_pss_mb" in result:
        result["peak_pss_mb"] = max(run["peak_pss_mb"] for run in runs)
    rates = [run["docs_per_second"] for run in runs]
    result["docs_per_second_range"] = [min(rates), max(rates)]
    result["rounds"] = len(runs)
    return result


def tfidf_run(texts: list[str], train: list[dict[str, str]]) -> dict[str, Any]:
    """The plain scikit-learn pipeline: fitted on ``train``, timed on ``texts``, in-process."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    pipeline = make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=(1, 4), min_df=2, sublinear_tf=True),
        LogisticRegression(max_iter=200),
    )
    # labels are arbitrary (odd and even ids): only the cost of scoring is measured
    pipeline.fit([r["text"] for r in train], [zlib.crc32(r["id"].encode()) % 2 for r in train])
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    pipeline.predict_proba(texts)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {
        "scorer": "char 1-4-gram TF-IDF + logistic regression (one process)",
        "documents": len(texts),
        "wall_seconds": wall,
        "docs_per_second": len(texts) / wall,
        "cpu_ms_per_doc": 1000 * cpu / len(texts),
        "docs_per_cpu_second": len(texts) / cpu,
    }


def cold_start(text: str, workdir: Path, repeats: int = 5) -> dict[str, float]:
    """Median wall-clock seconds of ``detector score one.txt`` and ``detector --help``."""
    one = workdir / "one.txt"
    one.write_text(text, encoding="utf-8")
    detector = str(Path(sys.executable).with_name("detector"))
    timings: dict[str, float] = {}
    for name, command in (
        ("score_one_file_seconds", [detector, "score", str(one)]),
        ("help_seconds", [detector, "--help"]),
    ):
        runs = []
        for _ in range(repeats):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            runs.append(time.perf_counter() - started)
        timings[name] = statistics.median(runs)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument(
        "--corpus",
        type=Path,
        help="Score the texts of this JSONL file (a `text` field per line) instead of the "
        "Reuters articles (--documents is then ignored).",
    )
    parser.add_argument("--equality", metavar="REV", help="Compare with revision REV's engine.")
    parser.add_argument("--tolerance", type=float, default=1e-6)
    parser.add_argument("--speed", action="store_true", help="Time detector and TF-IDF.")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--reference", metavar="REV", help="With --speed: also time revision REV's engine."
    )
    parser.add_argument(
        "--evidence",
        nargs="+",
        default=["all"],
        choices=["all", "spun", "none"],
        help="With --speed: time this checkout with each `--evidence` choice.",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="With --speed: run every scorer this many times, in turn (every other round in "
        "reverse order), and report the median of each (and the range of docs/s).",
    )
    parser.add_argument("--cold", action="store_true", help="Time the cold start.")
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    arguments = parser.parse_args()
    results: dict[str, Any] = {}
    records = (
        [json.loads(line) for line in arguments.corpus.open(encoding="utf-8")]
        if arguments.corpus
        else articles(arguments.shared, arguments.documents)
    )
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        corpus = write_jsonl(records, workdir / "articles.jsonl")
        if arguments.equality:
            results["equality"] = found = equality(
                arguments.equality, corpus, workdir, arguments.tolerance
            )
            print(json.dumps(found, indent=1))
        if arguments.speed:
            configurations: list[Callable[[], dict[str, Any]]] = []
            engine = export(arguments.reference, workdir) if arguments.reference else None
            for jobs in arguments.jobs:
                if engine is not None:
                    label = f" ({arguments.reference})"
                    configurations.append(
                        partial(detector_run, corpus, jobs, workdir, engine, label)
                    )
                for evidence in arguments.evidence:
                    configurations.append(
                        partial(detector_run, corpus, jobs, workdir, evidence=evidence)
                    )
            train = articles(arguments.shared, 2000, skip=arguments.documents)
            texts = [r["text"] for r in records]
            configurations.append(partial(tfidf_run, texts, train))
            measured: list[list[dict[str, Any]]] = [[] for _ in configurations]
            for number in range(arguments.rounds):
                # every other round in reverse order, so that no scorer always runs first
                order = list(enumerate(configurations))
                for index, run in order if number % 2 == 0 else order[::-1]:
                    measured[index].append(run())
            results["speed"] = runs = [median_run(own) for own in measured]
            spread = arguments.rounds > 1
            print(
                f"{'scorer':<58} {'docs/s':>8} {'CPU ms/doc':>11} {'docs/CPU-s':>11} {'PSS MB':>7}"
                + (f" {'docs/s range':>13}" if spread else "")
            )
            for run in runs:
                pss = f"{run['peak_pss_mb']:7.0f}" if "peak_pss_mb" in run else f"{'':>7}"
                low, high = run["docs_per_second_range"]
                print(
                    f"{run['scorer']:<58} {run['docs_per_second']:8.0f} "
                    f"{run['cpu_ms_per_doc']:11.2f} {run['docs_per_cpu_second']:11.0f} {pss}"
                    + (f" {low:6.0f}-{high:<6.0f}" if spread else "")
                )
        if arguments.cold:
            results["cold_start"] = timings = cold_start(records[0]["text"], workdir)
            print(json.dumps(timings, indent=1))
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=1))
    if "equality" in results and not results["equality"]["equal"]:
        sys.exit(1)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
