"""Score documents: a calibrated probability, a verdict, evidence, paragraphs.

>>> scorer = Scorer.load()
>>> result = scorer.score_text("Shares of Toray Industries (3402.The others are fell 3 percent "
...     "on Monday, in what traders called a the the quiet session for japanese exporters.")
>>> result["status"], result["label"], result["score"] > 0.5
('ok', 'spun', True)
>>> sorted({e["family"] for e in result["evidence"]})[:2]
['casing', 'collocation']

Every text gets one of three statuses:

``ok``
    a score and a label (``spun`` or ``clean``).
``too_short``
    fewer than :data:`MIN_WORDS` words: a score is given but no label, with
    a warning; a text without a single word (empty, white space, only
    numbers or punctuation) has nothing to score, so no score either.
``unsupported_language``
    confidently not English (see :mod:`detector.language`): no score, no
    label; ``language`` and a warning name the language found.

A model with a machine-translation head (see :mod:`detector.mt_head`) adds
``scores`` to every scored text: ``{"spun": p, "machine_translated": q}``,
where ``p`` is ``score`` and ``q`` the head's calibrated probability that the
text is machine-translated English. ``score`` and ``label`` stay the main
model's; a text whose ``q`` reaches the head's threshold also gets, among its
evidence, the sentences that weigh most towards machine translation (family
``machine_translation``).

:meth:`Scorer.score_record` adds ``error`` for inputs that could not be read
or scored. Texts longer than :data:`MAX_CHARS` are scored on windows (see
:func:`scored_spans`), so time and memory stay bounded however long a
document is; offsets in the result always point into the full text.

>>> empty = scorer.score_text("   ")
>>> empty["status"], empty["score"], empty["label"], empty["warnings"]
('too_short', None, None, ['no words: nothing to score'])
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from detector.features import evidence_batch, extract_batch, feature_names
from detector.language import detect_language
from detector.model import Model, load_model
from detector.readers import Record
from detector.resources import prefetch_gram_counts
from detector.text import WORD_RE, Document

#: Fewer words than this and a verdict would be a guess: status ``too_short``
#: (the score is still given, the label is not).
MIN_WORDS = 20
#: Paragraphs shorter than this are scored together with the next one.
MIN_PARAGRAPH_WORDS = 12
#: Longest text scored whole. A longer one is scored on MAX_CHARS characters
#: of it: the first HEAD_CHARS, and WINDOW_COUNT windows of WINDOW_CHARS
#: spread evenly over the rest (with a warning saying so).
MAX_CHARS = 1_000_000
#: Characters scored from the start of a text longer than MAX_CHARS.
HEAD_CHARS = 600_000
#: Windows taken from the rest of a text longer than MAX_CHARS.
WINDOW_COUNT = 8
#: Characters in each window.
WINDOW_CHARS = (MAX_CHARS - HEAD_CHARS) // WINDOW_COUNT
#: Window edges move up to this far to fall between words.
WINDOW_SNAP_CHARS = 200
#: Paragraph scores per document, at most: beyond it neighbouring paragraphs
#: are scored in groups, so a text of many tiny paragraphs costs no more than
#: a few scorings of the whole text.
MAX_PARAGRAPHS = 100
#: Evidence items returned per document, at most (the strongest families first).
MAX_EVIDENCE = 60
#: Whole-text measures given as the evidence of a spun verdict no span carries.
WHOLE_TEXT_EVIDENCE = 3

LABEL_SPUN = "spun"
LABEL_CLEAN = "clean"

#: Which scored texts get evidence: every one, only those labelled spun, or
#: none. Evidence is most of the work after the features on clean news, so a
#: corpus run that needs spans only for what it flags is quicker with ``spun``.
EVIDENCE_ALL = "all"
EVIDENCE_SPUN = "spun"
EVIDENCE_NONE = "none"
EVIDENCE_CHOICES = (EVIDENCE_ALL, EVIDENCE_SPUN, EVIDENCE_NONE)

STATUS_OK = "ok"
STATUS_TOO_SHORT = "too_short"
STATUS_UNSUPPORTED_LANGUAGE = "unsupported_language"
STATUS_ERROR = "error"

_SPACE_RE = re.compile(r"\s")


@dataclass
class Scorer:
    """A loaded model and the threshold that turns its score into a verdict."""

    model: Model
    threshold: float
    #: Score each paragraph too (about three times the work of the document
    #: alone on news articles); without, ``paragraphs`` is an empty list.
    paragraphs: bool = True
    #: Which texts get evidence (:data:`EVIDENCE_CHOICES`); scores and labels
    #: do not depend on it, and ``explain`` always builds it.
    evidence: str = EVIDENCE_ALL
    # Results of texts scored ahead by prepare(), by text, until asked for.
    _prepared: dict[str, dict[str, Any]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def load(
        cls,
        model: str | os.PathLike[str] | Model | None = None,
        threshold: float | None = None,
        *,
        paragraphs: bool = True,
        evidence: str = EVIDENCE_ALL,
    ) -> Scorer:
        """Load a model (the shipped default when None) and choose the threshold.

        >>> Scorer.load(evidence="some")
        Traceback (most recent call last):
        ...
        ValueError: evidence must be one of all, spun, none, not 'some'
        """
        if evidence not in EVIDENCE_CHOICES:
            raise ValueError(
                f"evidence must be one of {', '.join(EVIDENCE_CHOICES)}, not {evidence!r}"
            )
        loaded = model if isinstance(model, Model) else load_model(model)
        chosen = loaded.threshold if threshold is None else float(threshold)
        return cls(loaded, chosen, paragraphs, evidence)

    def prepare(self, texts: Iterable[str]) -> None:
        """Score these texts ahead, as one batch; :meth:`score_text` then hands out the results.

        Results do not change; batch scoring calls this on each chunk because
        the families and the model run once on the whole batch (documents and
        their paragraphs together) instead of text by text, and the model's
        n-gram tables are searched for all of them at once (see
        :func:`~detector.resources.prefetch_gram_counts`). Texts prepared
        earlier and not scored since are forgotten.

        >>> scorer = Scorer.load()
        >>> text = "Prices rose on Monday as traders bought shares of the bank. " * 4
        >>> scorer.prepare([text])
        >>> scorer.score_text(text)["score"] == Scorer.load().score_text(text)["score"]
        True
        """
        self._prepared = {}
        unique = list(dict.fromkeys(texts))
        self._prepared = dict(zip(unique, self.score_texts(unique), strict=True))

    def score_text(self, text: str, *, explain: bool = False) -> dict[str, Any]:
        """Score one text; see the module docstring for the fields."""
        if not explain:
            prepared = self._prepared.pop(text, None)
            if prepared is not None:
                return prepared
        return self.score_texts([text], explain=explain)[0]

    def score_texts(self, texts: Sequence[str], *, explain: bool = False) -> list[dict[str, Any]]:
        """Score a batch of texts: the same results as :meth:`score_text` on each."""
        with collector_paused():
            return self._score_texts(texts, explain)

    def _score_texts(self, texts: Sequence[str], explain: bool) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        pending: list[tuple[int, _Sample, list[str]]] = []
        for text in texts:
            result, sample, warnings = self._screen(text, explain)
            if result is None:
                pending.append((len(results), sample, warnings))
            results.append(result or {})
        if not pending:
            return results
        docs = [Document.of(sample.text) for _, sample, _ in pending]
        prefetch_gram_counts(docs, self.model.resources)
        spans = [self._paragraph_spans(doc) for doc in docs]
        parts = [doc.part(start, end) for doc, own in zip(docs, spans, strict=True)
                 for start, end in (own if len(own) > 1 else [])]  # fmt: skip
        batch = [*docs, *parts]
        matrix, _ = extract_batch(batch, self.model.resources, [False] * len(batch))
        rows = matrix[:, self._columns]
        scores = self.model.probability(rows).tolist()
        wanted = [
            self._wants_evidence(doc, score, explain)
            for doc, score in zip(docs, scores[: len(docs)], strict=True)
        ]
        evidence = evidence_batch(docs, self.model.resources, wanted)
        head = self.model.mt_head
        machine_translated = (
            head.score(docs, self.model.resources).tolist() if head is not None else None
        )
        part_scores = iter(scores[len(docs) :])
        if head is not None and machine_translated is not None:
            for index, value in enumerate(machine_translated):
                if wanted[index] and value >= head.threshold:
                    evidence[index] = sorted(
                        [*evidence[index], *head.evidence(docs[index])],
                        key=lambda item: (item.start, item.end, item.family),
                    )
        for index, (position, sample, warnings) in enumerate(pending):
            own = spans[index]
            if len(own) > 1:
                paragraphs = [(start, end, next(part_scores)) for start, end in own]
            else:
                paragraphs = [(start, end, scores[index]) for start, end in own]
            results[position] = self._result(
                docs[index], sample, warnings, scores[index], evidence[index], rows[index],
                paragraphs, explain,
            )  # fmt: skip
            if machine_translated is not None:
                results[position]["scores"] = {
                    "spun": results[position]["score"],
                    "machine_translated": round(machine_translated[index], 6),
                }
        return results

    def _wants_evidence(self, doc: Document, score: float, explain: bool) -> bool:
        """Whether a scored text gets evidence (see :attr:`evidence`)."""
        if explain or self.evidence == EVIDENCE_ALL:
            return True
        return self.evidence == EVIDENCE_SPUN and self._label(doc, score) == LABEL_SPUN

    def _label(self, doc: Document, score: float) -> str | None:
        """The verdict on a scored text: none under :data:`MIN_WORDS` words."""
        if doc.n_words < MIN_WORDS:
            return None
        return LABEL_SPUN if score >= self.threshold else LABEL_CLEAN

    @cached_property
    def _columns(self) -> np.ndarray:
        """Where each of the model's features stands in :func:`feature_names` order."""
        where = {name: index for index, name in enumerate(feature_names())}
        return np.array([where[name] for name in self.model.feature_names], dtype=np.intp)

    def _screen(self, text: str, explain: bool) -> tuple[dict[str, Any] | None, _Sample, list[str]]:
        """The result of a text that is not scored (no words, not English), or None."""
        warnings: list[str] = []
        sample = _Sample.of(text)
        if sample.windowed:
            head = sample.spans[0][1]
            warnings.append(
                f"text of {len(text):,} characters is longer than {MAX_CHARS:,}: scored the "
                f"first {head:,} and {len(sample.spans) - 1} windows spread over the rest"
            )
        if WORD_RE.search(sample.text) is None:
            # Any score would be the model's prior for an empty feature row.
            warnings.append("no words: nothing to score")
            return {
                "status": STATUS_TOO_SHORT, "score": None, "label": None,
                "evidence": [], "paragraphs": [], "warnings": warnings,
                **({"contributions": []} if explain else {}),
            }, sample, warnings  # fmt: skip
        guess = detect_language(sample.text)
        if not guess.english:
            warnings.append(
                f"not English (language {guess.language}, probability "
                f"{guess.confidence:.2f}): not scored"
            )
            return {
                "status": STATUS_UNSUPPORTED_LANGUAGE, "score": None, "label": None,
                "language": guess.language, "evidence": [], "paragraphs": [],
                "warnings": warnings, **({"contributions": []} if explain else {}),
            }, sample, warnings  # fmt: skip
        return None, sample, warnings

    def _result(
        self,
        doc: Document,
        sample: _Sample,
        warnings: list[str],
        score: float,
        evidence: list[Any],
        row: np.ndarray,
        paragraphs: list[tuple[int, int, float]],
        explain: bool,
    ) -> dict[str, Any]:
        """The result of a scored text."""
        too_short = doc.n_words < MIN_WORDS
        result: dict[str, Any] = {
            "status": STATUS_TOO_SHORT if too_short else STATUS_OK,
            "score": round(score, 6),
            "label": self._label(doc, score),
            "evidence": sample.map_items([item.to_dict() for item in _strongest(evidence)]),
            "paragraphs": sample.map_items(
                [{"start": s, "end": e, "score": round(v, 6)} for s, e, v in paragraphs]
            ),
            "warnings": warnings,
        }
        if too_short:
            result["warnings"].append(
                f"only {doc.n_words} word{'s' if doc.n_words != 1 else ''}: "
                "too short for a confident verdict"
            )
        if (
            result["label"] == LABEL_SPUN
            and not result["evidence"]
            and (explain or self.evidence != EVIDENCE_NONE)
        ):
            result["evidence"] = self._whole_text_evidence(row, result["paragraphs"])
        if explain:
            contributions = self.model.contributions(row)
            ranked = sorted(contributions.items(), key=lambda item: -abs(item[1]))
            result["contributions"] = [
                {"feature": name, "contribution": round(value, 4)} for name, value in ranked[:12]
            ]
        return result

    def _whole_text_evidence(
        self, row: np.ndarray, paragraphs: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """The measures that moved a spun verdict most, when no span carries it.

        Some features measure the text as a whole (its function-word
        patterns, its word-frequency profile): a verdict they carry has no
        span to show, so it comes with the features that pushed it most
        towards spun, as zero-length items at the start of the paragraph that
        scored highest (``text[start:end] == snippet == ""``).
        """
        contributions = self.model.contributions(row)
        ranked = sorted(contributions.items(), key=lambda item: -item[1])
        chosen = [item for item in ranked[:WHOLE_TEXT_EVIDENCE] if item[1] >= 0.01] or ranked[:1]
        top = max(paragraphs, key=lambda paragraph: paragraph["score"], default=None)
        position = int(top["start"]) if top is not None else 0
        return [
            {
                "family": name.split(".")[0],
                "name": name,
                "start": position,
                "end": position,
                "snippet": "",
                "note": f"no single span: `{name}`, measured over the whole text, moved the "
                f"score most ({value:+.2f} log-odds towards spun)",
            }
            for name, value in chosen
        ]

    def _paragraph_spans(self, doc: Document) -> list[tuple[int, int]]:
        """The paragraphs scored on their own (none when paragraph scores are off)."""
        if not self.paragraphs:
            return []
        return _grouped(_merged_paragraphs(doc), MAX_PARAGRAPHS)

    def score_record(self, record: Record, *, explain: bool = False) -> dict[str, Any]:
        """Score one input record; never raises (failures become error rows)."""
        base: dict[str, Any] = {"id": record.id, "source": record.source, "line": record.line}
        if record.error is not None or record.text is None:
            return {
                **base, "status": record.status or STATUS_ERROR, "error": record.error or "no text",
                "warnings": list(record.warnings), "score": None, "label": None,
                "evidence": [], "paragraphs": [],
            }  # fmt: skip
        try:
            result = self.score_text(record.text, explain=explain)
        except Exception as error:  # a scoring bug must not lose the record
            return {
                **base, "status": STATUS_ERROR, "error": f"scoring failed: {error!r}",
                "warnings": list(record.warnings), "score": None, "label": None,
                "evidence": [], "paragraphs": [],
            }  # fmt: skip
        result["warnings"] = list(record.warnings) + result["warnings"]
        return {**base, "error": None, **result}


def _snap_forward(text: str, position: int) -> int:
    """Move a window start just past the next white space, if one is near."""
    match = _SPACE_RE.search(text, position, position + WINDOW_SNAP_CHARS)
    return match.end() if match else position


def _snap_back(text: str, position: int) -> int:
    """Move a window end back to the last white space before it, if one is near."""
    stretch = text[max(0, position - WINDOW_SNAP_CHARS) : position]
    for offset in range(len(stretch) - 1, -1, -1):
        if stretch[offset].isspace():
            return position - len(stretch) + offset
    return position


def scored_spans(text: str) -> list[tuple[int, int]]:
    """The parts of ``text`` that are scored: all of it, or a head and windows.

    A text of at most :data:`MAX_CHARS` characters is scored whole. A longer
    one is scored on its first :data:`HEAD_CHARS` characters and
    :data:`WINDOW_COUNT` windows of :data:`WINDOW_CHARS`, one in the middle
    of each of the equal stretches the rest is cut into; edges move to fall
    between words where white space is near.

    >>> scored_spans("short text")
    [(0, 10)]
    >>> spans = scored_spans("word " * 1_000_000)
    >>> len(spans), spans[0], sum(end - start for start, end in spans) <= MAX_CHARS
    (9, (0, 599999), True)
    """
    if len(text) <= MAX_CHARS:
        return [(0, len(text))]
    head_end = _snap_back(text, HEAD_CHARS) or HEAD_CHARS
    spans = [(0, head_end)]
    stretch = (len(text) - head_end) / WINDOW_COUNT
    for index in range(WINDOW_COUNT):
        centre = head_end + int(stretch * (index + 0.5))
        start = max(spans[-1][1], centre - WINDOW_CHARS // 2)
        end = min(len(text), start + WINDOW_CHARS)
        start, end = _snap_forward(text, start), _snap_back(text, end)
        if end > start:
            spans.append((start, end))
    return spans


@dataclass
class _Sample:
    """The text that is scored, and how its offsets map back to the full text.

    Windows are joined with a blank line, so that no sentence or paragraph
    runs from one into the next; anything found across a join is dropped.
    """

    text: str
    spans: list[tuple[int, int]]
    # Offset in the scored text at which each span begins.
    starts: list[int]

    @classmethod
    def of(cls, text: str) -> _Sample:
        spans = scored_spans(text)
        if len(spans) == 1:
            return cls(text, spans, [0])
        starts = []
        position = 0
        for start, end in spans:
            starts.append(position)
            position += end - start + len(_JOIN)
        return cls(_JOIN.join(text[start:end] for start, end in spans), spans, starts)

    @property
    def windowed(self) -> bool:
        return len(self.spans) > 1

    def map_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Move ``start``/``end`` of each item to the full text; drop items across a join."""
        if not self.windowed:
            return items
        mapped = []
        for item in items:
            index = bisect_right(self.starts, item["start"]) - 1
            span_start, span_end = self.spans[index]
            shift = span_start - self.starts[index]
            if item["end"] + shift > span_end:
                continue
            mapped.append({**item, "start": item["start"] + shift, "end": item["end"] + shift})
        return mapped


_JOIN = "\n\n"


def _grouped(spans: list[tuple[int, int]], most: int) -> list[tuple[int, int]]:
    """At most ``most`` spans: runs of neighbouring spans joined into one.

    >>> _grouped([(0, 1), (2, 3), (4, 5), (6, 7), (8, 9)], 2)
    [(0, 3), (4, 9)]
    """
    if len(spans) <= most:
        return spans
    groups = []
    for index in range(most):
        first = spans[index * len(spans) // most]
        last = spans[(index + 1) * len(spans) // most - 1]
        groups.append((first[0], last[1]))
    return groups


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


#: Families whose evidence a reader checks first: the surest kinds of slip.
_EVIDENCE_PRIORITY = {
    "tickers": 0,
    "phrases": 1,
    "spinner": 1,
    "homoglyphs": 2,
    "lexicon": 3,
    "casing": 4,
    "collocation": 5,
    "phrasing": 5,
}


def ranked_evidence(evidence: list[Any]) -> list[Any]:
    """Evidence items (objects or dicts) surest family first, then in text order.

    >>> ranked_evidence([{"family": "phrasing", "start": 0, "end": 3},
    ...                  {"family": "tickers", "start": 9, "end": 12}])[0]["family"]
    'tickers'
    """

    def key(item: Any) -> tuple[int, int, int]:
        family, start, end = (
            (item["family"], item["start"], item["end"])
            if isinstance(item, dict)
            else (item.family, item.start, item.end)
        )
        return _EVIDENCE_PRIORITY.get(family, 9), start, end

    return sorted(evidence, key=key)


def _strongest(evidence: list[Any]) -> list[Any]:
    if len(evidence) <= MAX_EVIDENCE:
        return evidence
    return sorted(ranked_evidence(evidence)[:MAX_EVIDENCE], key=lambda item: (item.start, item.end))


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


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a batch of work; restore it after.

    Scoring a batch makes and drops millions of small objects (tokens,
    spans, lists of them), and the collector, triggered by their number,
    walks every live object again and again (the model's tables too) to find
    reference cycles that scoring never makes: reference counting frees its
    objects. Paused, scoring gives the same results with the same memory, in
    less time (``benchmarks/engine_speed.py``). A collector someone else
    paused stays paused.

    >>> with collector_paused():
    ...     paused = not gc.isenabled()
    >>> paused, gc.isenabled()
    (True, True)
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
