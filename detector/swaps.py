"""Spinner substitutions learnt from real spun copies and their originals.

Commercial spinners share their thesauri across thousands of sites, and a
thesaurus gives each word the same few replacements wherever it stands:
``review`` -> ``evaluation``, ``told`` -> ``advised``, ``Naughty Dog`` ->
``Naughty Canine``, ``vision`` -> ``imaginative and prescient``. A
:class:`SwapTable` holds such substitutions (original phrase, spun phrase,
how often seen), learnt by aligning spun copies with their originals
(:func:`substitutions`) or read from a table a person wrote. The
``spinner`` feature family looks for the spun phrases in a text and counts
those whose neighbours fit the original phrase far better.

>>> table = SwapTable.from_pairs([("told", "advised"), ("told", "advised"), ("game", "sport")])
>>> table.originals_of("advised"), table.count_of("game", "sport")
(('told',), 1)
>>> substitutions("Bond told Forbes the game was fun.", "Bond advised Forbes the sport was fun.")
[('told', 'advised'), ('game', 'sport')]
"""

from __future__ import annotations

import difflib
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from detector.collocations import normalise
from detector.text import TOKEN_RE
from detector.wordlists import FUNCTION_WORDS

#: Longest phrase, in words, on either side of a learnt substitution: a
#: thesaurus swaps words and short phrases, longer differences are rewrites.
MAX_PHRASE_WORDS = 4

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


class PhraseLengths(NamedTuple):
    """See :meth:`SwapTable.phrase_lengths`."""

    by_first_word: dict[str, list[int]]
    phrases: frozenset[tuple[str, ...]]
    #: the first two words of every phrase of two words or more
    openings: frozenset[tuple[str, ...]] = frozenset()


