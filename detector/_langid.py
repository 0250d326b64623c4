"""py3langid's language identifier, held in compact arrays: same answers, far less memory.

``py3langid`` keeps its model in forms built for speed of loading, not for
size: the byte automaton's next-move table as 32-bit state numbers, the
per-state row offsets and outputs as Python lists of ints, and the
feature-by-language table as a dense array although most of it is one value
per language. :class:`LeanIdentifier` reads the same shipped file (an LZMA'd
``.npz``, with ``allow_pickle=False``) and keeps instead

- the next-move table as 16-bit numbers: every state of the automaton but
  the root is entered by one byte only, so the states are numbered in groups
  by that byte and a move stores the target's place in its group;
- the feature-by-language table as each language's floor (the value of a
  feature never seen in that language, the most common value by far) plus,
  per feature, the languages where it differs and their values (CSR arrays);

and scores a text exactly as ``LanguageIdentifier(..., norm_probs=True)``
does, so its answers are py3langid's to the last bit. Loading it takes about
32 MB of memory, py3langid's own loader 73 MB (103 MB at its peak); the
arrays are converted a few hundred kilobytes at a time, so the peak is the
end result.

>>> identifier = LeanIdentifier.from_model_file(py3langid_model_file())
>>> identifier.classify("Les actionnaires étaient satisfaits et le cours a progressé.")[0]
'fr'
"""

from __future__ import annotations

import lzma
import math
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

import numpy as np
from numpy.lib import format as npy_format

#: Arrays of py3langid's model file (format of py3langid 0.4).
MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
#: Bytes of a big array converted at a time while loading, so that no array
#: is ever whole in memory in its wide form.
CHUNK_BYTES = 1 << 18
#: Bytes that decide the automaton's state: the depth of py3langid 0.4's
#: automaton (its deepest state is 6 bytes from the root). A deeper model
#: would still be read exactly, only slower (see ``LeanIdentifier._states``).
WINDOW = 6


def py3langid_model_file() -> Path:
    """The model file shipped inside the installed ``py3langid`` package.

    >>> py3langid_model_file().name
    'model.npz.xz'
    """
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / MODEL_FILE


