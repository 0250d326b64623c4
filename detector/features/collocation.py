"""Word pairs everyday English never uses: the trace of swaps made without context.

A spinner replaces a word with a thesaurus entry and a round trip renders a
fixed phrase word by word, neither looking at the neighbours. The copy is
then full of adjacent pairs of common words that English never puts
together: ``Naughty Canine`` (Naughty Dog), ``taking part in Future``
(playing Destiny), ``foul begin`` (bad start), ``Pink Useless`` (Red Dead).
These values measure that against :class:`~detector.collocations.Collocations`,
counts of word pairs in a broad corpus of everyday English (encyclopedia,
blogs, reviews, fiction, health pages and news), so that ``skin care`` or
``season pass`` count as ordinary even where wire news never printed them.

What looks similar but is legitimate: new names and coinages (a product
called ``Tears of the Kingdom``), lists and headlines, and the loose
phrasing of people. Only pairs of two *common* words count (each seen at
least :data:`COMMON_COUNT` times), so rare words, names and typos never do,
and a value is a share of the text's pairs: one odd pair is noise, a text
where one pair in ten has never been seen is not.

Each family works on a batch: :func:`transform` returns one row of
:data:`FEATURE_NAMES` per document, :func:`evidence` the spans of one.

>>> from detector.collocations import Collocations
>>> from detector.resources import Resources
>>> resources = Resources.empty()
>>> resources.collocations = Collocations.build(
...     ["The naughty dog sat on the mat.", "A canine sat on the mat."] * 200)
>>> rows = transform([Document.of("The naughty canine sat on the mat."),
...                   Document.of("The naughty dog sat on the mat.")], resources)
>>> rows[:, FEATURE_NAMES.index("collocation.unseen_pair_share")].round(2).tolist()
[0.5, 0.0]
>>> [e.snippet for e in evidence(Document.of("The naughty canine sat on the mat."), resources)]
['naughty canine']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detector.collocations import Collocations, normalise
from detector.features.base import (
    WINDOW_SENTENCES,
    Evidence,
    FeatureResult,
    batch_of_one,
    evidence_at,
)
from detector.resources import Resources
from detector.text import Document
from detector.wordlists import FUNCTION_WORDS

FAMILY = "collocation"

FEATURE_NAMES: tuple[str, ...] = (
    # share of adjacent pairs of common content words never seen together
    "collocation.unseen_pair_share",
    # the same over the text's worst run of three sentences
    "collocation.worst_block_unseen_pair_share",
    # share of pairs of common words (function words too) seen ten times
    # less often than chance predicts
    "collocation.weak_pair_share",
    # capitalised pairs of common words never seen together (Pink Useless,
    # Naughty Canine: a name swapped word by word), per 100 words
    "collocation.unseen_name_pair_rate",
)

#: A word counts as common from this many occurrences in the corpus on.
COMMON_COUNT = 200
#: A pair seen this many times less often than chance predicts is weak.
WEAK_RATIO = 10.0
#: Evidence items per document, at most (the most surprising pairs).
MAX_EVIDENCE = 8


@dataclass
class PairBatch:
    """The adjacent word pairs of a batch of documents, as flat arrays.

    Pair ``i`` joins token ``left[i]`` and ``left[i] + 1`` of document
    ``document[i]``, inside sentence ``sentence[i]`` (numbered across the
    batch); ``first_sentence[d]`` is document ``d``'s first sentence number.
    """

    document: np.ndarray
    sentence: np.ndarray
    left: np.ndarray
    count: np.ndarray
    left_count: np.ndarray
    right_count: np.ndarray
    capitalised: np.ndarray
    #: neither word is a function word ("the", "this", "on"): a pair across a
    #: clause boundary ("controller this") says little, one of two content
    #: words ("foul begin") says much
    content: np.ndarray
    first_sentence: np.ndarray
    words: np.ndarray
    sentences: int

    @property
    def common(self) -> np.ndarray:
        """Pairs of two common words."""
        return (self.left_count >= COMMON_COUNT) & (self.right_count >= COMMON_COUNT)


def pair_batch(docs: Sequence[Document], table: Collocations, names: frozenset[str]) -> PairBatch:
    """Every adjacent word pair of ``docs`` within a sentence, looked up in ``table``.

    ``names`` are words clean text only ever capitalises: a capitalised
    pair counts as a name pair only when neither word is one of them.
    """
    forms: list[str] = []
    is_word: list[bool] = []
    upper: list[bool] = []
    function: list[bool] = []
    sentence_of: list[int] = []
    document_of: list[int] = []
    first_sentence: list[int] = []
    word_totals: list[int] = []
    token_base: list[int] = []
    sentence = 0
    for index, doc in enumerate(docs):
        first_sentence.append(sentence)
        token_base.append(len(forms))
        words = 0
        for tokens in doc.sentence_tokens:
            for token in tokens:
                text = token.text
                word = text[0].isalpha() and "." not in text
                words += word
                form = normalise(text) if word else ""
                forms.append(form)
                is_word.append(word)
                upper.append(word and text[0].isupper() and form not in names)
                function.append(form in FUNCTION_WORDS)
                sentence_of.append(sentence)
                document_of.append(index)
            sentence += 1
        word_totals.append(words)
    ids = table.ids(forms)
    word_mask = np.array(is_word, dtype=bool)
    caps = np.array(upper, dtype=bool)
    function_mask = np.array(function, dtype=bool)
    sentences_array = np.array(sentence_of, dtype=np.int64)
    paired = word_mask[:-1] & word_mask[1:] & (sentences_array[:-1] == sentences_array[1:])
    left = np.flatnonzero(paired)
    documents = np.array(document_of, dtype=np.int64)[left]
    counts = table.count(ids)
    return PairBatch(
        document=documents,
        sentence=sentences_array[left],
        left=left - np.array(token_base, dtype=np.int64)[documents],
        count=table.pair_count(ids[left], ids[left + 1]),
        left_count=counts[left],
        right_count=counts[left + 1],
        capitalised=caps[left] & caps[left + 1],
        content=~function_mask[left] & ~function_mask[left + 1],
        first_sentence=np.array([*first_sentence, sentence], dtype=np.int64),
        words=np.array(word_totals, dtype=np.float64),
        sentences=sentence,
    )


def transform(docs: Sequence[Document], resources: Resources) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per document (zeros without a collocation table)."""
    rows = np.zeros((len(docs), len(FEATURE_NAMES)))
    table = resources.collocations
    if table is None or not docs:
        return rows
    batch = pair_batch(docs, table, resources.proper_words)
    common = batch.common
    content = common & batch.content
    unseen = content & (batch.count == 0)
    expected = batch.left_count * (batch.right_count / max(table.total, 1))
    weak = common & (batch.count * WEAK_RATIO < expected)
    n_docs = len(docs)
    rows[:, 0] = _share(batch.document, unseen, content, n_docs)
    rows[:, 1] = _worst_blocks(batch, unseen, content)
    rows[:, 2] = _share(batch.document, weak, common, n_docs)
    names = np.bincount(batch.document, weights=unseen & batch.capitalised, minlength=n_docs)
    rows[:, 3] = np.divide(names * 100.0, batch.words, out=np.zeros(n_docs), where=batch.words > 0)
    return rows


