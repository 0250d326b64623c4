"""Lexical swaps and leaks: untranslated words, mixed spelling, odd word choice.

A round trip leaves words the engine did not know in the pivot language
("materialdetecnologia", "empresa"), normalises some British spellings to
American ones but not others, and replaces precise words with frequent
near-synonyms (MT output is lexically simpler: fewer rare words, a narrower
vocabulary). A spinner does the opposite, trading common words for rare
ones. Both move the word-frequency profile away from clean news.

False-positive risk: names and loanwords look foreign (only lower-case words
count, and only those common in a pivot language and rare in English);
British and American spellings are mixed in some human edited texts (a
consistent document scores zero); learners misspell words, which shows as
unknown words rather than foreign ones.

>>> result = extract("The colour of the center was empresa rojo.", Resources.empty())
>>> result.values["lexicon.spelling_mix"]
1.0
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from detector.features.base import (
    Evidence,
    FeatureResult,
    batch_of_one,
    evidence_at,
    found_on,
    keep,
    rate,
    wholes_in_batch,
)
from detector.resources import Resources
from detector.text import Document, Token
from detector.wordlists import BRITISH_AMERICAN, FUNCTION_WORDS

FAMILY = "lexicon"

FEATURE_NAMES = (
    "lexicon.foreign_word_rate",
    "lexicon.unknown_word_rate",
    "lexicon.spelling_mix",
    "lexicon.rare_word_share",
    "lexicon.mean_zipf",
    "lexicon.moving_type_token_ratio",
    "lexicon.function_word_share",
    # "3 percent" and "3%" in one document: the smaller count over the larger
    "lexicon.percent_style_mix",
    # a pivot-language phrase run together into one word: "materialdetecnologia"
    "lexicon.glued_word_rate",
)

_BRITISH = {british: american for british, american in BRITISH_AMERICAN}
_AMERICAN = {american: british for british, american in BRITISH_AMERICAN}
# Some American forms are also ordinary British words ("check", "program"
# in computing, "story", "tire", "meter", "practice" as a noun): they never
# count as the American side of a mixture.
_AMBIGUOUS_AMERICAN = frozenset(
    {"check", "checks", "program", "programs", "story", "tire", "tires", "meter", "meters",
     "practice", "license", "dialog", "mold", "gray", "aging", "judgment", "catalog"}
)  # fmt: skip

#: Zipf frequency below which a known word counts as rare.
RARE_ZIPF = 3.0
#: Window of the moving-average type-token ratio (Covington & McFall, 2010).
TTR_WINDOW = 50
#: Pivot languages whose unknown phrases come back run together: an engine
#: that cannot translate "material de tecnología" may drop its spaces.
GLUE_LANGUAGES = frozenset({"es", "ca", "pt", "fr", "it"})
#: The preposition such a phrase is joined by ("material de tecnologia").
_GLUE_CONNECTORS = frozenset(
    {"de", "del", "da", "do", "di", "dos", "das", "des", "du", "della", "dei"}
)
#: Shortest word tried as a glued phrase, and shortest pivot-language part in it.
MIN_GLUED_LETTERS = 9
MIN_GLUED_FOREIGN_PART = 6
#: Longest word tried (the segmentation is quadratic in its length; a phrase of
#: three words is shorter, and a longer run of letters is no phrase).
MAX_GLUED_LETTERS = 40
#: An English part must be this common (Zipf) and this long to count.
MIN_GLUED_ENGLISH_ZIPF = 3.0
MIN_GLUED_ENGLISH_PART = 4

#: Untranslated-word evidence reported per document, at most.
MAX_FOREIGN_EVIDENCE = 8

_LANGUAGE_NAMES = {
    "es": "Spanish", "ca": "Catalan", "pt": "Portuguese", "gl": "Galician", "fr": "French",
    "it": "Italian", "de": "German", "eo": "Esperanto", "nl": "Dutch",
}  # fmt: skip


def transform(docs: Sequence[Document], resources: Resources | None = None) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per document.

    Each distinct word of the batch is looked up once; counts per document
    are segment sums over the batch's words. A part of a document of the
    batch (see :func:`~detector.features.base.wholes_in_batch`) takes its
    words' ids from the document's.
    """
    resources = resources if resources is not None else Resources.empty()
    rows = np.zeros((len(docs), len(FEATURE_NAMES)))
    ids, lower_initial, sizes, forms = _word_ids(docs)
    if not len(ids):
        return rows
    owner = np.repeat(np.arange(len(docs)), sizes)
    n = len(docs)

    function_form = np.array([form in FUNCTION_WORDS for form in forms], dtype=bool)
    british_form = np.array([form in _BRITISH for form in forms], dtype=bool)
    american_form = np.array(
        [form in _AMERICAN and form not in _AMBIGUOUS_AMERICAN for form in forms], dtype=bool
    )
    function = function_form[ids]
    content = ~function
    british = content & british_form[ids]
    american = content & ~british_form[ids] & american_form[ids]
    # names, sentence starts and acronyms say nothing of the words' origin
    judged = content & lower_initial
    kinds = _word_kinds(
        forms, np.flatnonzero(np.bincount(ids[judged], minlength=len(forms))), resources
    )
    known, frequency, glued_form, unknown_form, foreign_form = kinds
    known_words = judged & known[ids]
    foreign_hits = judged & foreign_form[ids]

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(owner[mask], minlength=n).astype(np.float64)

    words = sizes.astype(np.float64)
    has = sizes > 0
    rows[:, 0] = _rate(count(foreign_hits), words, 100)
    rows[:, 1] = _rate(count(judged & unknown_form[ids]), words, 100)
    rows[:, 8] = _rate(count(judged & glued_form[ids]), words, 100)
    rows[:, 6] = _rate(count(function), words, 1)
    zipf_counts = count(known_words)
    rare = count(known_words & (frequency[ids] < RARE_ZIPF))
    rows[:, 3] = _rate(rare, zipf_counts, 1)
    zipf_sums = np.bincount(owner[known_words], weights=frequency[ids][known_words], minlength=n)
    rows[:, 4] = np.divide(zipf_sums, zipf_counts, out=np.zeros(n), where=zipf_counts > 0) / 7.0
    rows[:, 5] = _moving_type_token_ratios(ids, owner, sizes)
    bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    for row, doc in enumerate(docs):  # for evidence(), which then looks nothing up
        start, end = bounds[row], bounds[row + 1]
        keep(doc, FAMILY, resources,
             (foreign_hits[start:end], british[start:end], american[start:end]))  # fmt: skip
    british_counts, american_counts = count(british), count(american)
    mixed = (british_counts > 0) & (american_counts > 0)
    rows[:, 2] = np.divide(
        np.minimum(british_counts, american_counts),
        np.maximum(british_counts, american_counts),
        out=np.zeros(n),
        where=mixed,
    )
    for row, doc in enumerate(docs):
        if has[row] and "%" in doc.text:
            values: dict[str, float] = {}
            _percent_style(doc.text, values, [])
            rows[row, 7] = values["lexicon.percent_style_mix"]
    rows[~has] = 0.0
    return rows


