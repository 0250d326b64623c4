"""Garbled phrasing: word sequences that fluent English news does not use.

A round trip through a rule-based engine reorders clauses, drops or doubles
function words and strings together words that never stand side by side in
English ("compensate its former workers are being forced by the companies to
work with during"). Neural engines are more fluent but still leave unusual
collocations. Two language models trained on clean news, shipped inside the
model file, measure this: a word trigram model (fluency of the words) and a
5-gram model over word classes (function words kept, content words reduced to
a shape), which sees broken syntax whatever the topic. Cheap surface checks
add doubled words, sentences that end on a function word, and spacing damage
(`` ,``, a doubled space where a word was dropped).

False-positive risk: any text far from news (poetry, chat, code, lists,
learners' English) is less fluent under a news model; the classifier weighs
these values against the other families, and the rates are per token so that
length does not count as evidence.

>>> result = extract("Shares rose the the most since March , traders said with during.")
>>> values = result.values
>>> values["phrasing.doubled_word_rate"] > 0, values["phrasing.spacing_damage_rate"] > 0
(True, True)
>>> sorted({e.name for e in result.evidence})
['phrasing.dangling_function_word', 'phrasing.doubled_word', 'phrasing.spacing_damage']
"""

from __future__ import annotations

import re

import numpy as np

from detector.features.base import Evidence, FeatureResult, evidence_at, rate, worst_window
from detector.resources import (
    FIRST_WORD_ID,
    NUMBER,
    SENTENCE_START,
    Resources,
    encode,
    gram_counts,
)
from detector.text import Document

FAMILY = "phrasing"

FEATURE_NAMES = (
    "phrasing.mean_surprisal",
    "phrasing.p90_surprisal",
    "phrasing.context_gain",
    "phrasing.unseen_bigram_share",
    "phrasing.unseen_trigram_share",
    "phrasing.class_surprisal",
    "phrasing.class_unseen_4gram_share",
    "phrasing.rough_window_share",
    "phrasing.odd_word_share",
    "phrasing.doubled_word_rate",
    "phrasing.dangling_function_rate",
    "phrasing.spacing_damage_rate",
    "phrasing.mean_sentence_words",
    # the same measures over the roughest run of three sentences: a passage
    # spun or translated inside clean text, which the text's means dilute
    "phrasing.worst_block_surprisal",
    "phrasing.worst_block_unseen_bigram_share",
    "phrasing.worst_block_odd_word_share",
)

#: Fewest scored items (tokens, bigrams, words) a run of sentences needs
#: before its mean counts for ``phrasing.worst_block_*``.
BLOCK_MIN_ITEMS = 12

#: Surprisal (bits per word) above which a 4-word window counts as rough.
ROUGH_WINDOW_BITS = 13.0
#: Longest run of evidence windows reported per document.
MAX_ROUGH_EVIDENCE = 5

SPACING_DAMAGE_RE = re.compile(
    r"""
    # a space before a comma, full stop or closing bracket: "rose , and"
    (?<=\w)[ ]+[,;:)](?=[ ]|$)
    # a doubled space inside a sentence, where a word was dropped: "the  bank"
    | (?<=[a-z,])[ ]{2,}(?=[a-z])
    # a comma or full stop glued to the next word: "rose,and" (not 3,000 or U.S.)
    | (?<=[a-z]{2})[,](?=[a-z]{2})
    """,
    re.VERBOSE,
)

# Function words that end an English sentence only in rare constructions
# ("what are you looking at?" is a question; these are declarative slips).
_NON_FINAL_WORDS = frozenset(
    "the a an of with during to from by and or but that which whose its their his her "
    "at into than as for".split()
)

_DOUBLE_OK = frozenset({"that", "had", "is", "do", "very", "so", "far", "bye", "no", "ha"})


def extract(text: str | Document, resources: Resources | None = None) -> FeatureResult:
    """Garbled-phrasing measures of a text, with the roughest spans as evidence.

    Without ``resources`` the surface checks still run and the model-based
    values use empty models (everything unseen); pass the resources of a
    trained model for real values.
    """
    doc = Document.of(text)
    resources = resources if resources is not None else Resources.empty()
    values = dict.fromkeys(FEATURE_NAMES, 0.0)
    evidence: list[Evidence] = []
    tokens = doc.tokens
    n_words = doc.n_words
    if not tokens:
        return FeatureResult(values, evidence)

    _language_model_values(doc, resources, values, evidence)

    doubled = 0
    lowered = [token.text.lower() for token in tokens]
    for index in [i for i in range(1, len(lowered)) if lowered[i] == lowered[i - 1]]:
        lower, previous, token = lowered[index], tokens[index - 1], tokens[index]
        if lower.isalpha() and lower not in _DOUBLE_OK and token.start - previous.end <= 1:
            doubled += 1
            evidence.append(
                evidence_at(
                    doc.text, FAMILY, "phrasing.doubled_word", previous.start, token.end,
                    f"'{lower}' twice in a row",
                )
            )  # fmt: skip

    dangling = 0
    for sentence in doc.sentence_tokens:
        words = [t for t in sentence if t.text[0].isalpha()]
        if len(words) < 4 or sentence[-1].text not in ".!":
            continue
        last = words[-1]
        if last.text.lower() in _NON_FINAL_WORDS and last.end == sentence[-2].end:
            dangling += 1
            evidence.append(
                evidence_at(
                    doc.text, FAMILY, "phrasing.dangling_function_word", last.start, last.end,
                    f"sentence ends on '{last.text}', a word that needs a continuation",
                )
            )  # fmt: skip

    damage = 0
    for match in SPACING_DAMAGE_RE.finditer(doc.text):
        damage += 1
        evidence.append(
            evidence_at(
                doc.text, FAMILY, "phrasing.spacing_damage", match.start(), match.end(),
                "spacing around punctuation that a typesetter would not leave",
            )
        )  # fmt: skip

    values["phrasing.doubled_word_rate"] = rate(doubled, n_words, per=100)
    values["phrasing.dangling_function_rate"] = rate(dangling, len(doc.sentences))
    values["phrasing.spacing_damage_rate"] = rate(damage, n_words, per=100)
    values["phrasing.mean_sentence_words"] = rate(n_words, len(doc.sentences)) / 25.0
    return FeatureResult(values, evidence)


