"""Corpus-derived resources that travel inside the model file.

A :class:`Resources` holds what the feature families learn from clean text
rather than from labels: a word trigram model of clean news, a 5-gram model
over word classes (function words kept, content words reduced to their shape)
that captures syntax independently of topic, English word frequencies, and a
lexicon of foreign words that English does not use. All of it is stored as
plain numpy arrays in the model's ``.npz`` file, so loading runs no code.

>>> words, classes, positions = encode(Document.of("The bank rose 3 percent."), Resources.empty())
>>> len(words) == len(classes) == len(positions)
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np

from detector import word_tables
from detector.collocations import Collocations
from detector.known_names import KnownNames
from detector.lm import NgramModel, pack
from detector.swaps import SwapTable
from detector.text import Document
from detector.word_tables import WordTable, word_count
from detector.wordlists import FUNCTION_WORDS, NUMBER_WORDS

# Word-model ids below FIRST_WORD_ID are reserved for these markers.
UNKNOWN, SENTENCE_START, SENTENCE_END, NUMBER, CODE = range(5)
FIRST_WORD_ID = 5
WORD_BITS = 16  # at most 65,536 word ids, so a trigram key fits in 48 bits
MAX_VOCABULARY = (1 << WORD_BITS) - FIRST_WORD_ID
WORD_ORDER = 3

# Word classes: every function word and punctuation mark is its own class;
# other tokens fall into the shape classes below.
PUNCTUATION = tuple(".,;:!?\"'()[]-–—%$&/")
SHAPES = (
    "<s>", "</s>", "<num>", "<code>", "<Cap>", "<CAPS>", "<ing>", "<ed>", "<ly>",
    "<noun-suffix>", "<adj-suffix>", "<s-suffix>", "<er>", "<word>", "<other>",
)  # fmt: skip
CLASS_NAMES = (*SHAPES, *PUNCTUATION, *sorted(FUNCTION_WORDS))
CLASS_IDS = {name: index for index, name in enumerate(CLASS_NAMES)}
CLASS_BITS = 10
CLASS_ORDER = 5

_NOUN_SUFFIXES = ("tion", "sion", "ment", "ness", "ity", "ance", "ence", "ship", "ism")
_ADJ_SUFFIXES = ("al", "ive", "ous", "ful", "able", "ible", "ic", "less", "ary")


def word_shape_class(token: str) -> int:
    """The class id of a token that is not a function word or punctuation.

    >>> CLASS_NAMES[word_shape_class("rising")], CLASS_NAMES[word_shape_class("Tokyo")]
    ('<ing>', '<Cap>')
    """
    first = token[0]
    if first.isdigit():
        return CLASS_IDS["<code>"] if "." in token and token[-1].isalpha() else CLASS_IDS["<num>"]
    if first == ".":
        return CLASS_IDS["<code>"]
    if not first.isalpha():
        return CLASS_IDS["<other>"]
    if first.isupper():
        if len(token) > 1 and token.isupper():
            return CLASS_IDS["<CAPS>"]
        return CLASS_IDS["<Cap>"]
    lower = token.lower()
    if lower in NUMBER_WORDS:
        return CLASS_IDS["<num>"]
    if lower.endswith("ing") and len(lower) > 5:
        return CLASS_IDS["<ing>"]
    if lower.endswith("ed") and len(lower) > 4:
        return CLASS_IDS["<ed>"]
    if lower.endswith("ly") and len(lower) > 4:
        return CLASS_IDS["<ly>"]
    if lower.endswith(_NOUN_SUFFIXES):
        return CLASS_IDS["<noun-suffix>"]
    if lower.endswith(_ADJ_SUFFIXES):
        return CLASS_IDS["<adj-suffix>"]
    if lower.endswith("er") or lower.endswith("or"):
        return CLASS_IDS["<er>"]
    if lower.endswith("s") and not lower.endswith("ss"):
        return CLASS_IDS["<s-suffix>"]
    return CLASS_IDS["<word>"]


def word_key(token: str) -> str | int:
    """What the word model sees of a token: its lower case, or a marker id.

    >>> word_key("Rose"), word_key("3.5"), word_key("7203.T")
    ('rose', 3, 4)
    """
    first = token[0]
    if first.isdigit():
        return CODE if "." in token and token[-1].isalpha() else NUMBER
    if first == "." and len(token) > 1:
        return CODE
    return token.lower()


@dataclass
class Resources:
    """What the feature families know about clean English (see module doc)."""

    vocabulary: Mapping[str, int]
    word_model: NgramModel
    class_model: NgramModel
    #: Zipf frequency (log10 per billion words + 9) of English words.
    english_zipf: Mapping[str, float] = field(default_factory=dict)
    #: Words common in a language English round trips pivot through (and
    #: rare in English), with that language's code.
    foreign_words: Mapping[str, str] = field(default_factory=dict)
    #: Weights of the hashed class n-gram model (translationese family), or
    #: None before that model is trained.
    pattern_weights: np.ndarray | None = None
    pattern_bias: float = 0.0
    #: Weights of the hashed word n-gram model (translationese wording
    #: score), or None when no neural MT was in the training data.
    wording_weights: np.ndarray | None = None
    wording_bias: float = 0.0
    #: Words clean text writes capitalised and never in lower case (names),
    #: in lower case; see :func:`detector.build.proper_nouns`.
    proper_words: frozenset[str] = frozenset()
    #: Names clean text refers to as "it" (companies, countries, institutions),
    #: in lower case; see :func:`detector.build.it_names`.
    it_names: frozenset[str] = frozenset()
    #: Two-word names clean text writes in Title Case ("world war"), in lower
    #: case; see :func:`detector.build.name_pairs`.
    name_pairs: frozenset[str] = frozenset()
    #: Word and class ids of token texts seen lately, packed in one integer
    #: (see :func:`_memo_ids`; filled as texts are encoded).
    token_memo: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    #: Synonyms of each word id as CSR arrays (substitution family): the
    #: synonyms of ``id`` are ``synonym_ids[synonym_offsets[id]:synonym_offsets[id + 1]]``.
    #: None in models built before the table existed (the family reports zeros).
    synonym_offsets: np.ndarray | None = None
    synonym_ids: np.ndarray | None = None
    #: Counts of words and adjacent word pairs in everyday English
    #: (collocation and spinner families); None in models built before it.
    collocations: Collocations | None = None
    #: Spinner substitutions learnt from spun copies and their originals
    #: (spinner family); None in models built before it.
    swap_table: SwapTable | None = None
    #: Counts of the capitalised names of everyday English ("Game of
    #: Thrones"; spinner family); None in models built before it.
    known_names: KnownNames | None = None
    #: The translationese family's page model (a
    #: :class:`~detector.mt_head.MachineTranslationHead` of class and common
    #: word n-grams, without calibration); None in models built before it.
    page_model: Any = None
    # The words by id, built on first use by :meth:`word_of` (evidence notes).
    _words_by_id: tuple[tuple[int, int], list[str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @classmethod
    def empty(cls) -> Resources:
        """Resources that know nothing (every n-gram unseen); for tests."""
        empty_word = NgramModel.fit([], order=WORD_ORDER, bits=WORD_BITS)
        empty_class = NgramModel.fit([], order=CLASS_ORDER, bits=CLASS_BITS)
        return cls({}, empty_word, empty_class)

    def word_of(self, word_id: int) -> str:
        """The word of a word-model id ("" for the reserved markers and unknown ids).

        >>> resources = Resources.empty()
        >>> resources.vocabulary = {"rose": FIRST_WORD_ID}
        >>> resources.word_of(FIRST_WORD_ID), resources.word_of(UNKNOWN)
        ('rose', '')
        """
        if isinstance(self.vocabulary, WordTable) and self.vocabulary.indexed:
            return self.vocabulary.word_with(word_id) or ""
        key = id(self.vocabulary), len(self.vocabulary)
        # Rebuilt when the vocabulary is replaced or grows (tests and the
        # builder set it after construction).
        if self._words_by_id is None or self._words_by_id[0] != key:
            words = [""] * (max(self.vocabulary.values(), default=0) + 1)
            for word, index in self.vocabulary.items():
                words[index] = word
            self._words_by_id = (key, words)
        words = self._words_by_id[1]
        return words[word_id] if 0 <= word_id < len(words) else ""

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays for the model's ``.npz`` (strings as UTF-8 bytes)."""
        by_id = sorted(self.vocabulary.items(), key=lambda item: item[1])
        arrays = {
            "vocabulary": _pack_strings([word for word, _ in by_id]),
            "english_words": _pack_strings(list(self.english_zipf)),
            "english_zipf": np.array(list(self.english_zipf.values()), dtype=np.float32),
            "foreign_words": _pack_strings(list(self.foreign_words)),
            "foreign_languages": _pack_strings(list(self.foreign_words.values())),
            "proper_words": _pack_strings(sorted(self.proper_words)),
            "it_names": _pack_strings(sorted(self.it_names)),
            "name_pairs": _pack_strings(sorted(self.name_pairs)),
        }
        if self.pattern_weights is not None:
            arrays["pattern_weights"] = self.pattern_weights.astype(np.float32)
            arrays["pattern_bias"] = np.array([self.pattern_bias])
        if self.wording_weights is not None:
            arrays["wording_weights"] = self.wording_weights.astype(np.float32)
            arrays["wording_bias"] = np.array([self.wording_bias])
        if self.synonym_offsets is not None and self.synonym_ids is not None:
            arrays["synonym_offsets"] = self.synonym_offsets.astype(np.int32)
            arrays["synonym_ids"] = self.synonym_ids.astype(np.uint16)
        if self.collocations is not None:
            arrays.update(self.collocations.to_arrays("collocation_"))
        if self.swap_table is not None:
            arrays.update(self.swap_table.to_arrays("swaps_"))
        if self.known_names is not None:
            arrays.update(self.known_names.to_arrays("names_"))
        if self.page_model is not None:
            arrays.update(self.page_model.to_arrays(PAGE_MODEL_PREFIX))
        arrays.update(self.word_model.to_arrays("word_lm_"))
        arrays.update(self.class_model.to_arrays("class_lm_"))
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> Resources:
        """Rebuild resources written by :meth:`to_arrays`."""

        return cls(
            vocabulary=WordTable.of(arrays, "vocabulary", _vocabulary),
            word_model=NgramModel.from_arrays(arrays, "word_lm_"),
            class_model=NgramModel.from_arrays(arrays, "class_lm_"),
            english_zipf=WordTable.of(arrays, "english_words", _english_zipf),
            foreign_words=WordTable.of(arrays, "foreign_words", _foreign_words),
            pattern_weights=(
                np.asarray(arrays["pattern_weights"], dtype=np.float64)
                if "pattern_weights" in arrays
                else None
            ),
            pattern_bias=float(arrays["pattern_bias"][0]) if "pattern_bias" in arrays else 0.0,
            wording_weights=(
                np.asarray(arrays["wording_weights"], dtype=np.float64)
                if "wording_weights" in arrays
                else None
            ),
            wording_bias=float(arrays["wording_bias"][0]) if "wording_bias" in arrays else 0.0,
            proper_words=frozenset(_unpack_strings(arrays["proper_words"]))
            if "proper_words" in arrays
            else frozenset(),
            it_names=frozenset(_unpack_strings(arrays["it_names"]))
            if "it_names" in arrays
            else frozenset(),
            name_pairs=frozenset(_unpack_strings(arrays["name_pairs"]))
            if "name_pairs" in arrays
            else frozenset(),
            synonym_offsets=(
                np.asarray(arrays["synonym_offsets"]) if "synonym_offsets" in arrays else None
            ),
            synonym_ids=np.asarray(arrays["synonym_ids"]) if "synonym_ids" in arrays else None,
            collocations=Collocations.from_arrays(arrays, "collocation_"),
            swap_table=SwapTable.from_arrays(arrays, "swaps_"),
            known_names=KnownNames.from_arrays(arrays, "names_"),
            page_model=_page_model(arrays),
        )


