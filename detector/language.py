"""Is a text English? A cheap function-word check first, a language identifier after.

The features are English-specific: on French or Chinese text they would fire
(or stay silent) for reasons that have nothing to do with translation damage,
and the score would be meaningless. So a text that is confidently another
language gets no score, only the language found.

Most texts are ordinary English, and for them a count of English function
words (``the``, ``of``, ``and``...) settles the question in microseconds.
Only texts that fail that check go to ``py3langid``'s identifier, whose model
ships inside that package (no download), is read with ``allow_pickle=False``,
and is loaded lazily on first use, so ``detector`` starts as fast as before
and English corpora never pay for it. The model is held in compact arrays
(:mod:`detector._langid`) that give py3langid's answers at less than half
its memory. Look-alike letters and invisible characters are folded away
first (see :func:`detector.features.homoglyphs.fold_lookalikes`), so that
English disguised with Cyrillic letters is still judged English.

A document with English paragraphs among foreign ones stays English when the
English paragraphs hold at least :data:`MIXED_ENGLISH_SHARE` of its letters.

>>> detect_language("The board said on Monday that it would raise the dividend.").english
True
>>> guess = detect_language("Der Vorstand hat am Montag beschlossen, die Dividende zu "
...     "erhöhen. Die Aktionäre waren zufrieden, und der Kurs stieg um drei Prozent.")
>>> guess.english, guess.language
(False, 'de')
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path
from typing import NamedTuple, Protocol

from detector import array_cache
from detector.features.homoglyphs import fold_lookalikes
from detector.text import WORD_RE, paragraph_spans

#: Fewer letters than this and no language is judged (too little to tell).
MIN_LANGUAGE_LETTERS = 40
#: Fewer words than this and no language is judged either, unless the words
#: are as long as in scripts written without spaces (Chinese, Japanese, Thai),
#: where a "word" is a whole phrase: at least SPACELESS_WORD_LETTERS letters.
MIN_LANGUAGE_WORDS = 20
SPACELESS_WORD_LETTERS = 8
#: Share of words that are English function words at and above which a text
#: is English without asking the identifier. English prose runs at 0.3 to 0.5,
#: headlines and bulletins at 0.2; German, French, Spanish, Dutch and Italian
#: news stay under 0.1.
ENGLISH_SHARE = 0.15
#: Probability the identifier must give another language before a text is
#: refused; below it (tables of codes, lists of names) the text is scored.
MIN_LANGUAGE_CONFIDENCE = 0.5
#: Share of letters in English paragraphs that keeps a mixed document scored.
MIXED_ENGLISH_SHARE = 0.3
#: Characters the identifier reads at most: its cost grows with the text.
IDENTIFIER_SAMPLE_CHARS = 10_000
#: Characters the function-word check reads at most.
PRECHECK_CHARS = 20_000

ENGLISH_FUNCTION_WORDS = frozenset(
    """
    a an the and or but nor of to in on at by for with from as into onto over under
    about after before than that this these those which who whom whose what when
    where why how is are was were be been being am have has had do does did will
    would shall should can could may might must not no it its he him his she her
    they them their we us our you your i me my there here then so if also just only
    very more most some any all each every such other up out off down said says
    """.split()
)


class LanguageGuess(NamedTuple):
    """The verdict on a text's language.

    ``language`` is an ISO 639-1 code (``"en"``, ``"de"``...) or ``None`` when
    the text was too short to judge; ``english`` says whether to score it.
    """

    english: bool
    language: str | None
    confidence: float


def english_share(text: str) -> tuple[float, int, int]:
    """Share of words that are English function words, the words and the letters.

    >>> english_share("The cat sat on the mat.")
    (0.5, 6, 17)
    """
    found = WORD_RE.findall(text)
    words = len(found)
    letters = sum(map(len, found))
    hits = sum(map(ENGLISH_FUNCTION_WORDS.__contains__, map(str.lower, found)))
    return (hits / words if words else 0.0), words, letters


class _Identifier(Protocol):
    def classify(self, text: str) -> tuple[str, float]: ...


#: What a cached identifier folder holds (its name carries it): 1, the arrays
#: of :meth:`detector._langid.LeanIdentifier.to_arrays`.
IDENTIFIER_CACHE_LAYOUT = 1


@cache
def _identifier() -> _Identifier:
    # Imported here: building it takes about half a second and about 32 MB of
    # memory per process (py3langid's own loader: 73 MB, and 103 MB at its
    # peak), which English texts never need to pay (a table of figures may
    # fail the cheap check, prose does not). Built once, its arrays are kept
    # in the array cache and memory-mapped from then on: a few milliseconds
    # to load, and the workers of a batch run share one copy.
    from detector._langid import LeanIdentifier, py3langid_model_file

    path = py3langid_model_file()
    folder = _identifier_cache_folder(path)
    if folder is not None:
        identifier = _mapped_identifier(folder)
        if identifier is not None:
            return identifier
    try:
        built = LeanIdentifier.from_model_file(path)
    except ValueError as error:
        # a py3langid release with another model layout: same answers, more memory
        warnings.warn(
            f"{error}; using py3langid's own loader, which takes about 40 MB more memory",
            RuntimeWarning,
            stacklevel=2,
        )
        from py3langid.langid import LanguageIdentifier

        return LanguageIdentifier.from_model_file(path, norm_probs=True)
    if folder is not None and array_cache.store(folder, built.to_arrays()):
        # the mapped copy, so that this process shares its pages too
        return _mapped_identifier(folder) or built
    return built


def _identifier_cache_folder(path: Path) -> Path | None:
    """The array cache folder of the identifier built from py3langid's file ``path``."""
    if not array_cache.enabled():
        return None
    try:
        digest = array_cache.file_sha256(path)
    except OSError:
        return None
    return array_cache.cache_dir() / f"langid-{digest[:32]}-{IDENTIFIER_CACHE_LAYOUT}"


