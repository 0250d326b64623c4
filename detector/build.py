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
from collections.abc import Iterable, Iterator, Mapping
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
from detector.text import Document, Token
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
            # at the precision the model file keeps (float32): a model trained
            # right after the build then sees the values it is scored with
            result[word] = float(np.float32(round(zipf, 2)))
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


#: A two-word name is kept when clean text writes it at least this often...
MIN_PAIR_COUNT = 5
#: ...and with its first word in lower case at most this share of that.
MAX_LOWER_PAIR_SHARE = 0.01


def _title_case(word: str) -> bool:
    return word[:1].isupper() and word.isalpha() and not word.isupper()


def name_pairs(
    documents: Iterable[Document],
    *,
    min_count: int = MIN_PAIR_COUNT,
    max_lower_share: float = MAX_LOWER_PAIR_SHARE,
) -> frozenset[str]:
    """Two-word names clean text writes in Title Case inside sentences: ``world war``.

    Returned in lower case, the two words joined by a space. The casing
    family flags ``world War`` and ``wall Street``: a round trip that
    re-cased the name word by word. Pairs whose first word clean text also
    writes in lower case before the second (``western Europe``) are left out.

    >>> docs = [Document.of("It began after the Second World War ended.")] * 5
    >>> sorted(name_pairs(docs))
    ['second world', 'world war']
    """
    titled: Counter[tuple[str, str]] = Counter()
    lowered: Counter[tuple[str, str]] = Counter()
    for doc in documents:
        for sentence in doc.sentence_tokens:
            for index in range(2, len(sentence)):
                first, second = sentence[index - 1].text, sentence[index].text
                if not _title_case(second):
                    continue
                if _title_case(first):
                    titled[first.lower(), second.lower()] += 1
                elif first.islower() and first.isalpha():
                    lowered[first, second.lower()] += 1
    return frozenset(
        f"{first} {second}"
        for (first, second), count in titled.items()
        if count >= min_count and lowered[first, second] <= max_lower_share * count
    )


#: A name is an "it" when clean text refers to it as "it" at least this often...
MIN_IT_COUNT = 2
#: ...and as "he" or "she" at most this share of that.
MAX_PERSON_SHARE = 0.0
# Verbs after which a pronoun may repeat the subject: "Toray said it would".
_SAYING = frozenset({"said", "says"})
_DAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
# Corporate forms skipped to reach the name: "Toray Industries Inc said it".
_CORPORATE = frozenset("Inc Corp Co Ltd Plc PLC LLC AG SA SpA NV AB".split())


# Titles before a person's name: "Mr. Abe", "Governor Brainard".
_TITLES = frozenset(
    "Mr Mrs Ms Dr President Governor Chairman Chairwoman Senator Sen Minister Secretary "
    "Judge Premier Chancellor Rep Gov Prime Mayor".split()
)


def _is_name_word(word: str) -> bool:
    return word.isalpha() and word[0].isupper() and word not in _CORPORATE


def _is_company_mark(sentence: list[Token], index: int) -> bool:
    """True at a corporate form or at the "(" of a bracketed instrument code."""
    word = sentence[index].text
    if word in _CORPORATE:
        return True
    return (
        word == "("
        and index + 2 < len(sentence)
        and sentence[index + 2].text == ")"
        and "." in sentence[index + 1].text
        and sentence[index + 1].text[-1].isalpha()
    )


def _subject_name(sentence: list[Token], verb: int) -> str | None:
    """The capitalised word that ends the subject before ``verb``, if any."""
    index = verb - 1
    if index >= 3 and sentence[index].text == ")" and sentence[index - 2].text == "(":
        index -= 3  # a bracketed instrument code: "Toray (3402.T) said"
    if index >= 1 and sentence[index].text == ".":
        index -= 1
    if index >= 1 and sentence[index].text in _CORPORATE:
        index -= 1
    if index < 1:  # the first word of a sentence is capitalised anyway
        return None
    word = sentence[index].text
    if word.isalpha() and word[0].isupper():
        return word.lower()
    return None


def it_names(documents: Iterable[Document]) -> frozenset[str]:
    """Names that clean text refers to as "it": companies, countries, institutions.

    Counted where a name is the subject of "said" and a pronoun repeats it
    (``Toray said on Monday it would``, ``Moon said he would``); words of a
    name before a corporate form or a bracketed instrument code count as
    "it", words after a title (``Governor Brainard``) as "he" or "she". Kept
    when "it" comes at least :data:`MIN_IT_COUNT` times and "he" or "she" at
    most :data:`MAX_PERSON_SHARE` as often (never, as set: a surname shared by
    a company, such as Morris or Jacobs, is called "he" somewhere). The
    pronouns family uses them to tell ``Toray said he`` (a slip) from ``Moon
    said he``.

    >>> docs = [Document.of("Profit fell, and Toray said on Monday it would cut jobs. "
    ...                     "Later Abe said he would visit.")] * 2
    >>> sorted(it_names(docs))
    ['toray']
    """
    it_count: Counter[str] = Counter()
    person_count: Counter[str] = Counter()
    for doc in documents:
        for sentence in doc.sentence_tokens:
            for verb, token in enumerate(sentence):
                if token.text in _TITLES and verb + 1 < len(sentence):
                    title_of = sentence[verb + 1].text
                    if title_of.isalpha() and title_of[0].isupper():
                        person_count[title_of.lower()] += 1
                    continue
                if _is_company_mark(sentence, verb):
                    # every capitalised word of the name before a code or a corporate form
                    index = verb - 1
                    while index >= 1 and _is_name_word(sentence[index].text):
                        it_count[sentence[index].text.lower()] += 1
                        index -= 1
                    continue
                if token.text not in _SAYING:
                    continue
                after = verb + 1
                if after + 1 < len(sentence) and sentence[after].text == "on":
                    after += 2 if sentence[after + 1].text in _DAYS else 0
                if after < len(sentence) and sentence[after].text == "that":
                    after += 1
                if after >= len(sentence):
                    continue
                pronoun = sentence[after].text
                if pronoun not in {"it", "he", "she"}:
                    continue
                name = _subject_name(sentence, verb)
                if name is None:
                    continue
                if pronoun == "it":
                    it_count[name] += 1
                else:
                    person_count[name] += 1
    return frozenset(
        name
        for name, count in it_count.items()
        if count >= MIN_IT_COUNT and person_count[name] <= MAX_PERSON_SHARE * count
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
    vocabulary: Mapping[str, int],
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
        it_names=it_names(documents),
        name_pairs=name_pairs(documents),
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