#: Prefix of the page model's arrays in a model file.
PAGE_MODEL_PREFIX = "page_model."


def _page_model(arrays: Mapping[str, np.ndarray]) -> Any:
    """The translationese family's page model in a model's arrays, or None."""
    if f"{PAGE_MODEL_PREFIX}intercept" not in arrays:
        return None
    from detector.mt_head import MachineTranslationHead  # it reads the families

    return MachineTranslationHead.from_arrays(arrays, PAGE_MODEL_PREFIX)


# The dicts of the word tables, built when a WordTable needs them: by map()
# and zip(), which run in C (a Python loop over 300,000 entries was a third
# of a second), sharing one object for each distinct value (a language code,
# a rounded frequency), which every worker of a batch run would otherwise
# hold 300,000 times.


def _vocabulary(arrays: Mapping[str, np.ndarray]) -> dict[str, int]:
    words = _unpack_strings(arrays["vocabulary"])
    return dict(zip(words, range(FIRST_WORD_ID, FIRST_WORD_ID + len(words)), strict=True))


def _english_zipf(arrays: Mapping[str, np.ndarray]) -> dict[str, float]:
    english = _unpack_strings(arrays["english_words"])
    distinct, which = np.unique(
        np.asarray(arrays["english_zipf"], dtype=np.float64), return_inverse=True
    )
    values = distinct.tolist()
    return dict(zip(english, map(values.__getitem__, which.ravel().tolist()), strict=True))


