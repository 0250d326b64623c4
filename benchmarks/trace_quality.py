"""How well `detector trace` finds the sources of real spun pages, among distractors.

Sources: every human page of ``real-web-dev.jsonl`` plus the 40,000 Reuters
articles of the shared corpus. Suspects: the machine pages whose original is
in the file (``pair`` set). Reported:

- the share of those whose right source is the top candidate, and their verdicts;
- spun pages traced to a wrong source with the verdict ``spun_copy`` (target: 0);
- the human originals traced against the sources (``copy`` of themselves
  expected) and against the sources without themselves (``no_source`` expected);
- the measures (similarity, kept and swapped shares) behind the thresholds.

``--synthetic N`` adds N Reuters articles spun by the project's spinner
(``detector.synth.spinner``) as suspects, each with its article in the sources.

    python benchmarks/trace_quality.py --shared ../shared [--synthetic 200]

Texts of the shared data never leave this process: only ids and numbers are
printed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import tempfile
import time
from pathlib import Path

from detector.readers import Record
from detector.trace import SourceIndex, Thresholds, Tracer, align

DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _reuters(shared: Path, limit: int | None = None) -> list[Record]:
    records = []
    with gzip.open(shared / "corpus" / "reuters-2006-2012.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            records.append(Record(row["id"], row["text"], "reuters"))
            if limit is not None and len(records) >= limit:
                break
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--distractors", type=int, default=None, help="Reuters articles (all)")
    parser.add_argument("--synthetic", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the results here")
    arguments = parser.parse_args()

    with open(arguments.shared / "data" / "real-web-dev.jsonl", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    by_id = {row["id"]: row for row in rows}
    humans = [row for row in rows if row["label"] == 0]
    spun = [row for row in rows if row["label"] == 1 and row["pair"] in by_id]
    originals = [row for row in humans if row["pair"]]
    reuters = _reuters(arguments.shared, arguments.distractors)
    synthetic: list[tuple[str, str, str]] = []  # (suspect id, text, source id)
    if arguments.synthetic:
        from detector.synth.spinner import Spinner

        spinner = Spinner()
        rng = random.Random(7)
        for record in rng.sample(reuters, arguments.synthetic):
            assert record.text is not None
            spun_text = spinner.spin(record.text, rate=0.5, rng=rng).text
            synthetic.append((f"synthetic:{record.id}", spun_text, record.id))

    results: dict[str, object] = {"thresholds": Thresholds().__dict__}
    with tempfile.TemporaryDirectory() as folder:
        sources = [Record(row["id"], row["text"], "real-web") for row in humans] + reuters
        started = time.monotonic()
        index = SourceIndex.build(sources, Path(folder) / "all", jobs=arguments.jobs)
        results["index"] = {"sources": len(index), "seconds": time.monotonic() - started}
        tracer = Tracer(index)

        found, wrong_spun, lines = 0, 0, []
        for row in spun:
            trace = tracer.trace(row["text"])
            right = trace["source_id"] == row["pair"]
            top = trace["candidates"][0]["source_id"] if trace["candidates"] else None
            found += top == row["pair"]
            wrong_spun += trace["verdict"] == "spun_copy" and not right
            alignment = align(by_id[row["pair"]]["text"], row["text"])
            lines.append(
                {
                    "id": row["id"],
                    "kind": row["kind"],
                    "top_is_source": top == row["pair"],
                    "verdict": trace["verdict"],
                    "similarity": trace["similarity"],
                    "kept_share": round(alignment.kept_share, 3),
                    "spun_share": round(alignment.spun_share, 3),
                    "changed_share": round(alignment.changed_share, 3),
                }
            )
        results["real_pairs"] = {
            "spun_pages": len(spun),
            "top_candidate_is_source": found,
            "wrong_source_spun_copy": wrong_spun,
            "pages": lines,
        }

        # Every machine page of the file, most of whose sources are not among
        # the sources: a spun_copy verdict naming anything but its original is
        # a false trace.
        machine = [row for row in rows if row["label"] == 1]
        verdicts, false_traces = [], []
        for row in machine:
            trace = tracer.trace(row["text"])
            verdicts.append(trace["verdict"])
            if trace["verdict"] == "spun_copy" and trace["source_id"] != row["pair"]:
                false_traces.append({"id": row["id"], "source_id": trace["source_id"]})
        results["all_machine_pages"] = {
            "pages": len(machine),
            "verdicts": dict(sorted(_count(verdicts).items())),
            "wrong_source_spun_copy": len(false_traces),
            "wrong": false_traces,
        }

        self_copy = [tracer.trace(row["text"])["verdict"] for row in originals]
        results["originals_in_sources"] = dict(sorted(_count(self_copy).items()))

        # The human originals against the sources without themselves: one
        # index without the originals serves every one of them.
        others = [Record(row["id"], row["text"], "real-web") for row in humans if not row["pair"]]
        without = SourceIndex.build(others + reuters, Path(folder) / "without", jobs=arguments.jobs)
        tracer_without = Tracer(without)
        verdicts, detail = [], []
        for row in originals:
            trace = tracer_without.trace(row["text"])
            verdicts.append(trace["verdict"])
            detail.append({"id": row["id"], "verdict": trace["verdict"],
                           "similarity": trace["similarity"]})  # fmt: skip
        results["originals_not_in_sources"] = dict(sorted(_count(verdicts).items()))
        results["originals_not_in_sources_detail"] = detail
        # The other human pages against sources without any human page but
        # the originals: written by people, copied from nothing in the set.
        with_originals = [Record(row["id"], row["text"], "real-web") for row in originals]
        tracer_people = Tracer(
            SourceIndex.build(
                with_originals + reuters, Path(folder) / "people", jobs=arguments.jobs
            )
        )
        people = [tracer_people.trace(row["text"]) for row in humans if not row["pair"]]
        results["other_human_pages"] = {
            "pages": len(people),
            "verdicts": dict(sorted(_count([trace["verdict"] for trace in people]).items())),
            "highest_similarity": max((trace["similarity"] for trace in people), default=0.0),
        }
        if synthetic:
            hits, verdicts = 0, []
            for suspect_id, text, source_id in synthetic:
                trace = tracer.trace(text)
                hits += (
                    bool(trace["candidates"]) and trace["candidates"][0]["source_id"] == source_id
                )
                verdicts.append(trace["verdict"])
                del suspect_id
            results["synthetic"] = {
                "suspects": len(synthetic),
                "top_candidate_is_source": hits,
                "verdicts": dict(sorted(_count(verdicts).items())),
            }
    print(json.dumps(results, indent=2))
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2) + "\n")


def _count(values: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


if __name__ == "__main__":
    main()
