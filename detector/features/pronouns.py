"""Pronoun slips: a company or a country called "he", "she", "his" or "her".

English refers to companies, countries and institutions as ``it``. Languages
with grammatical gender do not: Spanish ``la empresa`` is feminine, German
``der Konzern`` masculine, and many drop the subject pronoun altogether
(``dijo que`` is "said that ___"). On the way back the engine has to choose a
pronoun and often picks a person's: ``Toray said on Monday he would cut
jobs``, ``the bank raised his forecast``. Spanish ``su`` stands for "his",
"her", "its" and "their" alike, so ``its profit`` comes back as ``his
profit``.

What looks similar but is legitimate: a person in the same sentence (``the
chief executive of Ford said he``, ``Ford said Mulally would keep his
job``), a company named after a person (``Dow Jones``, for whom clean news
writes ``it`` too), and a pronoun whose antecedent sits in an earlier
sentence (``The company said he would step down`` after naming the chief
executive). So only the plainest case counts: an organisation is the subject
of a verb (``the company said``, ``Toray Industries (3402.T) said``), no word
for a person and no other name stands between it and the pronoun, and the
pronoun is the subject of the reported clause (``said he would``) or owns
what the organisation owns (``cut his forecast``), and the sentence before
names no person either. Quotations are skipped:
inside them pronouns belong to the speaker. Names count as organisations
when clean news refers to them as ``it`` (the model learns them from its
corpus, see :func:`detector.build.it_names`) and the document does not use
them for a person too (``Paul Jacobs``); corporate suffixes and bracketed
instrument codes mark the rest.

>>> result = extract("The company said on Monday he would cut 500 jobs. "
...                  "Toray Industries (3402.T) raised his forecast.")
>>> [e.snippet for e in result.evidence]
['he', 'his']
>>> extract("The chief executive of the company said he would stay.").evidence
[]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress
from operator import itemgetter

import numpy as np

from detector.features.base import (
    Evidence,
    FeatureResult,
    batch_of_one,
    evidence_at,
    found_on,
    kept_on,
    rate,
)
from detector.resources import Resources
from detector.text import Document, Token
from detector.wordlists import FUNCTION_WORDS

FAMILY = "pronouns"

FEATURE_NAMES: tuple[str, ...] = (
    # organisations called "he"/"she" or "his"/"her", per 100 words
    "pronouns.organisation_as_person_rate",
    # share of the personal pronouns after an organisation subject that are slips
    "pronouns.organisation_as_person_share",
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Common nouns for organisations, which clean news calls "it" (singular only:
#: the plural takes "they" in both languages).
ORGANISATION_NOUNS = _words(
    """
    company firm bank group carrier automaker carmaker airline retailer insurer lender
    maker manufacturer ministry government agency fund regulator conglomerate operator
    producer supplier chain utility exchange unit subsidiary commission newspaper broker
    brokerage startup miner refiner developer builder distributor venture parliament
    country nation economy council board court
    """
)

#: Corporate forms that end a company's name: "Toray Industries Inc".
CORPORATE_SUFFIXES = _words(
    "Inc Corp Co Ltd Plc PLC LLC AG SA SpA NV AB ASA Bhd GmbH Corporation Limited Holdings Group"
)

#: Words for people: one of them before the pronoun may be what it refers to.
PERSON_WORDS = _words(
    """
    spokesman spokeswoman spokesperson chief executive executives ceo chairman chairwoman
    president minister premier chancellor analyst official director founder manager
    governor secretary economist trader lawyer man woman boss head owner partner investor
    strategist officer senator leader son daughter wife husband father mother brother
    sister mr mrs ms dr judge mayor sen rep gov professor prof he she him his her himself
    herself who whom whose i we you
    """
)

#: Verbs after which the organisation is the subject of a clause.
SUBJECT_VERBS = _words(
    """
    said says added reported announced expects expected plans planned posted noted told
    warned estimated forecast predicted raised cut lowered reduced increased kept has had
    is was will would could can may might also
    """
)

#: Pronouns of a person, and the one English uses for an organisation.
PERSON_SUBJECTS = _words("he she He She")
PERSON_POSSESSIVES = _words("his her His Her")

PERSON_PRONOUNS = PERSON_SUBJECTS | PERSON_POSSESSIVES

#: Capitalised words that do not name anything a pronoun could refer to.
NEUTRAL_CAPITALS = _words(
    """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    June July August September October November December
    """
)

#: Words before a name that make it an object, not the subject.
PREPOSITIONS = _words("of in at for from with by to on about against than like via")

#: Tokens that end the clause the organisation is the subject of.
CLAUSE_BREAKS = frozenset(";:\"“”'‘’()—–")

#: Pronouns that refer to something else than the organisation.
OTHER_REFERENTS = _words("it its they their them It Its They Their")

#: Tokens at most between the verb and a subject pronoun ("said on Monday that he").
MAX_GAP = 6


def _is_code(word: str) -> bool:
    """An instrument code as the tokenizer keeps it: ``3402.T``, ``XOM.N``.

    >>> _is_code("3402.T"), _is_code("U.S"), _is_code("said")
    (True, True, False)
    """
    head, dot, suffix = word.rpartition(".")
    return bool(dot) and head.isalnum() and suffix.isalpha() and len(suffix) <= 4


def _organisation_before(
    sentence: list[Token], verb: int, names: frozenset[str], people: frozenset[str] = frozenset()
) -> bool:
    """True when the words just before ``verb`` name an organisation as its subject.

    A name counts when a corporate form or a bracketed code ends it, or when
    each of its capitalised words is a name clean news calls "it" and the
    document does not use for a person (``people``). A name after a
    preposition (``an analyst at Nomura said``) is not the subject.

    >>> from detector.text import tokenize
    >>> _organisation_before(tokenize("Toray Industries (3402.T) said"), 5, frozenset())
    True
    >>> _organisation_before(tokenize("Diwan of Toray said"), 3, frozenset({"toray"}))
    False
    """
    index = verb - 1
    marked = False
    if index >= 2 and sentence[index].text == ")" and _is_code(sentence[index - 1].text):
        if sentence[index - 2].text != "(":
            return False
        index -= 3
        marked = True
    # "Ford Motor Co. said": the full stop of the corporate form
    dotted = index >= 1 and sentence[index].text == "."
    if dotted and sentence[index - 1].text in CORPORATE_SUFFIXES:
        index -= 1
    if index >= 0 and sentence[index].text in CORPORATE_SUFFIXES:
        index -= 1
        marked = True
    if index < 0:
        return marked
    word = sentence[index].text
    if not marked and word in ORGANISATION_NOUNS:
        return index >= 1 and sentence[index - 1].text.lower() in {"the", "this", "that"}
    # the capitalised run of the name, back to its first word
    first = index
    while first >= 0 and sentence[first].text[:1].isupper() and sentence[first].text.isalpha():
        lower = sentence[first].text.lower()
        if not marked and (lower not in names or lower in people):
            return False
        if lower in PERSON_WORDS:
            return False
        first -= 1
    if first == index:
        return marked and first >= 0 and sentence[first].text not in PREPOSITIONS
    return first < 0 or sentence[first].text.lower() not in PREPOSITIONS


def _interrupts(token: Token) -> bool:
    """True for a token after which the pronoun may refer to someone else."""
    word = token.text
    return (
        word in CLAUSE_BREAKS
        or word in OTHER_REFERENTS
        or word.lower() in PERSON_WORDS
        or (word[:1].isupper() and word not in NEUTRAL_CAPITALS)
    )


def _people(doc: Document, names: frozenset[str]) -> frozenset[str]:
    """Names the document uses for a person: after a given name or a title.

    ``Paul Jacobs`` makes ``jacobs`` a person here, though Jacobs Engineering
    is a company clean news calls "it". Each sentence gives its own names,
    so a part of a document (see :meth:`~detector.text.Document.part`)
    takes those of its sentences from the document when it has them.

    >>> doc = Document.of("Analyst Judy Hong and Tata Steel agreed.")
    >>> sorted(_people(doc, frozenset({"tata"})))
    ['hong', 'judy']
    """
    within = doc.__dict__.get("_within")
    if within is not None:
        whole, first, last = within
        kept = found_on(whole, _PEOPLE, names)
        if kept is not None:
            return frozenset().union(*kept[first:last])
    return frozenset().union(*kept_on(doc, _PEOPLE, names, _sentence_people, doc, names))


_PEOPLE = f"{FAMILY}.people"


def _sentence_people(doc: Document, names: frozenset[str]) -> list[set[str]]:
    """:func:`_people` of each sentence of a document."""
    found: list[set[str]] = []
    for sentence in doc.sentence_tokens:
        people: set[str] = set()
        texts = list(map(itemgetter(0), sentence))
        # the words after the first that start with a capital
        capitals = map(str.isupper, map(itemgetter(0), texts[1:]))
        for index in compress(range(1, len(texts)), capitals):
            word, previous = texts[index], texts[index - 1]
            if not (word.isalpha() and previous.isalpha()):
                continue
            if previous.lower() in PERSON_WORDS or (
                previous[:1].isupper()
                and previous.lower() not in names
                and previous.lower() not in FUNCTION_WORDS
                and previous not in NEUTRAL_CAPITALS
                and previous not in CORPORATE_SUFFIXES
            ):
                people.add(word.lower())
        found.append(people)
    return found


def _slips(
    sentence: list[Token], names: frozenset[str], people: frozenset[str]
) -> tuple[list[Token], int]:
    """Person pronouns of an organisation in one sentence, and the pronouns looked at.

    ``names`` are those clean news calls "it", ``people`` those the document
    uses for a person (see :func:`_people`), which count as no organisation.
    """
    slips: list[Token] = []
    seen = 0
    quoted = False
    person_before = False
    for verb, token in enumerate(sentence):
        word = token.text
        if word in {'"', "“", "”"}:
            quoted = not quoted
            continue
        if quoted:
            continue
        if word.lower() in PERSON_WORDS:
            person_before = True
            continue
        if (
            person_before
            or word not in SUBJECT_VERBS
            or not _organisation_before(sentence, verb, names, people)
        ):
            continue
        for position in range(verb + 1, len(sentence)):
            following = sentence[position]
            if following.text in PERSON_SUBJECTS and position - verb <= MAX_GAP:
                seen += 1
                slips.append(following)
                break
            if following.text in PERSON_POSSESSIVES:
                seen += 1
                slips.append(following)
                break
            if following.text in OTHER_REFERENTS:
                seen += 1
                break
            if _interrupts(following) or following.text == ",":
                break
    return slips, seen


# Where a token "he", "she", "his" or "her" can be: the letters, with no letter
# before or after (a search jumps between the capitals and small letters that
# start them, the look-behind following the first letter).
_PRONOUN_RE = re.compile(r"[HhSs](?<![^\W\d_][HhSs])(?:e|he|is|er)(?![^\W\d_])")


def _kept_slips(doc: Document, resources: Resources | None) -> tuple[list[Token], int]:
    """:func:`_slip_tokens` of a document with a model's names, found once per document."""
    return kept_on(doc, FAMILY, resources, _slip_tokens, doc, _names(resources))