def _foreign_words(arrays: Mapping[str, np.ndarray]) -> dict[str, str]:
    foreign = _unpack_strings(arrays["foreign_words"])
    codes = _unpack_strings(arrays["foreign_languages"])
    shared: dict[str, str] = {}
    return dict(zip(foreign, map(shared.setdefault, codes, codes), strict=True))


def word_table_indexes(arrays: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Sorted indexes of the word tables of a model's arrays (see :mod:`detector.word_tables`).

    Derived from the arrays alone; :func:`detector.model.load_model` keeps
    them in the array cache, so that no start builds the tables' dicts.
    """
    indexes: dict[str, np.ndarray] = {}
    words = arrays["vocabulary"]
    first = FIRST_WORD_ID
    indexes.update(
        word_tables.index_arrays("vocabulary", words, np.arange(first, first + word_count(words)))
    )
    zipf = np.asarray(arrays["english_zipf"], dtype=np.float64)
    indexes.update(word_tables.index_arrays("english_words", arrays["english_words"], zipf))
    codes = np.array(_unpack_strings(arrays["foreign_languages"]), dtype=np.bytes_)
    indexes.update(word_tables.index_arrays("foreign_words", arrays["foreign_words"], codes))
    indexes.update(Collocations.word_index(arrays, "collocation_"))
    return indexes


def _pack_strings(strings: list[str]) -> np.ndarray:
    """Strings as one newline-joined UTF-8 byte array (compact, no pickle)."""
    if any("\n" in s for s in strings):
        raise ValueError("strings stored in a model may not contain newlines")
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8).copy()


def _unpack_strings(array: np.ndarray) -> list[str]:
    data = np.asarray(array, dtype=np.uint8).tobytes().decode("utf-8")
    return data.split("\n") if data else []


def encode(doc: Document, resources: Resources) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Word ids, class ids, and the token index of each position of a document.

    Each sentence is wrapped in start and end markers (token index -1), so the
    models see sentence boundaries. The result is kept on the document, so the
    families that need it (phrasing, translationese) encode a text once.
    """
    cache: dict[int, tuple[np.ndarray, np.ndarray, list[int]]] = doc.__dict__.setdefault(
        "_encoded", {}
    )
    key = id(resources.vocabulary)
    if key not in cache:
        within = doc.__dict__.get("_within")
        if within is not None:  # a part of a document: slice the document's encoding
            whole, first, last = within
            cache[key] = _slice(whole, first, last, encode(whole, resources))
        else:
            cache[key] = _encode(doc, resources.vocabulary, resources.token_memo)
    return cache[key]


def gram_counts(doc: Document, resources: Resources) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Counts of every k-gram of the document's word ids and of its class ids.

    See :meth:`~detector.lm.NgramModel.gram_counts`; kept on the document like
    :func:`encode`, and sliced from the whole document's for a part of it.
    """
    cache: dict[int, tuple[list[np.ndarray], list[np.ndarray]]] = doc.__dict__.setdefault(
        "_gram_counts", {}
    )
    key = id(resources.vocabulary)
    if key not in cache:
        words, classes, _ = encode(doc, resources)
        within = doc.__dict__.get("_within")
        if within is not None:
            whole_words, whole_classes = gram_counts(within[0], resources)
            begin = _slice_begin(within[0], within[1])
            # the (k + 1)-grams that start and end inside the part: none, and no
            # array, for an order longer than the part (as for a text of its own)
            cache[key] = (
                [c[begin : begin + len(words) - k] for k, c in enumerate(whole_words)
                 if k < len(words)],
                [c[begin : begin + len(classes) - k] for k, c in enumerate(whole_classes)
                 if k < len(classes)],
            )  # fmt: skip
        else:
            cache[key] = (
                resources.word_model.gram_counts(words),
                resources.class_model.gram_counts(classes),
            )
    return cache[key]


@dataclass
class EncodedBatch:
    """The encodings of a batch of documents laid end to end (see :func:`encode`).

    Document ``d`` holds positions ``bounds[d]`` to ``bounds[d + 1]``;
    ``local`` is each position's index inside its document and ``sentence``
    its sentence, numbered across the batch (document ``d``'s sentences are
    ``first_sentence[d]`` to ``first_sentence[d + 1]``). ``word_counts[k - 1]``
    and ``class_counts[k - 1]`` count the k-gram starting at each position
    (-1 where it would run past the document's end).
    """

    word_ids: np.ndarray
    class_ids: np.ndarray
    inside: np.ndarray
    document: np.ndarray
    local: np.ndarray
    bounds: np.ndarray
    sentence: np.ndarray
    first_sentence: np.ndarray
    word_counts: list[np.ndarray]
    class_counts: list[np.ndarray]

    @property
    def sentences(self) -> int:
        return int(self.first_sentence[-1])


def encode_batch(docs: Sequence[Document], resources: Resources) -> EncodedBatch:
    """:func:`encode` and :func:`gram_counts` of every document, as flat arrays."""
    prefetch_gram_counts(docs, resources)
    encoded = [encode(doc, resources) for doc in docs]
    counts = [gram_counts(doc, resources) for doc in docs]
    sizes = np.array([len(words) for words, _, _ in encoded], dtype=np.int64)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    total = int(bounds[-1])
    document = np.repeat(np.arange(len(docs)), sizes)
    local = np.arange(total) - bounds[document]
    word_ids = np.concatenate([w for w, _, _ in encoded]) if docs else np.zeros(0, np.int64)
    class_ids = np.concatenate([c for _, c, _ in encoded]) if docs else np.zeros(0, np.int64)
    # each sentence's encoding opens with its start marker and closes with
    # its end marker; no token's id is either (ids of words start higher)
    opens = word_ids == SENTENCE_START
    inside = ~opens & (word_ids != SENTENCE_END)
    sentence = np.cumsum(opens) - 1
    per_document = np.bincount(document[opens], minlength=len(docs)) if total else sizes * 0
    first_sentence = np.concatenate([[0], np.cumsum(per_document)])

    def laid_out(model: NgramModel, which: int) -> list[np.ndarray]:
        # a document of n positions has n - k + 1 k-grams (none when n < k),
        # counted from its first position; its last k - 1 positions stay -1
        arrays = []
        for k in range(1, model.order + 1):
            found = [own[which][k - 1] for own in counts if len(own[which]) >= k]
            lengths = np.maximum(sizes - (k - 1), 0)
            laid = np.full(total, -1.0)
            if found:
                ends = np.cumsum(lengths)
                shift = np.repeat(bounds[:-1] - (ends - lengths), lengths)
                laid[np.arange(int(ends[-1])) + shift] = np.concatenate(found)
            arrays.append(laid)
        return arrays

    return EncodedBatch(
        word_ids=word_ids,
        class_ids=class_ids,
        inside=inside,
        document=document,
        local=local,
        bounds=bounds,
        sentence=sentence,
        first_sentence=first_sentence,
        word_counts=laid_out(resources.word_model, 0),
        class_counts=laid_out(resources.class_model, 1),
    )


def prefetch_gram_counts(docs: Sequence[Document], resources: Resources) -> None:
    """Compute :func:`gram_counts` for many documents at once.

    The same counts as document by document, but each table is searched once
    for all the documents' n-grams in sorted order, which walks it nearly
    sequentially: several times faster per n-gram than one document's few
    hundred scattered searches. Batch scoring calls this on each chunk.
    """
    # a part of a document slices the document's counts (see gram_counts)
    pending = [doc for doc in docs if id(resources.vocabulary) not in doc.__dict__.get(
        "_gram_counts", {}
    ) and "_within" not in doc.__dict__]  # fmt: skip
    if not pending:
        return
    encoded = [encode(doc, resources) for doc in pending]
    results: list[list[list[np.ndarray]]] = []
    for model, sequences in (
        (resources.word_model, [words for words, _, _ in encoded]),
        (resources.class_model, [classes for _, classes, _ in encoded]),
    ):
        per_doc: list[list[np.ndarray]] = [[] for _ in pending]
        for k in range(1, model.order + 1):
            keys = [pack(ids, k, model.bits) for ids in sequences]
            counts = model.lookup(np.concatenate(keys), k)
            parts = np.split(counts, np.cumsum([len(part) for part in keys])[:-1])
            for index, (ids, part) in enumerate(zip(sequences, parts, strict=True)):
                if len(ids) >= k:
                    per_doc[index].append(part)
        results.append(per_doc)
    key = id(resources.vocabulary)
    for doc, words, classes in zip(pending, results[0], results[1], strict=True):
        doc.__dict__.setdefault("_gram_counts", {})[key] = (words, classes)


def _slice_begin(whole: Document, first: int) -> int:
    """Where sentence ``first`` of ``whole`` starts in its encoding."""
    return sum(len(sentence) for sentence in whole.sentence_tokens[:first]) + 2 * first


def _slice(
    whole: Document, first: int, last: int, encoded: tuple[np.ndarray, np.ndarray, list[int]]
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """The encoding of sentences ``first`` to ``last`` (excluded) of ``whole``.

    Each sentence takes its tokens plus a start and an end marker, so the
    slice is exactly what encoding those sentences alone would give.
    """
    begin = _slice_begin(whole, first)
    shift = begin - 2 * first  # tokens before the part
    size = sum(len(sentence) for sentence in whole.sentence_tokens[first:last])
    end = begin + size + 2 * (last - first)
    words, classes, positions = encoded
    return (
        words[begin:end],
        classes[begin:end],
        [p - shift if p >= 0 else p for p in positions[begin:end]],
    )


#: Token texts whose ids one :class:`Resources` remembers, at most; past it
#: the memo starts afresh, so memory stays bounded on any stream of texts
#: (a few MB: the common words are back in it within a few documents).
MAX_MEMO_TOKENS = 20_000


def _encode(
    doc: Document, vocabulary: Mapping[str, int], memo: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    if len(memo) > MAX_MEMO_TOKENS:
        memo.clear()
    grouped = doc.sentence_tokens
    texts = list(map(itemgetter(0), chain.from_iterable(grouped)))
    codes = list(map(memo.get, texts))
    if None in codes:  # texts not met lately: worked out once, then remembered
        for index in [index for index, code in enumerate(codes) if code is None]:
            codes[index] = _memo_ids(texts[index], vocabulary, memo)
    sizes = np.fromiter(map(len, grouped), dtype=np.int64, count=len(grouped))
    # sentence k's tokens go after its start marker and the 2k markers before it
    where = (
        np.arange(len(texts), dtype=np.int64)
        + 1
        + 2 * np.repeat(np.arange(len(grouped), dtype=np.int64), sizes)
    )
    total = len(texts) + 2 * len(grouped)
    ends = np.cumsum(sizes + 2) - 1
    words = np.full(total, SENTENCE_START, dtype=np.int64)
    classes = np.full(total, CLASS_IDS["<s>"], dtype=np.int64)
    positions = np.full(total, -1, dtype=np.int64)
    words[ends], classes[ends] = SENTENCE_END, CLASS_IDS["</s>"]
    if texts:
        packed = np.array(codes, dtype=np.int64)
        words[where], classes[where] = packed >> _PACKED_CLASS_BITS, packed & _PACKED_CLASS_MASK
        positions[where] = np.arange(len(texts))
    return words, classes, positions.tolist()


#: A token's word and class ids in one integer: ``word << _PACKED_CLASS_BITS | class``.
_PACKED_CLASS_BITS = 16
_PACKED_CLASS_MASK = (1 << _PACKED_CLASS_BITS) - 1


def _memo_ids(text: str, vocabulary: Mapping[str, int], memo: dict[str, int]) -> int:
    """The word and class id of a token text, packed and remembered in ``memo``.

    >>> memo = {}
    >>> code = _memo_ids("Rose", {"rose": 7}, memo)
    >>> code >> _PACKED_CLASS_BITS, code & _PACKED_CLASS_MASK == _class_of_text("Rose")
    (7, True)
    >>> memo == {"Rose": code}
    True
    """
    key = word_key(text)
    word = key if isinstance(key, int) else vocabulary.get(key, UNKNOWN)
    code = memo[text] = word << _PACKED_CLASS_BITS | _class_of_text(text)
    return code


@lru_cache(maxsize=1 << 16)
def _class_of_text(text: str) -> int:
    """Class id of a token: itself if a function word or punctuation, else its shape."""
    found = CLASS_IDS.get(text.lower()) if text[0].isalpha() else CLASS_IDS.get(text)
    # Capitalised function words are still function words ("The", "In").
    return found if found is not None else word_shape_class(text)
