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
from functools import cached_property

import numpy as np

from detector.collocations import WORD_BITS, Collocations, normalise
from detector.features.base import (
    WINDOW_SENTENCES,
    Evidence,
    FeatureResult,
    batch_of_one,
    evidence_at,
    items_of,
    keep,
    kept_on,
    wholes_in_batch,
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

    @cached_property
    def common(self) -> np.ndarray:
        """Pairs of two common words (worked out once: each document's evidence asks)."""
        return (self.left_count >= COMMON_COUNT) & (self.right_count >= COMMON_COUNT)


def pair_batch(docs: Sequence[Document], table: Collocations, names: frozenset[str]) -> PairBatch:
    """Every adjacent word pair of ``docs`` within a sentence, looked up in ``table``.

    ``names`` are words clean text only ever capitalises: a capitalised
    pair counts as a name pair only when neither word is one of them. What
    the table says of a token depends on its text alone, so each distinct
    text is looked up once (see :class:`TokenCodes`), a part of a document
    of the batch takes its tokens' codes from the document's (see
    :func:`~detector.features.base.wholes_in_batch`), and the rest is array
    arithmetic over the whole batch.
    """
    wholes = wholes_in_batch(docs)
    texts: list[str] = []
    # per document read: its sentences' sizes, and where its tokens start in ``texts``
    read: dict[int, tuple[list[int], int]] = {}
    for index, whole in enumerate(wholes):
        if whole is None:
            grouped = docs[index].sentence_tokens
            read[index] = ([len(tokens) for tokens in grouped], len(texts))
            for tokens in grouped:
                texts.extend([token.text for token in tokens])
    read_codes = TokenCodes.of(table, names).codes(texts)
    sentence_sizes: list[int] = []
    sentence_counts: list[int] = []
    pieces: list[np.ndarray] = []
    for index, whole in enumerate(wholes):
        if whole is None:
            own_sizes, begin = read[index]
        else:  # a part of a document of the batch: that document's sentences first..last
            own, begin = read[whole[0]]
            begin += sum(own[: whole[1]])
            own_sizes = own[whole[1] : whole[2]]
        sentence_counts.append(len(own_sizes))
        sentence_sizes.extend(own_sizes)
        pieces.append(read_codes[begin : begin + sum(own_sizes)])
    codes = np.concatenate(pieces) if len(pieces) > 1 else read_codes
    sentences = len(sentence_sizes)
    sizes = np.array(sentence_sizes, dtype=np.int64)
    sentences_array = np.repeat(np.arange(sentences, dtype=np.int64), sizes)
    per_sentence_document = np.repeat(
        np.arange(len(docs), dtype=np.int64), np.array(sentence_counts, dtype=np.int64)
    )
    document_of = per_sentence_document[sentences_array]
    token_counts = np.bincount(document_of, minlength=len(docs))
    token_base = np.concatenate([[0], np.cumsum(token_counts)[:-1]]).astype(np.int64)
    first_sentence = np.concatenate([[0], np.cumsum(sentence_counts)]).astype(np.int64)
    ids = codes & TokenCodes.ID_MASK
    word_mask = (codes & TokenCodes.WORD) != 0
    caps = (codes & TokenCodes.CAPITALISED) != 0
    function_mask = (codes & TokenCodes.FUNCTION) != 0
    paired = word_mask[:-1] & word_mask[1:] & (sentences_array[:-1] == sentences_array[1:])
    left = np.flatnonzero(paired)
    documents = document_of[left]
    counts = table.count(ids)
    return PairBatch(
        document=documents,
        sentence=sentences_array[left],
        left=left - token_base[documents],
        count=table.pair_count(ids[left], ids[left + 1]),
        left_count=counts[left],
        right_count=counts[left + 1],
        capitalised=caps[left] & caps[left + 1],
        content=~function_mask[left] & ~function_mask[left + 1],
        first_sentence=first_sentence,
        words=np.bincount(document_of, weights=word_mask, minlength=len(docs)).astype(np.float64),
        sentences=sentences,
    )


class TokenCodes:
    """What a collocation table says of a token text, packed in one integer, remembered.

    The low bits hold the word's id in the table (0: not a word, or not in
    it); flags say whether the token is a word, a capitalised word that is
    not one of the ``names`` clean text always capitalises, and a function
    word. Texts repeat their words, so each distinct token text is worked
    out once per table; at most :data:`MAX_TOKENS` are kept.

    >>> from detector.collocations import Collocations
    >>> codes = TokenCodes.of(Collocations.build(["Red dog."] * 2), frozenset()).codes(
    ...     ["Red", "dog", ".", "the"])
    >>> (codes & TokenCodes.ID_MASK).tolist(), ((codes & TokenCodes.CAPITALISED) > 0).tolist()
    ([1, 2, 0, 0], [True, False, False, False])
    """

    ID_MASK = (1 << WORD_BITS) - 1
    WORD = 1 << WORD_BITS
    CAPITALISED = WORD << 1
    FUNCTION = WORD << 2
    # set on every code, so that no code is 0
    _KNOWN = WORD << 3
    #: Distinct token texts remembered, at most (then the memory starts afresh).
    MAX_TOKENS = 20_000
    _last: TokenCodes | None = None

    def __init__(self, table: Collocations, names: frozenset[str]) -> None:
        self.table = table
        self.names = names
        self._memo: dict[str, int] = {}

    @classmethod
    def of(cls, table: Collocations, names: frozenset[str]) -> TokenCodes:
        """The codes of this table and these names (kept while they are the ones asked for)."""
        last = cls._last
        if last is None or last.table is not table or last.names is not names:
            last = cls._last = cls(table, names)
        return last

    def codes(self, texts: Sequence[str]) -> np.ndarray:
        """The code of each token text."""
        memo = self._memo
        if len(memo) > self.MAX_TOKENS:
            memo.clear()
        get = memo.get
        code = self._code
        return np.array([get(text) or code(text) for text in texts], dtype=np.int64)

    def _code(self, text: str) -> int:
        word = text[0].isalpha() and "." not in text
        form = normalise(text) if word else ""
        value = self._KNOWN | (self.table.vocabulary.get(form, 0) if word else 0)
        if word:
            value |= self.WORD
            if text[0].isupper() and form not in self.names:
                value |= self.CAPITALISED
            if form in FUNCTION_WORDS:
                value |= self.FUNCTION
        self._memo[text] = value
        return value


def transform(docs: Sequence[Document], resources: Resources) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per document (zeros without a collocation table)."""
    rows = np.zeros((len(docs), len(FEATURE_NAMES)))
    table = resources.collocations
    if table is None or not docs:
        return rows
    batch = pair_batch(docs, table, resources.proper_words)
    for index, doc in enumerate(docs):  # for evidence(), which then looks nothing up
        keep(doc, FAMILY, resources, (batch, index))
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
    batch, own = kept_on(doc, FAMILY, resources, _pairs_alone, doc, table, resources)
    mine = items_of(batch.document, own)
    unseen = mine[(batch.common[mine] & batch.content[mine] & (batch.count[mine] == 0))]
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


def _pairs_alone(doc: Document, table: Collocations, resources: Resources) -> tuple[PairBatch, int]:
    """:func:`pair_batch` of a batch of one, and the document's index in it."""
    return pair_batch([doc], table, resources.proper_words), 0


def extract(text: str | Document, resources: Resources) -> FeatureResult:
    """Values and evidence of one text (a batch of one)."""
    return batch_of_one(Document.of(text), resources, transform, evidence, FEATURE_NAMES)
