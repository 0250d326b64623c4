"""Trace a spun copy to its source: candidate search, word alignment and a verdict.

A score says a page is probably spun; the proof is the source it was spun
from and every word the spinner changed. This module finds it in three steps:

1. **Candidates.** Every source text becomes a set of *shingles*: adjacent
   pairs of word stems (lower case, light suffix stripping), with function
   words dropped and numbers and names kept. A spinner swaps content words
   one at a time, so many pairs survive it, and dropping function words
   makes the pairs survive the spinner's small changes of syntax too. A
   :class:`SourceIndex` holds a 64-value MinHash signature of each source
   in 64 one-value bands: a suspect's candidates are the sources that share
   the most band values with it, re-ranked by the exact overlap of their
   shingle sets. One-value bands, rather than bands of several values, keep
   the sources whose overlap is small (a heavy spin keeps a fifth of its
   pairs, a round trip less) within reach.
2. **Alignment.** :func:`align` aligns the words of the best candidate and
   the suspect (``difflib`` over token ids) and lists every edit with exact
   character spans on both texts: substitutions, insertions and deletions.
3. **Verdict.** ``copy`` (near-verbatim), ``spun_copy`` (the same article
   with words swapped, in the same order), ``rewrite`` (the same story
   written anew: the shingles overlap, the word order does not) or
   ``no_source``.

>>> source = "Microsoft said its vision for games would reach more players this year."
>>> copy = "Microsoft mentioned its imaginative and prescient for games would reach more players."
>>> edits = align(source, copy).edits
>>> [(e["source_text"], e["copy_text"]) for e in edits if e["kind"] == "replace"]
[('said', 'mentioned'), ('vision', 'imaginative and prescient')]
>>> [(e["kind"], e["source_text"]) for e in edits if e["kind"] != "replace"]
[('delete', 'this year')]
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from detector import __version__
from detector.readers import Record
from detector.swaps import _phrase, usable
from detector.text import WORD_RE as _WORD
from detector.wordlists import FUNCTION_WORDS
from detector.writers import ROW_FIELDS

__all__ = [
    "TRACE_FIELDS",
    "VERDICTS",
    "Alignment",
    "SourceIndex",
    "Thresholds",
    "TraceIndexError",
    "TraceSpec",
    "Tracer",
    "align",
    "minhash_signatures",
    "shingles",
    "stems",
    "substitution_table",
    "write_substitution_table",
]

#: Values of a trace row's ``verdict``.
VERDICTS = ("copy", "spun_copy", "rewrite", "no_source")
#: Columns of a trace row, in order (kept input fields follow them).
TRACE_FIELDS = (
    *ROW_FIELDS[: ROW_FIELDS.index("warnings") + 1],
    "verdict",
    "source_id",
    "similarity",
    "changed_share",
    "substitutions",
    "candidates",
)
#: MinHash values per signature, each its own band.
PERMUTATIONS = 64
#: Version of the index folder layout; raised when it changes incompatibly.
INDEX_FORMAT_VERSION = 1
#: Band values shared by more sources than this are skipped at query time: a
#: shingle that is the minimum of that many texts is boilerplate, not evidence.
MAX_BUCKET = 2000
#: Longest run of words, on either side, that counts as one substitution; a
#: spinner swaps words and short phrases, longer differences are rewriting.
MAX_SUBSTITUTION_WORDS = 4

_SEED = 20261206
_rng = np.random.default_rng(_SEED)
# Multiply-add hashing mod 2**64 (odd multipliers), the high 32 bits kept:
# a fast universal family for MinHash over 64-bit shingle hashes.
_MULTIPLIERS = (_rng.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64) * 2 + 1).astype(np.uint64)
_INCREMENTS = _rng.integers(0, 2**63, PERMUTATIONS, dtype=np.uint64)
_EMPTY = np.uint32(0xFFFFFFFF)
_PAIR_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)

# Suffixes stripped from a stem, longest first: inflections a spinner's
# replacement carries over ("rose"/"rising" aside), so "reports"/"reported"
# count as one word.
_SUFFIX_RE = re.compile(r"(?:ies|ing|ed|es|ly|s)$")


def _stem(word: str) -> str:
    """A word's lower-case stem, for shingles.

    >>> [_stem(w) for w in ("Reported", "companies", "Sony", "glass", "2011")]
    ['report', 'compan', 'sony', 'glass', '2011']
    """
    lower = word.lower().replace("’", "'")
    if len(lower) > 4 and lower[-1].isalpha() and not lower.endswith("ss"):
        return _SUFFIX_RE.sub("", lower)
    return lower


# Words and numbers, with inner apostrophes and hyphens, in lower-cased text:
# the shingle tokens (simpler than detector.text.TOKEN_RE, and faster, which
# an index build over millions of sources needs).
_SHINGLE_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


def stems(text: str) -> list[str]:
    """The stems a text's shingles are made of: words and numbers, function words dropped.

    >>> stems("The company reported its profits on 5 May.")
    ['company', 'report', 'profit', '5']
    """
    words = _SHINGLE_WORD_RE.findall(text.lower())
    return [_stem(word) for word in words if word not in FUNCTION_WORDS]


class _Vocabulary:
    """Word -> id, with each id's stem hash and whether it is a function word.

    Per-word Python work is one dictionary lookup; the stem and its hash
    (BLAKE2b, stable across processes and runs, unlike ``hash()``) are
    computed once per distinct word. A cache only: cleared when it grows
    past ``limit`` words.
    """

    def __init__(self, limit: int = 2_000_000) -> None:
        self.limit = limit
        self.clear()

    def clear(self) -> None:
        self.ids: dict[str, int] = {}
        self.size = 1  # id 0: no word
        # Grown by doubling, so that adding words costs amortised O(1).
        self.hashes = np.zeros(1024, dtype=np.uint64)
        self.stop = np.ones(1024, dtype=bool)

    def stem_hashes(self, text: str) -> np.ndarray:
        """The 64-bit hashes of the stems of a text's content words, in text order."""
        if len(self.ids) > self.limit:
            self.clear()
        words = _SHINGLE_WORD_RE.findall(text.lower())
        ids: list[int | None] = list(map(self.ids.get, words))
        if None in ids:
            for position, word in enumerate(words):
                if ids[position] is None:
                    ids[position] = self._add(word)
        array = np.array(ids, dtype=np.int64)
        return self.hashes[array[~self.stop[array]]]

    def _add(self, word: str) -> int:
        known = self.ids.get(word)
        if known is not None:
            return known
        number = self.ids[word] = self.size
        self.size += 1
        if number >= len(self.hashes):
            self.hashes = np.concatenate([self.hashes, np.zeros_like(self.hashes)])
            self.stop = np.concatenate([self.stop, np.ones_like(self.stop)])
        digest = hashlib.blake2b(_stem(word).encode("utf-8"), digest_size=8).digest()
        self.hashes[number] = int.from_bytes(digest, "little")
        self.stop[number] = word in FUNCTION_WORDS
        return number


