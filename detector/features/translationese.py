"""Translationese: the function-word and word-shape patterns of machine output.

Neural MT is fluent, so surprisal alone misses it; what gives it away is
style. Machine output leans on a narrower set of syntactic patterns, keeps the
source language's order of clauses and modifiers, and uses function words and
punctuation in proportions that differ from English written as English
(Baroni & Bernardini, 2006; Volansky et al., 2015). This family reduces a text
to its classes (function words and punctuation kept, other words replaced by
a shape such as ``<Cap>``, ``<ing>``, ``<num>``), hashes the class 1- to
3-grams into a fixed-size vector, and scores it with a linear model learnt
from labelled data (real neural MT and its human counterparts, round trips and
spins) and shipped in the model file. Topic words never enter the vector, so
the score does not learn what the news was about.

A second linear model, the wording model, reads words as well: the word 1-
to 3-grams of each sentence (words outside the model's vocabulary reduced to
their class; function words and punctuation are words too), learnt from
real neural MT and its human counterparts alone (:func:`detector.train.stack_patterns`).
Machine output prefers the most probable word and construction where a
person varies them ("according to the police" where a translator wrote
"police said"); the wording score is the model's score averaged over the
sentences. Trained on sentences of general news, it leans on function words
and common wording more than on topic.

A third linear model, the page model (in a model built with it; see the
README's real-web section for why the shipped one is not), reads whole texts as the
machine-translation head does (:mod:`detector.mt_head`: the tf-idf of class
1- to 3-grams and of 1- and 2-grams of the 5,000 commonest English words)
and is learnt from whole real pages (:func:`detector.train.learns_page`):
the spun, round-tripped and machine-translated web pages of the training
data against the human pages of the same niches, clean news, and WMT22
machine translation against English originals and human translations. A
neural round trip is fluent and carries few slips, but its wording still
leans on what an engine finds most probable (``, but``, ``a lot of``,
``there is``); the page model's score is the text's logit under it.

False-positive risk: human translations share much of this style (they are
translations too), and so do some house styles (wire copy, legal text); the
classifier weighs this score against the other families.

>>> result = extract("The company said on Monday that profit rose.")
>>> result.values["translationese.pattern_score"]
0.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from detector.features.base import (
    Evidence,
    FeatureResult,
    batch_of_one,
    evidence_at,
    keep,
    kept_on,
    unique_counts,
    worst_windows,
)
from detector.resources import CLASS_BITS, SENTENCE_START, UNKNOWN, WORD_BITS, Resources, encode
from detector.text import Document

FAMILY = "translationese"

FEATURE_NAMES: tuple[str, ...] = (
    # the class-pattern model's score of the whole text
    "translationese.pattern_score",
    # the wording model's score, averaged over the sentences
    "translationese.wording_score",
    # its mean over the most machine-like run of three sentences
    "translationese.worst_block_wording",
    # the page model's score of the whole text
    "translationese.page_score",
)

#: Divides the raw pattern logit, to keep the value on the scale of the others.
SCORE_SCALE = 4.0

#: Size of the hashed n-gram space (2**HASH_BITS weights in the model).
HASH_BITS = 18
#: Longest class n-gram hashed.
MAX_ORDER = 3
#: Most pattern evidence spans reported per document.
MAX_EVIDENCE = 3

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing (Knuth)


#: Size of the hashed word n-gram space of the wording model.
WORDING_BITS = 18
# Words outside the vocabulary stand as their class, in ids the vocabulary
# never reaches (classes take 10 bits, word ids 16).
_UNKNOWN_KEY = (1 << WORD_BITS) - (1 << CLASS_BITS)
# Added to the order of a word n-gram, so that its hash differs from the
# class n-gram with the same ids.
_WORDING_SALT = 8


def wording_keys(word_ids: np.ndarray, class_ids: np.ndarray) -> np.ndarray:
    """The word id of each position, or its class for a word outside the vocabulary.

    >>> wording_keys(np.array([7, UNKNOWN]), np.array([3, 2])).tolist() == [7, _UNKNOWN_KEY | 2]
    True
    """
    word_ids = np.asarray(word_ids, dtype=np.int64)
    return np.where(word_ids == UNKNOWN, _UNKNOWN_KEY | np.asarray(class_ids), word_ids)


def _hash_grams(
    ids: np.ndarray, *, width: int, salt: int, bits: int, max_order: int = MAX_ORDER
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hashed index (``bits`` bits), start and order of every n-gram of ``ids`` up to ``max_order``.

    Each id takes ``width`` bits of the key; ``salt`` is added to the order,
    so that two models' n-grams of the same ids hash apart.

    >>> indices, starts, orders = _hash_grams(np.array([9, 8, 7]), width=16, salt=0, bits=18)
    >>> starts.tolist(), orders.tolist(), bool(indices.max() < 2**18)
    ([0, 1, 2, 0, 1, 0], [1, 1, 1, 2, 2, 3], True)
    """
    keys = np.asarray(ids, dtype=np.uint64)
    shift = np.uint64(64 - bits)
    parts: list[np.ndarray] = []
    starts: list[np.ndarray] = []
    orders: list[np.ndarray] = []
    for order in range(1, max_order + 1):
        count = len(keys) - order + 1
        if count <= 0:
            break
        grams = np.full(count, order + salt, dtype=np.uint64)
        for offset in range(order):
            grams = (grams << np.uint64(width)) | keys[offset : offset + count]
        parts.append((grams * _MULTIPLIER) >> shift)
        starts.append(np.arange(count))
        orders.append(np.full(count, order))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return (
        np.concatenate(parts).astype(np.int64),
        np.concatenate(starts),
        np.concatenate(orders),
    )


