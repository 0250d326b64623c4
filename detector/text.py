"""Tokens, sentences and paragraphs with exact character offsets.

Every feature family works on the same :class:`Document`, built once per text,
so that tokenisation is paid for once and every evidence span points into the
original string.

>>> doc = Document.of("Sony Corp (6758.T) rose.\\n\\nIt fell.")
>>> [t.text for t in doc.tokens][:6]
['Sony', 'Corp', '(', '6758.T', ')', 'rose']
>>> [doc.text[s:e] for s, e in doc.paragraphs]
['Sony Corp (6758.T) rose.', 'It fell.']
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

import numpy as np


class Token(NamedTuple):
    """A token and where it stands in the text."""

    text: str
    start: int
    end: int


TOKEN_RE = re.compile(
    r"""
    # instrument codes keep their dot: 6758.T, XOM.N, 005930.KS (tried only
    # where a run of letters and digits starts: from inside a long run, such
    # as a hex string, every try would rescan the run, quadratic in its length)
    (?<![A-Za-z0-9])[A-Za-z0-9]+\.[A-Za-z]{1,4}(?![A-Za-z0-9])
    # index codes start with a dot: .N225, .KS11, .SPX
    | (?<![\w.])\.[A-Z][A-Z0-9]{1,7}(?![\w])
    # numbers with separators: 1,250.5  3.2  2011-12
    | \d+(?:[.,:/-]\d+)*
    # words, with inner apostrophes and hyphens: don't, carbon-fibre
    | [^\W\d_]+(?:['’\-][^\W\d_]+)*
    # anything else that is not space: punctuation, symbols
    | [^\w\s]
    """,
    re.VERBOSE,
)

# A sentence ends at . ! ? (possibly followed by closing quotes or brackets)
# and white space...
# The look-behind starts a match only where a run of marks starts: from inside
# a long run ("!!!!...") every try would rescan it, quadratic in its length.
# It is checked after the first mark, so that the search jumps from mark to
# mark instead of looking behind at every position.
SENTENCE_END_RE = re.compile(r"[.!?](?<![.!?][.!?])[.!?]*[\"'’”)\]]*(?=\s)")
# ...unless the dot closes a title, a company form or an initial (U.S., J. Smith).
NOT_SENTENCE_END = frozenset(
    "Mr Mrs Ms Dr St No vs Jr Sr Co Corp Ltd Inc Gov Sen Rep Gen Col Lt Sgt Prof Rev Mt Ft "
    "Jan Feb Mar Apr Aug Sept Sep Oct Nov Dec approx etc e.g i.e".split()
)
_WORD_BEFORE_RE = re.compile(r"([\w.]+)$")

PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n\s*|\r\n[ \t]*\r\n\s*")

WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def is_word(token: str) -> bool:
    """True for alphabetic tokens (words), false for numbers, codes, punctuation.

    >>> is_word("fibre"), is_word("3402.T"), is_word(",")
    (True, False, False)
    """
    return WORD_RE.fullmatch(token) is not None


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs (blocks separated by a blank line).

    Leading and trailing white space of each paragraph is excluded; blank
    paragraphs are dropped.

    >>> paragraph_spans("  One.\\n\\n\\nTwo.  ")
    [(2, 6), (9, 13)]
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for match in PARAGRAPH_BREAK_RE.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    trimmed = []
    for start, end in spans:
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        offset = start + (len(chunk) - len(chunk.lstrip()))
        trimmed.append((offset, offset + len(stripped)))
    return trimmed


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences in ``text[start:end]``.

    >>> text = "Mr. Abe spoke. Shares rose 3 percent! Then?"
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['Mr. Abe spoke.', 'Shares rose 3 percent!', 'Then?']
    """
    if end is None:
        end = len(text)
    spans: list[tuple[int, int]] = []
    position = start
    for match in SENTENCE_END_RE.finditer(text, start, end):
        if text[match.start()] == "." and match.end() - match.start() == 1:
            before = _WORD_BEFORE_RE.search(text, max(start, match.start() - 12), match.start())
            word = before.group(1) if before else ""
            # initials (one capital letter) and known abbreviations do not end sentences
            if (
                word in NOT_SENTENCE_END
                or (len(word) == 1 and word.isupper())
                or (len(word) >= 2 and word[-2] == "." and word[-1].isupper())
            ):
                continue
        spans.append((position, match.end()))
        position = match.end()
    spans.append((position, end))
    result = []
    for s, e in spans:
        chunk = text[s:e]
        stripped = chunk.strip()
        if stripped:
            offset = s + (len(chunk) - len(chunk.lstrip()))
            result.append((offset, offset + len(stripped)))
    return result


# The characters no token holds and TOKEN_RE steps over: white space (what
# ``\s`` and str.isspace() match, none above U+3000) and the underscore. Every
# other character starts a token where a token could start (a letter, a digit
# or any other symbol), so a text's tokens laid end to end are the text
# without these characters.
_STEPPED_OVER = np.zeros(0x3001, dtype=bool)
_STEPPED_OVER[[code for code in range(0x3001) if chr(code).isspace()] + [ord("_")]] = True


def tokenize(text: str) -> list[Token]:
    """Split text into tokens with offsets.

    The regex finds the tokens' texts; their offsets follow from where the
    characters they are made of stand (see ``_STEPPED_OVER``), found for the
    whole text with a few array operations rather than a match object each.

    >>> tokenize("It's carbon-fibre,\t(3402.t).")[:2]
    [Token(text="It's", start=0, end=4), Token(text='carbon-fibre', start=5, end=17)]
    >>> [t.text for t in tokenize("It's carbon-fibre, (3402.t).")]
    ["It's", 'carbon-fibre', ',', '(', '3402.t', ')', '.']
    """
    texts: list[str] = TOKEN_RE.findall(text)
    if not texts:
        return []
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    stepped = _STEPPED_OVER[np.minimum(codes, len(_STEPPED_OVER) - 1)]
    stepped[codes >= len(_STEPPED_OVER)] = False
    kept = np.flatnonzero(~stepped)
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    starts = kept[np.concatenate(([0], ends[:-1]))].tolist()
    stops = (kept[ends - 1] + 1).tolist()
    # Token(...) without the keyword handling, one C call per token
    return list(map(tuple.__new__, repeat(Token), zip(texts, starts, stops, strict=True)))


@dataclass
class Document:
    """A text with its paragraphs, sentences and tokens, computed once."""

    text: str
    paragraphs: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def of(cls, text: str | Document) -> Document:
        """Wrap a string (or return a :class:`Document` unchanged)."""
        if isinstance(text, Document):
            return text
        return cls(text=text, paragraphs=paragraph_spans(text))

    def part(self, start: int, end: int) -> Document:
        """The document made of ``text[start:end]``, a run of whole paragraphs.

        The same as ``Document.of(text[start:end])`` (offsets count from
        ``start``), but the tokens and sentences already found are reused
        rather than found again. ``start`` and ``end`` must be the start of
        one paragraph and the end of one (as in :attr:`paragraphs`).

        >>> doc = Document.of("Prices rose.\\n\\nThey fell. Then rose.")
        >>> part = doc.part(*doc.paragraphs[1])
        >>> part.sentences == Document.of(part.text).sentences, part.tokens[0]
        (True, Token(text='They', start=0, end=4))
        """
        part = Document(
            self.text[start:end],
            [(s - start, e - start) for s, e in self.paragraphs if start <= s and e <= end],
        )
        first = bisect_left(self.sentences, (start, start))
        last = bisect_left(self.sentences, (end + 1, end + 1))
        part.__dict__["sentences"] = [(s - start, e - start) for s, e in self.sentences[first:last]]
        low = bisect_left(self.token_starts, start)
        high = bisect_left(self.token_starts, end)
        if start == 0:  # offsets unchanged: the same tokens
            tokens = part.__dict__["tokens"] = self.tokens[low:high]
        else:
            make = tuple.__new__
            tokens = part.__dict__["tokens"] = [
                make(Token, (t.text, t.start - start, t.end - start)) for t in self.tokens[low:high]
            ]
        sizes = [len(sentence) for sentence in self.sentence_tokens[first:last]]
        if sum(sizes) == len(tokens):  # every token in a sentence: group them alike
            grouped, position = [], 0
            for size in sizes:
                grouped.append(tokens[position : position + size])
                position += size
            part.__dict__["sentence_tokens"] = grouped
        # where the part lies in this document, for encodings to be sliced
        part.__dict__["_within"] = (self, first, last)
        part.__dict__["_offset"] = start
        return part

    @cached_property
    def token_starts(self) -> list[int]:
        """Start offset of each token (sorted)."""
        return list(map(itemgetter(1), self.tokens))

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Sentence spans, never crossing a paragraph boundary."""
        spans: list[tuple[int, int]] = []
        for start, end in self.paragraphs:
            spans.extend(sentence_spans(self.text, start, end))
        return spans

    @cached_property
    def tokens(self) -> list[Token]:
        """All tokens of the text."""
        return tokenize(self.text)

    @cached_property
    def sentence_tokens(self) -> list[list[Token]]:
        """Tokens grouped by sentence."""
        # sentence k holds the tokens that start at or after its start and
        # before its end (sentences are sorted and do not overlap)
        tokens, starts = self.tokens, self.token_starts
        return [
            tokens[bisect_left(starts, start) : bisect_left(starts, end)]
            for start, end in self.sentences
        ]

    @cached_property
    def lowered(self) -> list[str]:
        """The text of each token, lower-cased (a part slices its document's).

        >>> doc = Document.of("Prices ROSE.\\n\\nThen fell.")
        >>> doc.lowered, doc.part(*doc.paragraphs[1]).lowered
        (['prices', 'rose', '.', 'then', 'fell', '.'], ['then', 'fell', '.'])
        """
        within = self.__dict__.get("_within")
        if within is not None:
            whole = within[0]
            low = bisect_left(whole.token_starts, self.__dict__["_offset"])
            return whole.lowered[low : low + len(self.tokens)]
        return [token.text.lower() for token in self.tokens]

    @cached_property
    def words(self) -> list[Token]:
        """Alphabetic tokens only (see :func:`is_word`)."""
        # Equivalent to is_word() for the tokens TOKEN_RE produces: only the
        # word alternative starts with a letter and has no dot.
        return [t for t in self.tokens if t.text[0].isalpha() and "." not in t.text]

    @cached_property
    def word_starts(self) -> np.ndarray:
        """Where each word (:attr:`words`) starts, as an array (kept: each of its parts asks).

        >>> Document.of("Rain fell, 3 times.").word_starts.tolist()
        [0, 5, 13]
        """
        words = self.words
        return np.fromiter(map(itemgetter(1), words), dtype=np.int64, count=len(words))

    @cached_property
    def n_words(self) -> int:
        """How many words (:attr:`words`); a part counts its document's words inside it.

        >>> doc = Document.of("Rain fell.\\n\\nIt rained, again.")
        >>> doc.n_words, doc.part(*doc.paragraphs[1]).n_words
        (5, 3)
        """
        within = self.__dict__.get("_within")
        if within is None or "words" in self.__dict__:
            return len(self.words)
        # a part's tokens are its document's that start inside it, so are its words
        starts, offset = within[0].word_starts, self.__dict__["_offset"]
        inside = np.searchsorted(starts, [offset, offset + len(self.text)])
        return int(inside[1] - inside[0])