_vocabulary = _Vocabulary()


def shingles(text: str) -> np.ndarray:
    """The sorted, unique 64-bit hashes of a text's stem pairs (its shingle set).

    >>> a = shingles("Sony reported higher profits on Tuesday.")
    >>> b = shingles("Sony described higher profits on Tuesday.")
    >>> len(a), len(np.intersect1d(a, b))
    (4, 2)
    """
    hashes = _vocabulary.stem_hashes(text)
    if len(hashes) < 2:
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        pairs = hashes[:-1] * _PAIR_MULTIPLIER + (hashes[1:] ^ (hashes[1:] >> np.uint64(29)))
    return np.unique(pairs)


def minhash_signatures(shingle_sets: Sequence[np.ndarray]) -> np.ndarray:
    """MinHash signatures, one row of :data:`PERMUTATIONS` ``uint32`` values per set.

    An empty set gets the all-``0xFFFFFFFF`` row, which the index never matches.

    >>> a, b = shingles("Sony reported higher profits on Tuesday"), shingles("nothing at all")
    >>> signatures = minhash_signatures([a, a, b])
    >>> signatures.shape, bool((signatures[0] == signatures[1]).all()), int(signatures[2, 0])
    ((3, 64), True, 4294967295)
    """
    result = np.full((len(shingle_sets), PERMUTATIONS), _EMPTY, dtype=np.uint32)
    sizes = np.array([len(s) for s in shingle_sets], dtype=np.int64)
    filled = np.flatnonzero(sizes)
    if not len(filled):
        return result
    values = np.concatenate([shingle_sets[i] for i in filled.tolist()])
    starts = np.concatenate([[0], np.cumsum(sizes[filled])[:-1]])
    # Blocks of shingles small enough for the CPU cache, hashed in place.
    block = 4096
    matrix = np.empty((len(values), PERMUTATIONS), dtype=np.uint32)
    buffer = np.empty((block, PERMUTATIONS), dtype=np.uint64)
    for begin in range(0, len(values), block):
        part = values[begin : begin + block, None]
        work = buffer[: len(part)]
        np.multiply(part, _MULTIPLIERS, out=work)
        np.add(work, _INCREMENTS, out=work)
        np.right_shift(work, np.uint64(32), out=work)
        matrix[begin : begin + len(part)] = work
    result[filled] = np.minimum.reduceat(matrix, starts, axis=0)
    return result