def _slip_tokens(doc: Document, names: frozenset[str]) -> tuple[list[Token], int]:
    """The pronouns that are slips, and how many pronouns after an organisation were looked at."""
    if _PRONOUN_RE.search(doc.text) is None or PERSON_PRONOUNS.isdisjoint(
        map(itemgetter(0), doc.tokens)
    ):
        # no "he", "she", "his" or "her": nothing to flag, and every value is zero
        return [], 0
    people = _people(doc, names)
    found: list[Token] = []
    seen = 0
    person_before = False
    for sentence in doc.sentence_tokens:
        texts = list(map(itemgetter(0), sentence))
        if SUBJECT_VERBS.isdisjoint(texts):  # no verb an organisation says or does
            person_before = not PERSON_WORDS.isdisjoint(map(str.lower, texts))
            continue
        slips, looked_at = _slips(sentence, names, people)
        seen += looked_at
        flagged = {token.start for token in slips}
        if person_before:
            slips = []  # "he" may be the person the sentence before named
        person_before = (
            any(
                token.text.lower() in PERSON_WORDS and token.start not in flagged
                for token in sentence
            )
            if flagged
            else not PERSON_WORDS.isdisjoint(map(str.lower, texts))
        )
        found.extend(slips)
    return found, seen


def _names(resources: Resources | None) -> frozenset[str]:
    return resources.it_names if resources is not None else frozenset()