def _per_sentence(
    grams: tuple[np.ndarray, np.ndarray, np.ndarray],
    starts: np.ndarray,
    bounds: np.ndarray,
    bits: int = WORDING_BITS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sentence, index, value) of the n-grams inside each sentence, L2-normalised per sentence.

    ``grams`` are the hashed indices (``bits`` bits), starts and orders of
    :func:`_hash_grams`; an n-gram that crosses a sentence bound is dropped.
    """
    indices, gram_starts, orders = grams
    sentence = np.searchsorted(starts, gram_starts, side="right") - 1
    inside = (sentence >= 0) & (gram_starts + orders <= bounds[np.maximum(sentence, 0) + 1])
    sentence, indices = sentence[inside], indices[inside]
    pairs, counts = unique_counts(sentence * (1 << bits) + indices)
    owner = pairs >> bits
    squares = np.bincount(owner, weights=counts.astype(np.float64) ** 2, minlength=len(starts))
    return owner, pairs & ((1 << bits) - 1), counts / np.sqrt(squares[owner])


def sentence_wording_vectors(
    word_ids: np.ndarray, class_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Each sentence's L2-normalised hashed word n-grams, as (sentence, index, value) triples.

    Sentences run from one start marker to the next, as :func:`encode` lays
    them out; n-grams do not cross them. Returns the sentence of each triple
    (sorted), the indices, the values and the number of sentences.

    >>> sentence, index, value, count = sentence_wording_vectors(
    ...     np.array([1, 9, 2, 1, 9, 2]), np.array([0, 5, 1, 0, 5, 1]))
    >>> count, sorted(set(sentence.tolist()))
    (2, [0, 1])
    """
    class_ids = np.asarray(class_ids)
    starts = np.flatnonzero(np.asarray(word_ids) == SENTENCE_START)
    if len(starts) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), 0
    bounds = np.append(starts, len(class_ids))
    words = _hash_grams(
        wording_keys(word_ids, class_ids), width=WORD_BITS, salt=_WORDING_SALT, bits=WORDING_BITS
    )
    owner, indices, values = _per_sentence(words, starts, bounds)
    return owner, indices, values, len(starts)