def _language_model_values(
    doc: Document, resources: Resources, values: dict[str, float], evidence: list[Evidence]
) -> None:
    word_ids, class_ids, positions = encode(doc, resources)
    inside = np.array([p >= 0 for p in positions])
    if not inside.any():
        return
    word_model = resources.word_model
    word_counts, class_counts = gram_counts(doc, resources)
    surprisal = word_model.surprisal(word_ids, word_counts)
    unigram = word_model.surprisal_unigram(word_ids, word_counts) if word_model.total else surprisal
    token_surprisal = surprisal[inside]
    # the sentence of each position (its start marker opens it)
    sentence = np.maximum(np.cumsum(word_ids == SENTENCE_START) - 1, 0)
    n_sentences = int(sentence[-1]) + 1

    def block(items: np.ndarray, where: np.ndarray, at: np.ndarray) -> float:
        """Worst run's mean of ``items`` over the positions ``where`` (``at``: their sentence)."""
        owners = at[where]
        hits = np.bincount(owners, weights=items[where].astype(float), minlength=n_sentences)
        totals = np.bincount(owners, minlength=n_sentences)
        return worst_window(hits, totals, min_count=BLOCK_MIN_ITEMS)

    values["phrasing.worst_block_surprisal"] = block(surprisal, inside, sentence) / 10.0
    values["phrasing.mean_surprisal"] = float(token_surprisal.mean()) / 10.0
    values["phrasing.p90_surprisal"] = float(np.percentile(token_surprisal, 90)) / 10.0
    # How much the context helps: fluent text is predictable from its neighbours.
    values["phrasing.context_gain"] = float((unigram[inside] - token_surprisal).mean()) / 10.0

    # n-grams made only of known words and inside one sentence
    known = (word_ids >= FIRST_WORD_ID) | (word_ids == NUMBER)
    bigram_ok = known[:-1] & known[1:]
    if bigram_ok.any():
        seen = word_counts[1] > 0
        values["phrasing.unseen_bigram_share"] = float(1.0 - seen[bigram_ok].mean())
        values["phrasing.worst_block_unseen_bigram_share"] = block(~seen, bigram_ok, sentence[:-1])
        # A word swapped for a synonym breaks both of its bigrams while its
        # neighbours stay ordinary: the signature of a spinner or of a word
        # translated out of its collocation ("raising inventory price").
        if len(word_ids) >= 3:
            triple = known[:-2] & known[1:-1] & known[2:] & (word_ids[1:-1] >= FIRST_WORD_ID)
            if triple.any():
                odd = ~seen[:-1] & ~seen[1:] & triple
                values["phrasing.odd_word_share"] = float(odd.sum() / triple.sum())
                values["phrasing.worst_block_odd_word_share"] = block(odd, triple, sentence[1:-1])
    if len(word_ids) >= 3:
        trigram_ok = bigram_ok[:-1] & bigram_ok[1:]
        if trigram_ok.any():
            seen = word_counts[2] > 0
            values["phrasing.unseen_trigram_share"] = float(1.0 - seen[trigram_ok].mean())

    class_model = resources.class_model
    class_surprisal = class_model.surprisal(class_ids, class_counts)
    values["phrasing.class_surprisal"] = float(class_surprisal[inside].mean()) / 10.0
    if len(class_ids) >= 4:
        seen4 = class_counts[3] > 0
        values["phrasing.class_unseen_4gram_share"] = float(1.0 - seen4.mean())

    # Rough windows: four consecutive tokens of one sentence whose mean word
    # surprisal is high; the roughest few, not overlapping, become evidence.
    if len(surprisal) >= 4:
        kernel = np.ones(4)
        window = np.convolve(np.where(inside, surprisal, 0.0), kernel / 4.0, mode="valid")
        valid = np.convolve(inside.astype(float), kernel, mode="valid") == 4
        rough = (window > ROUGH_WINDOW_BITS) & valid
        values["phrasing.rough_window_share"] = float(rough.sum() / max(valid.sum(), 1))
        tokens = doc.tokens
        covered: set[int] = set()
        for start in np.argsort(-np.where(rough, window, -np.inf), kind="stable"):
            if not rough[start] or len(covered) >= 4 * MAX_ROUGH_EVIDENCE:
                break
            span = range(int(start), int(start) + 4)
            if covered.intersection(span):
                continue
            covered.update(span)
            begin, end = tokens[positions[start]].start, tokens[positions[start + 3]].end
            evidence.append(
                evidence_at(
                    doc.text, FAMILY, "phrasing.rough_sequence", begin, end,
                    f"word sequence unusual in clean news ({window[start]:.0f} bits per word)",
                )
            )  # fmt: skip