def _share(document: np.ndarray, hits: np.ndarray, eligible: np.ndarray, n_docs: int) -> np.ndarray:
    """Per document, the share of its eligible pairs that are hits (0 with none eligible)."""
    hit_counts = np.bincount(document, weights=hits, minlength=n_docs)
    totals = np.bincount(document, weights=eligible, minlength=n_docs)
    return np.divide(hit_counts, totals, out=np.zeros(n_docs), where=totals > 0)


def _worst_blocks(batch: PairBatch, hits: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Each document's highest share of ``hits`` over a run of three sentences."""
    per_hits = np.bincount(batch.sentence, weights=hits, minlength=batch.sentences)
    per_eligible = np.bincount(batch.sentence, weights=eligible, minlength=batch.sentences)
    worst = np.zeros(len(batch.first_sentence) - 1)
    kernel = np.ones(WINDOW_SENTENCES)
    for index in range(len(worst)):
        start, end = batch.first_sentence[index], batch.first_sentence[index + 1]
        if end <= start:
            continue
        width = min(WINDOW_SENTENCES, end - start)
        sums = np.convolve(per_hits[start:end], kernel[:width], mode="valid")
        counts = np.convolve(per_eligible[start:end], kernel[:width], mode="valid")
        # a run needs a few pairs before its share means anything
        ok = counts >= 5
        if ok.any():
            worst[index] = float((sums[ok] / counts[ok]).max())
    return worst


def evidence(doc: Document, resources: Resources) -> list[Evidence]:
    """The most surprising unseen pairs of one document (at most :data:`MAX_EVIDENCE`)."""
    table = resources.collocations
    if table is None:
        return []
    batch = pair_batch([doc], table, resources.proper_words)
    unseen = np.flatnonzero(batch.common & batch.content & (batch.count == 0))
    if len(unseen) == 0:
        return []
    # the pairs chance predicts most often are the strangest to miss
    expected = batch.left_count[unseen] * batch.right_count[unseen].astype(np.float64)
    chosen = np.sort(unseen[np.argsort(-expected, kind="stable")[:MAX_EVIDENCE]])
    tokens = [token for sentence in doc.sentence_tokens for token in sentence]
    items = []
    for pair in chosen.tolist():
        first, second = tokens[batch.left[pair]], tokens[batch.left[pair] + 1]
        kind = "name" if batch.capitalised[pair] else "pair"
        name = "collocation.unseen_name_pair" if kind == "name" else "collocation.unseen_pair"
        note = (
            f"'{first.text} {second.text}': two common words that everyday English "
            "never puts side by side"
            + (" (a name swapped word by word?)" if kind == "name" else "")
        )
        items.append(evidence_at(doc.text, FAMILY, name, first.start, second.end, note))
    return items


def extract(text: str | Document, resources: Resources) -> FeatureResult:
    """Values and evidence of one text (a batch of one)."""
    return batch_of_one(Document.of(text), resources, transform, evidence, FEATURE_NAMES)