def _mapped_identifier(folder: Path) -> _Identifier | None:
    from detector._langid import LeanIdentifier

    arrays = array_cache.mapped(folder)
    if arrays is None:
        return None
    try:
        return LeanIdentifier.from_arrays(arrays)
    except (KeyError, ValueError, IndexError):
        return None  # a damaged folder: built again from py3langid's file


def identify(text: str) -> tuple[str, float]:
    """The identifier's language and probability for a sample of ``text``.

    The sample is the start, middle and end of the text, so a long text costs
    no more than :data:`IDENTIFIER_SAMPLE_CHARS` characters.

    >>> language, probability = identify("Il consiglio ha deciso di alzare il dividendo.")
    >>> language, round(probability, 2)
    ('it', 1.0)
    """
    if len(text) > IDENTIFIER_SAMPLE_CHARS:
        third = IDENTIFIER_SAMPLE_CHARS // 3
        middle = len(text) // 2
        text = "\n".join(
            (text[:third], text[middle - third // 2 : middle + third // 2], text[-third:])
        )
    language, probability = _identifier().classify(text)
    return str(language), float(probability)


def _english_letter_share(text: str) -> float:
    """Share of the letters that stand in paragraphs passing the function-word check."""
    english = total = 0
    for start, end in paragraph_spans(text):
        share, _, letters = english_share(text[start:end])
        total += letters
        if share >= ENGLISH_SHARE:
            english += letters
    return english / total if total else 0.0


def detect_language(text: str) -> LanguageGuess:
    """Decide whether ``text`` is English enough to score (see the module docstring)."""
    folded = fold_lookalikes(text)
    share, words, letters = english_share(folded[:PRECHECK_CHARS])
    if letters < MIN_LANGUAGE_LETTERS or (
        words < MIN_LANGUAGE_WORDS and letters < SPACELESS_WORD_LETTERS * words
    ):
        return LanguageGuess(True, None, 0.0)
    if share >= ENGLISH_SHARE:
        return LanguageGuess(True, "en", 1.0)
    language, probability = identify(folded)
    if language == "en" or probability < MIN_LANGUAGE_CONFIDENCE:
        return LanguageGuess(True, language, probability)
    if _english_letter_share(folded) >= MIXED_ENGLISH_SHARE:
        return LanguageGuess(True, "en", probability)
    return LanguageGuess(False, language, probability)
