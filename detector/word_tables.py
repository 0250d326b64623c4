"""A model's word tables, looked up without building a dict at every start.

A model file holds its word tables (the language model's vocabulary,
English word frequencies, foreign words, the collocation vocabulary) as
newline-joined UTF-8 bytes. Turning 420,000 words into Python dicts took a
fifth of a second at every start, more than scoring a text does. A
:class:`WordTable` answers from a sorted copy of the words instead (kept in
the array cache beside the model's other arrays, see
:func:`sorted_index`), a binary search per word it has not met yet, and
remembers the answers for the words it meets (texts repeat their words), at
most :data:`MEMO_WORDS` at a time, so that a long batch run neither searches
again and again nor holds every word of the table in memory. The dict is
built only when the table is iterated.

>>> words = np.frombuffer(b"rose\\nfell\\nrose", dtype=np.uint8)
>>> keys, values = sorted_index(words, np.array([5, 6, 7]))
>>> table = WordTable({}, lambda arrays: {"rose": 7, "fell": 6}, keys, values)
>>> table.get("rose"), table.get("soared", 0), "fell" in table
(7, 0, True)
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any, TypeVar

import numpy as np

Value = TypeVar("Value")

#: Words whose answers a table remembers; past that it forgets them all and
#: starts again (the commonest words come back at once), so that its memory
#: stays flat however long the run.
MEMO_WORDS = 50_000


def sorted_index(words: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The words of a packed table as sorted fixed-width bytes, and the value of each.

    ``words`` is a table's newline-joined UTF-8 bytes and ``values`` the
    value of each word in that order. A word stored twice keeps its last
    value, as a dict built from the table would.

    >>> keys, values = sorted_index(np.frombuffer(b"b\\na\\nb", np.uint8), np.array([1, 2, 3]))
    >>> keys.tolist(), values.tolist()
    ([b'a', b'b'], [2, 3])
    """
    data = np.asarray(words, dtype=np.uint8).tobytes()
    if b"\0" in data:  # fixed-width bytes lose trailing NULs
        raise ValueError("a word table may not hold NUL characters")
    keys = np.array(data.split(b"\n") if data else [], dtype=np.bytes_)
    values = np.asarray(values)
    if len(keys) != len(values):
        raise ValueError(f"{len(keys)} words but {len(values)} values")
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    last = np.ones(len(keys), dtype=bool)
    last[:-1] = keys[1:] != keys[:-1]
    return keys[last], values[last]


def index_arrays(name: str, words: np.ndarray, values: np.ndarray) -> dict[str, np.ndarray]:
    """The :func:`sorted_index` of the packed table ``name``, named for a model's arrays."""
    keys, sorted_values = sorted_index(words, values)
    return {f"{name}.sorted": keys, f"{name}.sorted_values": sorted_values}


def word_count(words: np.ndarray) -> int:
    """How many words a packed table holds.

    >>> word_count(np.frombuffer(b"a\\nb", np.uint8)), word_count(np.zeros(0, np.uint8))
    (2, 0)
    """
    return int(np.count_nonzero(np.asarray(words) == ord("\n"))) + 1 if len(words) else 0


class WordTable(Mapping[str, Value]):
    """A read-only word -> value table of a model file (see the module doc).

    ``build(arrays)`` makes the dict the table stands for from the model's
    arrays (a module-level function, so that the table pickles); ``keys``
    and ``values``, from :func:`sorted_index`, answer lookups until then
    (without them the dict is built on first use).
    """

    def __init__(
        self,
        arrays: Mapping[str, np.ndarray],
        build: Callable[[Mapping[str, np.ndarray]], dict[str, Value]],
        keys: np.ndarray | None = None,
        values: np.ndarray | None = None,
    ) -> None:
        self._arrays = arrays
        self._build = build
        self._dict: dict[str, Value] | None = None
        # plain arrays: indexing a memory map goes through Python each time
        self._keys = np.asarray(keys) if keys is not None else None
        self._values = np.asarray(values) if values is not None else None
        self._memo: dict[str, Any] = {}
        # the index keeps strings as bytes
        self._decode = values is not None and values.dtype.kind == "S"

    @classmethod
    def of(
        cls,
        arrays: Mapping[str, np.ndarray],
        name: str,
        build: Callable[[Mapping[str, np.ndarray]], dict[str, Value]],
    ) -> WordTable[Value]:
        """The table ``name`` of a model's arrays, with its index when they hold one."""
        return cls(arrays, build, arrays.get(f"{name}.sorted"), arrays.get(f"{name}.sorted_values"))

    def as_dict(self) -> dict[str, Value]:
        """The table as a dict (built on the first call)."""
        if self._dict is None:
            self._dict = self._build(self._arrays)
            self._keys = self._values = None
            self._arrays = {}
            # from now on a lookup is the dict's own, with no call in between
            self.get = self._dict.get  # type: ignore[method-assign, assignment]
        return self._dict

    def get(self, word: str, default: Any = None) -> Any:
        if self._keys is None or self._values is None:
            return self.as_dict().get(word, default)
        memo = self._memo
        value = memo.get(word, _UNSEEN)
        if value is _UNSEEN:
            value = self._search(word, self._keys, self._values)
            if len(memo) >= MEMO_WORDS:
                memo.clear()
            memo[word] = value
        return default if value is _MISSING else value

    def _search(self, word: str, keys: np.ndarray, values: np.ndarray) -> Any:
        """The value of ``word`` in the sorted index, or :data:`_MISSING`."""
        # a lone surrogate (text decoded with surrogateescape) matches no stored word
        key = word.encode("utf-8", "surrogatepass")
        where = bisect_left(keys, key)
        if where == len(keys) or keys[where] != key:
            return _MISSING
        value = values[where].item()
        return value.decode("utf-8") if self._decode else value

    @property
    def indexed(self) -> bool:
        """Whether lookups still go to the sorted index (no dict built yet)."""
        return self._keys is not None

    def word_with(self, value: Value) -> str | None:
        """The word of a value, or None (a search through the whole index: for notes).

        Only while :attr:`indexed`; the dict has no such search.
        """
        if self._keys is None or self._values is None:
            raise ValueError("the table's dict has replaced its index")
        found = np.flatnonzero(self._values == value)
        return self._keys[found[0]].decode("utf-8") if len(found) else None

    def keys(self) -> KeysView[str]:
        return self.as_dict().keys()

    def values(self) -> ValuesView[Value]:
        return self.as_dict().values()

    def items(self) -> ItemsView[str, Value]:
        return self.as_dict().items()

    def __getitem__(self, word: str) -> Value:
        value = self.get(word, _MISSING)
        if value is _MISSING:
            raise KeyError(word)
        return value

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word, _MISSING) is not _MISSING

    def __iter__(self) -> Iterator[str]:
        return iter(self.as_dict())

    def __len__(self) -> int:
        return len(self._keys) if self._keys is not None else len(self.as_dict())

    def __repr__(self) -> str:
        return f"WordTable({len(self)} words)"


_MISSING = object()
_UNSEEN = object()
