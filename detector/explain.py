"""Explain one document's score: the evidence in place, paragraph scores, feature pulls.

:func:`explain_text` scores a text with the evidence spans, per-paragraph
scores and the features that moved the score most (how far each moved the
model's logit, positive towards spun); :func:`render_terminal` and
:func:`render_html` show the result through :mod:`detector.report`, with
every span highlighted by family, a legend, and ``[number family]`` markers
so that it also reads without colour.

>>> from detector.scoring import Scorer
>>> explanation = explain_text(
...     "Shares of Toray Industries (3402.The others are fell 3 percent on Monday, in what "
...     "traders called a the the quiet session for japanese exporters.", Scorer.load())
>>> explanation.verdict, sorted({e["family"] for e in explanation.evidence})[:2]
('spun', ['casing', 'collocation'])
>>> max(explanation.contributions.values()) > 0
True

A text that is not scored says why, as ``detector score`` does:

>>> empty = explain_text("", Scorer.load())
>>> empty.verdict, empty.score, empty.contributions, empty.warnings
('too_short', None, {}, ['no words: nothing to score'])
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from detector.readers import iter_records
from detector.scoring import MAX_CHARS, Scorer

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Group


class ExplainError(Exception):
    """A document that cannot be explained, with the reason."""


@dataclass
class Explanation:
    """A scored document with everything needed to show why it scored so."""

    text: str
    #: None when the text was not scored (no words, or not English).
    score: float | None
    status: str
    label: str | None
    evidence: list[dict[str, Any]]
    paragraphs: list[dict[str, Any]]
    contributions: dict[str, float]
    warnings: list[str] = field(default_factory=list)
    #: The threshold the verdict was taken at.
    threshold: float | None = None

    @property
    def verdict(self) -> str:
        """The label, or the status when there is none (a text too short to judge)."""
        return self.label or self.status


def explain_text(text: str, scorer: Scorer) -> Explanation:
    """Score ``text`` with its evidence, paragraph scores and feature contributions."""
    result = scorer.score_text(text, explain=True)
    return Explanation(
        # The scorer reads at most MAX_CHARS characters (and warns); show what it read.
        text=text[:MAX_CHARS],
        score=None if result["score"] is None else float(result["score"]),
        status=str(result["status"]),
        label=result["label"],
        evidence=list(result["evidence"]),
        paragraphs=list(result["paragraphs"]),
        contributions={
            c["feature"]: float(c["contribution"]) for c in result.get("contributions", [])
        },
        warnings=list(result["warnings"]),
        threshold=scorer.threshold,
    )


def read_document(source: str | os.PathLike[str]) -> tuple[str, list[str]]:
    """The text of one plain-text file (``"-"``: standard input) and reading warnings.

    Raises :class:`ExplainError` when the file cannot be read, or holds a
    corpus of several documents (``detector score --explain`` handles those).
    """
    records = iter_records([source])
    first = next(records, None)
    if first is None:
        raise ExplainError(f"{os.fspath(source)}: no document")
    if next(records, None) is not None:
        raise ExplainError(
            f"{os.fspath(source)} holds several documents: explain takes one text file "
            "(use `detector score FILE --explain` for corpora)"
        )
    if first.text is None:
        raise ExplainError(f"{first.source}: {first.error or 'no text'}")
    return first.text, list(first.warnings)


def render_terminal(explanation: Explanation) -> Group:
    """The explanation for the terminal, by :func:`detector.report.render_document_terminal`."""
    from detector.report import render_document_terminal

    return render_document_terminal(
        explanation.text,
        explanation.evidence,
        explanation.paragraphs,
        explanation.score,
        explanation.verdict,
        explanation.contributions or None,
        threshold=explanation.threshold,
    )


def render_html(explanation: Explanation, *, title: str = "detector explanation") -> str:
    """The explanation as one self-contained HTML page."""
    from detector.report import render_document_html

    return render_document_html(
        explanation.text,
        explanation.evidence,
        explanation.paragraphs,
        explanation.score,
        explanation.verdict,
        explanation.contributions or None,
        title=title,
        threshold=explanation.threshold,
    )