def sentence_wording_scores(doc: Document, resources: Resources) -> np.ndarray:
    """The wording model's score of each sentence of ``doc`` (its weights must be set).

    Kept on the document; a part of a document (see
    :meth:`~detector.text.Document.part`) takes its sentences' scores from
    the whole document's, which are the same, since n-grams never cross a
    sentence boundary.
    """
    weights = resources.wording_weights
    if weights is None:
        raise ValueError("these resources have no wording model")
    cache: dict[int, np.ndarray] = doc.__dict__.setdefault("_wording_scores", {})
    key = id(weights)
    if key not in cache:
        within = doc.__dict__.get("_within")
        if within is not None:
            whole, first, last = within
            cache[key] = sentence_wording_scores(whole, resources)[first:last]
        else:
            word_ids, class_ids, _ = encode(doc, resources)
            owner, indices, values, count = sentence_wording_vectors(word_ids, class_ids)
            cache[key] = (
                np.bincount(owner, weights=values * weights[indices], minlength=count)
                + resources.wording_bias
            )
    return cache[key]


def hashed_ngrams(
    class_ids: np.ndarray, max_order: int = MAX_ORDER
) -> tuple[np.ndarray, np.ndarray]:
    """Hashed indices of every class n-gram (orders 1..max_order) and its start.

    >>> indices, starts = hashed_ngrams(np.array([0, 5, 7, 1]))
    >>> len(indices) == 4 + 3 + 2, int(indices.max()) < 2**HASH_BITS
    (True, True)
    """
    indices, starts, _ = _hash_grams(
        class_ids, width=CLASS_BITS, salt=0, bits=HASH_BITS, max_order=max_order
    )
    return indices, starts


