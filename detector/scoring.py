"""Score documents: a calibrated probability, a verdict, evidence, paragraphs.

>>> scorer = Scorer.load()
>>> result = scorer.score_text("Shares of Toray Industries (3402.The others are fell 3 percent "
...     "on Monday, in what traders called a the the quiet session for japanese exporters.")
>>> result["status"], result["label"], result["score"] > 0.5
('ok', 'spun', True)
>>> sorted({e["family"] for e in result["evidence"]})[:2]
['casing', 'phrasing']
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from detector.features import extract_all
from detector.model import Model, load_model
from detector.readers import Record
from detector.text import Document

#: Fewer words than this and a verdict would be a guess: status ``too_short``
#: (the score is still given, the label is not).
MIN_WORDS = 20
#: Paragraphs shorter than this are scored together with the next one.
MIN_PARAGRAPH_WORDS = 12
#: Longest text scored; beyond it only the start is scored (with a warning).
MAX_CHARS = 1_000_000
#: Evidence items returned per document, at most (the strongest families first).
MAX_EVIDENCE = 60

LABEL_SPUN = "spun"
LABEL_CLEAN = "clean"


@dataclass
class Scorer:
    """A loaded model and the threshold that turns its score into a verdict."""

    model: Model
    threshold: float

    @classmethod
    def load(
        cls, model: str | os.PathLike[str] | Model | None = None, threshold: float | None = None
    ) -> Scorer:
        """Load a model (the shipped default when None) and choose the threshold."""
        loaded = model if isinstance(model, Model) else load_model(model)
        return cls(loaded, loaded.threshold if threshold is None else float(threshold))

    def probability(self, text: str | Document) -> tuple[float, list[Any], np.ndarray]:
        """Probability, evidence and feature row of one text."""
        result = extract_all(text, self.model.resources)
        row = np.array([result.values[name] for name in self.model.feature_names])
        return float(self.model.probability(row[None, :])[0]), result.evidence, row

    def score_text(self, text: str, *, explain: bool = False) -> dict[str, Any]:
        """Score one text; see the module docstring for the fields."""
        warnings: list[str] = []
        if len(text) > MAX_CHARS:
            warnings.append(f"text longer than {MAX_CHARS} characters: only the start was scored")
            text = text[:MAX_CHARS]
        doc = Document.of(text)
        score, evidence, row = self.probability(doc)
        too_short = doc.n_words < MIN_WORDS
        result: dict[str, Any] = {
            "status": "too_short" if too_short else "ok",
            "score": round(score, 6),
            "label": None
            if too_short
            else (LABEL_SPUN if score >= self.threshold else LABEL_CLEAN),
            "evidence": [item.to_dict() for item in _strongest(evidence)],
            "paragraphs": self._paragraphs(doc, score),
            "warnings": warnings,
        }
        if too_short:
            result["warnings"].append(
                f"only {doc.n_words} words: too short for a confident verdict"
            )
        if explain:
            contributions = self.model.contributions(row)
            ranked = sorted(contributions.items(), key=lambda item: -abs(item[1]))
            result["contributions"] = [
                {"feature": name, "contribution": round(value, 4)} for name, value in ranked[:12]
            ]
        return result

    def _paragraphs(self, doc: Document, document_score: float) -> list[dict[str, Any]]:
        spans = _merged_paragraphs(doc)
        if len(spans) <= 1:
            return [{"start": s, "end": e, "score": round(document_score, 6)} for s, e in spans]
        rows = []
        for start, end in spans:
            paragraph_score, _, _ = self.probability(doc.text[start:end])
            rows.append({"start": start, "end": end, "score": round(paragraph_score, 6)})
        return rows

    def score_record(self, record: Record, *, explain: bool = False) -> dict[str, Any]:
        """Score one input record; never raises (failures become error rows)."""
        base: dict[str, Any] = {"id": record.id, "source": record.source, "line": record.line}
        if record.error is not None or record.text is None:
            return {
                **base, "status": "error", "error": record.error or "no text",
                "warnings": list(record.warnings), "score": None, "label": None,
                "evidence": [], "paragraphs": [],
            }  # fmt: skip
        try:
            result = self.score_text(record.text, explain=explain)
        except Exception as error:  # a scoring bug must not lose the record
            return {
                **base, "status": "error", "error": f"scoring failed: {error!r}",
                "warnings": list(record.warnings), "score": None, "label": None,
                "evidence": [], "paragraphs": [],
            }  # fmt: skip
        result["warnings"] = list(record.warnings) + result["warnings"]
        return {**base, "error": None, **result}


def _merged_paragraphs(doc: Document) -> list[tuple[int, int]]:
    """Paragraph spans, very short ones (headlines, datelines) joined to the next."""
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    for start, end in doc.paragraphs:
        begin = start if pending is None else pending
        if len(doc.text[start:end].split()) < MIN_PARAGRAPH_WORDS:
            pending = begin
            continue
        merged.append((begin, end))
        pending = None
    if pending is not None:
        if merged:
            merged[-1] = (merged[-1][0], doc.paragraphs[-1][1])
        else:
            merged.append((pending, doc.paragraphs[-1][1]))
    return merged


# Families whose evidence is specific enough to show first.
_EVIDENCE_PRIORITY = {"tickers": 0, "phrases": 1, "lexicon": 2, "casing": 3, "phrasing": 4}


def _strongest(evidence: list[Any]) -> list[Any]:
    if len(evidence) <= MAX_EVIDENCE:
        return evidence
    ranked = sorted(evidence, key=lambda item: _EVIDENCE_PRIORITY.get(item.family, 9))
    return sorted(ranked[:MAX_EVIDENCE], key=lambda item: (item.start, item.end))


_DEFAULT: dict[tuple[str | None, float | None], Scorer] = {}


def score_text(
    text: str, *, model: Model | str | None = None, threshold: float | None = None
) -> dict[str, Any]:
    """Score one text with a cached scorer (the API behind :func:`detector.score`)."""
    if isinstance(model, Model):
        return Scorer.load(model, threshold).score_text(text)
    key = (model, threshold)
    if key not in _DEFAULT:
        _DEFAULT[key] = Scorer.load(model, threshold)
    return _DEFAULT[key].score_text(text)