class LeanIdentifier:
    """A naive Bayes language identifier over byte n-grams, py3langid's model in compact form.

    ``classify`` gives what ``py3langid``'s
    ``LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True).classify``
    gives for the same text: the language code and its probability.

    >>> identifier = LeanIdentifier.from_model_file(py3langid_model_file())
    >>> language, probability = identifier.classify("Der Kurs stieg um drei Prozent.")
    >>> language, round(probability, 2)
    ('de', 0.94)
    """

    def __init__(
        self,
        classes: list[str],
        prior: np.ndarray,
        floor: np.ndarray,
        offsets: np.ndarray,
        class_ids: np.ndarray,
        values: np.ndarray,
        group_start: np.ndarray,
        nextmove: np.ndarray,
        rowbase: np.ndarray,
        output: np.ndarray,
    ) -> None:
        self.classes = classes
        self.prior = prior  # log P(language), float32
        # log P(feature | language): the floor per language, and for feature f
        # the languages class_ids[offsets[f]:offsets[f + 1]] where it differs
        self.floor = floor
        self.offsets = offsets
        self.class_ids = class_ids
        self.values = values
        # the automaton: from state s on byte b to state
        # group_start[b] + nextmove[rowbase[s] + b], emitting feature output[s]
        self.group_start = group_start
        self.nextmove = nextmove
        self.rowbase = rowbase
        self.output = output
        # a label given to two columns (script variants) gets their summed probability
        first: dict[str, int] = {}
        self.alias_pairs = [
            (first[label], index)
            for index, label in enumerate(classes)
            if first.setdefault(label, index) != index
        ]

    #: The arrays of :meth:`to_arrays`, in the order :meth:`__init__` takes them after ``classes``.
    ARRAYS = (
        "prior", "floor", "offsets", "class_ids", "values",
        "group_start", "nextmove", "rowbase", "output",
    )  # fmt: skip

    @property
    def nbytes(self) -> int:
        """Bytes held by the model's arrays."""
        return sum(getattr(self, name).nbytes for name in self.ARRAYS)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The identifier as plain arrays (for :func:`detector.array_cache.store`)."""
        arrays = {name: getattr(self, name) for name in self.ARRAYS}
        return {"classes": np.array(self.classes, dtype=str), **arrays}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> LeanIdentifier:
        """The identifier of :meth:`to_arrays` (the arrays are used as they are, mapped or not).

        ``KeyError`` if an array is missing, ``ValueError`` if they disagree in size.

        >>> identifier = LeanIdentifier.from_model_file(py3langid_model_file())
        >>> again = LeanIdentifier.from_arrays(identifier.to_arrays())
        >>> again.classify("Der Kurs stieg um drei Prozent.") == identifier.classify(
        ...     "Der Kurs stieg um drei Prozent.")
        True
        """
        classes = [str(label) for label in arrays["classes"]]
        parts = [arrays[name] for name in cls.ARRAYS]
        prior, _, offsets, class_ids, values, group_start, nextmove, rowbase, output = parts
        if (
            len(prior) != len(classes)
            or len(group_start) != 256
            or len(rowbase) != len(output)
            or len(class_ids) != len(values)
            or int(offsets[-1]) != len(values)
            or int(rowbase.max(initial=0)) + 256 > len(nextmove)
        ):
            raise ValueError("the identifier's arrays disagree in size")
        return cls(classes, *parts)

    @classmethod
    def from_model_file(cls, path: Path) -> LeanIdentifier:
        """Read py3langid's ``model.npz.xz``; ``ValueError`` if its layout is not understood."""
        # the archive is decompressed to a temporary file (as py3langid does), so
        # that the decompressed 68 MB are never in memory at once
        with tempfile.TemporaryFile(suffix=".npz") as spooled:
            with lzma.open(path) as compressed:
                shutil.copyfileobj(compressed, spooled, length=1 << 20)
            spooled.seek(0)
            with zipfile.ZipFile(spooled) as archive:
                missing = {f"{name}.npy" for name in MODEL_ARRAYS} - set(archive.namelist())
                if missing:
                    raise ValueError(f"{path}: not a py3langid 0.4 model, missing {missing}")
                return cls._from_archive(archive)

    @classmethod
    def _from_archive(cls, archive: zipfile.ZipFile) -> LeanIdentifier:
        def small(name: str) -> np.ndarray:
            with archive.open(f"{name}.npy") as member:
                return np.asarray(npy_format.read_array(member, allow_pickle=False))

        prior = small("pc")
        classes = [str(label) for label in small("classes")]
        floor, offsets, class_ids, values = _sparse_table(archive, len(classes))
        group_start, nextmove, rowbase, output = _grouped_automaton(
            archive, small("nextmove_row"), small("out_feat")
        )
        if output.max() >= len(offsets) - 1 or len(prior) != len(classes):
            raise ValueError("the model's tables disagree in size")
        return cls(
            classes, prior, floor, offsets, class_ids, values,
            group_start, nextmove, rowbase, output,
        )  # fmt: skip

    def classify(self, text: str) -> tuple[str, float]:
        """The most probable language of ``text`` and its probability."""
        scores = self.probabilities(text)
        best = int(scores.argmax())
        return self.classes[best], float(scores[best])

    def probabilities(self, text: str) -> np.ndarray:
        """Probability of each column of :attr:`classes` (an alias's second column is 0)."""
        # the same steps, in the same order and dtypes, as py3langid's _decide
        if text.isupper():
            text = text.lower()
        data = unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")
        features, counts = self._feature_counts(data)
        if len(features):
            scores = np.log1p(counts) @ self._table_rows(features) + self.prior
        else:
            scores = np.zeros(len(self.classes), dtype=np.float32)
        # the temperature sqrt(bytes) keeps the softmax calibrated across lengths
        scores *= 1.0 / math.sqrt(len(data) or 1)
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        for first, second in self.alias_pairs:
            scores[first] += scores[second]
            scores[second] = 0.0
        return scores

    def _feature_counts(self, data: bytes) -> tuple[np.ndarray, np.ndarray]:
        """The features that fire while the automaton reads ``data``, and how often.

        In order of first firing, as py3langid counts them: the order of the
        terms changes the float32 sum in the last bit.
        """
        fired = self.output[self._states(data)]
        fired = fired[fired >= 0]
        features, first, counts = np.unique(fired, return_index=True, return_counts=True)
        order = np.argsort(first)
        return features[order], counts[order].astype(np.float32)

    def _states(self, data: bytes) -> np.ndarray:
        """The automaton's state after each byte of ``data``."""
        text = np.frombuffer(data, dtype=np.uint8)
        # A state stands for the longest string of the automaton's trie that
        # ends at its byte, at most WINDOW bytes long, so it follows from the
        # last WINDOW bytes alone: walk from there, all positions at once.
        states = np.zeros(len(text), dtype=np.intp)
        for back in range(min(WINDOW, len(text)) - 1, -1, -1):
            states[back:] = self._move(states[back:], text[: len(text) - back])
        # each state must follow from the one before (so this is py3langid's
        # byte-by-byte walk exactly); if not, the model is deeper than WINDOW
        before = np.concatenate(([0], states))[:-1]
        if not np.array_equal(self._move(before, text), states):
            return self._walk(data)
        return states

    def _move(self, states: np.ndarray, text: np.ndarray) -> np.ndarray:
        """The states that ``states`` move to on the bytes ``text``."""
        return self.group_start[text] + self.nextmove[self.rowbase[states] + text]

    def _walk(self, data: bytes) -> np.ndarray:
        """The automaton's state after each byte of ``data``, one byte after another."""
        # memoryviews, because indexing them gives Python ints, far faster than numpy scalars
        start = self.group_start.tolist()
        nextmove, rowbase = self.nextmove.data, self.rowbase.data
        state, states = 0, []
        for byte in data:
            state = start[byte] + nextmove[rowbase[state] + byte]
            states.append(state)
        return np.array(states, dtype=np.intp)

    def _table_rows(self, features: np.ndarray) -> np.ndarray:
        """Rows ``features`` of the dense feature-by-language table, rebuilt exactly."""
        starts = self.offsets[features].astype(np.intp)
        lengths = self.offsets[features + 1] - starts
        # positions of the stored entries of every requested row, row after row
        row_of_entry = np.repeat(np.arange(len(features)), lengths)
        first_entry = np.cumsum(lengths) - lengths
        entries = np.arange(int(lengths.sum())) + np.repeat(starts - first_entry, lengths)
        table = np.tile(self.floor, (len(features), 1))
        table[row_of_entry, self.class_ids[entries]] = self.values[entries]
        return table