def pattern_vector(class_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique hashed indices and their L2-normalised counts (a sparse vector)."""
    indices, _ = hashed_ngrams(class_ids)
    if len(indices) == 0:
        return indices, np.zeros(0)
    unique, counts = np.unique(indices, return_counts=True)
    values = counts.astype(np.float64)
    return unique, values / np.sqrt((values**2).sum())


def transform(docs: Sequence[Document], resources: Resources | None = None) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per document (zeros without resources)."""
    rows = np.zeros((len(docs), len(FEATURE_NAMES)))
    if resources is None or not docs:
        return rows
    has_tokens = np.array([bool(doc.tokens) for doc in docs])
    encoded = [encode(doc, resources) for doc in docs]
    if resources.wording_weights is not None:
        _wording_scores_of_batch(docs, resources)
        scores = [sentence_wording_scores(doc, resources) for doc in docs]
        sizes = np.array([len(own) for own in scores], dtype=np.int64)
        first = np.concatenate([[0], np.cumsum(sizes)])
        flat = np.concatenate(scores) if len(scores) else np.zeros(0)
        owner = np.repeat(np.arange(len(docs)), sizes)
        totals = np.bincount(owner, weights=flat, minlength=len(docs))
        means = np.divide(totals, sizes, out=np.zeros(len(docs)), where=sizes > 0)
        rows[:, 1] = means / SCORE_SCALE
        rows[:, 2] = worst_windows(flat, np.ones(len(flat)), first) / SCORE_SCALE
    weights = resources.pattern_weights
    if weights is not None:
        rows[:, 0] = _pattern_scores([classes for _, classes, _ in encoded], weights)
        rows[:, 0] = (rows[:, 0] + resources.pattern_bias) / SCORE_SCALE
    if resources.page_model is not None:
        rows[:, 3] = page_scores(docs, resources.page_model) / SCORE_SCALE
    rows[~has_tokens] = 0.0
    return rows


def page_scores(docs: Sequence[Document], page_model: Any) -> np.ndarray:
    """The page model's logit of each document.

    The page model (``resources.page_model``, a
    :class:`~detector.mt_head.MachineTranslationHead` without named values
    or calibration) reads what the machine-translation head reads: the
    tf-idf of each text's class 1- to 3-grams and of its 1- and 2-grams of
    common words (:func:`~detector.features.document_style.class_sequences`),
    found once per document for both. It is learnt from whole pages
    (:func:`detector.train.learns_page`): real spun, round-tripped and
    machine-translated web pages against the human pages of the same
    niches, WMT22 machine translation against English originals and human
    translations, and clean news, so it knows how a content farm's page is
    worded beyond its slips.
    """
    classes, lexical = page_model.sequences(docs)
    return np.asarray(page_model.decision(np.zeros((len(docs), 0)), classes, lexical))


def _pattern_scores(classes: Sequence[np.ndarray], weights: np.ndarray) -> np.ndarray:
    """Each class sequence's :func:`pattern_vector` dotted with ``weights``, all at once."""
    sizes = np.array([len(own) for own in classes], dtype=np.int64)
    if sizes.sum() == 0:
        return np.zeros(len(classes))
    ends = np.cumsum(sizes)
    owner = np.repeat(np.arange(len(classes)), sizes)
    indices, starts, orders = _hash_grams(
        np.concatenate(classes), width=CLASS_BITS, salt=0, bits=HASH_BITS
    )
    # n-grams that run into the next sequence are no n-grams of either
    keep = starts + orders <= ends[owner[starts]]
    pairs, counts = unique_counts(owner[starts[keep]] * (1 << HASH_BITS) + indices[keep])
    documents, unique = pairs >> HASH_BITS, pairs & ((1 << HASH_BITS) - 1)
    values = counts.astype(np.float64)
    norms = np.sqrt(np.bincount(documents, weights=values**2, minlength=len(classes)))
    return np.bincount(
        documents, weights=values / norms[documents] * weights[unique], minlength=len(classes)
    )


def _wording_scores_of_batch(docs: Sequence[Document], resources: Resources) -> None:
    """Fill :func:`sentence_wording_scores` of the documents (or their wholes) at once."""
    weights = resources.wording_weights
    assert weights is not None
    key = id(weights)
    wholes: dict[int, Document] = {}
    for doc in docs:
        within = doc.__dict__.get("_within")
        whole = within[0] if within is not None else doc
        if key not in whole.__dict__.get("_wording_scores", {}):
            wholes[id(whole)] = whole
    if not wholes:
        return
    pending = list(wholes.values())
    encoded = [encode(doc, resources) for doc in pending]
    # n-grams never cross a sentence, so the documents can be laid end to end
    owner, indices, values, count = sentence_wording_vectors(
        np.concatenate([words for words, _, _ in encoded]),
        np.concatenate([classes for _, classes, _ in encoded]),
    )
    scores = (
        np.bincount(owner, weights=values * weights[indices], minlength=count)
        + resources.wording_bias
    )
    position = 0
    for doc, (words, _, _) in zip(pending, encoded, strict=True):
        sentences = int(np.count_nonzero(words == SENTENCE_START))
        own = scores[position : position + sentences]
        doc.__dict__.setdefault("_wording_scores", {})[key] = own
        position += sentences


def evidence(doc: Document, resources: Resources | None = None) -> list[Evidence]:
    """The sentences of one document most built from machine-like patterns."""
    items: list[Evidence] = []
    if resources is None or not doc.tokens or resources.pattern_weights is None:
        return items
    scored = kept_on(doc, _SENTENCES, resources, _own_sentence_scores, doc, resources)
    tokens = doc.tokens
    for sentence_score, first, last in sorted(scored, reverse=True)[:MAX_EVIDENCE]:
        if sentence_score <= 1.0:
            break
        items.append(
            evidence_at(
                doc.text, FAMILY, "translationese.machine_like_pattern", tokens[first].start,
                tokens[last].end,
                "sentence built from function-word patterns typical of machine "
                f"translation (pattern score {sentence_score:+.1f})",
            )
        )  # fmt: skip
    return items


def extract(text: str | Document, resources: Resources | None = None) -> FeatureResult:
    """Score the class-pattern profile of a text with the model's weights (a batch of one)."""
    return batch_of_one(Document.of(text), resources, transform, evidence, FEATURE_NAMES)


_SENTENCES = f"{FAMILY}.sentences"


def prepare_evidence(docs: Sequence[Document], resources: Resources | None = None) -> None:
    """Work out the sentence pattern scores of the documents that will show evidence, at once.

    :func:`evidence` then finds each document's scores kept on it. Sentences
    never share an n-gram, so the documents' encodings can be laid end to
    end and every sentence of them scored in one pass: the same scores as
    document by document, without the cost of a pass each.
    """
    if resources is None or resources.pattern_weights is None:
        return
    pending = [doc for doc in docs if doc.tokens]
    if not pending:
        return
    encoded = [encode(doc, resources) for doc in pending]
    sizes = [len(classes) for _, classes, _ in encoded]
    class_ids = np.concatenate([classes for _, classes, _ in encoded])
    positions = [position for _, _, own in encoded for position in own]
    scores, first, last, at = _scored_sentences(
        class_ids, positions, resources.pattern_weights, resources.pattern_bias
    )
    # each sentence's document, by where its start marker lies
    owner = np.searchsorted(np.cumsum(sizes), at, side="right")
    bounds = np.searchsorted(owner, np.arange(len(pending) + 1)).tolist()
    rows = list(zip(scores.tolist(), first.tolist(), last.tolist(), strict=True))
    for index, doc in enumerate(pending):
        keep(doc, _SENTENCES, resources, rows[bounds[index] : bounds[index + 1]])


def _own_sentence_scores(doc: Document, resources: Resources) -> list[tuple[float, int, int]]:
    """:func:`_sentence_scores` of one document's encoding."""
    assert resources.pattern_weights is not None
    _, class_ids, positions = encode(doc, resources)
    return _sentence_scores(class_ids, positions, resources.pattern_weights, resources.pattern_bias)


def _sentence_scores(
    class_ids: np.ndarray, positions: list[int], weights: np.ndarray, bias: float
) -> list[tuple[float, int, int]]:
    """Pattern score, first and last token index of each sentence of four tokens or more.

    The same as scoring each sentence's classes (from its start marker up to
    the next one) with :func:`pattern_vector`, done for all sentences at once.
    """
    scores, first, last, _ = _scored_sentences(class_ids, positions, weights, bias)
    return list(zip(scores.tolist(), first.tolist(), last.tolist(), strict=True))


def _scored_sentences(
    class_ids: np.ndarray, positions: list[int], weights: np.ndarray, bias: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_sentence_scores` as arrays, with where each sentence's start marker lies."""
    position = np.asarray(positions, dtype=np.int64)
    starts = np.flatnonzero((position < 0) & (class_ids == 0))
    if len(starts) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0), empty, empty, empty
    bounds = np.append(starts, len(class_ids))
    grams = _hash_grams(class_ids, width=CLASS_BITS, salt=0, bits=HASH_BITS)
    owner, indices, values = _per_sentence(grams, starts, bounds, HASH_BITS)
    dots = np.bincount(owner, weights=values * weights[indices], minlength=len(starts))
    at = np.flatnonzero(position >= 0)  # the tokens' places, sentence by sentence
    sentence_of = np.searchsorted(starts, at, side="right") - 1
    tokens_in = np.bincount(sentence_of[sentence_of >= 0], minlength=len(starts))
    chosen = np.flatnonzero(tokens_in >= 4)
    first = position[at[np.searchsorted(sentence_of, chosen, side="left")]]
    last = position[at[np.searchsorted(sentence_of, chosen, side="right") - 1]]
    return dots[chosen] + bias, first, last, starts[chosen]
