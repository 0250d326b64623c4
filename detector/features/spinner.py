"""Known spinner substitutions where the original phrase fits far better.

Commercial spinners reuse one thesaurus across thousands of sites, so the
same swaps turn up again and again: ``review`` -> ``evaluation``, ``told``
-> ``advised``, ``Naughty Dog`` -> ``Naughty Canine``, ``Call of Duty`` ->
``Name of Responsibility``. The model carries a table of such swaps,
learnt from spun copies aligned with their originals
(:class:`~detector.swaps.SwapTable`); this family finds the spun phrases
in a text and keeps those whose neighbours give the game away: the
original phrase stands beside the same neighbour in everyday English
(``naughty dog``) while the spun one never does (``naughty canine``), or
the spun phrase is itself a pair English never uses (``imaginative and
prescient``).

What looks similar but is legitimate: every spun phrase is ordinary English
somewhere (``evaluation``, ``advised``, ``collection``). The neighbour test
is what separates ``a collection of stamps`` from ``the Halo collection``
(for series), and a text needs several such swaps before the values are
high. A swap inside a capitalised name (``Naughty Canine``) is counted
apart: people do not rename a studio with a synonym. So is a name the
corpus never wrote that becomes a name it knows well when one of its words
is put back (``Sport of Thrones``, ``Road Fighter II``: see
:class:`~detector.known_names.KnownNames`), wherever its neighbours stand.

>>> from detector.collocations import Collocations
>>> from detector.resources import Resources
>>> from detector.swaps import SwapTable
>>> resources = Resources.empty()
>>> resources.collocations = Collocations.build(["the naughty dog ran", "a canine ran"] * 10)
>>> resources.swap_table = SwapTable.from_pairs([("dog", "canine")])
>>> doc = Document.of("They met the Naughty Canine team.")
>>> [(e.snippet, e.name) for e in evidence(doc, resources)]
[('Canine', 'spinner.name_swap')]
>>> transform([doc], resources)[0].round(2).tolist()
[16.67, 16.67, 1.0, 0.0, 0.0]
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from itertools import compress
from typing import NamedTuple

import numpy as np

from detector.collocations import Collocations, normalise
from detector.features.base import (
    Evidence,
    FeatureResult,
    batch_of_one,
    evidence_at,
    found_on,
    kept_on,
)
from detector.known_names import (
    JOINERS,
    KnownNames,
    capitalised,
    name_runs,
    name_spans,
    span_text,
)
from detector.resources import Resources
from detector.swaps import SwapTable
from detector.text import Document, Token
from detector.wordlists import FUNCTION_WORDS

FAMILY = "spinner"

FEATURE_NAMES: tuple[str, ...] = (
    # known spinner swaps whose neighbours fit the original better, per 100 words
    "spinner.known_swap_rate",
    # the same inside capitalised names (Naughty Canine), per 100 words
    "spinner.name_swap_rate",
    # share of sentences holding at least one such swap
    "spinner.sentence_share",
    # distinct swaps (by original phrase) where a text holds enough of them
    # to be a spinner's work rather than a writer's choice of word, or a pair
    # with a swap inside a name or never written by people (0 below)
    "spinner.swap_cluster",
    # the same for a looser cluster (two swaps): weighed by the trees, as a
    # translator now and then makes two such choices in a short text
    "spinner.swap_pair",
)

#: The original phrase must stand beside the neighbour this often in the
#: corpus, where the spun phrase never does (fewer than WRITTEN_COUNT).
USUAL_COUNT = 5
#: A pair seen fewer times than this counts as never written where its
#: absence is the evidence: once may be a typo, a list or a line break lost
#: in extraction (the counts keep such pairs for the ``collocation`` family).
WRITTEN_COUNT = 2
#: A spun phrase seen this often beside either neighbour is at home there and
#: never counts as a swap, whatever the other side says: "Final Fantasy"
#: (673 times in the counts) is the writer's words ...
AT_HOME_COUNT = 50
#: ... unless the neighbour is one of this many commonest words of the
#: counts (their word ids are frequency ranks): "the sport" is common, and
#: says nothing about "the sport's producer".
COMMONEST_WORDS = 200

#: A text's swaps make a cluster when it holds at least this many distinct
#: ones (by original phrase) ...
CLUSTER_SIZE = 3
#: ... and at least one per this many words. A writer picks "mentioned" for
#: "said" or "nice" for "great" now and then; a spinner swaps every phrase
#: its thesaurus knows. No human page of the real-web development set (out
#: of fold), no held-out Reuters original and no WMT22 human translation
#: reach both (``benchmarks/swap_clusters.py``).
CLUSTER_WORDS = 133
#: The looser cluster of ``spinner.swap_pair``: two distinct swaps, one per
#: 200 words or closer. Nine spinner pages in ten reach it, but so do about
#: one human translation in a hundred and one human page of the development
#: set in a hundred.
PAIR_SIZE = 2
PAIR_WORDS = 200
#: A name with one word put back must be seen this often in the corpus of
#: everyday English to tell a swap inside a name (``Sport of Thrones``: the
#: corpus writes ``Game of Thrones`` 19 times and the spun name never).
KNOWN_NAME_COUNT = 10


class Swap(NamedTuple):
    """One spun phrase found in a text, and the original it stands for."""

    start: int
    end: int
    original: str
    in_name: bool
    sentence: int
    #: the spun phrase is itself a pair of words English never writes together
    unheard: bool = False
    #: the known name the swap mangled ("Game of Thrones" for "Sport of
    #: Thrones"), when the name told it (see :func:`name_swaps`)
    name: str = ""


def find_swaps(
    doc: Document, table: SwapTable, pairs: Collocations, names: KnownNames | None = None
) -> list[Swap]:
    """The spun phrases of ``doc`` whose neighbours fit an original phrase far better.

    Phrases are matched word by word on the sentence's tokens (the longest
    phrase starting at a word wins): one set look-up per phrase length
    that a spun phrase starting with the word has. With ``names``, the
    swaps that mangle a known name are added (:func:`name_swaps`).
    """
    lengths, known, openings = table.phrase_lengths()
    if not lengths:
        return []
    found: list[Swap] = []
    # every token's form at once (its lower case, which the document keeps
    # for the other families too), sliced sentence by sentence below
    every_form = doc.lowered
    if "’" in doc.text:
        every_form = [form.replace("’", "'") for form in every_form]
    # most texts hold no word that starts a spun name or that the table
    # knows inside names: then no sentence needs looking at for them
    spun_names = bool(table.spun_names) and not table.spun_name_openings().isdisjoint(every_form)
    in_names = names is not None and len(names) > 0
    in_names = in_names and not table.spun_in_names().isdisjoint(every_form)
    token_starts = doc.token_starts
    for sentence_index, tokens in enumerate(doc.sentence_tokens):
        count = len(tokens)
        if not count:
            continue
        first = bisect_left(token_starts, tokens[0].start)
        forms = every_form[first : first + count]
        swapped: set[int] = set()
        # the words a spun phrase starts with, left to right; a phrase found
        # is stepped over (the next one starts after it)
        starts = list(map(lengths.get, forms))
        free = 0
        for index in compress(range(count), starts):
            if index < free:
                continue
            length = 0
            # a phrase of two words or more needs this word and the next to open one
            opens = index + 1 < count and (forms[index], forms[index + 1]) in openings
            for size in starts[index] or ():  # longest first
                if (
                    (size == 1 or opens)
                    and index + size <= count
                    and tuple(forms[index : index + size]) in known
                ):
                    length = size
                    break
            if not length:
                continue
            spun = " ".join(forms[index : index + length])
            words = tokens[index : index + length]
            in_name = index > 0 and all(token.text[:1].isupper() for token in words)
            before = neighbour(tokens, forms, index - 1)
            after = neighbour(tokens, forms, index + length)
            if in_name:
                # a name is fixed: only its own words tell ("Naughty Canine"),
                # not the text around it ("Xbox Game Pass also ...")
                before = before if _upper(tokens[index - 1]) else ""
                after = after if index + length < count and _upper(tokens[index + length]) else ""
            better = (
                None
                if in_name and spun in table.prose_only
                else better_original(spun, table.originals_of(spun), before, after, pairs)
            )
            if better is not None:
                original, unheard = better
                found.append(
                    Swap(words[0].start, words[-1].end, original, in_name, sentence_index, unheard)
                )
                swapped.update(range(index, index + length))
            free = index + length
        if spun_names:
            found += spun_name_swaps(doc, tokens, forms, table, sentence_index, swapped)
        if in_names:
            assert names is not None
            found += name_swaps(doc, tokens, forms, table, names, pairs, sentence_index, swapped)
    return found


def spun_name_swaps(
    doc: Document,
    tokens: Sequence[Token],
    forms: Sequence[str],
    table: SwapTable,
    sentence: int,
    swapped: set[int],
) -> list[Swap]:
    """Swaps inside the names of one sentence that only spinners write.

    A span of a run of capitalised words (the sentence's first word too)
    that is one of the table's :attr:`~detector.swaps.SwapTable.spun_names`
    (``Home of the Dragon``) holds a swap at each capitalised word the table
    can put back (``home`` -> ``house``, not a mere ``'s`` or plural
    apart); the longest such span of a run wins. A learnt name none of whose
    words the table can put back is left alone. ``swapped`` as for
    :func:`name_swaps`, and updated.
    """
    if table.spun_name_openings().isdisjoint(forms):
        return []
    texts = [token.text for token in tokens]
    found: list[Swap] = []
    for start, end in name_runs(texts):
        spans = sorted(name_spans(texts, start, end), key=lambda span: span[0] - span[1])
        for i, j in spans:
            if name_text(forms, i, j) not in table.spun_names:
                continue
            words = [*forms[i : j - 1], _owner(forms[j - 1])]
            put_back = {
                p: original
                for p, word in zip(range(i, j), words, strict=True)
                if p not in swapped and _upper(tokens[p])
                for original in [_name_original(table, word)]
                if original
            }
            if not put_back:
                continue
            name = "".join(
                (_restored(texts[p], put_back[p], p == j - 1) if p in put_back else texts[p])
                + doc.text[tokens[p].end : tokens[p + 1].start if p + 1 < j else tokens[p].end]
                for p in range(i, j)
            )
            for p, original in put_back.items():
                found.append(
                    Swap(tokens[p].start, tokens[p].end, original, True, sentence, name=name)
                )
            swapped.update(put_back)
            break
    return found


def name_text(forms: Sequence[str], start: int, end: int) -> str:
    """The normalised text of a name span, without a closing possessive.

    >>> name_text(["naughty", "canine's", "games"], 0, 2)
    'naughty canine'
    """
    return span_text([*forms[start : end - 1], _owner(forms[end - 1])], 0, end - start)


def _owner(word: str) -> str:
    """A word without its possessive ``'s`` (``Canine's`` -> ``Canine``; ``’`` too)."""
    for ending in ("'s", "’s"):
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)]
    return word


def _restored(text: str, original: str, last: bool) -> str:
    """A name's word put back, capitalised; the name's closing possessive kept (``Canine's``).

    >>> _restored("Canine’s", "dog", True), _restored("Murderer's", "assassin's", False)
    ('Dog’s', "Assassin's")
    """
    capitalised = original[:1].upper() + original[1:]
    return capitalised + text[len(_owner(text)) :] if last else capitalised


def _name_original(table: SwapTable, spun: str) -> str:
    """The one-word original the table gives a spun word, or "" (none, or the same word).

    A plural or an ``'s`` apart is the same word (``studios`` for ``studio's``).
    """
    for original in table.originals_of(spun):
        if " " not in original and _stem(original) != _stem(spun):
            return original
    return ""


def _stem(word: str) -> str:
    return word.removesuffix("'s").removesuffix("s")


def name_swaps(
    doc: Document,
    tokens: Sequence[Token],
    forms: Sequence[str],
    table: SwapTable,
    names: KnownNames,
    pairs: Collocations,
    sentence: int,
    swapped: set[int],
) -> list[Swap]:
    """Swaps inside names of one sentence: a name the corpus never saw, one swap from a known one.

    For each span of a run of capitalised words (not the sentence's first
    word; :func:`~detector.known_names.name_runs`) that the corpus of
    everyday English never wrote, each capitalised word the swap table
    knows as a spinner's (one word for one word) is put back to its
    original; if that gives a name seen :data:`KNOWN_NAME_COUNT` times or
    more, or a name the document itself writes elsewhere (``Xbox Series X``
    in the headline, ``Xbox Sequence X`` in the text), the word is a swap.
    Left alone: a word inside a span the corpus did see (``Modern Warfare
    II`` is a name, not ``Modern War II`` mangled), a word at home beside a
    content word of the span (``Disease Management``: English writes
    "disease management" often enough), a span with fewer than two
    capitalised content words (a headline's ``Items That``), and the words
    ``swapped`` already holds (token indices of the sentence's other swaps).
    """
    # a name's words are put back through entries learnt from aligned copies only
    spun = table.spun_in_names()
    # most sentences hold no capitalised word the table knows: one pass tells
    known = compress(range(1, len(forms)), map(spun.__contains__, forms[1:]))
    if not any(tokens[p].text[:1].isupper() for p in known):
        return []
    texts = [token.text for token in tokens]
    found: list[Swap] = []
    for start, end in name_runs(texts, first=1):
        if not any(forms[p] in spun for p in range(start, end)):
            continue
        spans = list(name_spans(texts, start, end))
        seen = names.count([span_text(forms, i, j) for i, j in spans])
        covered = {p for (i, j), n in zip(spans, seen, strict=True) if n for p in range(i, j)}
        candidates: list[tuple[int, int, int, str]] = []
        for (i, j), n in zip(spans, seen, strict=True):
            if n or sum(capitalised(texts[q]) and _content(forms[q]) for q in range(i, j)) < 2:
                continue
            for p in range(i, j):
                if p in covered or p in swapped or forms[p] not in spun:
                    continue
                if capitalised(texts[p]) and not _at_home(forms, p, i, j, pairs):
                    originals = table.originals_of(forms[p])
                    candidates += [(i, j, p, word) for word in originals if " " not in word]
        if not candidates:
            continue
        candidates.sort(key=lambda candidate: candidate[0] - candidate[1])  # longest name first
        put_back = [
            " ".join([*forms[i:p], word, *forms[p + 1 : j]]) for i, j, p, word in candidates
        ]
        counts = names.count(put_back)
        for (i, j, p, original), n, name_form in zip(candidates, counts, put_back, strict=True):
            if p in swapped or (n < KNOWN_NAME_COUNT and name_form not in own_names(doc)):
                continue
            swapped.add(p)
            name = (
                doc.text[tokens[i].start : tokens[p].start]
                + original[:1].upper()
                + original[1:]
                + doc.text[tokens[p].end : tokens[j - 1].end]
            )
            found.append(Swap(tokens[p].start, tokens[p].end, original, True, sentence, name=name))
    return found


def own_names(doc: Document) -> frozenset[str]:
    """The normalised name spans a document writes (any sentence, first words too); kept on it."""
    kept = doc.__dict__.get("_own_names")
    if kept is None:
        found: set[str] = set()
        for tokens in doc.sentence_tokens:
            texts = [token.text for token in tokens]
            forms = [word_form(text) for text in texts]
            for start, end in name_runs(texts):
                found.update(span_text(forms, i, j) for i, j in name_spans(texts, start, end))
        kept = doc.__dict__["_own_names"] = frozenset(found)
    return kept


def _swaps_of(
    doc: Document, table: SwapTable, pairs: Collocations, resources: Resources
) -> list[Swap]:
    """:func:`find_swaps`, or for a part of a document, the document's swaps inside it.

    A swap depends on its sentence (and on the names the document writes
    elsewhere, :func:`own_names`), and a part (see
    :meth:`~detector.text.Document.part`) is a run of the document's
    sentences: its swaps are those the document already holds there, moved
    to the part's offsets.
    """
    within = doc.__dict__.get("_within")
    kept = found_on(within[0], FAMILY, resources) if within is not None else None
    if within is None or kept is None:
        return find_swaps(doc, table, pairs, resources.known_names)
    _, first, last = within
    offset = doc.__dict__["_offset"]
    return [
        swap._replace(
            start=swap.start - offset, end=swap.end - offset, sentence=swap.sentence - first
        )
        for swap in kept
        if first <= swap.sentence < last
    ]


def _upper(token: Token) -> bool:
    """Whether a token starts with a capital (a word of a name, when inside one)."""
    return token.text[:1].isupper()


def _content(form: str) -> bool:
    """A word that is not a function word (nor a joiner of names)."""
    return form[:1].isalpha() and form not in FUNCTION_WORDS and form not in JOINERS


def _at_home(forms: Sequence[str], p: int, start: int, end: int, pairs: Collocations) -> bool:
    """Whether English writes the word at ``p`` beside a content word next to it in the span."""
    neighbours = [(p - 1, p)] if p > start else []
    neighbours += [(p, p + 1)] if p + 1 < end else []
    return any(
        _content(forms[other]) and pairs.pair_count_of(forms[left], forms[right]) >= USUAL_COUNT
        for left, right in neighbours
        for other in ({left, right} - {p})
    )


#: :func:`~detector.collocations.normalise`, remembered: texts repeat their words.
word_form = lru_cache(maxsize=1 << 15)(normalise)


def neighbour(tokens: Sequence[Token], forms: Sequence[str], index: int) -> str:
    """The normalised word at ``index`` of a sentence, or "" (none there, or not a word)."""
    if not 0 <= index < len(tokens):
        return ""
    text = tokens[index].text
    return forms[index] if text[0].isalpha() and "." not in text else ""


def _written(pairs: Collocations, left: str, right: str) -> int:
    """The corpus count of a pair of words, 0 below :data:`WRITTEN_COUNT`.

    >>> table = Collocations.build(["red dog", "red dog", "red cat"])
    >>> _written(table, "red", "dog"), _written(table, "red", "cat")
    (2, 0)
    >>> table.pair_count_of("red", "cat")
    1
    """
    count = pairs.pair_count_of(left, right)
    return count if count >= WRITTEN_COUNT else 0


def better_original(
    spun: str, originals: Sequence[str], before: str, after: str, pairs: Collocations
) -> tuple[str, bool] | None:
    """The original phrase that fits the neighbours where ``spun`` does not, or None.

    With the original comes whether ``spun`` is itself a pair English never
    writes (then no neighbour is needed).

    A spun phrase at home beside either neighbour (:data:`AT_HOME_COUNT`,
    a content word) is never a swap, however well an original fits the other
    side.
    """
    if not originals:
        return None
    spun_words = spun.split()
    vocabulary = pairs.vocabulary
    # a spun phrase English never says: "imaginative and prescient"
    for left, right in itertools.pairwise(spun_words):
        if left in vocabulary and right in vocabulary and not _written(pairs, left, right):
            return originals[0], True
    spun_before = _written(pairs, before, spun_words[0]) if before else 0
    spun_after = _written(pairs, spun_words[-1], after) if after else 0
    # beside "the" or "of" every noun is at home: only a content word tells
    at_home_before = spun_before if vocabulary.get(before, 0) > COMMONEST_WORDS else 0
    at_home_after = spun_after if vocabulary.get(after, 0) > COMMONEST_WORDS else 0
    if max(at_home_before, at_home_after) >= AT_HOME_COUNT:
        return None
    for original in originals:
        first, last = original.split()[0], original.split()[-1]
        if before and not spun_before and pairs.pair_count_of(before, first) >= USUAL_COUNT:
            return original, False
        if after and not spun_after and pairs.pair_count_of(last, after) >= USUAL_COUNT:
            return original, False
    return None


def transform(docs: Sequence[Document], resources: Resources) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per document (zeros without a swap table)."""
    rows = np.zeros((len(docs), len(FEATURE_NAMES)))
    table, pairs = resources.swap_table, resources.collocations
    if table is None or pairs is None or len(table) == 0:
        return rows
    for index, doc in enumerate(docs):
        swaps = kept_on(doc, FAMILY, resources, _swaps_of, doc, table, pairs, resources)
        if not swaps:
            continue
        words = doc.n_words
        if words:
            rows[index, 0] = len(swaps) / words * 100.0
            rows[index, 1] = sum(swap.in_name for swap in swaps) / words * 100.0
        if doc.sentences:
            rows[index, 2] = len({swap.sentence for swap in swaps}) / len(doc.sentences)
        rows[index, 3] = sure_cluster(swaps, words)
        rows[index, 4] = swap_cluster(swaps, words, PAIR_SIZE, PAIR_WORDS)
    return rows


def swap_cluster(
    swaps: Sequence[Swap], words: int, size: int = CLUSTER_SIZE, spacing: int = CLUSTER_WORDS
) -> float:
    """The number of distinct originals among ``swaps`` if they make a cluster, else 0.

    A cluster is ``size`` or more distinct swaps at one per ``spacing`` words
    or closer.

    >>> swaps = [Swap(0, 1, original, False, 0) for original in ("said", "game", "only")]
    >>> swap_cluster(swaps, 300), swap_cluster(swaps, 600), swap_cluster(swaps[:2], 100)
    (3.0, 0.0, 0.0)
    >>> swap_cluster(swaps[:2], 400, PAIR_SIZE, PAIR_WORDS)
    2.0
    """
    distinct = len({swap.original for swap in swaps})
    if distinct < size or distinct * spacing < words:
        return 0.0
    return float(distinct)


def sure_cluster(swaps: Sequence[Swap], words: int) -> float:
    """The value of ``spinner.swap_cluster``: a cluster, or a pair with a sure swap in it.

    A cluster (:func:`swap_cluster`), or two distinct swaps at one per
    :data:`PAIR_WORDS` words when one of them is inside a name (Naughty
    Canine) or a pair English never writes (imaginative and prescient):
    people do neither, whatever their choice of words.

    >>> plain = [Swap(0, 1, original, False, 0) for original in ("said", "game")]
    >>> sure = [plain[0], Swap(5, 9, "dog", True, 1)]
    >>> sure_cluster(plain, 150), sure_cluster(sure, 150), sure_cluster(sure, 401)
    (0.0, 2.0, 0.0)
    """
    cluster = swap_cluster(swaps, words)
    if cluster or not any(swap.in_name or swap.unheard for swap in swaps):
        return cluster
    return swap_cluster(swaps, words, PAIR_SIZE, PAIR_WORDS)


def evidence(doc: Document, resources: Resources) -> list[Evidence]:
    """A span for each swap found in one document."""
    table, pairs = resources.swap_table, resources.collocations
    if table is None or pairs is None:
        return []
    items = []
    for swap in kept_on(doc, FAMILY, resources, _swaps_of, doc, table, pairs, resources):
        snippet = doc.text[swap.start : swap.end]
        name = "spinner.name_swap" if swap.in_name else "spinner.known_swap"
        where = " inside a name" if swap.in_name else ""
        note = f"a spinner's swap{where}: '{snippet}' stands for '{swap.original}' here"
        if swap.name:
            note += f" (the name is '{swap.name}')"
        items.append(evidence_at(doc.text, FAMILY, name, swap.start, swap.end, note))
    return items


def extract(text: str | Document, resources: Resources) -> FeatureResult:
    """Values and evidence of one text (a batch of one)."""
    return batch_of_one(Document.of(text), resources, transform, evidence, FEATURE_NAMES)