# ---------------------------------------------------------------- alignment


def _words(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Words and numbers (what alignment works on), lower-cased, with their spans.

    Punctuation is left between them. ``text.lower()`` is sliced only when it
    keeps every offset (a few characters, such as ``İ``, lower-case to two).
    """
    spans = [match.span() for match in _SHINGLE_WORD_RE.finditer(text)]
    lowered = text.lower()
    if len(lowered) != len(text):
        return [text[start:end].lower() for start, end in spans], spans
    return [lowered[start:end].replace("’", "'") for start, end in spans], spans


@dataclass
class Alignment:
    """The word alignment of a source and its copy.

    ``edits`` are dictionaries ``{kind, source_span, source_text, copy_span,
    copy_text}`` with ``kind`` ``replace``, ``insert`` or ``delete``; the
    spans are ``[start, end]`` character offsets and always slice to the
    texts (``source[start:end] == source_text``). Shares are measured over
    the *aligned window*, from the first to the last word the two texts
    share, so that a copy cut from a longer source is not counted as changed
    where it simply stops.
    """

    edits: list[dict[str, Any]]
    #: Words in the aligned window, on each side.
    source_words: int
    copy_words: int
    #: Words the two texts share, in the same order.
    matched_words: int
    #: Source words in the window replaced or deleted.
    changed_source_words: int
    #: Copy words in the window inside short substitutions (at most
    #: :data:`MAX_SUBSTITUTION_WORDS` words on both sides).
    substituted_copy_words: int

    @property
    def changed_share(self) -> float:
        """Share of the source's words (in the window) replaced or deleted."""
        return self.changed_source_words / self.source_words if self.source_words else 0.0

    @property
    def kept_share(self) -> float:
        """Share of the copy's words (in the window) found unchanged in the source."""
        return self.matched_words / self.copy_words if self.copy_words else 0.0

    @property
    def spun_share(self) -> float:
        """Share of the copy's words (in the window) kept or swapped word for word."""
        kept = self.matched_words + self.substituted_copy_words
        return kept / self.copy_words if self.copy_words else 0.0


def _span(spans: list[tuple[int, int]], first: int, last: int, at_end: int) -> list[int]:
    """Character span of words ``first..last-1``; an empty run sits before word ``first``."""
    if first < last:
        return [spans[first][0], spans[last - 1][1]]
    position = spans[first][0] if first < len(spans) else at_end
    return [position, position]


def _extra(opcode: tuple[str, int, int, int, int]) -> bool:
    """Whether an edit at either end of an alignment is text one side has and the other lacks."""
    kind, i1, i2, j1, j2 = opcode
    if kind == "equal":
        return False
    return kind != "replace" or max(i2 - i1, j2 - j1) > MAX_SUBSTITUTION_WORDS


def align(source: str, copy: str) -> Alignment:
    """Align the words of ``source`` and ``copy``; every difference as an edit with spans.

    Words are compared lower-cased (``difflib.SequenceMatcher`` over integer
    ids, no junk heuristic), so a change of case alone is no edit.

    >>> result = align("Shares rose 3 percent.", "Stocks rose 3 percent on Monday.")
    >>> [(e["kind"], e["source_text"], e["copy_text"]) for e in result.edits]
    [('replace', 'Shares', 'Stocks'), ('insert', '', 'on Monday')]
    >>> result.changed_share, result.kept_share
    (0.25, 0.75)
    """
    source_tokens, source_spans = _words(source)
    copy_tokens, copy_spans = _words(copy)
    ids: dict[str, int] = {}
    source_ids = [ids.setdefault(token, len(ids)) for token in source_tokens]
    copy_ids = [ids.setdefault(token, len(ids)) for token in copy_tokens]
    matcher = difflib.SequenceMatcher(None, source_ids, copy_ids, autojunk=False)
    opcodes = matcher.get_opcodes()
    # The window: without the text one side has beyond the other at either
    # end (an insertion, a deletion or a long replacement there).
    first, last = 0, len(opcodes)
    while first < last and _extra(opcodes[first]):
        first += 1
    while last > first and _extra(opcodes[last - 1]):
        last -= 1
    edits: list[dict[str, Any]] = []
    matched = changed = substituted = 0
    window = (
        (opcodes[first][1], opcodes[last - 1][2], opcodes[first][3], opcodes[last - 1][4])
        if first < last
        else (0, 0, 0, 0)
    )
    for kind, i1, i2, j1, j2 in opcodes:
        inside = window[0] <= i1 and i2 <= window[1] and window[2] <= j1 and j2 <= window[3]
        if kind == "equal":
            matched += i2 - i1
            continue
        source_span = _span(source_spans, i1, i2, len(source))
        copy_span = _span(copy_spans, j1, j2, len(copy))
        edits.append(
            {
                "kind": kind,
                "source_span": source_span,
                "source_text": source[source_span[0] : source_span[1]],
                "copy_span": copy_span,
                "copy_text": copy[copy_span[0] : copy_span[1]],
            }
        )
        if inside:
            changed += i2 - i1
            short = 0 < i2 - i1 <= MAX_SUBSTITUTION_WORDS and 0 < j2 - j1 <= MAX_SUBSTITUTION_WORDS
            if kind == "replace" and short:
                substituted += j2 - j1
    return Alignment(
        edits=edits,
        source_words=window[1] - window[0],
        copy_words=window[3] - window[2],
        matched_words=matched,
        changed_source_words=changed,
        substituted_copy_words=substituted,
    )


# ---------------------------------------------------------------- index


class TraceIndexError(Exception):
    """An index folder that cannot be read or written."""


def _pack_ids(ids: Sequence[str]) -> tuple[bytes, np.ndarray]:
    encoded = [value.encode("utf-8", errors="replace") for value in ids]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(value) for value in encoded], out=offsets[1:])
    return b"".join(encoded), offsets