def _npy_chunks(archive: zipfile.ZipFile, name: str, width: int) -> Iterator[np.ndarray]:
    """The array ``name`` of ``archive`` as rows of ``width``, a few megabytes at a time."""
    with archive.open(f"{name}.npy") as member:
        shape, dtype = _npy_header(member)
        size = math.prod(shape)
        if size % width:
            raise ValueError(f"{name}: shape {shape} is not made of rows of {width}")
        row_bytes = width * dtype.itemsize
        rows = max(1, CHUNK_BYTES // row_bytes)
        for _ in range(0, size // width, rows):
            yield np.frombuffer(member.read(rows * row_bytes), dtype).reshape(-1, width)


def _npy_header(member: IO[bytes]) -> tuple[tuple[int, ...], np.dtype]:
    """Shape and dtype from an ``.npy`` header; refuse anything but plain C-order numbers."""
    version = npy_format.read_magic(member)
    if version == (1, 0):
        shape, fortran_order, dtype = npy_format.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, fortran_order, dtype = npy_format.read_array_header_2_0(member)
    else:
        raise ValueError(f"unsupported .npy format version {version}")
    if fortran_order or dtype.hasobject:
        raise ValueError("expected a C-order array of numbers")
    return shape, dtype


def _sparse_table(
    archive: zipfile.ZipFile, n_classes: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``ptc`` (features x languages) as a floor per language plus CSR exceptions."""

    def chunks() -> Iterator[np.ndarray]:
        return _npy_chunks(archive, "ptc", n_classes)

    # the floor is each language's smallest value: that of an unseen feature,
    # which 81% of the table holds
    floor = np.min([chunk.min(axis=0) for chunk in chunks()], axis=0)
    # compared as bit patterns: faster than float16, and exact even for -0.0 or NaN
    bits = np.dtype(f"u{floor.dtype.itemsize}")
    floor_bits = floor.view(bits)
    # counted first, so that the arrays are allocated once at their final size:
    # growing them piece by piece leaves freed memory the process keeps
    lengths = np.concatenate(
        [np.count_nonzero(chunk.view(bits) != floor_bits, axis=1) for chunk in chunks()]
    )
    offsets = np.zeros(len(lengths) + 1, dtype=np.min_scalar_type(lengths.sum()))
    np.cumsum(lengths, out=offsets[1:])
    class_ids = np.empty(offsets[-1], dtype=np.min_scalar_type(n_classes - 1))
    values = np.empty(offsets[-1], dtype=floor.dtype)
    done = 0
    for chunk in chunks():
        where = np.flatnonzero(chunk.view(bits) != floor_bits)
        class_ids[done : done + len(where)] = where % n_classes
        values[done : done + len(where)] = chunk.ravel()[where]
        done += len(where)
    return floor, offsets, class_ids, values


def _grouped_automaton(
    archive: zipfile.ZipFile, row_of_state: np.ndarray, output: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The next-move table with states numbered by the byte that enters them.

    py3langid stores a 256-entry row of target states per distinct row
    (``nextmove``) and a row number per state (``nextmove_row``). The root
    (state 0) may be entered by any byte; every other state by one byte only.
    So the states are renumbered in 256 groups, group ``b`` being a copy of
    the root followed by the states entered by ``b``, and a move on ``b``
    stores the target's place in group ``b``, which fits in 16 bits.
    """
    n_states = len(row_of_state)
    if len(output) != n_states:
        raise ValueError("nextmove_row and out_feat disagree on the number of states")
    byte_values = np.arange(256, dtype=np.uint8)
    entered_by = np.zeros(n_states, dtype=np.uint8)
    n_rows = 0
    for chunk in _npy_chunks(archive, "nextmove", 256):
        if chunk.max() >= n_states:
            raise ValueError("nextmove is not a byte automaton over the model's states")
        entered_by[chunk] = byte_values
        n_rows += len(chunk)
    group_size = np.bincount(entered_by[1:], minlength=256)
    if group_size.max() >= 1 << 16 or row_of_state.max() >= n_rows:
        raise ValueError("the automaton does not fit 16-bit moves")
    group_start = np.concatenate(([0], np.cumsum(group_size + 1)[:-1]))
    # place of each state in its group: 0 for the root, 1.. for the others
    # (a state no move leads to, if any, goes to group 0: it is never reached)
    by_group = np.argsort(entered_by[1:], kind="stable") + 1
    place = np.zeros(n_states, dtype=np.uint16)
    place[by_group] = np.arange(1, n_states) - np.repeat(
        np.cumsum(group_size) - group_size, group_size
    )
    new_number = group_start[entered_by] + place
    new_number[0] = 0
    nextmove = np.empty((n_rows, 256), dtype=np.uint16)
    done = 0
    for chunk in _npy_chunks(archive, "nextmove", 256):
        # np.take: faster than fancy indexing on these large blocks
        if not ((np.take(entered_by, chunk) == byte_values) | (chunk == 0)).all():
            raise ValueError("a state of the automaton is entered by more than one byte")
        np.take(place, chunk, out=nextmove[done : done + len(chunk)])
        done += len(chunk)
    # per-state arrays in the new numbering; each group's root copy is the root
    n_new = n_states - 1 + 256
    rowbase = np.empty(n_new, dtype=np.uint32)
    rowbase[new_number[1:]] = row_of_state[1:].astype(np.uint32) << 8
    rowbase[group_start] = int(row_of_state[0]) << 8
    grouped_output = np.empty(n_new, dtype=np.int32)
    grouped_output[new_number[1:]] = output[1:]
    grouped_output[group_start] = output[0]
    return group_start.astype(np.int64), nextmove.ravel(), rowbase, grouped_output
