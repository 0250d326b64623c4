"""Build :class:`~detector.resources.Resources` from clean English text.

Training-time only (imports wordfreq). The language models learn from clean
documents that must be kept apart from the documents the classifier is
evaluated on, or clean test text would look unusually fluent.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import pairwise

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


def build_resources(
    texts: Iterable[str],
    *,
    min_trigram_count: int = 2,
    min_word_count: int = 2,
    progress: bool = False,
) -> Resources:
    """Learn the language models and lexicons from clean English documents."""
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
    return Resources(
        vocabulary=vocabulary,
        word_model=word_model,
        class_model=class_model,
        english_zipf=english,
        foreign_words=foreign_lexicon(english),
        proper_words=proper_nouns(documents),
    )
