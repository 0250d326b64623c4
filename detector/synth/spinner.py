"""An article spinner: synonym swaps the way commercial spinners make them.

Spinners rewrite a copied article by replacing words and phrases with
thesaurus synonyms, so that a duplicate-content filter no longer matches it.
They do no sense disambiguation: they take the first synonym the thesaurus
lists for a word's most frequent sense, whatever the word means in context.
That gives their tell-tale slips: "year" -> "12 months", "skin" -> "pores and
skin", "Windows" -> "Home windows", "May" (the month) -> "Could", "stock
market" -> "securities market". To keep the copy recognisable to a reader,
they leave alone the "immutables" (Zhang et al., DSpin, NDSS 2014): names
(capitalised words inside a sentence), numbers and codes. Their own
thesaurus, though, is looked up without regard to case, so its entries
reach into names: "National Guard" -> "Nationwide Guard", "Green New Deal"
-> "Inexperienced New Deal", "May 5" -> "Could 5".

This spinner works the same way over WordNet (first synset of the most
frequent part of speech, first-listed lemma) plus :data:`SPINNER_THESAURUS`,
the handful of entries commercial spinners' own thesauri have and WordNet
lacks. Replacements are inflected to agree with the word they replace.

>>> spinner = Spinner(wordnet=None)  # the thesaurus alone, for the example
>>> spinner.spin("May sales rose this year.", rate=1.0, rng=random.Random(1)).text
'Could sales rose this 12 months.'
>>> spinner.spin("The National Guard left on May 5.", rate=1.0, rng=random.Random(1)).text
'The Nationwide Guard left on Could 5.'
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from detector.synth.inflect import IRREGULAR_NOUNS, conjugate, pluralize, verb_form
from detector.synth.language import FUNCTION_WORDS
from detector.text import Token, is_word, paragraph_spans, sentence_spans, tokenize

#: Synonyms of commercial spinners' own thesauri that WordNet lacks, by exact
#: lower-case form. They are what gives spun news its best-known slips.
SPINNER_THESAURUS: dict[str, str] = {
    # units and dates taken literally
    "year": "12 months",
    "may": "could",
    # body and household words expanded to a "fuller" phrase
    "skin": "pores and skin",
    "windows": "home windows",
    # adjectives swapped for a sense the context does not have
    "national": "nationwide",
    "green": "inexperienced",
    # institutions spelled out or generalised
    "bank": "financial institution",
    "banks": "monetary establishments",
    "government": "authorities",
    "company": "firm",
    "companies": "corporations",
    # reporting verbs and connectives, the most frequent swaps of spun news
    "said": "mentioned",
    "also": "additionally",
    "however": "nevertheless",
    "people": "individuals",
    "investors": "traders",
    "help": "assist",
    "online": "on-line",
    # everyday words of web articles, swapped for a word or phrase of
    # another sense: Xbox "Sport Move" (Game Pass), Microsoft's "imaginative
    # and prescient" (vision), an Xbox "govt" (executive)
    "game": "sport",
    "games": "video games",
    "pass": "move",
    "vision": "imaginative and prescient",
    "executive": "govt",
    "content": "content material",
    "more": "extra",
    "told": "advised",
    # multiword phrases swapped whole
    "kind of": "form of",
    "coming up": "developing",
    "stock market": "securities market",
    "interest rates": "rates of interest",
    "chief executive": "chief govt",
    "central bank": "central financial institution",
}

# Words before a noun (a verb is unlikely to follow them).
_NOUN_CUES = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "its",
        "their",
        "his",
        "her",
        "our",
        "my",
        "your",
        "some",
        "many",
        "several",
        "each",
        "every",
        "no",
        "any",
    ]
)
# Words before a verb in its base form.
_VERB_CUES = frozenset(
    [
        "to",
        "will",
        "would",
        "could",
        "should",
        "can",
        "may",
        "might",
        "must",
        "not",
        "did",
        "does",
        "do",
    ]
)

_LEMMA_OK_RE = re.compile(r"^[a-z][a-z'-]*(?:_[a-z][a-z'-]*){0,2}$")


@dataclass
class SpinResult:
    """A spun text and the replacements made, in text order."""

    text: str
    replacements: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return len(self.replacements)


@dataclass
class _Unit:
    """A word or phrase that may be replaced: its span and words."""

    start: int
    end: int
    words: list[str]
    sentence_initial: bool


def match_case(original: str, replacement: str) -> str:
    """Give ``replacement`` the capitalisation of ``original``.

    >>> match_case("May", "could"), match_case("NEW", "fresh"), match_case("new", "fresh")
    ('Could', 'FRESH', 'fresh')
    """
    if len(original) > 1 and original.isupper():
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


#: Numbers written as words are numbers too: "two" -> "deuce" is not a slip
#: spinners make, since they protect numerals.
NUMBER_WORDS = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "half",
        "quarter",
        "dozen",
    ]
)


def is_immutable(token: str, sentence_initial: bool) -> bool:
    """True for a token a spinner leaves alone: a name, a number, a code.

    >>> is_immutable("Toyota", False), is_immutable("Shares", True), is_immutable("7203.T", True)
    (True, False, True)
    >>> is_immutable("IMF", True), is_immutable("rose", False)
    (True, False)
    """
    if not is_word(token) or token.lower() in NUMBER_WORDS:
        return True
    if len(token) > 1 and token.isupper():
        return True
    return token[:1].isupper() and not sentence_initial


class Spinner:
    """Replace content words with synonyms at a given rate.

    Parameters
    ----------
    wordnet
        An NLTK WordNet reader (see :func:`detector.synth.wordnet.load_wordnet`);
        ``None`` uses :data:`SPINNER_THESAURUS` alone.
    thesaurus
        Entries tried before WordNet, by lower-case form.
    first_choice
        Probability of taking the first-listed synonym rather than another
        one of the same sense (commercial spinners mostly take the first).
    syntax_slip_rate
        Probability that a replacement is left as unexpanded spin syntax
        ``{original|synonym}``, a slip of careless spinning.
    protect_capitalised
        Leave capitalised words inside a sentence alone (the immutables).
    thesaurus_ignores_case
        Let the ``thesaurus`` entries replace capitalised words all the same,
        as commercial spinners' thesauri do (WordNet's synonyms still leave
        them alone).
    """

    def __init__(
        self,
        wordnet: Any = None,
        thesaurus: dict[str, str] | None = None,
        first_choice: float = 0.7,
        syntax_slip_rate: float = 0.0,
        protect_capitalised: bool = True,
        thesaurus_ignores_case: bool = True,
    ) -> None:
        self.wordnet = wordnet
        self.thesaurus = dict(SPINNER_THESAURUS if thesaurus is None else thesaurus)
        self.first_choice = first_choice
        self.syntax_slip_rate = syntax_slip_rate
        self.protect_capitalised = protect_capitalised
        self.thesaurus_ignores_case = thesaurus_ignores_case
        phrases = {key for key in self.thesaurus if " " in key}
        if wordnet is not None:
            phrases.update(
                name.replace("_", " ")
                for name in wordnet.all_lemma_names()
                if name.count("_") in (1, 2) and _LEMMA_OK_RE.match(name)
            )
        self.phrases = frozenset(phrases)
        self.noun_plurals = dict(IRREGULAR_NOUNS)

    # -- finding what may be replaced ---------------------------------------

    def _phrase_key(self, words: list[str]) -> str | None:
        """The phrase (as listed) that ``words`` are a form of, if any."""
        phrase = " ".join(word.lower() for word in words)
        if phrase in self.phrases:
            return phrase
        # A plural last word: "interest rates" is a form of "interest rate".
        for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
            if phrase.endswith(suffix):
                singular = phrase[: -len(suffix)] + replacement
                if singular in self.phrases:
                    return singular
        return None

    def units(self, text: str) -> list[_Unit]:
        """Words and phrases of ``text`` that are not immutable, longest phrase first."""
        result: list[_Unit] = []
        for paragraph_start, paragraph_end in paragraph_spans(text):
            for start, end in sentence_spans(text, paragraph_start, paragraph_end):
                result.extend(self._sentence_units(text, tokenize(text[start:end]), start))
        return result

    def _mutable(self, token: str, sentence_initial: bool) -> bool:
        if self.protect_capitalised:
            if (
                self.thesaurus_ignores_case
                and token.lower() in self.thesaurus
                and is_word(token)
                and not token.isupper()
            ):
                return True
            return not is_immutable(token, sentence_initial)
        # Numbers and codes stay even then: no synonym exists for them.
        return is_word(token) and token.lower() not in NUMBER_WORDS

    def _sentence_units(self, text: str, tokens: list[Token], offset: int) -> list[_Unit]:
        units: list[_Unit] = []
        mutable = [self._mutable(token.text, index == 0) for index, token in enumerate(tokens)]
        index = 0
        while index < len(tokens):
            if not mutable[index]:
                index += 1
                continue
            taken = 1
            for size in (3, 2):
                window = tokens[index : index + size]
                if len(window) < size or not all(mutable[index : index + size]):
                    continue
                # Only words separated by one space form a phrase.
                if any(
                    a.end + 1 != b.start or text[offset + a.end] != " "
                    for a, b in itertools.pairwise(window)
                ):
                    continue
                if self._phrase_key([t.text for t in window]) is not None:
                    taken = size
                    break
            window = tokens[index : index + taken]
            words = [t.text for t in window]
            if (
                taken > 1
                or words[0].lower() not in FUNCTION_WORDS
                or words[0].lower() in (self.thesaurus)
            ):
                units.append(
                    _Unit(offset + window[0].start, offset + window[-1].end, words, index == 0)
                )
            index += taken
        return units

    # -- choosing a replacement ---------------------------------------------

    def _candidates(self, form: str, previous: str) -> list[tuple[str, str, str]]:
        """``(part of speech, lemma, synonym lemma)`` options for a word or phrase form."""
        wordnet = self.wordnet
        if wordnet is None:
            return []
        key = form.replace(" ", "_")
        options: list[tuple[int, str, str, list[str]]] = []
        for pos in ("n", "v", "a", "r"):
            lemma = wordnet.morphy(key, pos)
            if lemma is None:
                continue
            synsets = wordnet.synsets(lemma, pos)
            if not synsets:
                continue
            # Comparatives and superlatives ("bigger") are left alone: their
            # synonyms would need "more"/"most", which spinners do not add.
            if pos in ("a", "r") and lemma != key:
                continue
            synonyms: list[str] = []
            for synset in synsets[:3]:
                names = [
                    name
                    for name in synset.lemma_names()
                    if name != lemma and _LEMMA_OK_RE.match(name)
                ]
                if names:
                    synonyms = names
                    break
            if synonyms:
                options.append((len(synsets), pos, lemma, synonyms))
        if not options:
            return []
        rank = self._pos_rank(form, previous)
        options.sort(key=lambda option: (rank.get(option[1], 9), -option[0]))
        _, pos, lemma, synonyms = options[0]
        return [(pos, lemma.replace("_", " "), name.replace("_", " ")) for name in synonyms]

    @staticmethod
    def _pos_rank(form: str, previous: str) -> dict[str, int]:
        """Rank of each part of speech (lower first) from cheap context cues, no tagger.

        Where no cue applies every rank is equal, and the part of speech with
        the most senses wins, as it would for a spinner without a tagger.
        """
        previous = previous.lower()
        if form.endswith("ly"):
            return {"r": 0, "a": 1}
        if previous in _NOUN_CUES:
            return {"n": 0, "a": 1}
        if previous in _VERB_CUES or form.endswith(("ed", "ing")):
            return {"v": 0}
        return {}

    def replacement(self, unit_words: list[str], previous: str, rng: random.Random) -> str | None:
        """A synonym for a word or phrase, inflected like it; ``None`` when there is none."""
        form = " ".join(unit_words)
        lower = form.lower()
        if lower in self.thesaurus:
            return match_case(form, self.thesaurus[lower])
        candidates = self._candidates(lower, previous)
        if not candidates:
            return None
        pos, lemma, _ = candidates[0]
        if rng.random() < self.first_choice:
            synonym = candidates[0][2]
        else:
            synonym = rng.choice(candidates)[2]
        if pos == "n" and lower != lemma:
            synonym = pluralize(synonym, self.noun_plurals)
        elif pos == "v":
            synonym = conjugate(synonym, verb_form(unit_words[0], lemma, previous))
        return match_case(form, synonym)

    # -- spinning -------------------------------------------------------------

    def spin(self, text: str, rate: float, rng: random.Random) -> SpinResult:
        """Replace about ``rate`` of the content words of ``text`` with synonyms.

        Paragraph breaks and everything immutable are kept exactly.
        """
        units = self.units(text)
        total_words = sum(len(unit.words) for unit in units)
        target = round(rate * total_words)
        order = list(range(len(units)))
        rng.shuffle(order)
        chosen: dict[int, str] = {}
        replaced_words = 0
        for index in order:
            if replaced_words >= target:
                break
            unit = units[index]
            previous = _previous_word(text, unit.start)
            synonym = self.replacement(unit.words, previous, rng)
            original = text[unit.start : unit.end]
            if synonym is None or synonym == original:
                continue
            if self.syntax_slip_rate and rng.random() < self.syntax_slip_rate:
                synonym = "{" + original + "|" + synonym + "}"
            chosen[index] = synonym
            replaced_words += len(unit.words)
        pieces = []
        replacements = []
        position = 0
        for index in sorted(chosen):
            unit = units[index]
            pieces.append(text[position : unit.start])
            pieces.append(chosen[index])
            replacements.append((text[unit.start : unit.end], chosen[index]))
            position = unit.end
        pieces.append(text[position:])
        return SpinResult("".join(pieces), replacements)

    def spin_many(self, texts: Iterable[str], rate: float, rng: random.Random) -> list[SpinResult]:
        """:meth:`spin` each text with the same generator, in order."""
        return [self.spin(text, rate, rng) for text in texts]


_PREVIOUS_WORD_RE = re.compile(r"([A-Za-z']+)\W*$")


def _previous_word(text: str, start: int) -> str:
    match = _PREVIOUS_WORD_RE.search(text, max(0, start - 40), start)
    return match.group(1) if match else ""
