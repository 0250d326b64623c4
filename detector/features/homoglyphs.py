"""Look-alike letters from other scripts, and invisible characters, inside English words.

Scrapers that republish stolen articles, and spinners that want to slip past
duplicate-content filters, swap a few Latin letters for Cyrillic or Greek ones
that look the same (``Pаypal`` with a Cyrillic ``а``), or sprinkle zero-width
spaces, joiners, soft hyphens and right-to-left marks between letters: the page
reads the same to a person, but no search engine or plagiarism check matches
the words any more. Machine translation does not do this; it is a sign of
deliberate disguise, reported here as evidence of its own.

What looks similar but is legitimate: words wholly in Greek or Cyrillic (a
quoted Russian name), which are not counted because only a word that mixes
Latin letters with look-alikes counts; Greek letters in
science (``μg``, ``β-blocker``), since ``μ`` and ``β`` are not look-alikes and
hyphenated parts are judged one by one; zero-width joiners inside emoji
sequences, which sit between symbols rather than letters. Soft hyphens from
web pages that hint at hyphenation are counted, and are the main false
positive risk of ``invisible_char_rate``.

>>> result = extract("Log in to your Pаypal account\\u200b today.")
>>> [(e.name, e.snippet) for e in result.evidence]
[('homoglyphs.mixed_script_word', 'Pаypal'), ('homoglyphs.invisible_char', '\\u200b')]
>>> round(result.values["homoglyphs.mixed_script_word_rate"], 2)  # 1 word in 7
14.29
>>> extract("The β-blocker dose was 5 μg; Путин spoke.").evidence
[]
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence

import numpy as np

from detector.features.base import Evidence, FeatureResult, batch_of_one, evidence_at, rate
from detector.resources import Resources
from detector.text import Document, Token

FAMILY = "homoglyphs"

FEATURE_NAMES: tuple[str, ...] = (
    # words mixing Latin letters with Cyrillic or Greek look-alikes, per 100
    # words (0 to 100)
    "homoglyphs.mixed_script_word_rate",
    # zero-width, bidirectional-control, soft-hyphen and control characters,
    # per 100 words (0 and up; a text of words with none gives 0)
    "homoglyphs.invisible_char_rate",
)

#: Evidence items kept per measure; the rates still count every occurrence.
MAX_EVIDENCE_PER_MEASURE = 200

# Cyrillic and Greek letters drawn the same as a Latin letter in common fonts,
# and the Latin letter each stands in for.
LOOKALIKES: dict[str, str] = {
    # Cyrillic small letters
    "а": "a", "в": "b", "е": "e", "һ": "h", "і": "i", "ј": "j", "ӏ": "l", "о": "o",
    "р": "p", "ԛ": "q", "ѕ": "s", "с": "c", "у": "y", "ԁ": "d", "ԝ": "w", "х": "x",
    # Cyrillic capital letters
    "А": "A", "В": "B", "Е": "E", "Н": "H", "І": "I", "Ј": "J", "К": "K", "М": "M",
    "О": "O", "Р": "P", "Ѕ": "S", "С": "C", "Т": "T", "У": "Y", "Х": "X",
    # Greek small letters
    "α": "a", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    # Greek capital letters
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}  # fmt: skip
# "в" is a look-alike of "b" only in some italic fonts; it is kept because
# scraper tools use it, and it never mixes into a Latin word by accident.

LOOKALIKE_RE = re.compile("[" + "".join(sorted(LOOKALIKES)) + "]")

LATIN_LETTER_RE = re.compile(
    r"""
    # ASCII, Latin-1 letters (not the signs x and ÷), Latin Extended-A and -B,
    # Latin Extended Additional (Vietnamese and other accented letters)
    [A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]
    """,
    re.VERBOSE,
)

INVISIBLE_RE = re.compile(
    r"""
    # zero-width non-joiners and joiners, a run at a time (see _JOINERS)
    [\u200c\u200d]+
    # soft hyphen: a hyphenation hint on web pages, invisible unless a line breaks
    | \u00ad
    # zero-width space, left-to-right and right-to-left marks
    | [\u200b\u200e\u200f]
    # bidirectional embeddings and overrides, which reorder what is displayed
    | [\u202a-\u202e]
    # word joiner, invisible operators and bidirectional isolates
    | [\u2060-\u2064\u2066-\u2069]
    # Mongolian vowel separator and a byte-order mark in mid-text
    | [\u180e\ufeff]
    # control characters that text never needs (tab, line feed, vertical tab,
    # form feed and carriage return are white space and left out)
    | [\x00-\x08\x0e-\x1f\x7f-\x9f]
    """,
    re.VERBOSE,
)

# Joiners are part of emoji sequences (family emoji, flags with variation
# selectors); they count only between two letters.
_JOINERS = frozenset("\u200c\u200d")

# Word parts are judged one by one: "β-blocker" mixes nothing.
_WORD_PART_SEPARATOR_RE = re.compile(r"['’\-]")

# Everything a reader would not see, removed by fold_lookalikes.
_INVISIBLE_TABLE = {
    code: None
    for code in (
        0xAD, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065),
        *range(0x2066, 0x206A), 0x180E, 0xFEFF,
    )
}  # fmt: skip
_FOLD_TABLE = {ord(char): latin for char, latin in LOOKALIKES.items()} | _INVISIBLE_TABLE


def fold_lookalikes(text: str) -> str:
    """The text as a reader sees it: look-alikes made Latin, invisible characters gone.

    Used to judge the language of a disguised text, whose function words
    would otherwise not be recognised. Offsets change, so it is never used
    for evidence.

    >>> fold_lookalikes("Thе\\u200b prісe")
    'The price'
    """
    return text.translate(_FOLD_TABLE)


def _mixes_scripts(word: str) -> bool:
    """True if a part of ``word`` has both Latin letters and look-alikes.

    >>> _mixes_scripts("Pаypal"), _mixes_scripts("Путин"), _mixes_scripts("α-helix")
    (True, False, False)
    """
    return any(
        LOOKALIKE_RE.search(part) is not None and LATIN_LETTER_RE.search(part) is not None
        for part in _WORD_PART_SEPARATOR_RE.split(word)
    )


def _describe(chars: str) -> str:
    """``U+0430 CYRILLIC SMALL LETTER A``-style names of some characters."""
    names = []
    for char in dict.fromkeys(chars):
        names.append(f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}")
    return ", ".join(names[:3]) + (" and more" if len(names) > 3 else "")


def _mixed_script_words(doc: Document) -> tuple[int, list[Evidence]]:
    """Words that mix Latin letters with look-alikes: count and evidence."""
    text, tokens = doc.text, doc.tokens
    starts = [token.start for token in tokens]
    seen: set[int] = set()
    count = 0
    evidence: list[Evidence] = []
    for match in LOOKALIKE_RE.finditer(text):
        index = bisect_right(starts, match.start()) - 1
        if index < 0 or index in seen:
            continue
        token: Token = tokens[index]
        if match.start() >= token.end:
            continue
        seen.add(index)
        if not _mixes_scripts(token.text):
            continue
        count += 1
        if len(evidence) < MAX_EVIDENCE_PER_MEASURE:
            swapped = "".join(LOOKALIKE_RE.findall(token.text))
            note = (
                f"`{token.text.translate(_FOLD_TABLE)}` spelled with look-alike letters "
                f"from another script ({_describe(swapped)})"
            )
            evidence.append(
                evidence_at(
                    text, FAMILY, "homoglyphs.mixed_script_word", token.start, token.end, note
                )
            )
    return count, evidence


def _between_letters(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and text[start - 1].isalpha() and text[end].isalpha()


def _invisible_runs(text: str) -> tuple[int, list[Evidence]]:
    """Invisible characters: how many, and evidence for each run of them."""
    count = 0
    evidence: list[Evidence] = []
    run_start = run_end = -1
    for match in INVISIBLE_RE.finditer(text):
        start, end = match.span()
        if match.group()[0] in _JOINERS and not _between_letters(text, start, end):
            continue
        count += end - start
        if start == run_end:
            run_end = end
            continue
        if run_start >= 0 and len(evidence) < MAX_EVIDENCE_PER_MEASURE:
            evidence.append(_invisible_evidence(text, run_start, run_end))
        run_start, run_end = start, end
    if run_start >= 0 and len(evidence) < MAX_EVIDENCE_PER_MEASURE:
        evidence.append(_invisible_evidence(text, run_start, run_end))
    return count, evidence


def _invisible_evidence(text: str, start: int, end: int) -> Evidence:
    note = f"invisible character{'s' if end - start > 1 else ''} {_describe(text[start:end])}"
    return evidence_at(text, FAMILY, "homoglyphs.invisible_char", start, end, note)


# Every character a match of LOOKALIKE_RE or INVISIBLE_RE starts with: a text
# without one has neither, which one scan says.
_SUSPECT_RE = re.compile(
    "["
    + "".join(sorted(LOOKALIKES))
    + "\u200b-\u200f\u00ad\u202a-\u202e\u2060-\u2064\u2066-\u2069\u180e\ufeff"
    + "\x00-\x08\x0e-\x1f\x7f-\x9f"
    + "]"
)

# The characters of INVISIBLE_RE that ASCII has (controls other than white space),
# each its own match, as bytes to delete.
_ASCII_INVISIBLE = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])


def _counts(doc: Document) -> tuple[int, int]:
    """Mixed-script words and invisible characters of a text: what the values count.

    >>> _counts(Document.of("Pаypal\\u200b and pass\\x07word")), _counts(Document.of("A\\x00"))
    ((1, 2), (0, 1))
    """
    text = doc.text
    if text.isascii():
        # no look-alike, no joiner: the invisible characters are ASCII controls
        raw = text.encode("ascii")
        return 0, len(raw) - len(raw.translate(None, _ASCII_INVISIBLE))
    if _SUSPECT_RE.search(text) is None:
        return 0, 0
    return _mixed_script_words(doc)[0], _invisible_runs(text)[0]


def transform(docs: Sequence[Document], resources: Resources | None = None) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per document (``resources`` are not used).

    >>> transform([Document.of("Log in to your Pаypal account."), Document.of("")]).tolist()
    [[16.666666666666664, 0.0], [0.0, 0.0]]
    """
    rows = np.zeros((len(docs), len(FEATURE_NAMES)))
    for index, doc in enumerate(docs):
        mixed, invisible = _counts(doc)
        if mixed or invisible:
            words = doc.n_words
            rows[index] = rate(mixed, words, 100), rate(invisible, max(words, 1), 100)
    return rows


def evidence(doc: Document, resources: Resources | None = None) -> list[Evidence]:
    """The mixed-script words and runs of invisible characters of one document."""
    if _SUSPECT_RE.search(doc.text) is None:
        return []
    items = _mixed_script_words(doc)[1] + _invisible_runs(doc.text)[1]
    return sorted(items, key=lambda item: item.start)


def extract(text: str | Document, resources: Resources | None = None) -> FeatureResult:
    """Look-alike letters and invisible characters: rates per 100 words, with evidence."""
    return batch_of_one(Document.of(text), resources, transform, evidence, FEATURE_NAMES)
