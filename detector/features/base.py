"""The result every feature family returns: named values plus evidence spans."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

Found = TypeVar("Found")


@dataclass(frozen=True, slots=True)
class Evidence:
    """One place in the text where an artifact was seen.

    Invariant: ``text[start:end] == snippet`` for the text it was found in.
    """

    family: str
    name: str
    start: int
    end: int
    snippet: str
    note: str

    def to_dict(self) -> dict[str, Any]:
        """The item as a row's evidence entry (what ``dataclasses.asdict`` gives, faster).

        >>> from dataclasses import asdict
        >>> item = Evidence("casing", "lowercase_nationality", 0, 8, "japanese", "Japanese")
        >>> item.to_dict() == asdict(item), list(item.to_dict())[:3]
        (True, ['family', 'name', 'start'])
        """
        return {
            "family": self.family, "name": self.name, "start": self.start, "end": self.end,
            "snippet": self.snippet, "note": self.note,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class FeatureResult:
    """Named feature values (always every name of the family) and evidence."""

    values: dict[str, float]
    evidence: list[Evidence] = field(default_factory=list)


def batch_of_one(
    doc: Any,
    resources: Any,
    transform: Callable[[list[Any], Any], np.ndarray],
    evidence: Callable[[Any, Any], list[Evidence]],
    names: tuple[str, ...],
) -> FeatureResult:
    """A batch family's named values and evidence for one document.

    Every batch family's ``extract(text)`` is this: its ``transform`` over a
    batch of one, and its ``evidence`` for that document.

    >>> import numpy as np
    >>> batch_of_one("doc", None, lambda docs, _: np.ones((len(docs), 2)),
    ...              lambda doc, _: [], ("a.x", "a.y")).values
    {'a.x': 1.0, 'a.y': 1.0}
    """
    values = transform([doc], resources)[0]
    return FeatureResult(dict(zip(names, values.tolist(), strict=True)), evidence(doc, resources))


def kept_on(doc: Any, key: str, model: Any, find: Callable[..., Found], *arguments: Any) -> Found:
    """``find(*arguments)``, kept on the document under ``key`` so that it runs once.

    A family's ``transform`` and ``evidence`` both need what it finds in a
    document; kept on the document (as its encoding is, see
    :func:`detector.resources.encode`), the evidence of a scored document
    costs no second search. ``key`` names the family; ``model`` is what the
    finding depends on besides the document (a model's resources, or None),
    and another ``model`` finds again.

    >>> from detector.text import Document
    >>> doc, calls = Document.of("Prices rose."), []
    >>> first = kept_on(doc, "x", None, lambda n: calls.append(n) or n, 5)
    >>> first, kept_on(doc, "x", None, abs, -6), kept_on(doc, "x", "other", abs, -6), calls
    (5, 5, 6, [5])
    """
    kept: dict[str, tuple[Any, Any]] = doc.__dict__.setdefault("_found", {})
    entry = kept.get(key)
    if entry is None or entry[0] is not model:
        entry = kept[key] = (model, find(*arguments))
    found: Found = entry[1]
    return found


def keep(doc: Any, key: str, model: Any, found: Any) -> None:
    """Keep ``found`` on the document under ``key``, as :func:`kept_on` would have.

    A family whose ``transform`` works out, for a whole batch at once, what its
    ``evidence`` needs of each document leaves each document its share here,
    so that the evidence of a scored document costs no second search.

    >>> from detector.text import Document
    >>> doc = Document.of("Prices rose.")
    >>> keep(doc, "x", None, 7)
    >>> kept_on(doc, "x", None, abs, -6)
    7
    """
    doc.__dict__.setdefault("_found", {})[key] = (model, found)


def found_on(doc: Any, key: str, model: Any) -> Any:
    """What :func:`kept_on` or :func:`keep` kept on the document under ``key`` for
    ``model``, or None (nothing kept, or kept for another model).

    A part of a document reads its document's findings this way, to take
    its share of them instead of searching again.

    >>> from detector.text import Document
    >>> doc = Document.of("Prices rose.")
    >>> keep(doc, "x", None, 7)
    >>> found_on(doc, "x", None), found_on(doc, "x", "other"), found_on(doc, "y", None)
    (7, None, None)
    """
    entry = doc.__dict__.get("_found", {}).get(key)
    return entry[1] if entry is not None and entry[0] is model else None


def wholes_in_batch(docs: Sequence[Any]) -> list[tuple[int, int, int] | None]:
    """Where each part of a document whose document is in the batch too lies in it.

    For a part (see ``Document.part``) of a document of the batch: that
    document's index, and the first and last (excluded) sentence of it the
    part holds. A part is a run of its document's sentences and holds their
    tokens, so a family that works out something of each token (or each
    sentence) can take a part's share from its document's, with array
    indexing instead of a second pass over the same tokens. None for the
    other documents (whole documents, and parts whose document is not in
    the batch).

    >>> from detector.text import Document
    >>> doc = Document.of("Prices rose.\\n\\nThey fell. Then rose.")
    >>> part = doc.part(*doc.paragraphs[1])
    >>> wholes_in_batch([doc, part]), wholes_in_batch([part])
    ([None, (0, 1, 3)], [None])
    """
    index = {
        id(doc): position for position, doc in enumerate(docs) if "_within" not in doc.__dict__
    }
    found: list[tuple[int, int, int] | None] = []
    for doc in docs:
        within = doc.__dict__.get("_within")
        whole = index.get(id(within[0])) if within is not None else None
        found.append(None if whole is None else (whole, within[1], within[2]))
    return found


def evidence_at(text: str, family: str, name: str, start: int, end: int, note: str) -> Evidence:
    """Build an :class:`Evidence` whose snippet is cut from ``text`` itself.

    >>> evidence_at("ab cd", "casing", "x", 3, 5, "note").snippet
    'cd'
    """
    return Evidence(family, name, start, end, text[start:end], note)


def rate(count: float, total: float, per: float = 1.0) -> float:
    """``count / total * per``, and 0.0 when ``total`` is zero.

    >>> rate(3, 200, per=100)
    1.5
    >>> rate(1, 0)
    0.0
    """
    return float(count) / total * per if total else 0.0


#: Sentences in the window that :func:`worst_window` slides over a text.
WINDOW_SENTENCES = 3


def worst_window(
    sums: Any, counts: Any, width: int = WINDOW_SENTENCES, min_count: float = 1.0
) -> float:
    """The highest mean of any run of ``width`` consecutive sentences.

    ``sums[i]`` and ``counts[i]`` are sentence ``i``'s total and number of
    items (tokens, n-grams); a run's mean is its total over its count, and
    runs with fewer than ``min_count`` items are skipped. A text of
    ``width`` sentences or fewer is one run. A passage pasted into clean
    text shows here while the text's mean dilutes it. 0.0 when no run
    qualifies.

    >>> worst_window([1.0, 1.0, 9.0, 9.0, 9.0, 1.0], [1, 1, 1, 1, 1, 1])
    9.0
    >>> worst_window([1.0, 5.0], [1, 1])
    3.0
    >>> worst_window([4.0, 0.0, 0.0], [2, 0, 0], width=1, min_count=3)
    0.0
    """
    sums = np.asarray(sums, dtype=np.float64)
    counts = np.asarray(counts, dtype=np.float64)
    if len(sums) == 0:
        return 0.0
    width = min(width, len(sums))
    kernel = np.ones(width)
    window_sums = np.convolve(sums, kernel, mode="valid")
    window_counts = np.convolve(counts, kernel, mode="valid")
    ok = window_counts >= max(min_count, 1e-12)
    if not ok.any():
        return 0.0
    return float((window_sums[ok] / window_counts[ok]).max())


def worst_windows(
    sums: np.ndarray,
    counts: np.ndarray,
    first: np.ndarray,
    width: int = WINDOW_SENTENCES,
    min_count: float = 1.0,
) -> np.ndarray:
    """:func:`worst_window` of many documents at once, from per-sentence values.

    ``sums`` and ``counts`` hold every sentence of a batch; document ``d``'s
    are ``first[d]`` to ``first[d + 1]``. Each document's value is its own
    :func:`worst_window`, computed for all documents with a few array
    operations instead of a call each.

    >>> worst_windows(np.array([1.0, 1.0, 9.0, 9.0, 9.0, 1.0, 1.0, 5.0]), np.ones(8),
    ...               np.array([0, 6, 6, 8])).tolist()
    [9.0, 0.0, 3.0]
    """
    sums = np.asarray(sums, dtype=np.float64)
    counts = np.asarray(counts, dtype=np.float64)
    first = np.asarray(first, dtype=np.int64)
    sizes = np.diff(first)
    result = np.full(len(sizes), -np.inf)
    total = len(sums)
    if total == 0:
        return np.zeros(len(sizes))
    owner = np.repeat(np.arange(len(sizes)), sizes)
    # a document shorter than the window is one run of all its sentences
    span = np.minimum(width, sizes)[owner]
    local = np.arange(total) - first[owner]
    starts = local + span <= sizes[owner]
    window_sums = sums.copy()
    window_counts = counts.copy()
    for offset in range(1, width):
        more = starts & (offset < span)
        ahead = np.minimum(np.arange(total) + offset, total - 1)
        window_sums = np.where(more, window_sums + sums[ahead], window_sums)
        window_counts = np.where(more, window_counts + counts[ahead], window_counts)
    ok = starts & (window_counts >= max(min_count, 1e-12))
    means = np.divide(window_sums, window_counts, out=np.zeros(total), where=ok)
    np.maximum.at(result, owner[ok], means[ok])
    return np.where(np.isfinite(result), result, 0.0)


def unique_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_counts=True)`` of integer keys, sorted the quicker way for a batch.

    A batch's keys carry their document's (or sentence's) number in the
    high bits and are laid out document by document, so they come in long
    runs already in order. numpy's stable sort takes such runs as they are
    where ``np.unique``'s sort starts afresh: on the translationese family's
    n-gram keys of a batch this is about three times quicker, with the same
    result.

    >>> [part.tolist() for part in unique_counts(np.array([7, 3, 7, 1]))]
    [[1, 3, 7], [1, 1, 2]]
    >>> [part.tolist() for part in unique_counts(np.zeros(0, dtype=np.int64))]
    [[], []]
    """
    ordered = np.sort(keys, kind="stable")
    if len(ordered) == 0:
        return ordered, np.zeros(0, dtype=np.intp)
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return ordered[starts], np.diff(starts, append=len(ordered))


def items_of(document: np.ndarray, own: int) -> np.ndarray:
    """The indices of document ``own``'s items, in a batch's items laid out document by document.

    ``document`` (each item's document) is sorted, as a batch lays its
    documents end to end: two binary searches find the run, where comparing
    every item would cost a pass over the whole batch for each document.

    >>> items_of(np.array([0, 0, 2, 2, 2, 3]), 2).tolist(), items_of(np.array([0, 3]), 1).tolist()
    ([2, 3, 4], [])
    """
    start, end = np.searchsorted(document, [own, own + 1]).tolist()
    return np.arange(start, end)