@dataclass
class SwapTable:
    """Substitutions ``original -> spun`` (normalised phrases) with their counts."""

    originals: tuple[str, ...]
    spun: tuple[str, ...]
    counts: np.ndarray
    #: Spun phrases known only from entries learnt without an original
    #: (:mod:`detector.thesaurus`): learnt from running text, they are looked
    #: for in running text only, never inside a capitalised name, where a
    #: thesaurus word is often the name's own (Assassin's Creed Origins).
    prose_only: frozenset[str] = frozenset()
    #: Names that only spun pages write (``home of the dragon``, ``murderer's
    #: creed``), normalised, learnt without an original (an ``unpaired``
    #: entry with an empty original side: :mod:`detector.thesaurus`). Their
    #: words are put back through the entries above.
    spun_names: frozenset[str] = frozenset()
    # spun phrase -> indices of its entries, and the phrases by first word (built on first use)
    _by_spun: dict[str, list[int]] | None = field(default=None, init=False, repr=False)
    _starts: dict[str, list[tuple[str, ...]]] | None = field(default=None, init=False, repr=False)
    _lengths: PhraseLengths | None = field(default=None, init=False, repr=False)
    _in_names: frozenset[str] | None = field(default=None, init=False, repr=False)
    _name_words: frozenset[str] | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_pairs(
        cls,
        pairs: Iterable[tuple[str, str]],
        *,
        min_count: int = 1,
        unpaired: Iterable[tuple[str, str]] = (),
    ) -> SwapTable:
        """A table of the ``(original, spun)`` pairs seen at least ``min_count`` times.

        Phrases are normalised (lower case, straight apostrophes, single
        spaces). Pairs that cannot be told from ordinary variation are
        dropped: identical sides, a spun side that is only function words
        (``the`` -> ``that`` would match everywhere), or sides longer than
        :data:`MAX_PHRASE_WORDS` words. ``unpaired`` holds entries learnt
        without an original; a spun phrase only they give is
        :attr:`prose_only`, and an entry of theirs with an empty original is
        one of the :attr:`spun_names`.

        >>> table = SwapTable.from_pairs([("told", "advised")],
        ...                              unpaired=[("told", "advised"), ("right", "proper"),
        ...                                        ("", "Naughty Canine")])
        >>> table.count_of("told", "advised"), table.prose_only, table.spun_names
        (2, frozenset({'proper'}), frozenset({'naughty canine'}))
        """
        counted: Counter[tuple[str, str]] = Counter()
        paired: set[str] = set()
        learnt: set[str] = set()
        names: set[str] = set()
        for source, seen in ((pairs, paired), (unpaired, learnt)):
            for original, spun in source:
                pair = _phrase(original), _phrase(spun)
                if not pair[0] and seen is learnt:
                    names.update(pair[1:2] if pair[1] else ())
                elif usable(*pair):
                    counted[pair] += 1
                    seen.add(pair[1])
        kept = sorted((pair, n) for pair, n in counted.items() if n >= min_count)
        spun_phrases = tuple(spun for (_, spun), _ in kept)
        return cls(
            originals=tuple(original for (original, _), _ in kept),
            spun=spun_phrases,
            counts=np.array([n for _, n in kept], dtype=np.int64),
            prose_only=frozenset((learnt - paired).intersection(spun_phrases)),
            spun_names=frozenset(names),
        )

    def __len__(self) -> int:
        return len(self.spun)

    def merged(self, other: SwapTable) -> SwapTable:
        """One table holding the entries of both, counts added."""
        pairs: Counter[tuple[str, str]] = Counter()
        for table in (self, other):
            for original, spun, count in zip(
                table.originals, table.spun, table.counts.tolist(), strict=False
            ):
                pairs[(original, spun)] += count
        table = SwapTable.from_pairs(pairs.elements())
        paired = {
            spun for side in (self, other) for spun in side.spun if spun not in side.prose_only
        }
        table.prose_only = (self.prose_only | other.prose_only) - paired
        table.spun_names = self.spun_names | other.spun_names
        return table

    def originals_of(self, spun: str) -> tuple[str, ...]:
        """The original phrases a spun phrase stands for, most often seen first."""
        entries = self.by_spun().get(spun, [])
        ranked = sorted(entries, key=lambda index: (-int(self.counts[index]), index))
        return tuple(self.originals[index] for index in ranked)

    def count_of(self, original: str, spun: str) -> int:
        """How often ``original -> spun`` was seen (0 if never)."""
        for index in self.by_spun().get(spun, []):
            if self.originals[index] == original:
                return int(self.counts[index])
        return 0

    def by_spun(self) -> dict[str, list[int]]:
        """Entry indices by spun phrase."""
        if self._by_spun is None:
            by_spun: dict[str, list[int]] = {}
            for index, spun in enumerate(self.spun):
                by_spun.setdefault(spun, []).append(index)
            self._by_spun = by_spun
        return self._by_spun

    def spun_in_names(self) -> frozenset[str]:
        """The spun phrases looked for inside names: all but the :attr:`prose_only` ones."""
        if self._in_names is None:
            self._in_names = frozenset(self.by_spun()) - self.prose_only
        return self._in_names

    def spun_name_openings(self) -> frozenset[str]:
        """The first word of each of the :attr:`spun_names`: a sentence without one holds none."""
        if self._name_words is None:
            self._name_words = frozenset(name.split()[0] for name in self.spun_names)
        return self._name_words

    def phrases_by_first_word(self) -> dict[str, list[tuple[str, ...]]]:
        """The spun phrases as word tuples, by first word, longest first.

        >>> SwapTable.from_pairs([("a b", "x y"), ("b", "x")]).phrases_by_first_word()
        {'x': [('x', 'y'), ('x',)]}
        """
        if self._starts is None:
            starts: dict[str, list[tuple[str, ...]]] = {}
            for spun in sorted(set(self.spun), key=lambda phrase: (-len(phrase.split()), phrase)):
                words = tuple(spun.split())
                starts.setdefault(words[0], []).append(words)
            self._starts = starts
        return self._starts

    def phrase_lengths(self) -> PhraseLengths:
        """The lengths of the spun phrases by first word (longest first), and the phrases.

        What a matcher needs to find the longest phrase at a word: one set
        look-up per length the word's phrases have, and for the longer ones
        first a look-up of the word and the next among the phrases' openings
        (most words that start a phrase, "the", "to", start only longer ones).

        >>> table = SwapTable.from_pairs([("a b", "x y"), ("b", "x")])
        >>> lengths, known, openings = table.phrase_lengths()
        >>> lengths, sorted(known), openings
        ({'x': [2, 1]}, [('x',), ('x', 'y')], frozenset({('x', 'y')}))
        """
        if self._lengths is None:
            starts = self.phrases_by_first_word()
            phrases = frozenset(phrase for group in starts.values() for phrase in group)
            self._lengths = PhraseLengths(
                {
                    first: sorted({len(p) for p in group}, reverse=True)
                    for first, group in starts.items()
                },
                phrases,
                frozenset(phrase[:2] for phrase in phrases if len(phrase) > 1),
            )
        return self._lengths

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """Plain arrays for a model file."""
        return {
            f"{prefix}originals": _pack(self.originals),
            f"{prefix}spun": _pack(self.spun),
            f"{prefix}counts": self.counts.astype(np.int64),
            f"{prefix}prose_only": _pack(sorted(self.prose_only)),
            f"{prefix}spun_names": _pack(sorted(self.spun_names)),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> SwapTable | None:
        """Rebuild a table written by :meth:`to_arrays`; None if the arrays lack one."""
        if f"{prefix}spun" not in arrays:
            return None
        return cls(
            originals=tuple(_unpack(arrays[f"{prefix}originals"])),
            spun=tuple(_unpack(arrays[f"{prefix}spun"])),
            counts=np.asarray(arrays[f"{prefix}counts"], dtype=np.int64),
            prose_only=frozenset(
                _unpack(arrays[f"{prefix}prose_only"]) if f"{prefix}prose_only" in arrays else ()
            ),
            spun_names=frozenset(
                _unpack(arrays[f"{prefix}spun_names"]) if f"{prefix}spun_names" in arrays else ()
            ),
        )


def usable(original: str, spun: str) -> bool:
    """Whether a normalised substitution can be looked for in new text.

    >>> usable("told", "advised"), usable("the", "that"), usable("game", "game")
    (True, False, False)
    """
    spun_words, original_words = spun.split(), original.split()
    return (
        bool(spun_words and original_words)
        and original != spun
        and len(spun_words) <= MAX_PHRASE_WORDS
        and len(original_words) <= MAX_PHRASE_WORDS
        and not all(word in FUNCTION_WORDS for word in spun_words)
        and all(_WORD_RE.fullmatch(word) for word in spun_words + original_words)
    )


def substitutions(original: str, spun: str) -> list[tuple[str, str]]:
    """The phrase substitutions that turn ``original`` into ``spun``, in text order.

    Words are aligned (``difflib``'s longest matching blocks over normalised
    word tokens); each replaced run of at most :data:`MAX_PHRASE_WORDS`
    words on both sides that :func:`usable` accepts is one substitution.
    Insertions, deletions and longer rewritten runs are not substitutions.

    >>> substitutions("Microsoft's vision for games",
    ...               "Microsoft's imaginative and prescient for games")
    [('vision', 'imaginative and prescient')]
    """
    before = [normalise(t) for t in TOKEN_RE.findall(original)]
    after = [normalise(t) for t in TOKEN_RE.findall(spun)]
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    found: list[tuple[str, str]] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation != "replace":
            continue
        pair = " ".join(before[i1:i2]), " ".join(after[j1:j2])
        if usable(*pair):
            found.append(pair)
    return found


def read_swap_file(path: str | os.PathLike[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Original and spun phrase pairs from a TSV, and a message for each line skipped.

    One pair a line, ``original<TAB>spun``; further columns (a count, example
    ids, as ``detector trace --substitutions`` writes) and a header line are
    allowed.
    """
    pairs: list[tuple[str, str]] = []
    skipped: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            cells = line.rstrip("\r\n").split("\t")
            if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
                if line.strip():
                    skipped.append(f"{path}:{number}: not 'original<TAB>spun', skipped")
                continue
            if number == 1 and cells[0].strip().lower() in {"original", "source", "source_text"}:
                continue
            pairs.append((cells[0].strip(), cells[1].strip()))
    return pairs, skipped


def _phrase(text: str) -> str:
    return " ".join(normalise(text).split())


def _pack(strings: Iterable[str]) -> np.ndarray:
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8).copy()


def _unpack(array: np.ndarray) -> list[str]:
    data = np.asarray(array, dtype=np.uint8).tobytes().decode("utf-8")
    return data.split("\n") if data else []