def _word_ids(docs: Sequence[Document]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """The batch's words laid end to end, as ids of their lower case.

    Also whether each word starts lower-case, each document's number of
    words, and the lower-case forms by id. The words of a part whose
    document is in the batch are the document's words inside the part,
    taken by index rather than read again.

    >>> doc = Document.of("Rain fell.\\n\\nRain stopped, rain fell.")
    >>> ids, lower, sizes, forms = _word_ids([doc, doc.part(*doc.paragraphs[1])])
    >>> ids.tolist(), lower.tolist()[:3], sizes.tolist(), forms
    ([0, 1, 0, 2, 0, 1, 0, 2, 0, 1], [False, True, False], [6, 4], ['rain', 'fell', 'stopped'])
    """
    wholes = wholes_in_batch(docs)
    read = [index for index, whole in enumerate(wholes) if whole is None]
    read_sizes = [len(docs[index].words) for index in read]
    texts = [token.text for index in read for token in docs[index].words]
    index_of: dict[str, int] = {}
    read_ids = np.array(
        [index_of.setdefault(word, len(index_of)) for word in map(str.lower, texts)],
        dtype=np.int64,
    )
    read_lower = np.array([text[0].islower() for text in texts], dtype=bool)
    if len(read) == len(docs):
        return read_ids, read_lower, np.array(read_sizes, dtype=np.int64), list(index_of)
    first_word = dict(zip(read, np.cumsum([0, *read_sizes])[:-1].tolist(), strict=True))
    positions = []
    for index, whole in enumerate(wholes):
        if whole is None:
            start = first_word[index]
            positions.append(np.arange(start, start + len(docs[index].words)))
            continue
        # the document's words that start inside the part: the part's words
        starts = docs[whole[0]].word_starts
        offset = docs[index].__dict__["_offset"]
        low = int(np.searchsorted(starts, offset))
        high = int(np.searchsorted(starts, offset + len(docs[index].text)))
        positions.append(np.arange(first_word[whole[0]] + low, first_word[whole[0]] + high))
    taken = np.concatenate(positions)
    sizes = np.array([len(where) for where in positions], dtype=np.int64)
    return read_ids[taken], read_lower[taken], sizes, list(index_of)


def _rate(counts: np.ndarray, totals: np.ndarray, per: float) -> np.ndarray:
    """:func:`~detector.features.base.rate` of each document."""
    return np.divide(counts, totals, out=np.zeros(len(counts)), where=totals > 0) * per


def _word_kinds(
    forms: list[str], judged: np.ndarray, resources: Resources
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What each lower-case content word of a batch is, decided once per distinct word.

    For the indices ``judged`` of ``forms``: a known English word (and its
    Zipf frequency), a glued phrase, an unknown word, a foreign word; the
    same decisions as :func:`_scan` makes word by word.
    """
    zipf, foreign = resources.english_zipf, resources.foreign_words
    size = len(forms)
    known = np.zeros(size, dtype=bool)
    frequency = np.zeros(size)
    glued = np.zeros(size, dtype=bool)
    unknown = np.zeros(size, dtype=bool)
    foreign_word = np.zeros(size, dtype=bool)
    for position in judged.tolist():
        lower = forms[position]
        language = foreign.get(lower)
        found = zipf.get(lower)
        if language is None and found is not None:
            known[position] = True
            frequency[position] = found
            continue
        pieces = glued_pieces(lower, zipf, foreign) if found is None else None
        glued[position] = pieces is not None
        long_unknown = found is None and len(lower) >= 16 and "-" not in lower
        if language is None and pieces is None and not long_unknown:
            unknown[position] = bool(zipf) and "-" not in lower and "'" not in lower
            continue
        foreign_word[position] = True
    return known, frequency, glued, unknown, foreign_word


def _moving_type_token_ratios(ids: np.ndarray, owner: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """:func:`moving_type_token_ratio` of each document, from word ids laid end to end.

    A word counts in a window when its previous use lies before the window's
    start, so each position adds the number of windows it opens: the sum of
    the windows' type counts, in integers, without sliding any window.
    """
    n = len(sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    local = np.arange(len(ids)) - starts[owner]
    # by document, then word, then position: a stable sort of one key when
    # document and word fit it (positions are in order within a document)
    id_bits = int(ids.max(initial=0)).bit_length()
    if int(owner.max(initial=0)).bit_length() + id_bits < 63:
        order = np.argsort((owner.astype(np.int64) << id_bits) | ids, kind="stable")
    else:
        order = np.lexsort((local, ids, owner))
    same = np.zeros(len(ids), dtype=bool)
    same[1:] = (owner[order][1:] == owner[order][:-1]) & (ids[order][1:] == ids[order][:-1])
    previous_sorted = np.full(len(ids), -1, dtype=np.int64)
    previous_sorted[1:] = np.where(same[1:], local[order][:-1], -1)
    previous = np.empty(len(ids), dtype=np.int64)
    previous[order] = previous_sorted
    length = sizes[owner]
    window = TTR_WINDOW
    short = sizes <= window
    # short texts: the type-token ratio of the whole text
    types = np.bincount(owner[previous < 0], minlength=n).astype(np.float64)
    result = np.divide(types, sizes, out=np.zeros(n), where=short & (sizes > 0))
    last_start = length - window
    low = np.maximum(np.maximum(previous + 1, local - window + 1), 0)
    high = np.minimum(local, last_start)
    opened = np.maximum(high - low + 1, 0)
    totals = np.bincount(owner, weights=opened, minlength=n)
    windows = ((sizes - window + 1) * window).astype(np.float64)
    long_ = ~short
    result[long_] = totals[long_] / windows[long_]
    return result


def extract(text: str | Document, resources: Resources | None = None) -> FeatureResult:
    """Lexical measures of a text, with untranslated words and spelling mixes as evidence."""
    return batch_of_one(Document.of(text), resources, transform, evidence, FEATURE_NAMES)


def evidence(doc: Document, resources: Resources | None = None) -> list[Evidence]:
    """Untranslated words, spelling and percent-style mixes of one document.

    The same items as :func:`_scan` gives, from the words :func:`transform`
    marked (it runs here first on a document it has not seen).

    >>> resources = Resources.empty()
    >>> resources.foreign_words = {"tecnologia": "es"}
    >>> doc = Document.of("The colour and the color of tecnologia rose 3% or 4 percent.")
    >>> evidence(doc, resources) == _scan(doc, resources).evidence
    True
    >>> [item.snippet for item in evidence(doc, resources)]
    ['tecnologia', 'colour', '%']
    """
    resources = resources if resources is not None else Resources.empty()
    words = doc.words
    if not words:
        return []
    kept = found_on(doc, FAMILY, resources)
    if kept is None:
        transform([doc], resources)
        kept = found_on(doc, FAMILY, resources)
    foreign_hits, british, american = kept
    zipf, foreign = resources.english_zipf, resources.foreign_words
    items: list[Evidence] = []
    for index in np.flatnonzero(foreign_hits)[:MAX_FOREIGN_EVIDENCE].tolist():
        token = words[index]
        lower = token.text.lower()
        language = foreign.get(lower)
        pieces = glued_pieces(lower, zipf, foreign) if zipf.get(lower) is None else None
        items.append(
            evidence_at(doc.text, FAMILY, "lexicon.untranslated_word", token.start, token.end,
                        _untranslated_note(token.text, pieces, language))
        )  # fmt: skip
    if british.any() and american.any():
        _spelling_mix(doc, words, np.flatnonzero(british).tolist(),
                      np.flatnonzero(american).tolist(), {}, items)  # fmt: skip
    _percent_style(doc.text, {}, items)
    return items


def _untranslated_note(text: str, pieces: tuple[str, ...] | None, language: str | None) -> str:
    """What an untranslated word is, for its evidence."""
    if pieces is not None:
        return (
            f"'{text}' is '{' '.join(pieces)}' run together: a phrase the engine left untranslated"
        )
    if language:
        return (
            f"'{text}' is {_LANGUAGE_NAMES.get(language, language)}, not English: left untranslated"
        )
    return f"'{text}' is no English word: words glued by a translation engine"


def _spelling_mix(
    doc: Document,
    words: Sequence[Token],
    british: list[int],
    american: list[int],
    values: dict[str, float],
    evidence: list[Evidence],
) -> None:
    """Both spellings in one text: the value, and the minority's first words as evidence."""
    values["lexicon.spelling_mix"] = min(len(british), len(american)) / max(
        len(british), len(american)
    )
    minority = british if len(british) <= len(american) else american
    side = "British" if minority is british else "American"
    for index in minority[:4]:
        token = words[index]
        evidence.append(
            evidence_at(
                doc.text, FAMILY, "lexicon.spelling_mix", token.start, token.end,
                f"{side} spelling '{token.text}' in a document that otherwise uses the other",
            )
        )  # fmt: skip


def _scan(doc: Document, resources: Resources) -> FeatureResult:
    """One document word by word: its values and its evidence (for :func:`evidence`)."""
    values = dict.fromkeys(FEATURE_NAMES, 0.0)
    evidence: list[Evidence] = []
    words = doc.words
    if not words:
        return FeatureResult(values, evidence)

    zipf = resources.english_zipf
    foreign = resources.foreign_words
    lowered = [w.text.lower() for w in words]
    foreign_hits = unknown = rare = function = glued = 0
    zipf_values: list[float] = []
    british: list[int] = []
    american: list[int] = []
    for index, (token, lower) in enumerate(zip(words, lowered, strict=True)):
        if lower in FUNCTION_WORDS:
            function += 1
            continue
        if lower in _BRITISH:
            british.append(index)
        elif lower in _AMERICAN and lower not in _AMBIGUOUS_AMERICAN:
            american.append(index)
        if not token.text[0].islower():
            continue  # names, sentence starts, acronyms
        language = foreign.get(lower)
        frequency = zipf.get(lower)
        if language is None and frequency is not None:
            zipf_values.append(frequency)
            rare += frequency < RARE_ZIPF
            continue
        pieces = glued_pieces(lower, zipf, foreign) if frequency is None else None
        glued += pieces is not None
        long_unknown = frequency is None and len(lower) >= 16 and "-" not in lower
        if language is None and pieces is None and not long_unknown:
            unknown += bool(zipf) and "-" not in lower and "'" not in lower
            continue
        foreign_hits += 1
        if sum(e.name == "lexicon.untranslated_word" for e in evidence) < MAX_FOREIGN_EVIDENCE:
            evidence.append(
                evidence_at(doc.text, FAMILY, "lexicon.untranslated_word", token.start,
                            token.end, _untranslated_note(token.text, pieces, language))
            )  # fmt: skip

    n_words = len(words)
    values["lexicon.foreign_word_rate"] = rate(foreign_hits, n_words, per=100)
    values["lexicon.unknown_word_rate"] = rate(unknown, n_words, per=100)
    values["lexicon.glued_word_rate"] = rate(glued, n_words, per=100)
    values["lexicon.function_word_share"] = rate(function, n_words)
    if zipf_values:
        values["lexicon.rare_word_share"] = rate(rare, len(zipf_values))
        values["lexicon.mean_zipf"] = float(np.mean(zipf_values)) / 7.0
    values["lexicon.moving_type_token_ratio"] = moving_type_token_ratio(lowered)

    if british and american:
        _spelling_mix(doc, words, british, american, values, evidence)
    _percent_style(doc.text, values, evidence)
    return FeatureResult(values, evidence)


def glued_pieces(
    word: str, english_zipf: Mapping[str, float], foreign_words: Mapping[str, str]
) -> tuple[str, ...] | None:
    """The phrase a lower-case word is run together from, if it is a glued pivot phrase.

    A rule-based engine that meets a phrase it cannot translate may hand it
    back with its spaces dropped: "materialdetecnologia". People do not write
    that. Compounds of English words ("blacklivesmatter"), names and
    misspellings are the false-positive risk, so a word counts only when it
    splits, in the fewest parts, into exactly two pivot-language words of six
    letters or more, or into two words around a Romance "de"/"da"/"di" of
    which one is a pivot-language word of six letters or more.

    >>> english = {"material": 5.0, "black": 5.4, "lives": 5.1, "matter": 5.2}
    >>> foreign = {"tecnologia": "es", "desarrollo": "es", "sostenible": "es"}
    >>> glued_pieces("materialdetecnologia", english, foreign)
    ('material', 'de', 'tecnologia')
    >>> glued_pieces("desarrollosostenible", english, foreign)
    ('desarrollo', 'sostenible')
    >>> glued_pieces("blacklivesmatter", english, foreign) is None
    True
    """
    if not MIN_GLUED_LETTERS <= len(word) <= MAX_GLUED_LETTERS or not word.isalpha():
        return None

    def is_foreign(piece: str) -> bool:
        return len(piece) >= MIN_GLUED_FOREIGN_PART and foreign_words.get(piece) in GLUE_LANGUAGES

    def is_part(piece: str) -> bool:
        return (
            piece in _GLUE_CONNECTORS
            or is_foreign(piece)
            or (
                len(piece) >= MIN_GLUED_ENGLISH_PART
                and english_zipf.get(piece, 0.0) >= MIN_GLUED_ENGLISH_ZIPF
            )
        )

    # fewest-parts segmentation, by dynamic programming over end positions
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for start in range(len(word)):
        head = best[start]
        if head is None:
            continue
        for end in range(start + 2, len(word) + 1):
            piece = word[start:end]
            if is_part(piece):
                candidate = (*head, piece)
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    pieces = best[-1]
    if pieces is None:
        return None
    if len(pieces) == 2 and all(is_foreign(piece) for piece in pieces):
        return pieces
    if (
        len(pieces) == 3
        and pieces[1] in _GLUE_CONNECTORS
        and pieces[0] not in _GLUE_CONNECTORS
        and pieces[2] not in _GLUE_CONNECTORS
        and (is_foreign(pieces[0]) or is_foreign(pieces[2]))
    ):
        return pieces
    return None


# A number followed by its percent sign or word: "3%", "3 %", "3 percent", "3 per cent".
_PERCENT_SIGN_RE = re.compile(r"(?<=\d)[ ]?%")
_PERCENT_WORD_RE = re.compile(r"(?<=\d)[ ](?:percent|per cent)\b")


def _percent_style(text: str, values: dict[str, float], evidence: list[Evidence]) -> None:
    """Percentages written both ways in one text: an edit made on part of it.

    House styles pick one ("percent" at Reuters and AP, "%" elsewhere); a
    round trip or a rewriter that changes some of them leaves both.

    >>> values, evidence = {}, []
    >>> _percent_style("Sales rose 3 percent, profit 5 percent and costs 2%.", values, evidence)
    >>> values["lexicon.percent_style_mix"], [e.snippet for e in evidence]
    (0.5, ['%'])
    """
    if "%" not in text or "per" not in text:
        values["lexicon.percent_style_mix"] = 0.0
        return
    signs = list(_PERCENT_SIGN_RE.finditer(text))
    words = list(_PERCENT_WORD_RE.finditer(text))
    if not signs or not words:
        values["lexicon.percent_style_mix"] = 0.0
        return
    values["lexicon.percent_style_mix"] = min(len(signs), len(words)) / max(len(signs), len(words))
    minority, other = (signs, "'percent'") if len(signs) <= len(words) else (words, "'%'")
    for match in minority[:3]:
        start = match.start() + (match.group()[0] == " ")
        evidence.append(
            evidence_at(
                text, FAMILY, "lexicon.percent_style_mix", start, match.end(),
                f"'{text[start:match.end()]}' in a document that otherwise writes {other}",
            )
        )  # fmt: skip


def moving_type_token_ratio(words: list[str], window: int = TTR_WINDOW) -> float:
    """Mean type-token ratio over sliding windows (whole text when shorter).

    >>> moving_type_token_ratio(["a", "b", "a", "b"], window=2)
    1.0
    >>> moving_type_token_ratio(["a", "a", "a"], window=3)
    0.3333333333333333
    """
    if not words:
        return 0.0
    if len(words) <= window:
        return len(set(words)) / len(words)
    counts: dict[str, int] = {}
    for word in words[:window]:
        counts[word] = counts.get(word, 0) + 1
    total = len(counts)
    for index in range(window, len(words)):
        leaving, entering = words[index - window], words[index]
        counts[leaving] -= 1
        if counts[leaving] == 0:
            del counts[leaving]
        counts[entering] = counts.get(entering, 0) + 1
        total += len(counts)
    return total / ((len(words) - window + 1) * window)
