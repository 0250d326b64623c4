"""Document style: the function-word and sentence profile of fluent machine translation.

Fluent neural MT leaves no broken words or odd n-grams behind; what it keeps
is the style of a translation done sentence by sentence. Its sentences are
of more regular length (one source sentence, one target sentence), its
vocabulary narrower (the most probable word every time), its punctuation
copied from the source (commas and colons where English would start a new
sentence), and its function words in proportions that differ from English
written as English: more ``the``, ``of``, ``which``, fewer contractions and
fewer pronouns of address (Baroni & Bernardini, 2006; Volansky et al.,
2015). This family measures that profile over a whole document: sentence
length and its spread, lexical diversity on fixed-size windows, word length,
punctuation habits, connectives and pronouns, and the rate of each of
:data:`FUNCTION_WORDS`. No single value says much; a linear model over all
of them does (see :mod:`detector.mt_head`).

Typography is no style of translation but of a publisher: curly quotes mark
most human translations and few MT outputs, so every quote, apostrophe and
dash is normalised (:func:`normalise_typography`) before anything is counted.

False-positive risk: human translations share much of this profile (they
are translations too), and so do plain house styles (wire copy, product
descriptions, legal text), whose sentences are regular and whose wording is
formulaic.

>>> values = extract("We didn't go. The report, which was late, said: prices rose.").values
>>> values["document_style.sentence_length_mean"], values["document_style.contraction_rate"]
(5.5, 9.090909090909092)
>>> values["document_style.function_word_which"], values["document_style.colon_rate"]
(9.090909090909092, 9.090909090909092)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from detector.features.base import Evidence, FeatureResult, batch_of_one, evidence_at, kept_on
from detector.text import Document

FAMILY = "document_style"

#: Frequent English function words, each a feature (its rate per 100 words).
#: Articles, prepositions, conjunctions, pronouns, auxiliaries, modals and
#: the commonest adverbs and quantifiers: the words whose proportions differ
#: between translated and original English whatever the topic.
FUNCTION_WORDS: tuple[str, ...] = tuple(
    """
    a an the this that these those
    of in on at by for with from to into onto upon about above below over under
    between among through during before after since until against within without
    across along around behind beyond despite towards toward via per than like
    and or but nor so yet both either neither whether if unless although though
    because while whereas as when where why how what which who whom whose
    i me my mine we us our you your he him his she her it its they them their
    myself himself herself itself ourselves themselves
    be is are was were been being am
    have has had having do does did doing
    will would shall should can could may might must
    not no never also only just even still already again too very quite rather
    more most less least much many some any all each every such other another
    same own few several
    there here then now however therefore thus moreover furthermore indeed
    meanwhile hence instead otherwise besides nevertheless accordingly
    up out off down
    one
    """.split()
)

#: Connectives that link a sentence to the one before: MT keeps the source
#: language's explicit links where English often leaves them implicit.
CONNECTIVES: frozenset[str] = frozenset(
    """
    however therefore thus moreover furthermore also besides meanwhile hence
    nevertheless nonetheless accordingly consequently additionally instead
    otherwise indeed finally firstly secondly lastly likewise similarly
    """.split()
)

#: Personal pronouns of the first and second person (speaker and reader).
PERSONAL_PRONOUNS: frozenset[str] = frozenset(
    "i me my mine myself we us our ours ourselves you your yours yourself yourselves".split()
)
#: Third-person pronouns (people and things).
THIRD_PERSON_PRONOUNS: frozenset[str] = frozenset(
    "he him his himself she her hers herself it its itself "
    "they them their theirs themselves".split()
)

#: Words per window of the type-token ratio and hapax share: a fixed size, so
#: that a long text's diversity is not diluted by its length.
DIVERSITY_WINDOW = 100
#: A sentence this short or shorter counts as short, this long or longer as long.
SHORT_SENTENCE = 8
LONG_SENTENCE = 35
#: A word this long or longer counts as long.
LONG_WORD = 9
#: Most evidence items per document.
MAX_EVIDENCE = 3

#: The document statistics, by group (the function words are a group of their own).
STATISTICS: dict[str, tuple[str, ...]] = {
    "sentence_length": (
        "sentence_length_mean",
        "sentence_length_spread",
        # spread over mean: one source sentence, one target sentence
        "sentence_length_variation",
        "short_sentence_share",
        "long_sentence_share",
    ),
    "lexical_diversity": ("type_token_ratio", "hapax_share"),
    "word_length": ("word_length_mean", "word_length_spread", "long_word_share"),
    "punctuation": (
        "comma_rate",
        "semicolon_rate",
        "colon_rate",
        "parenthesis_rate",
        "dash_rate",
        "quote_rate",
        "question_rate",
        "exclamation_rate",
        "number_rate",
        "capitalised_rate",
    ),
    "connectives_pronouns": (
        "function_word_share",
        "connective_rate",
        "sentence_initial_connective_share",
        "personal_pronoun_rate",
        "third_person_pronoun_rate",
        "contraction_rate",
    ),
}

#: Feature groups, by name: each statistic group and the function-word rates.
GROUPS: dict[str, tuple[str, ...]] = {
    **{group: tuple(f"{FAMILY}.{name}" for name in names) for group, names in STATISTICS.items()},
    "function_words": tuple(f"{FAMILY}.function_word_{word}" for word in FUNCTION_WORDS),
}

FEATURE_NAMES: tuple[str, ...] = tuple(name for names in GROUPS.values() for name in names)

# Quote, apostrophe and dash characters, each replaced by one ASCII character
# so that offsets stay those of the original text.
_TYPOGRAPHY = str.maketrans(
    {
        # curly and low single quotes, primes and accents used as apostrophes
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
        # curly, low and angle double quotes, double primes
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        # hyphen, figure, en, em and bar dashes, the minus sign
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)

_TOKEN_RE = re.compile(
    r"""
    # words, with inner apostrophes and hyphens: don't, well-known
    ([^\W\d_]+(?:['-][^\W\d_]+)*)
    # numbers, with separators: 1,250.5
    | (\d+(?:[.,:/-]\d+)*)
    # a dash between words: a hyphen standing alone, or doubled
    | (-+)
    # the punctuation counted: , ; : ( " ' ? !
    | ([,;:("'?!])
    """,
    re.VERBOSE,
)

# A contraction: a word with an apostrophe before a clitic (don't, it's, we're).
_CONTRACTION_RE = re.compile(r"'(?:s|t|re|ve|ll|d|m)$")

#: Token kinds, by the group of :data:`_TOKEN_RE` that matched.
_WORD, _NUMBER, _DASH = 1, 2, 3
_PUNCTUATION_COLUMNS = {
    ",": "comma_rate",
    ";": "semicolon_rate",
    ":": "colon_rate",
    "(": "parenthesis_rate",
    '"': "quote_rate",
    "'": "quote_rate",
    "?": "question_rate",
    "!": "exclamation_rate",
}

_FUNCTION_INDEX = {word: index for index, word in enumerate(FUNCTION_WORDS)}
_STATISTIC_NAMES = tuple(name for names in STATISTICS.values() for name in names)
_STATISTIC_COLUMN = {name: index for index, name in enumerate(_STATISTIC_NAMES)}


def normalise_typography(text: str) -> str:
    """The text with curly quotes, primes and dashes as plain ASCII, one character each.

    >>> normalise_typography("\u201cIt\u2019s late\u201d \u2014 she said")
    '"It\\'s late" - she said'
    """
    return text.translate(_TYPOGRAPHY)


# Tokens of the class sequence: words, numbers, single marks.
_CLASS_TOKEN_RE = re.compile(
    r"""
    # words, with inner apostrophes and hyphens
    [^\W\d_]+(?:['-][^\W\d_]+)*
    # numbers, with separators
    | \d+(?:[.,:/-]\d+)*
    # any other mark that is not space
    | [^\w\s]
    """,
    re.VERBOSE,
)
_FUNCTION_WORD_SET = frozenset(FUNCTION_WORDS)


def word_classes(text: str) -> list[str]:
    """The text as a sequence of classes: function words and marks kept, other words as a shape.

    The order of function words, punctuation and word shapes is the syntax
    of a text without its topic; its n-grams are what a translation keeps
    from its source (``, which <w> the <w> of``). Shapes: ``<Cap>``
    (capitalised), ``<ing>``, ``<ed>``, ``<ly>``, ``<w>`` (any other word),
    ``<num>``. Typography is normalised first.

    >>> " ".join(word_classes("The “new” plan, which rose 3%, was finally adopted."))
    'the " <w> " <w> , which <w> <num> % , was <ly> <ed> .'
    """
    return list(map(token_class, _CLASS_TOKEN_RE.findall(normalise_typography(text))))


def word_class_spans(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """:func:`word_classes` and the character span of each token classed.

    >>> word_class_spans("It rose.")
    (['it', '<w>', '.'], [(0, 2), (3, 7), (7, 8)])
    """
    classes = []
    spans = []
    for match in _CLASS_TOKEN_RE.finditer(normalise_typography(text)):
        classes.append(token_class(match.group()))
        spans.append(match.span())
    return classes, spans


#: Classes of the words :func:`lexical_classes` may keep as themselves.
_CONTENT_CLASSES = frozenset({"<w>", "<ing>", "<ed>", "<ly>"})
#: Classes after which a capitalised word starts a sentence (as does the text's first).
_OPENING_CLASSES = frozenset({".", "!", "?", ":", '"'})


def lexical_classes(text: str, lexicon: frozenset[str] | set[str]) -> list[str]:
    """:func:`word_classes` with the ``lexicon``'s content words kept, lower-cased.

    Which common word a text picks is a translator's choice, or an
    engine's: machine output leans on the most probable word ("a lot of",
    "there is") where a writer varies it. A content word of the lexicon
    (common English words) stands as itself; every other token as its
    class, so that rare words, names and topic stay out. A capitalised word
    counts only at the start of a sentence, so that names stay ``<Cap>``.
    The tokens, and so the spans, are those of :func:`word_class_spans`.

    >>> lexicon = {"today", "lot", "rain"}
    >>> " ".join(lexical_classes("Today there is a lot of rain in Kyoto.", lexicon))
    'today there is a lot of rain in <Cap> .'
    """
    return class_sequences(text, lexicon)[1]


def class_sequences(text: str, lexicon: frozenset[str] | set[str]) -> tuple[list[str], list[str]]:
    """:func:`word_classes` and :func:`lexical_classes` of a text, its tokens found once.

    >>> class_sequences("Rain fell.", {"rain"})
    (['<Cap>', '<w>', '.'], ['rain', '<w>', '.'])
    """
    tokens = _CLASS_TOKEN_RE.findall(normalise_typography(text))
    classes = list(map(token_class, tokens))
    content = _CONTENT_CLASSES
    lexical = [
        lowered if kind in content and (lowered := token.lower()) in lexicon else kind
        for token, kind in zip(tokens, classes, strict=True)
    ]
    # a capitalised word counts where a sentence starts: first, or after . ! ? : "
    for index in [index for index, kind in enumerate(classes) if kind == "<Cap>"]:
        if index == 0 or classes[index - 1] in _OPENING_CLASSES:
            lowered = tokens[index].lower()
            if lowered in lexicon:
                lexical[index] = lowered
    return classes, lexical


def lexicon_set(words: Sequence[str]) -> frozenset[str]:
    """The set of a lexicon, one object for equal lexicons (so that work keyed on it is shared).

    >>> lexicon_set(("rain", "today")) is lexicon_set(["rain", "today"])
    True
    """
    return _lexicon_set(tuple(words))


@lru_cache(maxsize=8)
def _lexicon_set(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(words)


def kept_class_sequences(doc: Document, lexicon: frozenset[str]) -> tuple[list[str], list[str]]:
    """:func:`class_sequences` of a document's text, worked out once per document and lexicon.

    The machine-translation head and the translationese family's page model
    read the same sequences of a scored document (with the same lexicon, see
    :func:`lexicon_set`), and find them once.

    >>> doc = Document.of("Rain fell.")
    >>> kept_class_sequences(doc, lexicon_set(["rain"])) == class_sequences("Rain fell.", {"rain"})
    True
    """
    return kept_on(
        doc, "document_style.class_sequences", lexicon, class_sequences, doc.text, lexicon
    )


@lru_cache(maxsize=1 << 16)
def token_class(token: str) -> str:
    """The class of one token of :func:`word_classes` (remembered: texts repeat their words).

    >>> [token_class(token) for token in ("The", "Kyoto", "3.5", ";", "rising", "odd")]
    ['the', '<Cap>', '<num>', ';', '<ing>', '<w>']
    """
    lowered = token.lower()
    if lowered in _FUNCTION_WORD_SET:
        return lowered
    if token[0].isdigit():
        return "<num>"
    if not token[0].isalpha():
        return token
    if token[0].isupper():
        return "<Cap>"
    if lowered.endswith("ing"):
        return "<ing>"
    if lowered.endswith("ed"):
        return "<ed>"
    if lowered.endswith("ly"):
        return "<ly>"
    return "<w>"


def _sentence_of(starts: np.ndarray, sentence_starts: np.ndarray) -> np.ndarray:
    """Index of the sentence each offset falls in (-1 before the first)."""
    return np.searchsorted(sentence_starts, starts, side="right") - 1


def _diversity(word_ids: np.ndarray) -> tuple[float, float]:
    """Mean type-token ratio and hapax share over windows of :data:`DIVERSITY_WINDOW` words.

    A text shorter than one window is one window; the last, partial window
    is dropped otherwise, so that every window counts the same number of words.

    >>> _diversity(np.array([1, 2, 2, 3]))
    (0.75, 0.6666666666666666)
    """
    count = len(word_ids)
    if count == 0:
        return 0.0, 0.0
    windows = max(1, count // DIVERSITY_WINDOW)
    size = count if count < DIVERSITY_WINDOW else DIVERSITY_WINDOW
    window = np.repeat(np.arange(windows), size)
    ids = word_ids[: windows * size].astype(np.int64)
    pairs, counts = np.unique(window * (int(ids.max()) + 1) + ids, return_counts=True)
    owner = pairs // (int(ids.max()) + 1)
    types = np.bincount(owner, minlength=windows)
    hapaxes = np.bincount(owner, weights=(counts == 1).astype(np.float64), minlength=windows)
    return float((types / size).mean()), float((hapaxes / types).mean())


def _document_row(doc: Document, vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """One document's statistics row and the function-word index of each of its words.

    The per-document Python work: one regex pass over the normalised text
    and one dictionary lookup per word; everything else is array arithmetic.
    """
    row = np.zeros(len(_STATISTIC_NAMES))
    text = normalise_typography(doc.text)
    lowered = text.lower()
    matches = list(_TOKEN_RE.finditer(text))
    kinds = np.fromiter((m.lastindex or 0 for m in matches), dtype=np.int64, count=len(matches))
    starts = np.fromiter((m.start() for m in matches), dtype=np.int64, count=len(matches))
    is_word = kinds == _WORD
    words = [lowered[m.start() : m.end()] for m, word in zip(matches, is_word, strict=True) if word]
    n_words = len(words)
    if n_words == 0:
        return row, np.zeros(0, dtype=np.int64)
    per_100 = 100.0 / n_words
    column = _STATISTIC_COLUMN
    word_starts = starts[is_word]
    lengths = np.fromiter((len(word) for word in words), dtype=np.float64, count=n_words)
    word_ids = np.fromiter(
        (vocabulary.setdefault(word, len(vocabulary)) for word in words),
        dtype=np.int64,
        count=n_words,
    )
    function_index = np.fromiter(
        (_FUNCTION_INDEX.get(word, -1) for word in words), dtype=np.int64, count=n_words
    )

    # sentences: words per sentence of the document's own sentence spans
    sentence_starts = np.array([start for start, _ in doc.sentences] or [0], dtype=np.int64)
    owner = np.maximum(_sentence_of(word_starts, sentence_starts), 0)
    sizes = np.bincount(owner, minlength=len(sentence_starts)).astype(np.float64)
    sizes = sizes[sizes > 0]
    mean = sizes.mean()
    row[column["sentence_length_mean"]] = mean
    row[column["sentence_length_spread"]] = sizes.std()
    row[column["sentence_length_variation"]] = sizes.std() / mean
    row[column["short_sentence_share"]] = np.mean(sizes <= SHORT_SENTENCE)
    row[column["long_sentence_share"]] = np.mean(sizes >= LONG_SENTENCE)

    ratio, hapaxes = _diversity(word_ids)
    row[column["type_token_ratio"]] = ratio
    row[column["hapax_share"]] = hapaxes

    row[column["word_length_mean"]] = lengths.mean()
    row[column["word_length_spread"]] = lengths.std()
    row[column["long_word_share"]] = np.mean(lengths >= LONG_WORD)

    for match, kind in zip(matches, kinds.tolist(), strict=True):
        if kind == 4:
            row[column[_PUNCTUATION_COLUMNS[match.group()]]] += per_100
    # a hyphen joined to a word on both sides is part of it (caught as a word);
    # one left alone stands for a dash
    row[column["dash_rate"]] = np.count_nonzero(kinds == _DASH) * per_100
    row[column["number_rate"]] = np.count_nonzero(kinds == _NUMBER) * per_100
    first_letters = np.fromiter(
        (text[start].isupper() for start in word_starts.tolist()), dtype=bool, count=n_words
    )
    # capitals inside sentences: names and title case, not sentence starts
    first_in_sentence = np.r_[True, owner[1:] != owner[:-1]]
    row[column["capitalised_rate"]] = np.count_nonzero(first_letters & ~first_in_sentence) * per_100

    row[column["function_word_share"]] = np.mean(function_index >= 0)
    connective = np.fromiter((word in CONNECTIVES for word in words), dtype=bool, count=n_words)
    row[column["connective_rate"]] = connective.sum() * per_100
    row[column["sentence_initial_connective_share"]] = np.count_nonzero(
        connective & first_in_sentence
    ) / len(sizes)
    row[column["personal_pronoun_rate"]] = (
        sum(word in PERSONAL_PRONOUNS for word in words) * per_100
    )
    row[column["third_person_pronoun_rate"]] = (
        sum(word in THIRD_PERSON_PRONOUNS for word in words) * per_100
    )
    row[column["contraction_rate"]] = (
        sum(_CONTRACTION_RE.search(word) is not None for word in words) * per_100
    )
    return row, function_index


def transform(docs: Sequence[Document], resources: Any = None) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per document (zeros for a text without words).

    ``resources`` is not used: the profile needs no corpus statistics.

    >>> matrix = transform([Document.of("It rained."), Document.of("")])
    >>> matrix.shape == (2, len(FEATURE_NAMES)), float(matrix[1].sum())
    (True, 0.0)
    """
    n_statistics = len(_STATISTIC_NAMES)
    matrix = np.zeros((len(docs), len(FEATURE_NAMES)))
    vocabulary: dict[str, int] = {}
    owners: list[np.ndarray] = []
    indices: list[np.ndarray] = []
    totals = np.zeros(len(docs))
    for position, doc in enumerate(docs):
        row, function_index = _document_row(Document.of(doc), vocabulary)
        matrix[position, :n_statistics] = row
        totals[position] = len(function_index)
        found = function_index[function_index >= 0]
        owners.append(np.full(len(found), position, dtype=np.int64))
        indices.append(found)
    if docs:
        owner = np.concatenate(owners)
        index = np.concatenate(indices)
        counts = np.zeros((len(docs), len(FUNCTION_WORDS)))
        np.add.at(counts, (owner, index), 1.0)
        scale = np.divide(100.0, totals, out=np.zeros(len(docs)), where=totals > 0)
        matrix[:, n_statistics:] = counts * scale[:, None]
    return matrix


def evidence(doc: Document, resources: Any = None) -> list[Evidence]:
    """Sentences that open on an explicit connective, and a note on a regular rhythm.

    A text whose sentences keep nearly the same length (spread under a third
    of the mean, over six sentences or more) gets one item on its first
    sentence saying so; sentences that open on a connective (``However,``,
    ``Moreover,``) are listed, a few at most.

    >>> text = "However, prices rose. Moreover, sales fell. Shares rose."
    >>> [item.snippet for item in evidence(Document.of(text))]
    ['However', 'Moreover']
    """
    items: list[Evidence] = []
    text = normalise_typography(doc.text)
    lengths = []
    for start, end in doc.sentences:
        words = [m for m in _TOKEN_RE.finditer(text, start, end) if m.lastindex == _WORD]
        lengths.append(len(words))
        if words and words[0].group().lower() in CONNECTIVES and len(items) < MAX_EVIDENCE:
            first = words[0]
            items.append(
                evidence_at(
                    doc.text, FAMILY, f"{FAMILY}.sentence_initial_connective", first.start(),
                    first.end(),
                    f"sentence opens on the connective '{first.group().lower()}', a link "
                    "machine translation keeps where English often leaves it implicit",
                )
            )  # fmt: skip
    sizes = np.array([size for size in lengths if size > 0], dtype=np.float64)
    if len(sizes) >= 6 and sizes.std() < sizes.mean() / 3:
        start, end = doc.sentences[0]
        items.insert(
            0,
            evidence_at(
                doc.text, FAMILY, f"{FAMILY}.sentence_length_variation", start, end,
                f"sentences of nearly equal length throughout ({sizes.mean():.0f} words "
                f"on average, spread {sizes.std():.1f}): the rhythm of sentence-by-sentence "
                "translation",
            ),
        )  # fmt: skip
    return items


def extract(text: str | Document, resources: Any = None) -> FeatureResult:
    """The document's style profile (a batch of one)."""
    return batch_of_one(Document.of(text), resources, transform, evidence, FEATURE_NAMES)