def _sources_chunk(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signatures, concatenated shingles and shingle counts of a chunk of source texts."""
    sets = [shingles(text) for text in texts]
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    values = np.concatenate(sets) if sets else np.zeros(0, dtype=np.uint64)
    return minhash_signatures(sets), values, sizes


class SourceIndex:
    """A saved MinHash LSH index of source texts, with their shingles and the texts.

    The folder holds ``manifest.json`` and flat arrays, memory-mapped when
    loaded, so that a large index costs little memory and loads at once:

    ``band_keys.npy``, ``band_rows.npy``
        Per band, the sources sorted by their value in that band (the keys
        are ``band << 32 | value``, sorted, so one binary search finds every
        band's bucket at once).
    ``shingles.npy``, ``shingle_offsets.npy``
        Each source's sorted shingle hashes, one after another.
    ``texts.bin``, ``text_offsets.npy``; ``ids.bin``, ``id_offsets.npy``
        The source texts and ids as UTF-8, one after another.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "index"
    >>> texts = ["Sony reported higher profits on Tuesday after strong camera sales.",
    ...          "The city council voted on the budget for next year's road repairs."]
    >>> index = SourceIndex.build([Record(str(i), t, "s") for i, t in enumerate(texts)], folder)
    >>> len(index), index.source_id(1)
    (2, '1')
    >>> [row for row, _ in index.candidates(shingles("Sony described higher profits on Tuesday"))]
    [0]
    """

    def __init__(self, folder: Path, manifest: dict[str, Any], arrays: dict[str, Any]) -> None:
        self.folder = folder
        self.manifest = manifest
        self.band_keys: np.ndarray = arrays["band_keys"]
        self.band_rows: np.ndarray = arrays["band_rows"]
        self.shingle_values: np.ndarray = arrays["shingles"]
        self.shingle_offsets: np.ndarray = arrays["shingle_offsets"]
        self.texts: np.ndarray = arrays["texts"]
        self.text_offsets: np.ndarray = arrays["text_offsets"]
        self.ids: np.ndarray = arrays["ids"]
        self.id_offsets: np.ndarray = arrays["id_offsets"]

    def __len__(self) -> int:
        return len(self.text_offsets) - 1

    @classmethod
    def build(
        cls,
        records: Iterable[Record],
        folder: str | os.PathLike[str],
        *,
        jobs: int = 1,
        chunk_size: int = 500,
        description: dict[str, Any] | None = None,
        overwrite: bool = False,
    ) -> SourceIndex:
        """Index the texts of ``records`` into ``folder`` and return the loaded index.

        Records without text (read errors) are skipped and counted in the
        manifest. ``jobs`` worker processes shingle the texts (the main
        process reads and writes). The folder is written under a temporary
        name and renamed when complete, so an interrupted build leaves no
        index that looks whole.
        """
        folder = Path(folder)
        if (folder / "manifest.json").exists() and not overwrite:
            raise TraceIndexError(
                f"{folder} already holds an index: use it as it is (detector trace without "
                "--sources), overwrite it, or pick another folder"
            )
        started = time.monotonic()
        cpu_started = time.process_time()
        temporary = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
        temporary.mkdir(parents=True, exist_ok=True)
        signatures: list[np.ndarray] = []
        shingle_sizes: list[np.ndarray] = []
        text_sizes: list[int] = []
        ids: list[str] = []
        skipped = 0

        def chunks() -> Iterator[tuple[list[str], list[str]]]:
            nonlocal skipped
            chunk_ids: list[str] = []
            chunk_texts: list[str] = []
            for record in records:
                # a text without a word has no shingle: it could never be found
                if record.error is not None or record.text is None or not _WORD.search(record.text):
                    skipped += 1
                    continue
                chunk_ids.append(record.id)
                chunk_texts.append(record.text)
                if len(chunk_texts) >= chunk_size:
                    yield chunk_ids, chunk_texts
                    chunk_ids, chunk_texts = [], []
            if chunk_texts:
                yield chunk_ids, chunk_texts

        with (
            open(temporary / "texts.bin", "wb") as text_file,
            open(temporary / "shingles.u64", "wb") as shingle_file,
        ):

            def store(
                chunk_ids: list[str],
                chunk_texts: list[str],
                result: tuple[np.ndarray, np.ndarray, np.ndarray],
            ) -> None:
                chunk_signatures, values, sizes = result
                signatures.append(chunk_signatures)
                shingle_sizes.append(sizes)
                shingle_file.write(values.astype("<u8").tobytes())
                for text in chunk_texts:
                    data = text.encode("utf-8", errors="replace")
                    text_file.write(data)
                    text_sizes.append(len(data))
                ids.extend(chunk_ids)

            if jobs <= 1:
                for chunk_ids, chunk_texts in chunks():
                    store(chunk_ids, chunk_texts, _sources_chunk(chunk_texts))
            else:
                from collections import deque

                from joblib.externals.loky import get_reusable_executor

                executor = get_reusable_executor(max_workers=jobs)
                pending: deque[Any] = deque()
                for chunk_ids, chunk_texts in chunks():
                    pending.append(
                        (chunk_ids, chunk_texts, executor.submit(_sources_chunk, chunk_texts))
                    )
                    while len(pending) > 2 * jobs + 2:
                        done_ids, done_texts, future = pending.popleft()
                        store(done_ids, done_texts, future.result())
                while pending:
                    done_ids, done_texts, future = pending.popleft()
                    store(done_ids, done_texts, future.result())

        count = len(ids)
        signature_matrix = (
            np.concatenate(signatures) if signatures else np.zeros((0, PERMUTATIONS), np.uint32)
        )
        # Sorting every band's (band, value) key at once: rows in band-major order.
        keys = (
            np.arange(PERMUTATIONS, dtype=np.uint64)[:, None] << np.uint64(32)
        ) | signature_matrix.T.astype(np.uint64)
        order = np.argsort(keys, axis=1, kind="stable")
        band_keys = np.take_along_axis(keys, order, axis=1).reshape(-1)
        np.save(temporary / "band_keys.npy", band_keys)
        np.save(temporary / "band_rows.npy", order.astype(np.uint32).reshape(-1))
        del keys, order, band_keys
        sizes = np.concatenate(shingle_sizes) if shingle_sizes else np.zeros(0, np.int64)
        np.save(temporary / "shingle_offsets.npy", np.concatenate([[0], np.cumsum(sizes)]))
        np.save(
            temporary / "text_offsets.npy",
            np.concatenate([[0], np.cumsum(np.array(text_sizes, dtype=np.int64))]),
        )
        id_bytes, id_offsets = _pack_ids(ids)
        (temporary / "ids.bin").write_bytes(id_bytes)
        np.save(temporary / "id_offsets.npy", id_offsets)
        manifest = {
            "format_version": INDEX_FORMAT_VERSION,
            "detector_version": __version__,
            "sources": count,
            "skipped_records": skipped,
            "permutations": PERMUTATIONS,
            "seed": _SEED,
            "shingles": "adjacent pairs of word stems, function words dropped",
            "build_seconds": round(time.monotonic() - started, 3),
            "build_cpu_seconds_main_process": round(time.process_time() - cpu_started, 3),
            "jobs": jobs,
            "description": description or {},
        }
        (temporary / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        if folder.exists():
            import shutil

            shutil.rmtree(folder)
        os.replace(temporary, folder)
        return cls.load(folder)

    @classmethod
    def load(cls, folder: str | os.PathLike[str]) -> SourceIndex:
        """Open a saved index (memory-mapped); raises :class:`TraceIndexError` if unusable."""
        folder = Path(folder)
        try:
            manifest = json.loads((folder / "manifest.json").read_text())
        except (OSError, ValueError) as error:
            raise TraceIndexError(
                f"{folder} is not an index (no readable manifest.json)"
            ) from error
        if manifest.get("format_version") != INDEX_FORMAT_VERSION:
            raise TraceIndexError(
                f"{folder}: index format {manifest.get('format_version')}, this detector reads "
                f"{INDEX_FORMAT_VERSION}; build the index again"
            )
        if manifest.get("seed") != _SEED or manifest.get("permutations") != PERMUTATIONS:
            raise TraceIndexError(f"{folder}: built with other hash functions; build it again")

        def raw(name: str, dtype: Any) -> np.ndarray:
            path = folder / name
            if path.stat().st_size == 0:
                return np.zeros(0, dtype=dtype)
            return np.memmap(path, dtype=dtype, mode="r")

        try:
            arrays = {
                "band_keys": np.load(folder / "band_keys.npy", mmap_mode="r"),
                "band_rows": np.load(folder / "band_rows.npy", mmap_mode="r"),
                "shingles": raw("shingles.u64", "<u8"),
                "shingle_offsets": np.load(folder / "shingle_offsets.npy"),
                "texts": raw("texts.bin", np.uint8),
                "text_offsets": np.load(folder / "text_offsets.npy"),
                "ids": raw("ids.bin", np.uint8),
                "id_offsets": np.load(folder / "id_offsets.npy"),
            }
        except (OSError, ValueError) as error:
            raise TraceIndexError(f"{folder}: damaged index ({error}); build it again") from error
        return cls(folder, manifest, arrays)

    def source_id(self, row: int) -> str:
        start, end = self.id_offsets[row], self.id_offsets[row + 1]
        return bytes(self.ids[start:end]).decode("utf-8")

    def text(self, row: int) -> str:
        start, end = self.text_offsets[row], self.text_offsets[row + 1]
        return bytes(self.texts[start:end]).decode("utf-8")

    def shingles_of(self, row: int) -> np.ndarray:
        return np.asarray(
            self.shingle_values[self.shingle_offsets[row] : self.shingle_offsets[row + 1]]
        )

    def candidates(
        self, suspect_shingles: np.ndarray, limit: int = 5, pool: int = 20
    ) -> list[tuple[int, dict[str, float]]]:
        """The ``limit`` best sources for a suspect's shingles, best first.

        The ``pool`` sources sharing the most band values are re-ranked by
        *containment*: the share of the suspect's shingles found in the
        source (ties by Jaccard). A copy cut from a longer source still
        scores high, and a short source (a headline, a one-line piece) cannot
        outrank the real one by being wholly contained in the suspect, as it
        would under the overlap coefficient. Each comes with ``{"bands",
        "containment", "jaccard"}``.
        """
        if not len(suspect_shingles) or not len(self):
            return []
        signature = minhash_signatures([suspect_shingles])[0]
        keys = (np.arange(PERMUTATIONS, dtype=np.uint64) << np.uint64(32)) | signature.astype(
            np.uint64
        )
        lows = np.searchsorted(self.band_keys, keys, side="left")
        highs = np.searchsorted(self.band_keys, keys, side="right")
        found = [
            self.band_rows[low:high]
            for low, high in zip(lows.tolist(), highs.tolist(), strict=True)
            if 0 < high - low <= MAX_BUCKET
        ]
        if not found:
            return []
        rows, bands = np.unique(np.concatenate(found), return_counts=True)
        best = np.argsort(-bands, kind="stable")[:pool]
        ranked = []
        for position in best.tolist():
            row = int(rows[position])
            theirs = self.shingles_of(row)
            shared = len(np.intersect1d(suspect_shingles, theirs, assume_unique=True))
            union = len(suspect_shingles) + len(theirs) - shared or 1
            ranked.append(
                (
                    row,
                    {
                        "bands": int(bands[position]),
                        "containment": round(shared / len(suspect_shingles), 6),
                        "jaccard": round(shared / union, 6),
                    },
                )
            )
        ranked.sort(key=lambda item: (-item[1]["containment"], -item[1]["jaccard"], item[0]))
        return ranked[:limit]


# ---------------------------------------------------------------- tracing


@dataclass(frozen=True)
class Thresholds:
    """Where the verdicts part; measured on the real pairs (see docs/trace.md).

    ``min_similarity``: shingle containment below which the best candidate is no
    source at all. ``copy_max_changed``: at most this share of the source's
    words changed is a ``copy``. ``spun_min_kept`` and ``spun_min_structure``:
    a ``spun_copy`` keeps at least this share of the copy's words unchanged,
    and at least ``spun_min_structure`` of them are kept or swapped word for
    word in the source's order; anything else above ``min_similarity`` is a
    ``rewrite``.
    """

    min_similarity: float = 0.1
    copy_max_changed: float = 0.02
    spun_min_kept: float = 0.3
    spun_min_structure: float = 0.7


def verdict_of(similarity: float, alignment: Alignment | None, thresholds: Thresholds) -> str:
    """The verdict for a suspect whose best source has this similarity and alignment.

    >>> verdict_of(0.02, None, Thresholds())
    'no_source'
    """
    if alignment is None or similarity < thresholds.min_similarity:
        return "no_source"
    if alignment.changed_share <= thresholds.copy_max_changed and alignment.kept_share >= 0.9:
        return "copy"
    if (
        alignment.kept_share >= thresholds.spun_min_kept
        and alignment.spun_share >= thresholds.spun_min_structure
    ):
        return "spun_copy"
    return "rewrite"


class Tracer:
    """Traces suspects against a :class:`SourceIndex`; ``score_record`` makes batch rows."""

    def __init__(
        self, index: SourceIndex, thresholds: Thresholds | None = None, candidates: int = 3
    ) -> None:
        self.index = index
        self.thresholds = thresholds or Thresholds()
        self.limit = candidates

    def trace(self, text: str) -> dict[str, Any]:
        """The trace of one suspect text: verdict, source, similarity, edits, candidates."""
        suspect = shingles(text)
        found = self.index.candidates(suspect, limit=self.limit)
        candidates = [
            {"source_id": self.index.source_id(row), **measures} for row, measures in found
        ]
        result: dict[str, Any] = {
            "verdict": "no_source",
            "source_id": None,
            "similarity": candidates[0]["containment"] if candidates else 0.0,
            "changed_share": None,
            "substitutions": [],
            "candidates": candidates,
        }
        if not found or found[0][1]["containment"] < self.thresholds.min_similarity:
            return result
        row = found[0][0]
        alignment = align(self.index.text(row), text)
        result.update(
            verdict=verdict_of(found[0][1]["containment"], alignment, self.thresholds),
            source_id=self.index.source_id(row),
            changed_share=round(alignment.changed_share, 6),
            substitutions=alignment.edits,
        )
        return result

    def score_record(self, record: Record) -> dict[str, Any]:
        """A batch row (see :data:`TRACE_FIELDS`) for one record."""
        if not record.text or not record.text.strip():
            return {"status": "error", "error": "empty text"}
        return {"status": "ok", **self.trace(record.text)}


@dataclass(frozen=True)
class TraceSpec:
    """A picklable recipe for a :class:`Tracer`, sent to batch workers.

    Each worker opens the index (memory-mapped, so the workers share its
    pages) once and keeps it (:func:`detector.chunks.scorer_for`).
    """

    index: str
    thresholds: Thresholds = field(default_factory=Thresholds)
    candidates: int = 3
    #: Row columns of the batch output.
    columns: tuple[str, ...] = TRACE_FIELDS

    def build(self) -> Tracer:
        return Tracer(SourceIndex.load(self.index), self.thresholds, self.candidates)


# ---------------------------------------------------------------- substitution table


def substitution_table(
    rows: Iterable[dict[str, Any]], examples: int = 3
) -> list[tuple[str, str, int, list[str]]]:
    """The substitutions of traced rows: ``(original, spun, count, example ids)``, most first.

    Only ``copy`` and ``spun_copy`` rows count, and only the replacements a
    spinner's thesaurus could make (:func:`detector.swaps.usable`, phrases
    normalised as :class:`detector.swaps.SwapTable` stores them).

    >>> row = {"id": "a", "verdict": "spun_copy", "substitutions": [
    ...     {"kind": "replace", "source_text": "Told", "copy_text": "advised"}]}
    >>> substitution_table([row, {**row, "id": "b"}])
    [('told', 'advised', 2, ['a', 'b'])]
    """
    counts: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        if row.get("verdict") not in ("copy", "spun_copy"):
            continue
        for edit in row.get("substitutions") or []:
            if edit.get("kind") != "replace":
                continue
            pair = _phrase(edit["source_text"]), _phrase(edit["copy_text"])
            if not usable(*pair):
                continue
            counts[pair] += 1
            seen = where.setdefault(pair, [])
            if len(seen) < examples and str(row["id"]) not in seen:
                seen.append(str(row["id"]))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(original, spun, count, where[(original, spun)]) for (original, spun), count in ranked]


def write_substitution_table(rows: Iterable[dict[str, Any]], path: str | os.PathLike[str]) -> int:
    """Write :func:`substitution_table` as TSV, as ``detector train --swaps`` reads it.

    Returns the number of substitutions written.
    """
    table = substitution_table(rows)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("original\tspun\tcount\texamples\n")
        for original, spun, count, ids in table:
            cleaned = ",".join(value.replace("\t", " ").replace("\n", " ") for value in ids)
            handle.write(f"{original}\t{spun}\t{count}\t{cleaned}\n")
    return len(table)
