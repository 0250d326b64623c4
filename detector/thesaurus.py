"""A spinner's thesaurus, learnt from spun texts that have no original beside them.

Aligning a spun copy with its original finds its swaps for sure
(:func:`detector.swaps.substitutions`), but few spun pages come with their
original. On a page alone, a spinner's swap still shows: a word stands
between neighbours it never stands beside in everyday English while one of
its WordNet synonyms does (``You are proper`` for right, ``a misplaced
city`` for lost), the same neighbour test the ``spinner`` family applies.
One page alone gives such candidates by the dozen, most of them chance: a
rare neighbour, an odd but human choice of word. What tells a thesaurus
entry is that a spinner makes the same swap on page after page and site
after site, while people make it seldom. So a candidate is learnt when it
is found in the spun texts of at least :data:`MIN_GROUPS` groups (sites,
or source documents) and in at most :data:`MAX_CLEAN_TEXTS` of the clean
texts the same labelled data holds.

What it cannot learn: multi-word swaps (``considered one of``,
``imaginative and prescient``) and swaps to words WordNet does not list as
synonyms; those come from aligned pairs only.

Names tell the same way. Content farms spin the stories everyone writes
about, so the same mangled name turns up on site after site (``Home of the
Dragon``, ``Murderer's Creed``, ``Name of Responsibility``) and never on a
page a person wrote, nor in the corpus of everyday English
(:func:`name_candidates`). Such a name is learnt by the same rule, except
that no clean text may write it (:data:`MAX_CLEAN_NAMES`); a real name
newer than the corpus is written by people too. Its words are put back
through the swap table when it is found (see the ``spinner`` family).

>>> from detector.collocations import Collocations
>>> from detector.features.substitution import synonyms_of
>>> from detector.resources import Resources
>>> resources = Resources.empty()
>>> resources.vocabulary = {"right": 3, "proper": 4, "lost": 5, "misplaced": 6}
>>> resources.synonym_offsets, resources.synonym_ids = synonyms_of(
...     resources, {"proper": ["right"], "misplaced": ["lost"]})
>>> resources.collocations = Collocations.build(
...     ["you are right", "the lost city", "a proper meal", "misplaced trust"] * 5)
>>> candidates(Document.of("You are proper about the misplaced city."), resources)
[('lost', 'misplaced'), ('right', 'proper')]
>>> right, lost = ("right", "proper"), ("lost", "misplaced")
>>> spun = {"site-a": [[right, lost]], "site-b": [[right], [lost]], "site-c": [[lost]]}
>>> from collections import Counter
>>> Counter(learn(spun, clean=[[lost], []]))  # once per site that shows it
Counter({('lost', 'misplaced'): 3, ('right', 'proper'): 2})
>>> learn(spun, clean=[[lost], [lost]])  # people write "misplaced" there too
[('right', 'proper'), ('right', 'proper')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from detector.features.spinner import better_original, name_text, neighbour, word_form
from detector.known_names import name_runs, name_spans
from detector.resources import Resources
from detector.text import Document
from detector.wordlists import FUNCTION_WORDS

#: A candidate is learnt when the spun texts of this many groups show it ...
MIN_GROUPS = 2
#: ... and at most this many clean texts do (over the whole labelled set:
#: in the default model's data, about 2,400 Reuters originals and the human
#: pages of the real-web set).
MAX_CLEAN_TEXTS = 1
#: A name (:func:`name_candidates`) is learnt only if no clean text writes it.
MAX_CLEAN_NAMES = 0
#: A candidate name holds at least this many capitalised words of three
#: letters or more (not Roman numerals): ``Warfare III`` is a piece of a
#: name, ``Road Fighter`` one.
NAME_WORDS = 2
# a number in a name (Warfare III), not a word of it
_ROMAN_NUMERAL = re.compile(r"[IVXLCDM]+")


def candidates(doc: Document, resources: Resources) -> list[tuple[str, str]]:
    """The ``(original, spun)`` candidates of one text, sorted, each once.

    A candidate is a word of running text (not capitalised inside a
    sentence) with single-word WordNet synonyms (in the resources' synonym
    table) where one of them fits a neighbour the word never stands beside,
    by the ``spinner`` family's neighbour test. Empty without a synonym
    table or word-pair counts. The entries learnt from candidates are looked
    for in running text only (:attr:`~detector.swaps.SwapTable.prose_only`).
    """
    offsets, synonym_ids = resources.synonym_offsets, resources.synonym_ids
    pairs, vocabulary = resources.collocations, resources.vocabulary
    if offsets is None or synonym_ids is None or pairs is None:
        return []
    found: set[tuple[str, str]] = set()
    for tokens in doc.sentence_tokens:
        forms = [word_form(token.text) for token in tokens]
        for index, form in enumerate(forms):
            word_id = vocabulary.get(form)
            if word_id is None or word_id + 1 >= len(offsets) or not form.isalpha():
                continue
            if index and tokens[index].text[:1].isupper():
                continue  # a name's word: entries are learnt from running text
            ids = synonym_ids[offsets[word_id] : offsets[word_id + 1]].tolist()
            synonyms = [
                word for word in map(resources.word_of, ids) if word != form and " " not in word
            ]
            if not synonyms:
                continue
            before = neighbour(tokens, forms, index - 1)
            after = neighbour(tokens, forms, index + 1)
            better = better_original(form, synonyms, before, after, pairs)
            if better is not None:
                found.add((better[0], form))
    found.update(("", name) for name in name_candidates(doc, resources))
    return sorted(found)


def name_candidates(doc: Document, resources: Resources) -> list[str]:
    """The names of one text that the corpus of everyday English never wrote, sorted, each once.

    Normalised spans of runs of capitalised words (any sentence position;
    :func:`~detector.known_names.name_spans`) that start and end with a word
    that is not a function word, hold :data:`NAME_WORDS` capitalised words
    of three letters or more, and that the resources' name counts have not
    seen, without a closing possessive (``Naughty Canine's`` is ``naughty
    canine``). Empty without name counts.

    >>> from detector.known_names import KnownNames
    >>> resources = Resources.empty()
    >>> resources.known_names = KnownNames.build(["We watched Game of Thrones."] * 2)
    >>> name_candidates(Document.of("Then Sport of Thrones aired, not Game of Thrones."), resources)
    ['sport of thrones']
    """
    names = resources.known_names
    if names is None or not len(names):
        return []
    spans: set[str] = set()
    for tokens in doc.sentence_tokens:
        texts = [token.text for token in tokens]
        if sum(text[:1].isupper() for text in texts) < NAME_WORDS:
            continue
        forms = [word_form(text) for text in texts]
        for start, end in name_runs(texts):
            for i, j in name_spans(texts, start, end):
                if forms[i] in FUNCTION_WORDS or forms[j - 1] in FUNCTION_WORDS:
                    continue
                if sum(map(_name_word, texts[i:j])) >= NAME_WORDS:
                    spans.add(name_text(forms, i, j))
    ordered = sorted(spans)
    return [span for span, n in zip(ordered, names.count(ordered), strict=True) if not n]


def _name_word(text: str) -> bool:
    """A capitalised word of three letters or more: ``Creed``, not ``II``, ``III`` nor ``5``."""
    letters = text.replace("'", "").replace("’", "")
    return (
        len(text) >= 3
        and text[:1].isupper()
        and letters.isalpha()
        and not _ROMAN_NUMERAL.fullmatch(text)
    )


def learn(
    spun: Mapping[str, Iterable[Sequence[tuple[str, str]]]],
    clean: Iterable[Sequence[tuple[str, str]]],
    *,
    min_groups: int = MIN_GROUPS,
    max_clean: int = MAX_CLEAN_TEXTS,
    max_clean_names: int = MAX_CLEAN_NAMES,
) -> list[tuple[str, str]]:
    """The thesaurus entries among the candidates, once per group that shows them.

    ``spun`` holds the candidates of each spun text by group, ``clean`` those
    of each clean text. An entry comes back once for every group that shows
    it, so a :class:`~detector.swaps.SwapTable` built from the result counts
    the groups. A name (``("", name)``) may be in ``max_clean_names`` clean
    texts at most.
    """
    groups: dict[tuple[str, str], int] = Counter()
    for texts in spun.values():
        for candidate in set().union(*map(set, texts)):
            groups[candidate] += 1
    in_clean: Counter[tuple[str, str]] = Counter()
    for text in clean:
        in_clean.update(set(text))
    return [
        candidate
        for candidate, n in sorted(groups.items())
        if n >= min_groups
        and in_clean[candidate] <= (max_clean_names if not candidate[0] else max_clean)
        for _ in range(n)
    ]
