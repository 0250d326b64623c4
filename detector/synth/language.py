"""A cheap test that an input document is English, before it becomes training data.

Round-tripping or spinning a French or Spanish article would teach the model
that foreign text is an artifact; such rows are rejected instead. English
prose, whatever its subject, is about 40-50% function words (``the``, ``of``,
``and``, ...); other languages written in Latin script share few of them, so
their share of English function words is near zero. Tables of figures and
lists of names also score low, and are no use as training text either.

>>> english_share("The company said that it sold the unit.")
0.5
>>> looks_english("La empresa dijo el lunes que vendería la unidad a un grupo.")
False
"""

from __future__ import annotations

import re

#: Common English function words: articles, pronouns, prepositions,
#: conjunctions, auxiliaries.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "against",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "here",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "more",
        "most",
        "much",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)

#: Below this share of function words a document is not taken for English.
MIN_ENGLISH_SHARE = 0.15

#: Documents with fewer words cannot be judged (and are too short to train on).
MIN_WORDS = 20

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def english_share(text: str) -> float:
    """Share of the words of ``text`` that are English function words (0.0 when none)."""
    words = _WORD_RE.findall(text.lower())
    if not words:
        return 0.0
    return sum(word in FUNCTION_WORDS for word in words) / len(words)


def looks_english(text: str, threshold: float = MIN_ENGLISH_SHARE) -> bool:
    """True when at least ``threshold`` of the words are English function words."""
    return english_share(text) >= threshold


def rejection_reason(text: str | None) -> str | None:
    """Why a text is unusable as a clean source document, or ``None`` when it is fine.

    >>> rejection_reason("   ")
    'empty text'
    >>> rejection_reason("Shares rose.")
    'too short (2 words, need 20)'
    """
    if text is None or not text.strip():
        return "empty text"
    n_words = len(_WORD_RE.findall(text))
    if n_words < MIN_WORDS:
        return f"too short ({n_words} words, need {MIN_WORDS})"
    share = english_share(text)
    if share < MIN_ENGLISH_SHARE:
        return f"not English (share of English function words {share:.2f})"
    return None
