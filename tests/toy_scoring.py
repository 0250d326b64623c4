"""Deterministic stand-in scorers for the batch engine's tests.

Scores come from a hash of the text, so any mix-up of records, rows or order
shows; the row format is the one :meth:`detector.scoring.Scorer.score_record`
returns. Everything here is module-level and picklable, as worker processes
(loky, Dask) need.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from typing import Any

from detector.readers import Record

#: Texts shorter than this are "too_short", like the real scorer's minimum.
MIN_CHARS = 5


@dataclass(frozen=True)
class HashScorerSpec:
    """Score = first four bytes of the text's SHA-256, scaled to [0, 1).

    ``delay`` slows every record down (for killing a run part-way),
    ``fail_on`` makes texts containing it raise, ``interrupt_on`` (text,
    flag file) makes the first text containing it raise KeyboardInterrupt,
    as Ctrl-C does with ``jobs=1``, while the flag file exists (it is
    removed, so the run can be resumed with the same spec),
    ``build_log`` gets one line (the process id) per scorer built,
    ``machine_translated`` adds ``scores`` as a model with a
    machine-translation head does (its probability a hash of the text too).
    """

    threshold: float = 0.5
    delay: float = 0.0
    fail_on: str | None = None
    build_log: str | None = None
    interrupt_on: tuple[str, str] | None = None
    machine_translated: bool = False

    def build(self) -> HashScorer:
        if self.build_log is not None:
            with open(self.build_log, "a", encoding="utf-8") as handle:
                handle.write(f"{os.getpid()}\n")
        return HashScorer(self)


@dataclass(frozen=True)
class BrokenSpec:
    """A factory whose model cannot load."""

    def build(self) -> HashScorer:
        raise FileNotFoundError("model.npz not found")


def hash_score(text: str) -> float:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return round(int.from_bytes(digest[:4], "big") / 2**32, 6)


def hash_head_score(text: str) -> float:
    """The stand-in machine-translation head's probability: another hash of the text."""
    return hash_score(f"machine-translated: {text}")


class HashScorer:
    def __init__(self, spec: HashScorerSpec) -> None:
        self.spec = spec

    def score_record(self, record: Record) -> dict[str, Any]:
        text = record.text or ""
        if self.spec.delay:
            time.sleep(self.spec.delay)
        if self.spec.fail_on is not None and self.spec.fail_on in text:
            raise RuntimeError("toy scorer failure")
        if self.spec.interrupt_on is not None:
            marker, flag = self.spec.interrupt_on
            if marker in text and os.path.exists(flag):
                os.remove(flag)
                raise KeyboardInterrupt
        row: dict[str, Any] = {
            "id": record.id,
            "source": record.source,
            "line": record.line,
            "warnings": [],
            "error": None,
        }
        if len(text) < MIN_CHARS:
            row.update(status="too_short", score=None, label=None, evidence=[], paragraphs=[])
            return row
        score = hash_score(text)
        word_end = text.find(" ") if " " in text else len(text)
        row.update(
            status="ok",
            score=score,
            label="spun" if score >= self.spec.threshold else "clean",
            evidence=[
                {
                    "family": "toy",
                    "name": "first_word",
                    "start": 0,
                    "end": word_end,
                    "snippet": text[:word_end],
                    "note": "the first word, as a stand-in span",
                }
            ],
            paragraphs=[{"start": 0, "end": len(text), "score": score}],
        )
        if self.spec.machine_translated:
            row["scores"] = {"spun": score, "machine_translated": hash_head_score(text)}
        return row
