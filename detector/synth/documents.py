"""Clean source documents as the generators see them: a list of paragraphs.

Paragraphs are the unit of partial damage and of per-paragraph scores, so
they must be real paragraphs. In many post-2009 Reuters articles the scraper
merged everything after the lead into one block of several hundred words;
such blocks are cut again on sentence boundaries into paragraphs of a few
sentences, as a wire story has them.

>>> text = "Lead sentence here.\\n\\n" + " ".join(["One two three four five six."] * 30)
>>> [len(p.split()) for p in split_paragraphs(text, max_words=120)][:3]
[3, 12, 12]
"""

from __future__ import annotations

import re

from detector.text import paragraph_spans, sentence_spans

#: Paragraphs longer than this (in words) are cut on sentence boundaries.
MAX_PARAGRAPH_WORDS = 120

#: A cut paragraph gets at most this many sentences ...
SENTENCES_PER_PARAGRAPH = 2

#: ... or closes earlier once it has this many words.
WORDS_PER_PARAGRAPH = 60

_SPACE_RE = re.compile(r"\s+")


def _words(text: str) -> int:
    return len(text.split())


def resplit(paragraph: str) -> list[str]:
    """Cut one long paragraph into paragraphs of a few sentences.

    >>> resplit("A b c. D e f. G h i. J k l. M n o.")
    ['A b c. D e f.', 'G h i. J k l.', 'M n o.']
    """
    pieces: list[str] = []
    current: list[str] = []
    for start, end in sentence_spans(paragraph):
        current.append(paragraph[start:end])
        if len(current) >= SENTENCES_PER_PARAGRAPH or _words(" ".join(current)) >= (
            WORDS_PER_PARAGRAPH
        ):
            pieces.append(" ".join(current))
            current = []
    if current:
        pieces.append(" ".join(current))
    return pieces


def split_paragraphs(text: str, max_words: int = MAX_PARAGRAPH_WORDS) -> list[str]:
    """Paragraphs of a document, white space inside each collapsed, long ones cut.

    >>> split_paragraphs("  Title\\n\\nFirst  line\\nwraps.\\n\\n\\n")
    ['Title', 'First line wraps.']
    """
    paragraphs: list[str] = []
    for start, end in paragraph_spans(text):
        paragraph = _SPACE_RE.sub(" ", text[start:end]).strip()
        if max_words and _words(paragraph) > max_words:
            paragraphs.extend(resplit(paragraph))
        else:
            paragraphs.append(paragraph)
    return paragraphs


def join_paragraphs(paragraphs: list[str]) -> str:
    """The text of a document from its paragraphs (one blank line between them).

    >>> join_paragraphs(["One.", "Two."])
    'One.\\n\\nTwo.'
    """
    return "\n\n".join(paragraphs)