def transform(docs: Sequence[Document], resources: Resources | None = None) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per document.

    >>> transform([Document.of("The company said he would go."), Document.of("")]).tolist()
    [[16.666666666666664, 1.0], [0.0, 0.0]]
    """
    rows = np.zeros((len(docs), len(FEATURE_NAMES)))
    for index, doc in enumerate(docs):
        slips, seen = _kept_slips(doc, resources)
        if seen:
            rows[index] = rate(len(slips), max(doc.n_words, 1), 100), rate(len(slips), seen)
    return rows


def evidence(doc: Document, resources: Resources | None = None) -> list[Evidence]:
    """The pronouns of one document that refer to an organisation, in text order."""
    items = []
    for token in _kept_slips(doc, resources)[0]:
        kind = "its" if token.text.lower() in {"his", "her"} else "it"
        note = f"`{token.text}` refers to an organisation here, which English calls `{kind}`"
        items.append(
            evidence_at(doc.text, FAMILY, "pronouns.organisation_as_person", token.start,
                        token.end, note)
        )  # fmt: skip
    return items


def extract(text: str | Document, resources: Resources | None = None) -> FeatureResult:
    """Find organisations referred to as persons (a batch of one).

    Parameters
    ----------
    text : str or Document
        The text, or a :class:`~detector.text.Document` built from it.
    resources : Resources, optional
        A model's resources: their :attr:`~detector.resources.Resources.it_names`
        are the names clean news refers to as "it".

    Returns
    -------
    FeatureResult
        Every name in :data:`FEATURE_NAMES`; evidence marks each pronoun.

    Examples
    --------
    >>> extract("Analysts said the bank would keep its dividend.").values[
    ...     "pronouns.organisation_as_person_share"]
    0.0
    """
    return batch_of_one(Document.of(text), resources, transform, evidence, FEATURE_NAMES)
