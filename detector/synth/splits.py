"""Train/dev/test splits by source document, and generators held out of training.

Every variant of a source document (its original, round trips, spins) shares
a ``group``; a split that put the original in training and its round trip in
test would let a model match the two instead of detecting anything. Rows are
assigned by a hash of the group, so the assignment is the same on every run
and on every machine, whatever the order of the rows.

Holding out a generator (``damage:*``) removes its rows from training, so
that the test score says how well the model finds damage it never saw.

>>> split_of("reuters-20061102/some-story", (0.8, 0.1, 0.1))
'train'
>>> is_held_out("partial:damage:light", ["damage:*"]), is_held_out("spin:0.3", ["damage:*"])
(True, False)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import IO, Literal

SPLITS = ("train", "dev", "test")

HeldOutMode = Literal["file", "dev-test"]


def parse_fractions(text: str) -> tuple[float, float, float]:
    """Parse ``"80,10,10"`` or ``"0.8,0.1,0.1"`` into three fractions summing to one.

    >>> parse_fractions("80,10,10")
    (0.8, 0.1, 0.1)
    """
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError as error:
        raise ValueError(f"split must be three numbers like 80,10,10, not {text!r}") from error
    if len(values) != 3 or any(value < 0 for value in values) or sum(values) <= 0:
        raise ValueError(f"split must be three non-negative numbers like 80,10,10, not {text!r}")
    total = sum(values)
    train, dev, test = (round(value / total, 6) for value in values)
    return train, dev, test


def split_of(group: str, fractions: Sequence[float]) -> str:
    """The split (``train``, ``dev`` or ``test``) of a group, from a hash of its name."""
    digest = hashlib.sha256(group.encode("utf-8")).digest()
    position = int.from_bytes(digest[:8], "big") / 2**64
    cumulative = 0.0
    for name, fraction in zip(SPLITS, fractions, strict=True):
        cumulative += fraction
        if position < cumulative:
            return name
    return SPLITS[-1]


def is_held_out(kind: str, patterns: Sequence[str]) -> bool:
    """Whether a row kind matches a held-out pattern (``fnmatch`` globs).

    A partial document matches through its inner generator as well:
    holding out ``damage:*`` holds out ``partial:damage:light`` too.
    """
    inner = kind.split(":", 1)[1] if kind.startswith("partial:") else None
    return any(
        fnmatchcase(kind, pattern) or (inner is not None and fnmatchcase(inner, pattern))
        for pattern in patterns
    )


def split_paths(dataset: Path) -> dict[str, Path]:
    """Files the splits of ``dataset`` are written to, beside it.

    >>> sorted(split_paths(Path("out/synth.jsonl")).values())[0]
    PosixPath('out/synth.dev.jsonl')
    """
    stem = dataset.name[: -len(".jsonl")] if dataset.name.endswith(".jsonl") else dataset.name
    names = (*SPLITS, "heldout")
    return {name: dataset.with_name(f"{stem}.{name}.jsonl") for name in names}


@dataclass
class SplitReport:
    """Rows written to each split file, by kind."""

    paths: dict[str, Path]
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def rows(self, split: str) -> int:
        return sum(self.counts.get(split, Counter()).values())


def write_splits(
    dataset: Path,
    fractions: Sequence[float] = (0.8, 0.1, 0.1),
    hold_out: Sequence[str] = (),
    held_out_mode: HeldOutMode = "file",
) -> SplitReport:
    """Stream ``dataset`` into train/dev/test files (and a held-out file) by group.

    Rows of held-out kinds never go to training. With ``held_out_mode="file"``
    those of dev and test groups go to ``<stem>.heldout.jsonl`` together with
    the originals of the same groups (so the file can be scored on its own),
    and dev and test keep only the other kinds; with ``"dev-test"`` they stay
    in dev and test. Each file is written under a temporary name and renamed
    when complete.
    """
    paths = split_paths(dataset)
    held_out_file = bool(hold_out) and held_out_mode == "file"
    wanted = list(SPLITS) + (["heldout"] if held_out_file else [])
    temporary = {name: paths[name].with_name(paths[name].name + ".partial") for name in wanted}
    report = SplitReport({name: paths[name] for name in wanted})
    try:
        with contextlib.ExitStack() as stack:
            handles: dict[str, IO[str]] = {}
            for name in wanted:
                handles[name] = stack.enter_context(open(temporary[name], "w", encoding="utf-8"))
                report.counts[name] = Counter()
            source = stack.enter_context(open(dataset, encoding="utf-8"))
            for line in source:
                if not line.strip():
                    continue
                row = json.loads(line)
                split = split_of(str(row["group"]), fractions)
                kind = str(row["kind"])
                targets = [split]
                if hold_out and is_held_out(kind, hold_out):
                    if split == "train":
                        continue
                    if held_out_mode == "file":
                        targets = ["heldout"]
                elif held_out_file and kind == "original" and split != "train":
                    targets.append("heldout")
                for target in targets:
                    handles[target].write(line if line.endswith("\n") else line + "\n")
                    report.counts[target][kind] += 1
        for name in wanted:
            os.replace(temporary[name], paths[name])
    finally:
        for path in temporary.values():
            if path.exists():
                path.unlink()
    return report
