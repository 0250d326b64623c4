"""Build :class:`~detector.resources.Resources` from clean English text.

Training-time only (imports wordfreq). The language models learn from clean
documents that must be kept apart from the documents the classifier is
evaluated on, or clean test text would look unusually fluent.
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

import numpy as np

from detector.lm import NgramModel
from detector.resources import (
    CLASS_BITS,
    CLASS_ORDER,
    FIRST_WORD_ID,
    MAX_VOCABULARY,
    WORD_BITS,
    WORD_ORDER,
    Resources,
    encode,
    word_key,
)
from detector.text import Document
from detector.wordlists import BRITISH_AMERICAN, FUNCTION_WORDS, NUMBER_WORDS

#: Languages whose common words, left in English text, betray a round trip.
FOREIGN_LANGUAGES = ("es", "ca", "pt", "fr", "it", "de", "nl")
#: Least Zipf frequency for an English word to be stored.
MIN_ENGLISH_ZIPF = 1.5


def english_frequencies(min_zipf: float = MIN_ENGLISH_ZIPF) -> dict[str, float]:
    """Zipf frequencies of English words from wordfreq (alphabetic words only)."""
    import wordfreq

    frequencies = wordfreq.get_frequency_dict("en")
    result = {}
    for word, frequency in frequencies.items():
        zipf = math.log10(frequency * 1e9)
        if zipf >= min_zipf and word.replace("'", "").replace("-", "").isalpha():
            result[word] = round(zipf, 2)
    return result


def foreign_lexicon(english: dict[str, float], per_language: int = 30000) -> dict[str, str]:
    """Words common in a pivot language and rare in English, with the language.

    A word is kept when it is among the language's ``per_language`` most
    frequent words, at least 1.5 Zipf more frequent there than in English,
    and rarer than Zipf 2.5 in English.
    """
    import wordfreq

    lexicon: dict[str, str] = {}
    for language in FOREIGN_LANGUAGES:
        frequencies = wordfreq.get_frequency_dict(language)
        for word in wordfreq.top_n_list(language, per_language):
            if len(word) < 4 or not word.isalpha() or word in lexicon:
                continue
            english_zipf = english.get(word, 0.0)
            if english_zipf >= 2.5:
                continue
            if math.log10(frequencies[word] * 1e9) - english_zipf >= 1.5:
                lexicon[word] = language
    return lexicon


#: A word is a name when written capitalised inside sentences at least this often...
MIN_NAME_COUNT = 8
#: ...and in lower case at most this share of that.
MAX_LOWER_SHARE = 0.01
# Tokens after these may be capitalised for other reasons (a quotation, a list).
_OPENERS = frozenset("\"'“‘(:-–—")


def proper_nouns(
    documents: Iterable[Document],
    *,
    min_count: int = MIN_NAME_COUNT,
    max_lower_share: float = MAX_LOWER_SHARE,
) -> frozenset[str]:
    """Words that clean text writes capitalised inside sentences and (almost) never in lower case.

    Names of people, places, companies and institutions, days and months,
    demonyms; learnt from the corpus so the list covers its names, not only
    the hand-written tables of :mod:`detector.features.casing`. Returned in
    lower case, at least three letters long.

    >>> docs = [Document.of("Shares of Apple rose. Analysts at Apple said so.")] * 4
    >>> sorted(proper_nouns(docs, min_count=8))
    ['apple']
    """
    capitalised: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for doc in documents:
        for sentence in doc.sentence_tokens:
            for before, token in pairwise(sentence):
                word = token.text
                if not word.isalpha() or before.text in _OPENERS:
                    continue
                if word.islower():
                    lower[word] += 1
                elif word[0].isupper() and not word.isupper():
                    capitalised[word.lower()] += 1
    return frozenset(
        word
        for word, count in capitalised.items()
        if count >= min_count and lower[word] <= max_lower_share * count and len(word) >= 3
    )


#: WordNet parts of speech the synonym table draws on (noun, verb, adjective, adverb).
_PARTS_OF_SPEECH = ("n", "v", "a", "r")
#: Most synonyms kept per word form, most frequent in the corpus first.
MAX_SYNONYMS = 24


def _inflection(form: str, lemma: str, pos: str) -> str:
    """A coarse inflection class of a form of a lemma, so synonyms agree with it.

    >>> _inflection("exports", "export", "n"), _inflection("rose", "rise", "v")
    ('plural', 'past')
    """
    if form == lemma:
        return "base"
    if pos == "n":
        return "plural"
    if pos != "v":
        return "graded"  # comparatives and superlatives: no synonym keeps the grade
    if form.endswith("ing"):
        return "gerund"
    if form.endswith("s") and not form.endswith("ss"):
        return "third_person"
    return "past"


def synonym_table(
    vocabulary: dict[str, int],
    counts: dict[str, int] | None = None,
    wordnet: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """WordNet synonyms of every content word of a vocabulary, as CSR arrays of word ids.

    Row ``id`` of the result (``ids[offsets[id]:offsets[id + 1]]``) lists the
    word ids of the vocabulary forms that share a WordNet synset with the
    word of that id, inflected alike ("exports" -> "outputs" is kept only if
    "outputs" is a vocabulary word); function words, numbers and multiword
    lemmas get none. ``counts`` (corpus frequency of each form) orders and
    caps each row at :data:`MAX_SYNONYMS`, most frequent first.
    Build time only: needs NLTK and WordNet (:mod:`detector.synth.wordnet`).
    """
    if wordnet is None:
        from detector.synth.wordnet import load_wordnet

        wordnet = load_wordnet()
    reader = wordnet
    counts = counts or {}
    # Vocabulary forms of each (lemma, part of speech, inflection): the way back
    # from a synonym lemma to the form that agrees with the word it replaces.
    forms: dict[tuple[str, str, str], list[int]] = {}
    lemmas_of: dict[int, list[tuple[str, str, str]]] = {}
    for word, word_id in vocabulary.items():
        if not _is_content_word(word):
            continue
        for pos in _PARTS_OF_SPEECH:
            lemma = reader.morphy(word, pos)
            if lemma is None:
                continue
            inflection = _inflection(word, lemma, pos)
            if inflection == "graded":
                continue
            forms.setdefault((lemma, pos, inflection), []).append(word_id)
            lemmas_of.setdefault(word_id, []).append((lemma, pos, inflection))
    size = max(vocabulary.values(), default=FIRST_WORD_ID - 1) + 1
    words_by_id = {word_id: word for word, word_id in vocabulary.items()}
    rows: list[list[int]] = [[] for _ in range(size)]
    for word_id, entries in lemmas_of.items():
        found: set[int] = set()
        for lemma, pos, inflection in entries:
            for synset in reader.synsets(lemma, pos):
                for name in synset.lemma_names():
                    if name == lemma or "_" in name:
                        continue
                    found.update(forms.get((name.lower(), pos, inflection), ()))
        found.discard(word_id)
        word = words_by_id[word_id]
        found = {other for other in found if not _spelling_variant(word, words_by_id[other])}
        ranked = sorted(found, key=lambda other: (-counts.get(words_by_id[other], 0), other))
        rows[word_id] = ranked[:MAX_SYNONYMS]
    offsets = np.zeros(size + 1, dtype=np.int32)
    offsets[1:] = np.cumsum([len(row) for row in rows])
    ids = np.array([other for row in rows for other in row], dtype=np.uint16)
    return offsets, ids


_BRITISH_AMERICAN = frozenset(BRITISH_AMERICAN) | frozenset((b, a) for a, b in BRITISH_AMERICAN)


def _spelling_variant(word: str, other: str) -> bool:
    """Whether two synonyms are one word spelt two ways ("labour", "labor"), or nearly.

    WordNet lists spellings and close derivations side by side; one for the
    other is a spelling choice (the lexicon family's business), not a swap.

    >>> _spelling_variant("defence", "defense"), _spelling_variant("assisted", "helped")
    (True, False)
    """
    if (word, other) in _BRITISH_AMERICAN:
        return True
    return difflib.SequenceMatcher(None, word, other).ratio() >= 0.8


def _is_content_word(word: str) -> bool:
    return (
        len(word) > 2
        and word.isalpha()
        and word.isascii()
        and word not in FUNCTION_WORDS
        and word not in NUMBER_WORDS
    )


def build_resources(
    texts: Iterable[str],
    *,
    min_trigram_count: int = 2,
    min_word_count: int = 2,
    synonyms: bool = True,
    progress: bool = False,
) -> Resources:
    """Learn the language models and lexicons from clean English documents.

    With ``synonyms`` the WordNet synonym table of the substitution family is
    built too; when WordNet is not installed it is left out with a warning
    (the family then reports zeros).
    """
    documents = [Document.of(text) for text in texts]
    counts: Counter[str] = Counter()
    for doc in documents:
        for token in doc.tokens:
            key = word_key(token.text)
            if isinstance(key, str):
                counts[key] += 1
    vocabulary = {
        word: index + FIRST_WORD_ID
        for index, (word, count) in enumerate(counts.most_common(MAX_VOCABULARY))
        if count >= min_word_count
    }
    bootstrap = Resources.empty()
    bootstrap.vocabulary = vocabulary

    def sequences() -> Iterator[tuple[list[int], list[int]]]:
        for doc in documents:
            words, classes, _ = encode(doc, bootstrap)
            yield words.tolist(), classes.tolist()

    encoded = list(sequences())
    word_model = NgramModel.fit(
        (w for w, _ in encoded), order=WORD_ORDER, bits=WORD_BITS, min_count=min_trigram_count
    )
    class_model = NgramModel.fit(
        (c for _, c in encoded), order=CLASS_ORDER, bits=CLASS_BITS, min_count=2
    )
    english = english_frequencies()
    resources = Resources(
        vocabulary=vocabulary,
        word_model=word_model,
        class_model=class_model,
        english_zipf=english,
        foreign_words=foreign_lexicon(english),
        proper_words=proper_nouns(documents),
    )
    if synonyms:
        add_synonym_table(resources)
    return resources


def add_synonym_table(resources: Resources) -> bool:
    """Give resources without one the WordNet synonym table (in place); whether it now has one.

    Each row is ordered by the words' counts in the word model. When WordNet
    is not installed the table is left out with a warning, and the
    substitution family reports zeros.
    """
    if resources.synonym_offsets is not None:
        return True
    from detector.synth.wordnet import WordNetMissing

    words = list(resources.vocabulary)
    ids = np.array([resources.vocabulary[word] for word in words], dtype=np.int64)
    frequency = resources.word_model.lookup(ids, 1)
    counts = {word: int(count) for word, count in zip(words, frequency, strict=True)}
    try:
        resources.synonym_offsets, resources.synonym_ids = synonym_table(
            resources.vocabulary, counts
        )
    except WordNetMissing as error:
        warnings.warn(f"no synonym table: {error}", stacklevel=2)
        return False
    return True
