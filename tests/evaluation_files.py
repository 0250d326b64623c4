"""Small labelled data files for the evaluation tests, written from the fixture texts."""

from __future__ import annotations

import csv
import json

from news_texts import CLEAN_TEXTS, garble

#: Ids of the rows whose label contradicts their text: the mistakes a report must show.
MISLABELLED_CLEAN = "noise-garbled-labelled-clean"
MISLABELLED_SPUN = "noise-clean-labelled-spun"


def _rows(samples, groups):
    rows = [
        {"id": s.id, "text": s.text, "label": s.label, "group": s.group, "kind": s.kind,
         "source": "wire" if int(s.group[3:]) % 2 else "web"}
        for s in samples
        if s.group in groups
    ]  # fmt: skip
    return rows


def write_evaluation_files(folder, samples):
    """A JSONL file (groups 0-5, plus two mislabelled rows) and a CSV (groups 6-9, one bad row)."""
    first = folder / "first.jsonl"
    rows = _rows(samples, {f"doc{i}" for i in range(6)})
    rows.append({"id": MISLABELLED_CLEAN, "text": garble(CLEAN_TEXTS[1], 1), "label": 0,
                 "group": "noise-a", "kind": "original", "source": "web"})  # fmt: skip
    rows.append({"id": MISLABELLED_SPUN, "text": CLEAN_TEXTS[2], "label": 1,
                 "group": "noise-b", "kind": "garble:0", "source": "web"})  # fmt: skip
    first.write_text("".join(json.dumps(row) + "\n" for row in rows))
    second = folder / "second.csv"
    with open(second, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text", "label", "group", "kind",
                                                    "source"])  # fmt: skip
        writer.writeheader()
        writer.writerows(_rows(samples, {f"doc{i}" for i in range(6, 10)}))
        writer.writerow({"id": "bad", "text": "Some text.", "label": "maybe"})
    return first, second
